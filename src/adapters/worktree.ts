import { mkdtempSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Git } from './git.js';
import { onCleanup, stopIfInterrupted, whileStarting } from './cleanup.js';

export interface Worktree {
  dir: string;
  remove(): Promise<void>;
}

/** A detached worktree of `commit` in a temporary folder, removed again however the command ends. */
export async function addWorktree(git: Git, commit: string): Promise<Worktree> {
  stopIfInterrupted();
  const dir = join(mkdtempSync(join(tmpdir(), 'verigap-worktree-')), 'tree');
  const added = whileStarting(() => git.run(['worktree', 'add', '--quiet', '--detach', dir, commit]));
  const remove = onCleanup(async () => {
    await added.catch(() => undefined);
    await git.run(['worktree', 'remove', '--force', dir], { allowFail: true });
    await git.run(['worktree', 'prune'], { allowFail: true });
    rmSync(dirname(dir), { recursive: true, force: true });
  });
  await added;
  return { dir, remove };
}
