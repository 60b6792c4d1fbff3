import { personalDataRules } from './redaction-pii.js';
import { secretRules, type RedactionRule } from './redaction-rules.js';
import { compileUserPattern } from './redaction-user-patterns.js';

/** Secrets and personal data replaced before any text leaves the machine (SPEC §6.1). */
export interface Redaction {
  kind: string;
  count: number;
}

export interface Redacted {
  text: string;
  redactions: Redaction[];
}

interface CompiledRule {
  kind: string;
  pattern: RegExp;
  valid?: RedactionRule['valid'];
}

const withIndices = ({ kind, pattern, valid }: RedactionRule): CompiledRule => ({
  kind,
  pattern: new RegExp(pattern.source, `${pattern.flags.replace(/[gd]/g, '')}gd`),
  valid,
});

const builtIn: readonly CompiledRule[] = [...secretRules, ...personalDataRules].map(withIndices);

/** Every kind the built-in rules can report. */
export const redactionKinds: readonly string[] = [...new Set(builtIn.map((r) => r.kind))];

// text redacted before (a prompt built from redacted parts) stays as it is and is not counted again
const earlierRedaction = /\[REDACTED:[a-z0-9-]{1,40}\]/g;
const kept = 0xffff;

/**
 * Replaces every match with `[REDACTED:<kind>]`; the list says what and how often, never the value.
 * All rules look at the original text; where matches overlap, the union is replaced, named by the
 * earliest rule. Each rule is one linear pass, so the whole costs O(rules × length).
 */
export function redact(text: string, extra: readonly string[] = []): Redacted {
  const rules = [
    ...builtIn,
    ...extra.map((source, i): CompiledRule => ({ kind: `pattern-${i + 1}`, pattern: compileUserPattern(source) })),
  ];
  // owner[i]: 0 when character i stays, else the 1-based rule that claimed it first (or `kept`)
  const owner = new Uint16Array(text.length);
  for (const match of text.matchAll(earlierRedaction)) owner.fill(kept, match.index, match.index + match[0].length);
  const counts = new Map<string, number>();
  rules.forEach((rule, index) => {
    for (const match of text.matchAll(rule.pattern)) {
      const [start, end] = secretSpan(match);
      if (
        end <= start ||
        owner[match.index] === kept ||
        (rule.valid && !rule.valid(text.slice(start, end), text, start))
      )
        continue;
      let claimed = false;
      for (let i = start; i < end; i++) {
        if (owner[i] === 0) {
          owner[i] = index + 1;
          claimed = true;
        }
      }
      if (claimed) counts.set(rule.kind, (counts.get(rule.kind) ?? 0) + 1);
    }
  });
  return {
    text: replaceClaimed(text, owner, rules),
    redactions: [...counts].map(([kind, count]) => ({ kind, count })),
  };
}

/** The first capturing group that took part, or the whole match. */
function secretSpan(match: RegExpExecArray | RegExpMatchArray): [number, number] {
  const indices = match.indices!;
  for (let group = 1; group < indices.length; group++) {
    const span = indices[group];
    if (span) return span;
  }
  return indices[0]!;
}

function replaceClaimed(text: string, owner: Uint16Array, rules: readonly CompiledRule[]): string {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length;) {
    const by = owner[i]!;
    if (by === 0 || by === kept) {
      i++;
      continue;
    }
    // adjacent or overlapping matches become one, named by the earliest rule among them
    let end = i + 1;
    let first = by;
    for (; end < text.length && owner[end] !== 0 && owner[end] !== kept; end++) first = Math.min(first, owner[end]!);
    parts.push(text.slice(from, i), `[REDACTED:${rules[first - 1]!.kind}]`);
    from = i = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}
