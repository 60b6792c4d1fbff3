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
