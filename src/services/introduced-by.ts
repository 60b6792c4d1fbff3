import { blamePorcelain, descendantsOf, diffAgainstParent } from '../adapters/blame.js';
import type { Incident } from '../core/incident.js';
import {
  blamedCommits,
  blameTargets,
  changeBringingIn,
  parseBlamePorcelain,
  parseZeroContextDiff,
  pickIntroducingChange,
  type IntroducingCandidate,
} from '../core/szz.js';
import { fixedByCommit } from './fixed-by.js';
import type { Repo } from './repo.js';

/** At most this many git processes at once for one fix (a fix may touch hundreds of files). */
const PARALLEL = 8;

/**
 * The change that introduced an incident's bug, inferred from its fix (SZZ, src/core/szz.ts):
 * the lines `fixed_by` deleted or modified are blamed in its first parent, each blamed commit is
 * mapped to the first-parent change that brought it onto `tip`'s branch, and the most recent such
 * change committed before `started_at` wins. null without a fix, or when no line qualifies.
 */
export async function inferIntroducedBy(
  repo: Pick<Repo, 'db' | 'git'>,
  incident: Incident,
  tip: string,
  seqOf: (sha: string) => number | undefined,
): Promise<string | null> {
  const fix = incident.fixed_by ? await fixedByCommit(repo, incident.fixed_by) : undefined;
  const parent = fix ? await repo.git.resolve(`${fix}^1`) : undefined;
  if (!fix || !parent) return null;
  const targets = blameTargets(parseZeroContextDiff(await diffAgainstParent(repo.git, parent, fix)));
  const blamed = new Map<string, number>();
  await inBatches(targets, async ({ path, ranges }) => {
    for (const [sha, committedAt] of blamedCommits(
      parseBlamePorcelain(await blamePorcelain(repo.git, parent, path, ranges)),
    ))
      blamed.set(sha, committedAt);
  });
  // a fix on the tracked branch bounds the walk; a fix elsewhere is mapped through the branch's tip
  const top = seqOf(fix) === undefined ? tip : fix;
  const candidates: IntroducingCandidate[] = [];
  await inBatches([...blamed], async ([sha, committedAt]) => {
    const seq = seqOf(sha);
    const change =
      seq === undefined ? changeBringingIn(await descendantsOf(repo.git, sha, top), seqOf) : { sha, committedAt, seq };
    if (change) candidates.push(change);
  });
  return pickIntroducingChange(candidates, Date.parse(incident.started_at));
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += PARALLEL)
    await Promise.all(items.slice(start, start + PARALLEL).map(work));
}
