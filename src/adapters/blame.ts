import type { Git } from './git.js';

/**
 * The git side of SZZ (src/core/szz.ts parses what these return). Options that a user's config
 * could change (prefixes, colour, external diff drivers, relative diffs) are pinned.
 */

/** `git diff -U0` of a commit against its first parent, without rename detection. */
export function diffAgainstParent(git: Git, parent: string, commit: string): Promise<string> {
  return git.run([
    'diff',
    '-U0',
    '--no-renames',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    parent,
    commit,
    '--',
  ]);
}

/**
 * `git blame --porcelain` of some line ranges of one file at `revision`. Whitespace-only changes
 * are looked through (-w), so a reindent is not taken for the author; --root makes `boundary`
 * mean only "history cut here" (a shallow clone). '' when the file cannot be blamed.
 */
export function blamePorcelain(
  git: Git,
  revision: string,
  path: string,
  ranges: readonly [number, number][],
): Promise<string> {
  return git.run(
    [
      'blame',
      '--porcelain',
      '-w',
      '--root',
      ...ranges.flatMap(([from, to]) => ['-L', `${from},${to}`]),
      revision,
      '--',
      path,
    ],
    { allowFail: true },
  );
}

/**
 * The commits of `top`'s history that descend from `commit` (it excluded), with their committer
 * times, ms. The first-parent change that brought `commit` in is the oldest of them on the chain.
 */
export async function descendantsOf(
  git: Git,
  commit: string,
  top: string,
): Promise<{ sha: string; committedAt: number }[]> {
  const out = await git.run(['log', '--ancestry-path', '--format=%H %ct', `${commit}..${top}`, '--']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha = '', seconds = '0'] = line.split(' ');
      return { sha, committedAt: Number(seconds) * 1000 };
    });
}
