/**
 * Where a team installs and runs its Playwright: the repository root, or a folder with its own package.json
 * (an `e2e/` package beside the app, a workspace member). Pure: the folders come from the caller.
 */

/** The part of a glob before its first wildcard segment, as a folder path ('' for the root). */
export function globFolder(glob: string): string {
  const segments = glob.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!]/.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.join('/');
}

const holds = (folder: string, path: string) => folder === '' || path === folder || path.startsWith(`${folder}/`);

/**
 * The folder whose package.json runs the team's Playwright. `packages`: the folders ('' for the root) whose
 * package.json declares @playwright/test. With a config, the deepest of them that holds it; without one,
 * the deepest that holds the flows' tests (`testFolders`, each a folder the tests live under); else the root.
 */
export function playwrightPackageDir(
  packages: readonly string[],
  config: string | undefined,
  testFolders: readonly string[],
): string {
  const deepestHolding = (paths: readonly string[]) =>
    [...packages].filter((folder) => paths.some((path) => holds(folder, path))).sort((a, b) => b.length - a.length)[0];
  const found =
    config !== undefined ? deepestHolding([config]) : deepestHolding(testFolders.filter((folder) => folder !== ''));
  return found ?? '';
}
