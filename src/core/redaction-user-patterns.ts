/**
 * The team's own `redact:` patterns, made safe for a backtracking engine. At config load, a pattern
 * that can take exponential time is refused: a back-reference, or a repeated group that can match the
 * same text in many ways (`(a+)+`, `(a|ab)*`, `(\w{1,20}){1,20}`). When it runs, every unbounded
 * repeat is bounded (`+` → `{1,256}`), so a match is at most a few hundred characters long and one
 * pass over the text costs O(length × bound), never more.
 */
const unboundedRepeat = 256;
const largestRepeat = 1024;
/** Ways a repeated group may split its text before it counts as exponential. */
const ambiguityLimit = 10_000;

interface Analysis {
  problem: string | undefined;
  bounded: string;
}

interface Frame {
  start: number;
  product: number;
  sum: number;
}

/** Why a `redact:` pattern is refused, or undefined when it is safe (or not a regular expression at all). */
export function userPatternProblem(source: string): string | undefined {
  try {
    new RegExp(source);
  } catch {
    return undefined;
  }
  const { problem } = analyse(source);
  return problem && `redact pattern '${source}' ${problem}`;
}

const compiled = new Map<string, RegExp>();

/** The pattern with its repeats bounded, global, with match indices; throws on a refused pattern. */
export function compileUserPattern(source: string): RegExp {
  let pattern = compiled.get(source);
  if (!pattern) {
    const problem = userPatternProblem(source);
    if (problem) throw new Error(problem);
    pattern = new RegExp(analyse(source).bounded, 'gd');
    compiled.set(source, pattern);
  }
  return pattern;
}

function analyse(source: string): Analysis {
  const stack: Frame[] = [{ start: 0, product: 1, sum: 0 }];
  const top = () => stack[stack.length - 1]!;
  let out = '';
  let problem: string | undefined;
  let atom: { ambiguity: number; text: string } | undefined;
  // a pattern that opens with a repeated class (`[a-z]+@corp`) starts only where a run of it starts:
  // inside the run the match would be the same or cut short, and every position would cost a scan
  let leading: string | undefined;
  let guard = '';
  let alternatives = false;
  const settle = (ambiguity = atom?.ambiguity ?? 1) => {
    top().product *= ambiguity;
    atom = undefined;
  };

  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    const quantifier = atom ? quantifierAt(source, i) : undefined;
    if (quantifier && atom) {
      const { min, max, end } = quantifier;
      if (atom.text === leading && max > 1 && out === leading) guard = `(?<!${leading})`;
      const nested = max > 1 && atom.ambiguity > 1;
      if (nested && (max === Infinity || atom.ambiguity ** max > ambiguityLimit)) {
        problem ??= `can take exponential time: the repeated group ${atom.text} can match the same text in many ways; repeat one character class instead (e.g. [a-z0-9.]+), or bound both repeats (e.g. {1,8})`;
      }
      const atMost =
        max === Infinity ? Math.max(min, 1) + unboundedRepeat - 1 : Math.min(max, Math.max(min, largestRepeat));
      out += atMost === max ? source.slice(i, end) : `{${min},${atMost}}${source[end - 1] === '?' ? '?' : ''}`;
      const repeats = max === Infinity ? Infinity : max - min + 1;
      settle((nested ? Math.min(atom.ambiguity ** Math.min(max, 64), ambiguityLimit) : atom.ambiguity) * repeats);
      i = end - 1;
      continue;
    }
    settle();
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<'))
        problem ??= `uses a back-reference (\\${next}${next === 'k' ? '<…>' : ''}), which can take exponential time; write the text it repeats out instead`;
      if (out === '' && /[dDwWsS]/.test(next)) leading = char + next;
      out += char + next;
      atom = { ambiguity: 1, text: char + next };
      i++;
    } else if (char === '[') {
      const end = classEnd(source, i);
      if (out === '') leading = source.slice(i, end);
      out += source.slice(i, end);
      atom = { ambiguity: 1, text: source.slice(i, end) };
      i = end - 1;
    } else if (char === '(') {
      const prefix = /^\(\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i, i + 40))?.[0] ?? '(';
      out += prefix;
      stack.push({ start: i, product: 1, sum: 0 });
      i += prefix.length - 1;
    } else if (char === '|') {
      if (stack.length === 1) alternatives = true;
      top().sum += top().product;
      top().product = 1;
      out += char;
    } else if (char === ')' && stack.length > 1) {
      const frame = stack.pop()!;
      out += char;
      atom = { ambiguity: frame.sum + frame.product, text: source.slice(frame.start, i + 1) };
    } else {
      if (out === '' && char === '.') leading = char;
      out += char;
      atom = { ambiguity: 1, text: char };
    }
  }
  return { problem, bounded: alternatives ? out : guard + out };
}

/** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy; `end` is the index after it. */
function quantifierAt(source: string, i: number): { min: number; max: number; end: number } | undefined {
  const lazy = (end: number) => (source[end] === '?' ? end + 1 : end);
  const char = source[i];
  if (char === '*') return { min: 0, max: Infinity, end: lazy(i + 1) };
  if (char === '+') return { min: 1, max: Infinity, end: lazy(i + 1) };
  if (char === '?') return { min: 0, max: 1, end: lazy(i + 1) };
  if (char !== '{') return undefined;
  const braces = /^\{(\d{1,9})(,(\d{0,9}))?\}/.exec(source.slice(i, i + 22));
  if (!braces) return undefined;
  const min = Number(braces[1]);
  const max = braces[2] === undefined ? min : braces[3] ? Number(braces[3]) : Infinity;
  return { min, max, end: lazy(i + braces[0].length) };
}

/** The index after the `]` that closes the class opened at `start` (`[]` and `[^]` close at once). */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i + 1;
  }
  return source.length;
}
