import picomatch from 'picomatch';

/**
 * Compiles repository-relative globs (SPEC §2): `**` any number of segments, `*` and `?`
 * within one segment, `{a,b}` alternatives, anchored at the repository root.
 */
export function compileGlobs(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch(globs as string[], { dot: true, posix: true, nobrace: false, noextglob: true });
}

/** Playwright's default testMatch: `**\/*.@(spec|test).?(c|m)[jt]s?(x)`. */
const specFile = /\.(spec|test)\.[cm]?[jt]sx?$/;

export function isSpecFile(path: string): boolean {
  return specFile.test(path);
}

/**
 * Splits a comma-separated list of globs (`--paths "src/{a,b}/**,web/x.tsx"`) on the commas
 * outside braces only, so a `{a,b}` group stays one glob. A backslash escapes the next character.
 */
export function splitGlobList(text: string): string[] {
  const globs: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === '{') depth++;
    else if (char === '}' && depth > 0) depth--;
    else if (char === ',' && depth === 0) {
      globs.push(text.slice(start, index));
      start = index + 1;
    }
  }
  globs.push(text.slice(start));
  return globs.map((glob) => glob.trim()).filter(Boolean);
}

/** Whether every `{` of a glob has its `}` (an unclosed group would swallow the rest of the list). */
export function bracesBalanced(glob: string): boolean {
  let depth = 0;
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '\\') index++;
    else if (char === '{') depth++;
    else if (char === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The globs that match none of the paths (each glob judged on its own). */
export function globsMatchingNothing(globs: readonly string[], paths: readonly string[]): string[] {
  return globs.filter((glob) => {
    const matches = compileGlobs([glob]);
    return !paths.some((path) => matches(path));
  });
}

/** Regular-expression metacharacters, escaped to match themselves. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The regular expression (source, unanchored) of one glob of SPEC §2, for tools that take a regex
 * rather than a glob (Playwright's file arguments and --grep): `**` any number of segments, `*` and `?`
 * within one segment, `{a,b}` alternatives, a backslash escapes the next character.
 */
export function globRegExpSource(glob: string): string {
  let source = '';
  let depth = 0;
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (glob.startsWith('**/', index) && (index === 0 || glob[index - 1] === '/')) {
      source += '(?:[^/]*/)*';
      index += 2;
    } else if (glob.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      depth++;
      source += '(?:';
    } else if (char === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (char === ',' && depth > 0) source += '|';
    else if (char === '\\' && index + 1 < glob.length) source += escapeRegExp(glob[++index]!);
    else source += escapeRegExp(char);
  }
  return source + ')'.repeat(depth);
}
