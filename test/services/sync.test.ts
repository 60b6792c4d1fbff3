import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { gitFirstParentHistory, readIndex, specFilesAt } from '../helpers/index-reader.js';

afterAll(removeTempDirs);

const flow = (paths: string) => `name: Checkout\ncriticality: revenue\npaths: [${paths}]\n`;

/** A history with a merge commit, a squash merge, a rename, a deletion and spec files coming and going. */
function shopHistory(): TestRepo {
  const repo = TestRepo.create();
  repo.commit('chore: start', { 'src/app.ts': 'app', 'flows/checkout/flow.yaml': flow('src/checkout/**') });
  repo.commit('feat(checkout): cart (#1)', { 'src/checkout/cart.ts': 'cart', 'flows/checkout/cart.spec.ts': 'spec' });
  repo.git('checkout', '-q', '-b', 'feature/pay');
  repo.commit('pay step', { 'src/checkout/pay.ts': 'pay' });
  repo.commit('pay test', { 'e2e/pay.spec.ts': 'spec' });
  repo.git('checkout', '-q', 'main');
  repo.commit('docs: readme', { 'README.md': 'readme' });
  repo.git('merge', '-q', '--no-ff', 'feature/pay', '-m', 'Merge pull request #2 from acme/feature/pay');
  repo.commit('refactor: move cart (#3)', { 'src/checkout/cart.ts': null, 'src/checkout/basket.ts': 'cart' });
  repo.commit('test: drop old spec (#4)', { 'flows/checkout/cart.spec.ts': null });
  repo.commit('feat: names with spaces (#5)', { 'src/checkout/a b.ts': 'x', 'src/checkout/ümlaut.ts': 'y' });
  return repo;
}

describe('sync against git itself', () => {
  it('indexes merges, squashes, renames and deletions exactly as git log --first-parent reports them', () => {
    const repo = shopHistory();
    const result = repo.verigapJson(['sync']);
    expect(result.added).toBe(7);
    expect(readIndex(repo.dir)).toEqual(gitFirstParentHistory(repo.dir));
    const moved = readIndex(repo.dir).find((c) => c.subject.startsWith('refactor'))!;
    expect(moved.touched).toEqual(['A src/checkout/basket.ts', 'D src/checkout/cart.ts']);
    const merge = readIndex(repo.dir).find((c) => c.subject.startsWith('Merge pull request'))!;
    expect(merge.touched).toEqual(['A e2e/pay.spec.ts', 'A src/checkout/pay.ts']);
  });

  it('tracks which spec files exist at each commit through additions and deletions', () => {
    const repo = shopHistory();
    repo.verigap(['sync']);
    for (const change of gitFirstParentHistory(repo.dir)) {
      const tree = execFileSync('git', ['ls-tree', '-r', '--name-only', change.sha], {
        cwd: repo.dir,
        encoding: 'utf8',
      })
        .split('\n')
        .filter((path) => /\.(spec|test)\.[cm]?[jt]sx?$/.test(path))
        .sort();
      expect(specFilesAt(repo.dir, change.sha), change.subject).toEqual(tree);
    }
  });

  it('is incremental: a second sync reads only new changes, a third is a no-op', () => {
    const repo = shopHistory();
    repo.verigap(['sync']);
    repo.commit('feat: coupons (#6)', { 'src/checkout/coupon.ts': 'c' });
    expect(repo.verigapJson(['sync']).added).toBe(1);
    expect(repo.verigapJson(['sync']).added).toBe(0);
    expect(readIndex(repo.dir)).toEqual(gitFirstParentHistory(repo.dir));
  });

  // incidents/2026-11-22-incremental-sync-reported-rewrite.md
  it('several new changes on top of the index extend it: no rewrite reported @incident:2026-11-22-incremental-sync-reported-rewrite', () => {
    const repo = shopHistory();
    repo.verigap(['sync']);
    for (const n of [6, 7, 8]) repo.commit(`feat: more (#${n})`, { [`src/checkout/more-${n}.ts`]: 'm' });
    const result = repo.verigap(['--json', 'sync']);
    expect(result.stderr).not.toMatch(/rewritten/);
    expect(JSON.parse(result.stdout)).toMatchObject({ added: 3, rewritten: null }); // @incident-assertion
    expect(readIndex(repo.dir)).toEqual(gitFirstParentHistory(repo.dir));
  });

  it('re-indexes from the shared ancestor after a force push', () => {
    const repo = shopHistory();
    const base = repo.head('HEAD~2');
    repo.verigap(['sync']);
    repo.git('reset', '-q', '--hard', base);
    repo.commit('feat: rewritten history (#7)', { 'src/checkout/new.ts': 'n' });
    const result = repo.verigap(['--json', 'sync']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).rewritten).toEqual({ keptUpTo: 5 });
    expect(result.stderr).toMatch(/rewritten/);
    expect(readIndex(repo.dir)).toEqual(gitFirstParentHistory(repo.dir));
  });

  it('--rebuild gives the same index as an incremental sync', () => {
    const repo = shopHistory();
    repo.verigap(['sync']);
    const incremental = readIndex(repo.dir);
    repo.verigap(['sync', '--rebuild']);
    expect(readIndex(repo.dir)).toEqual(incremental);
  });

  it('names a shallow clone and re-indexes when it is deepened', () => {
    const origin = shopHistory();
    const clone = new TestRepo(tempDir());
    execFileSync('git', ['clone', '-q', '--depth', '3', `file://${origin.dir}`, clone.dir]);
    const shallow = clone.verigap(['--json', 'sync']);
    expect(shallow.code).toBe(0);
    expect(shallow.stderr).toMatch(/shallow clone: only 3 commits of main are visible/);
    expect(shallow.stderr).toMatch(/git fetch --unshallow/);
    expect(readIndex(clone.dir)).toEqual(gitFirstParentHistory(clone.dir));
    clone.git('fetch', '-q', '--unshallow');
    const deep = clone.verigap(['--json', 'sync']);
    expect(deep.stderr).not.toMatch(/shallow/);
    expect(readIndex(clone.dir)).toEqual(gitFirstParentHistory(clone.dir));
    expect(readIndex(clone.dir)).toEqual(gitFirstParentHistory(origin.dir));
  });

  it("in a linked worktree of a shallow clone: the shallow file is the repository's, so deepening it re-indexes there too", () => {
    const origin = shopHistory();
    const clone = new TestRepo(tempDir());
    execFileSync('git', ['clone', '-q', '--depth', '3', `file://${origin.dir}`, clone.dir]);
    const worktree = new TestRepo(join(tempDir(), 'worktree'));
    clone.git('worktree', 'add', '-q', '--detach', worktree.dir, 'HEAD');
    const shallow = worktree.verigap(['sync']);
    expect(shallow.stderr).toMatch(/shallow clone: only 3 commits of main are visible/);
    clone.git('fetch', '-q', '--unshallow');
    const deep = worktree.verigap(['sync']);
    expect(deep.stderr).not.toMatch(/shallow/);
    expect(readIndex(worktree.dir)).toEqual(gitFirstParentHistory(origin.dir));
  });

  it('works on a blobless partial clone without fetching blobs', () => {
    const origin = shopHistory();
    origin.git('config', 'uploadpack.allowFilter', 'true');
    const clone = new TestRepo(tempDir());
    execFileSync('git', ['clone', '-q', '--filter=blob:none', `file://${origin.dir}`, clone.dir]);
    const before = execFileSync('git', ['count-objects', '-v'], { cwd: clone.dir, encoding: 'utf8' });
    expect(clone.verigap(['sync']).code).toBe(0);
    expect(readIndex(clone.dir)).toEqual(gitFirstParentHistory(origin.dir));
    expect(execFileSync('git', ['count-objects', '-v'], { cwd: clone.dir, encoding: 'utf8' })).toBe(before);
  });
});
