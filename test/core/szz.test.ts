import { describe, expect, it } from 'vitest';
import {
  blamedCommits,
  blameTargets,
  changeBringingIn,
  isBlameableCode,
  parseBlamePorcelain,
  parseZeroContextDiff,
  pickIntroducingChange,
  unquoteC,
} from '../../src/core/szz.js';

const sha = (char: string) => char.repeat(40);

describe('parseZeroContextDiff', () => {
  it('reads old paths (spaces, C-quoted names), deletions by count, pure insertions and new files', () => {
    const diff = [
      'diff --git a/src/sp ace.ts b/src/sp ace.ts',
      'index de98044..a7bc997 100644',
      '--- a/src/sp ace.ts\t',
      '+++ b/src/sp ace.ts\t',
      '@@ -2 +2 @@ a',
      '-b',
      '+B',
      '@@ -3,0 +4 @@ c',
      '+d',
      'diff --git "a/na\\303\\257ve \\"q\\".ts" "b/na\\303\\257ve \\"q\\".ts"',
      '--- "a/na\\303\\257ve \\"q\\".ts"\t',
      '+++ "b/na\\303\\257ve \\"q\\".ts"\t',
      '@@ -1,2 +0,0 @@',
      // a deleted line that looks like a header is still a deleted line
      '--- not a header',
      '-x',
      '\\ No newline at end of file',
      'diff --git a/new.ts b/new.ts',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.ts',
      '@@ -0,0 +1 @@',
      '+fresh',
      'diff --git a/logo.png b/logo.png',
      'Binary files a/logo.png and b/logo.png differ',
      '',
    ].join('\n');
    expect(parseZeroContextDiff(diff)).toEqual([
      {
        oldPath: 'src/sp ace.ts',
        hunks: [
          { oldStart: 2, oldCount: 1, deleted: ['b'] },
          { oldStart: 3, oldCount: 0, deleted: [] },
        ],
      },
      { oldPath: 'naïve "q".ts', hunks: [{ oldStart: 1, oldCount: 2, deleted: ['-- not a header', 'x'] }] },
      { oldPath: null, hunks: [{ oldStart: 0, oldCount: 0, deleted: [] }] },
      { oldPath: null, hunks: [] },
    ]);
  });

  it("unquotes git's C-style names", () => {
    expect(unquoteC('"a/tab\\there\\\\back \\342\\234\\223.ts"')).toBe('a/tab\there\\back ✓.ts');
  });
});

describe('blameTargets', () => {
  const file = (oldPath: string | null, hunks: { oldStart: number; oldCount: number; deleted: string[] }[]) => ({
    oldPath,
    hunks,
  });

  it('blames the deleted or modified lines that carry code, in merged ranges, skipping tests, prose, lockfiles and verigap data', () => {
    expect(
      blameTargets([
        file('src/cart.ts', [
          { oldStart: 10, oldCount: 4, deleted: ['  const total = price * qty;', '', '  });', '  return total;'] },
          { oldStart: 20, oldCount: 2, deleted: ['  // old comment', '  if (a) b();'] },
          { oldStart: 30, oldCount: 0, deleted: [] },
        ]),
        file('src/cart.spec.ts', [{ oldStart: 1, oldCount: 1, deleted: ['expect(1)'] }]),
        file('README.md', [{ oldStart: 1, oldCount: 1, deleted: ['docs'] }]),
        file('web/package-lock.json', [{ oldStart: 1, oldCount: 1, deleted: ['"x": 1'] }]),
        file('incidents/2026-11-20-x.md', [{ oldStart: 1, oldCount: 1, deleted: ['id: x'] }]),
        file('flows/trial/helpers.ts', [{ oldStart: 1, oldCount: 1, deleted: ['export const x = 1;'] }]),
        file(null, [{ oldStart: 0, oldCount: 0, deleted: [] }]),
      ]),
    ).toEqual([
      {
        path: 'src/cart.ts',
        ranges: [
          [10, 10],
          [13, 13],
          [21, 21],
        ],
      },
    ]);
  });

  it('a fix that only added lines blames the line just before each change (line 1 at the top of a file)', () => {
    expect(
      blameTargets([
        file('src/a b.ts', [
          { oldStart: 7, oldCount: 0, deleted: [] },
          { oldStart: 0, oldCount: 0, deleted: [] },
          { oldStart: 8, oldCount: 0, deleted: [] },
        ]),
        file('src/c.ts', [{ oldStart: 5, oldCount: 1, deleted: ['}'] }]),
      ]),
    ).toEqual([
      {
        path: 'src/a b.ts',
        ranges: [
          [1, 1],
          [7, 8],
        ],
      },
      { path: 'src/c.ts', ranges: [[4, 4]] },
    ]);
  });

  it('the neighbours are only a fallback: one modified code line anywhere wins over every insertion', () => {
    expect(
      blameTargets([
        file('src/a.ts', [{ oldStart: 7, oldCount: 0, deleted: [] }]),
        file('src/b.ts', [{ oldStart: 3, oldCount: 1, deleted: ['let x = 1;'] }]),
      ]),
    ).toEqual([{ path: 'src/b.ts', ranges: [[3, 3]] }]);
  });

  it("code files are anything but tests, prose, lockfiles and verigap's own data", () => {
    expect(['src/a.ts', 'deploy/app.yaml', 'Makefile', 'docs/conf.py'].every(isBlameableCode)).toBe(true);
    expect(
      ['src/a.test.tsx', 'CHANGELOG.md', 'yarn.lock', 'go.sum', 'flows/trial/flow.yaml', 'reports/2026-W47.json'].some(
        isBlameableCode,
      ),
    ).toBe(false);
  });
});

describe('parseBlamePorcelain', () => {
  it("gives every line its commit, with the commit's details that porcelain prints only once, and marks boundaries", () => {
    const porcelain = [
      `${sha('a')} 1 1 2`,
      'author Dev',
      'author-time 1796191156',
      'committer Dev',
      'committer-time 1796191156',
      'summary feat: x 0123 4 5',
      'filename src/sp ace.ts',
      '\tconst a = 1;',
      `${sha('a')} 2 2`,
      '\tconst b = 2;',
      `${sha('b')} 9 7 1`,
      'committer-time 1700000000',
      'boundary',
      'filename src/sp ace.ts',
      `\t${sha('c')} 1 1 1 (content that looks like a header)`,
      '',
    ].join('\n');
    const lines = parseBlamePorcelain(porcelain);
    expect(lines).toEqual([
      { sha: sha('a'), line: 1, committedAt: 1796191156000, boundary: false },
      { sha: sha('a'), line: 2, committedAt: 1796191156000, boundary: false },
      { sha: sha('b'), line: 7, committedAt: 1700000000000, boundary: true },
    ]);
    expect(blamedCommits(lines)).toEqual(new Map([[sha('a'), 1796191156000]]));
  });
});

describe('changeBringingIn', () => {
  it('is the oldest descendant on the first-parent chain (the merge), side-branch commits aside', () => {
    const chain = new Map([
      ['merge', 5],
      ['later', 6],
    ]);
    const descendants = [
      { sha: 'later', committedAt: 9 },
      { sha: 'side-child', committedAt: 7 },
      { sha: 'merge', committedAt: 8 },
    ];
    expect(changeBringingIn(descendants, (sha) => chain.get(sha))).toEqual({ sha: 'merge', committedAt: 8, seq: 5 });
    expect(changeBringingIn([{ sha: 'side-child', committedAt: 7 }], (sha) => chain.get(sha))).toBeUndefined();
  });
});

describe('pickIntroducingChange', () => {
  it('picks the latest change on the chain among those before started_at, whatever the committer times say', () => {
    const candidates = [
      { sha: 'b', seq: 2, committedAt: 2_000 },
      { sha: 'rebased', seq: 3, committedAt: 1_000 },
      { sha: 'after', seq: 4, committedAt: 9_000 },
    ];
    expect(pickIntroducingChange(candidates, 5_000)).toBe('rebased');
    expect(pickIntroducingChange(candidates, 1_000)).toBeNull();
    expect(pickIntroducingChange([], 5_000)).toBeNull();
  });
});
