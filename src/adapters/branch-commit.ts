import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Git } from './git.js';

/**
 * Commits files onto a branch without touching the working tree or the index: a temporary index
 * built from the branch (or `base` for a new branch). Nothing new is committed when nothing changed.
 */
export async function commitToBranch(
  git: Git,
  options: { branch: string; base: string; files: Record<string, string>; message: string },
): Promise<{ commit: string; changed: boolean }> {
  const ref = `refs/heads/${options.branch}`;
  const parent = (await git.resolve(ref)) ?? options.base;
  const dir = mkdtempSync(join(tmpdir(), 'verigap-index-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    await git.run(['read-tree', parent], { env });
    for (const [path, content] of Object.entries(options.files)) {
      const blob = (await git.run(['hash-object', '-w', '--stdin'], { input: content })).trim();
      await git.run(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env });
    }
    const tree = (await git.run(['write-tree'], { env })).trim();
    // an existing branch that already holds these files is left as it is; a new branch always gets its commit
    if (tree === (await git.run(['rev-parse', `${parent}^{tree}`])).trim() && parent !== options.base)
      return { commit: parent, changed: false };
    const commit = (await git.run(['commit-tree', tree, '-p', parent, '-m', options.message])).trim();
    await git.run(['update-ref', ref, commit]);
    return { commit, changed: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
