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
