import { createHash } from 'node:crypto';
import { shallowFileDigest } from '../adapters/git-dir.js';
import { acquireLock } from '../adapters/lock.js';
import { untilDone } from '../adapters/cleanup.js';
import { type HistoryStore } from '../adapters/store/history-store.js';
import { runId, type IndexedRun } from '../adapters/store/runs-store.js';
import { createNotes } from '../adapters/notes.js';
import { readRunNote, type SkippedNote } from '../core/run.js';
import { createPathMapper } from '../core/flow-mapping.js';
import type { Flow } from '../core/flow.js';
import { globsMatchingNothing } from '../core/glob.js';
import { derivationRules } from '../core/derivation-rules.js';
import { InputError } from '../errors.js';
import type { Repo } from './repo.js';
import { notesTipReadFor, runsKey } from './appended-run.js';

export interface SyncProgress {
  start(total: number): void;
  tick(done: number): void;
  done(): void;
}

export interface SyncOptions {
  progress?: SyncProgress | undefined;
}

export interface SyncResult {
  branch: string;
  head: string;
  added: number;
  total: number;
  rewritten: { keptUpTo: number } | null;
  shallow: { visible: number } | null;
  flows: number;
  incidents: number;
  runs: number;
  /** Note lines that are not valid runs, and a notes ref that cannot be read: skipped from every number. */
  skippedNotes: SkippedNote[];
  /** Globs of flow.yaml files that match no file anywhere in the indexed history: a typo, most likely. */
  unmatchedGlobs: UnmatchedGlob[];
}

export interface UnmatchedGlob {
  file: string;
  field: 'paths' | 'tests';
  glob: string;
}

/** The tracked branch and the commit at its tip. */
export async function trackedBranch(repo: Repo): Promise<{ branch: string; tip: string }> {
  const branch = repo.config.branch ?? (await repo.git.headBranch());
  if (!branch)
    throw new InputError(
      'cannot tell which branch to track (detached HEAD, no origin/HEAD)',
      'set `branch: main` in verigap.yaml',
    );
  const tip =
    (await repo.git.resolve(`refs/heads/${branch}`)) ?? (await repo.git.resolve(`refs/remotes/origin/${branch}`));
  if (!tip)
    throw new InputError(
      `branch "${branch}" has no commits here`,
      'commit something, fetch it, or set `branch:` in verigap.yaml',
    );
  return { branch, tip };
}

/**
 * Indexes the first-parent history of the tracked branch incrementally. A rewritten history is
 * re-indexed from the last commit both histories share; one sync at a time (a lock file).
 */
export async function syncRepo(repo: Repo, options: SyncOptions = {}): Promise<SyncResult> {
  const release = repo.syncLock ? await acquireLock(repo.syncLock) : () => {};
  // Ctrl-C: the index is closed first, so nothing this run still does writes to it once another run holds the lock
  const stop = () => {
    repo.close();
    release();
  };
  try {
    return await untilDone(stop, () => syncLocked(repo, options));
  } finally {
    release();
  }
}

async function syncLocked(repo: Repo, { progress }: SyncOptions): Promise<SyncResult> {
  const { git, model } = repo;
  const history = repo.store.history;
  const files = repo.store.files;
  const { branch, tip } = await trackedBranch(repo);

  const mapPath = createPathMapper(model.flows);
  // the mapping rule's version is part of the hash: a release that changes it remaps every path
  const flowsHash = createHash('sha256')
    .update(`${derivationRules.mapping}\0${JSON.stringify(model.flows)}`)
    .digest('hex');
  const flowsChanged = files.flowsHash() !== flowsHash;
  if (flowsChanged) {
    history.remapPaths(mapPath);
    files.setFlowsHash(flowsHash);
  }
  if (history.meta.get('lifetimes_rule') !== String(derivationRules.lifetimes)) {
    history.rederiveLifetimes();
    history.meta.set('lifetimes_rule', String(derivationRules.lifetimes));
  }

  /** Appends `range` oldest first; false (nothing written) when its first change does not follow `after`. */
  const append = async (range: string, after: string | undefined): Promise<boolean> => {
    const writer = history.writer(mapPath);
    if (progress) progress.start(Number((await git.run(['rev-list', '--count', '--first-parent', range])).trim()));
    // counted here, not from the writer: its sequence only moves when a batch is written
    let read = 0;
    try {
      await git.streamFirstParentLog(range, (change) => {
        if (read === 0 && after && change.parents[0] !== after) throw new NotAFollowUp();
        writer.add(change);
        read++;
        progress?.tick(read);
      });
    } catch (error) {
      if (error instanceof NotAFollowUp) return false;
      throw error;
    } finally {
      progress?.done();
    }
    writer.finish();
    return true;
  };

  const shallow = await shallowFingerprint(repo);
  const sameGraft = (history.meta.get('shallow') ?? '') === shallow;
  const before = history.state();
  let rewritten: SyncResult['rewritten'] = null;
  let keptSeq = before.lastSeq;
  if (before.lastSha !== tip || !sameGraft) {
    const extended =
      before.lastSha !== undefined &&
      sameGraft &&
      (await git.isAncestor(before.lastSha, tip)) &&
      (await append(`${before.lastSha}..${tip}`, before.lastSha));
    if (before.lastSha === undefined) await append(tip, undefined);
    else if (!extended) {
      // Force push, or a deepened shallow clone: keep what both histories share.
      const chain = await git.firstParentChain(tip);
      const indexed = history.indexedShas();
      let kept = 0;
      while (kept < chain.length && kept < indexed.length && chain[kept] === indexed[kept]) kept++;
      keptSeq = kept;
      if (sameGraft) rewritten = { keptUpTo: kept };
      history.truncateAfter(kept);
      await append(kept > 0 ? `${chain[kept - 1]}..${tip}` : tip, undefined);
    }
    history.meta.set('shallow', shallow);
  }
  const { runs, skippedNotes } = await indexRuns(repo, tip, history, shallow);

  const total = history.state().lastSeq;
  if (flowsChanged || total !== before.lastSeq || history.meta.get('unmatched_globs') === undefined) {
    history.meta.set('unmatched_globs', JSON.stringify(unmatchedGlobs(model.flows, repo.store.queries.allPaths())));
  }
  return {
    branch,
    head: tip,
    added: total - keptSeq,
    total,
    rewritten,
    shallow: shallow ? { visible: total } : null,
    flows: model.flows.length,
    incidents: model.incidents.length,
    runs,
    skippedNotes,
    unmatchedGlobs: JSON.parse(history.meta.get('unmatched_globs') ?? '[]') as UnmatchedGlob[],
  };
}

function unmatchedGlobs(flows: readonly Flow[], paths: readonly string[]): UnmatchedGlob[] {
  return flows.flatMap((flow) =>
    (['paths', 'tests'] as const).flatMap((field) =>
      globsMatchingNothing(flow[field], paths).map((glob) => ({ file: flow.file, field, glob })),
    ),
  );
}

/**
 * Re-reads refs/notes/verigap when it, the history or the clone's depth moved (a run on a commit an
 * unshallowed clone now sees resolves). A run contains the changes up to the newest first-parent change
 * that is an ancestor of its commit (its merge base with the tip). Lines that do not validate are skipped
 * and listed. When only the notes moved forward (runs arrived from another machine), only the notes that
 * changed are read again.
 */
async function indexRuns(
  repo: Repo,
  tip: string,
  history: HistoryStore,
  shallow: string,
): Promise<{ runs: number; skippedNotes: SkippedNote[] }> {
  const notes = createNotes(repo.git);
  const runsStore = repo.store.runs;
  const notesTip = await notes.tip();
  const key = runsKey(notesTip, tip, shallow);
  const stored = history.meta.get('runs_key');
  const storedSkipped = JSON.parse(history.meta.get('skipped_notes') ?? '[]') as SkippedNote[];
  if (stored === key) return { runs: Number(history.meta.get('runs_count') ?? 0), skippedNotes: storedSkipped };

  const seqOf = repo.store.queries.seqOf;
  const reach = new Map<string, number | null>();
  const read = async (notesRead: readonly { commit: string; text: string }[]) => {
    const runs: IndexedRun[] = [];
    const skipped: SkippedNote[] = [];
    for (const { commit, text } of notesRead) {
      if (!reach.has(commit)) {
        const base =
          seqOf(commit) === undefined
            ? (await repo.git.run(['merge-base', commit, tip], { allowFail: true })).trim()
            : commit;
        reach.set(commit, base ? (seqOf(base) ?? null) : null);
      }
      text.split('\n').forEach((line, index) => {
        const {
          runs: [run],
          problems: [problem],
        } = readRunNote(line);
        if (run) runs.push({ ...run, commit, id: runId(commit, line), reachSeq: reach.get(commit)! });
        else if (problem) skipped.push({ commit, line: index + 1, reason: problem.reason });
      });
    }
    return { runs, skipped };
  };

  const changed = await changedNotes(repo, stored, notesTip, tip, shallow, storedSkipped);
  let count: number;
  let skippedNotes: SkippedNote[];
  if (changed) {
    const { runs, skipped } = await read(
      changed.flatMap(({ commit, text }) => (text === undefined ? [] : [{ commit, text }])),
    );
    const commits = new Set(changed.map((note) => note.commit));
    count = runsStore.replaceCommits(commits, runs);
    skippedNotes = byCommit([...storedSkipped.filter((note) => !commits.has(note.commit!)), ...skipped]);
  } else {
    const { notes: all, unreadable } = await notes.all();
    const { runs, skipped } = await read(all);
    runsStore.replace(runs);
    // the same run written twice (two machines, merged notes) has one id: it is one run
    count = new Set(runs.map((run) => run.id)).size;
    skippedNotes = [...(unreadable ? [{ commit: null, line: 0, reason: unreadable }] : []), ...byCommit(skipped)];
  }
  history.meta.set('runs_key', key);
  history.meta.set('runs_count', String(count));
  history.meta.set('skipped_notes', JSON.stringify(skippedNotes));
  return { runs: count, skippedNotes };
}

/**
 * The notes that changed since the index read them, when only that needs reading: the runs were read against
 * this very branch tip and clone depth, from a notes commit the new one descends from. Undefined: read them all.
 */
async function changedNotes(
  repo: Repo,
  stored: string | undefined,
  notesTip: string | undefined,
  tip: string,
  shallow: string,
  storedSkipped: readonly SkippedNote[],
) {
  const readFrom = notesTipReadFor(stored, tip, shallow);
  // a notes ref that could not be read last time is read whole once it can be
  if (!readFrom || !notesTip || storedSkipped.some((note) => note.commit === null)) return undefined;
  if (!(await repo.git.isAncestor(readFrom, notesTip))) return undefined;
  return createNotes(repo.git).changedBetween(readFrom, notesTip);
}

/** Skipped note lines in the order of their commits (notes are listed so), each commit's in line order. */
function byCommit(skipped: readonly SkippedNote[]): SkippedNote[] {
  const commitOf = (note: SkippedNote) => note.commit ?? '';
  return [...skipped].sort((a, b) => (commitOf(a) < commitOf(b) ? -1 : commitOf(a) > commitOf(b) ? 1 : 0));
}

class NotAFollowUp extends Error {}

/** The content of .git/shallow: it changes when a shallow clone is deepened or unshallowed. */
async function shallowFingerprint(repo: Repo): Promise<string> {
  // the shallow file is the repository's, shared by its worktrees: in the common Git directory (known since the top level was asked)
  return shallowFileDigest(await repo.git.commonDir());
}
