import { runId } from '../adapters/store/runs-store.js';
import type { NotesMove } from '../adapters/notes.js';
import { derivationRules } from '../core/derivation-rules.js';
import { readRunNote } from '../core/run.js';
import type { Repo } from './repo.js';

/** What the indexed runs were read from: the notes tip, the tracked branch's tip and the clone's depth. */
export function runsKey(notesTip: string | undefined, branchTip: string, shallow: string): string {
  return `${readFrom(notesTip)}${branchTip}:${shallow}`;
}

/**
 * The notes tip a stored runs key was read from, when the key is this release's and was read against the same
 * branch tip and clone depth (so each indexed run's reach still holds); undefined otherwise, or when there were no notes.
 */
export function notesTipReadFor(stored: string | undefined, branchTip: string, shallow: string): string | undefined {
  const prefix = `${derivationRules.runs}:`;
  const suffix = `@${branchTip}:${shallow}`;
  if (!stored?.startsWith(prefix) || !stored.endsWith(suffix)) return undefined;
  return stored.slice(prefix.length, stored.length - suffix.length) || undefined;
}

/** The part of a runs key that names the notes. */
const readFrom = (notesTip: string | undefined) => `${derivationRules.runs}:${notesTip ?? ''}@`;

/**
 * Indexes the run `verify ingest` has just appended, instead of a sync (whose reading of every note made
 * an ingest cost half a second on a long history). Only when the index was current with the notes the
 * append started from: the line is added as a sync would add it, and the runs key moves to the new notes
 * tip. Otherwise nothing is done here (the caller syncs). Returns whether the run was indexed.
 */
export async function indexAppendedRun(repo: Repo, commit: string, line: string, move: NotesMove): Promise<boolean> {
  const history = repo.store.history;
  const stored = history.meta.get('runs_key');
  const from = readFrom(move.before);
  if (!stored?.startsWith(from)) return false;
  const [branchTip = ''] = stored.slice(from.length).split(':');
  const [run] = readRunNote(line).runs;
  if (!run || !branchTip) return false;
  // as sync does: a run contains the changes up to the newest first-parent change its commit contains
  const { seqOf } = repo.store.queries;
  const base =
    seqOf(commit) === undefined
      ? (await repo.git.run(['merge-base', commit, branchTip], { allowFail: true })).trim()
      : commit;
  const reachSeq = base ? (seqOf(base) ?? null) : null;
  const runs = repo.store.runs;
  return repo.db.transaction(() => {
    // read again inside the write: a sync that finished meanwhile has its own key, and wins
    if (history.meta.get('runs_key') !== stored) return false;
    // counted on rather than counted again: a count(*) of a year of runs reads the whole table from disk (12 ms)
    const added = runs.add({ ...run, commit, id: runId(commit, line), reachSeq });
    history.meta.set('runs_key', `${readFrom(move.tip)}${stored.slice(from.length)}`);
    history.meta.set('runs_count', String(Number(history.meta.get('runs_count') ?? 0) + (added ? 1 : 0)));
    return true;
  })();
}

/**
 * The note of the commit `revision` names, as the index holds it (its runs, one line each), when the index was read
 * from the notes at `notesTip` and `revision` is the full sha of a change it knows; undefined otherwise (git is asked).
 * The ingest of a checked commit then starts one git process fewer.
 */
export function indexedNoteOf(
  repo: Repo,
  revision: string,
  notesTip: string | undefined,
): { commit: string; note: string } | undefined {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(revision)) return undefined;
  if (!repo.store.history.meta.get('runs_key')?.startsWith(readFrom(notesTip))) return undefined;
  if (repo.store.queries.seqOf(revision) === undefined) return undefined;
  return { commit: revision, note: repo.store.runs.linesOn(revision).join('\n') };
}
