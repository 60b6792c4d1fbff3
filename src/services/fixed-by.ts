import type { Repo } from './repo.js';

/** fixed_by as a commit: a SHA, or a PR number / URL found in the indexed subjects; undefined when it is neither. */
export async function fixedByCommit(repo: Pick<Repo, 'db' | 'git'>, ref: string): Promise<string | undefined> {
  const pr = /(?:^#?|\/pull\/)(\d+)$/.exec(ref)?.[1];
  if (pr)
    return repo.db.prepare('SELECT sha FROM changes WHERE pr = ? ORDER BY seq DESC LIMIT 1').pluck().get(Number(pr)) as
      string | undefined;
  return repo.git.resolve(ref);
}
