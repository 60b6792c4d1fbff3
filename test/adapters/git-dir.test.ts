import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { findGitLocation, readWrittenRef } from '../../src/adapters/git-dir.js';
import { removeTempDirs, tempDir, TestRepo } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

/** What git itself says, the way verigap asked it before it read the files. */
function gitSays(dir: string) {
  const [top = '', common = ''] = execFileSync(
    'git',
    ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir'],
    { cwd: dir, encoding: 'utf8' },
  ).split('\n');
  return { top, commonDir: realpathSync(common) };
}

describe('findGitLocation: the working tree from the files, as git finds it', () => {
  it('finds a checkout from its root, a sub-folder and through a symbolic link, as git does', () => {
    const repo = TestRepo.create();
    repo.commit('first', { 'app/src/index.ts': 'x' });
    const link = join(tempDir(), 'linked');
    symlinkSync(join(repo.dir, 'app'), link);
    for (const dir of [repo.dir, join(repo.dir, 'app/src'), link])
      expect(findGitLocation(dir, {})).toEqual(gitSays(dir));
  });

  it('finds a linked worktree and the Git directory it shares with its main checkout', () => {
    const repo = TestRepo.create();
    repo.commit('first', { 'a.txt': 'a' });
    const worktree = join(tempDir(), 'wt');
    repo.git('worktree', 'add', '-q', worktree);
    mkdirSync(join(worktree, 'sub'));
    const found = findGitLocation(join(worktree, 'sub'), {});
    expect(found).toEqual(gitSays(join(worktree, 'sub')));
    expect(found?.commonDir).toBe(realpathSync(join(repo.dir, '.git')));
  });

  it('leaves it to git when git could answer otherwise: GIT_DIR set, core.worktree, inside .git, no repository', () => {
    const repo = TestRepo.create();
    repo.commit('first', { 'a.txt': 'a' });
    expect(findGitLocation(repo.dir, { GIT_DIR: join(repo.dir, '.git') })).toBeUndefined();
    expect(findGitLocation(join(repo.dir, '.git'), {})).toBeUndefined();
    expect(findGitLocation(tempDir(), {})).toBeUndefined();
    repo.git('config', 'core.worktree', repo.dir);
    expect(findGitLocation(repo.dir, {})).toBeUndefined();
  });
});

describe('readWrittenRef: the notes tip and its parent just after git notes append', () => {
  it('reads what git rev-parse would, and nothing when the ref is packed away', () => {
    const repo = TestRepo.create();
    const first = repo.commit('first', { 'a.txt': 'a' });
    repo.git('notes', '--ref=refs/notes/verigap', 'append', '-m', 'one', first);
    const common = join(repo.dir, '.git');
    const root = repo.head('refs/notes/verigap');
    expect(readWrittenRef(common, 'refs/notes/verigap')).toEqual({ tip: root, parents: [] });
    repo.git('notes', '--ref=refs/notes/verigap', 'append', '-m', 'two', first);
    expect(readWrittenRef(common, 'refs/notes/verigap')).toEqual({
      tip: repo.head('refs/notes/verigap'),
      parents: [root],
    });
    repo.git('gc', '-q', '--prune=now');
    expect(readWrittenRef(common, 'refs/notes/verigap')).toBeUndefined();
  });
});
