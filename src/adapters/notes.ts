import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { readBlobs, type Git } from './git.js';
import { readRefFromFiles, readWrittenRef } from './git-dir.js';
import { acquireLock } from './lock.js';
import { untilDone } from './cleanup.js';
import { randomBytes } from 'node:crypto';
import { OutsideError } from '../errors.js';
import { pushBackoffMs, readPushResult, withoutUrlCredentials } from '../core/push-result.js';

export const NOTES_REF = 'refs/notes/verigap';

/** How an append moved the notes ref: from `before` (undefined: there were no notes) to `tip`. */
export interface NotesMove {
  tip: string;
  before: string | undefined;
}

/** A commit's note as an index holds it, when that index was read from the notes at `tip`; undefined otherwise. */
export type IndexedNote = (tip: string | undefined) => { commit: string; note: string } | undefined;

/** What an append found under the notes lock, and how it moved the notes ref when it appended (`move`). */
export interface Appended {
  commit: string;
  note: string;
  move?: NotesMove;
}

/** How long `--push` keeps retrying while other writers push first: VERIGAP_PUSH_DEADLINE_MS, else 120 s. */
function pushDeadlineMs(): number {
  const configured = Number(process.env.VERIGAP_PUSH_DEADLINE_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 120_000;
}

/** Verification runs as Git notes: one JSON line per run, appended, never overwritten. */
export function createNotes(git: Git) {
  /** The commit `rev` names and its note ('' when none), in one git call; undefined when `rev` names no commit here. */
  const noteOf = async (rev: string): Promise<{ commit: string; note: string } | undefined> => {
    const out = await git.run(
      [
        'log',
        '-1',
        '--no-walk',
        '--no-show-signature',
        '--format=%H%x00%N',
        '--no-notes',
        `--notes=${NOTES_REF}`,
        '--end-of-options',
        `${rev}^{commit}`,
        '--',
      ],
      { allowFail: true },
    );
    const split = out.indexOf('\0');
    return split < 0 ? undefined : { commit: out.slice(0, split), note: out.slice(split + 1) };
  };

  /** What `fromIndex` says for the notes tip the files show (nothing when they cannot tell). */
  const indexed = async (fromIndex: IndexedNote | undefined) => {
    const notes = fromIndex && readRefFromFiles(await git.commonDir(), NOTES_REF);
    return notes ? fromIndex(notes.tip) : undefined;
  };

  /** The notes ref's tip and its parent, just after an append: from the files git wrote, else from git. */
  const newTip = async (): Promise<NotesMove> => {
    const written = readWrittenRef(await git.commonDir(), NOTES_REF);
    if (written) return { tip: written.tip, before: written.parents[0] };
    const [tip = '', before] = (await git.run(['rev-parse', NOTES_REF, `${NOTES_REF}^@`])).split('\n');
    return { tip, before: before || undefined };
  };

  /** Appends and merges of this repository (all its worktrees) take turns through this lock file. */
  const notesLockFile = async () => join(await git.commonDir(), 'verigap-notes.lock');

  return {
    /** What the notes ref points at, whatever it is (a commit, a blob, a missing object): it changes when the notes do. */
    tip: async () =>
      (await git.run(['rev-parse', '--verify', '--quiet', NOTES_REF], { allowFail: true })).trim() || undefined,

    /**
     * Appends a line to the note of the commit `rev` names. `git notes append` updates the notes ref without
     * checking what it was, so two appends at once can lose one: appends of this repository (all its worktrees)
     * take turns through a lock file in the Git directory, and a busy ref lock is retried.
     * Under that lock one git call resolves `rev` and reads the commit's note; `lineFor` sees both and returns the
     * line to append, or undefined for none. Undefined when `rev` names no commit here; else the commit, its note
     * as read, and when a line was appended the notes ref's new tip and the tip it moved from (the new notes
     * commit's parent: read under the lock, no other append came between).
     * `fromIndex`, given the notes tip (undefined: no notes yet), may answer the first read instead of git: the
     * commit and its note as an index read from that very tip holds them.
     */
    async append(
      rev: string,
      lineFor: (commit: string, note: string) => string | undefined,
      fromIndex?: IndexedNote,
    ): Promise<Appended | undefined> {
      const release = await acquireLock(await notesLockFile());
      let call: Promise<unknown> = Promise.resolve();
      const step = <T>(promise: Promise<T>): Promise<T> => ((call = promise.catch(() => undefined)), promise);
      // Ctrl-C: the git call under way finishes before the lock is released, so no other append runs beside it
      const stop = async () => {
        await call;
        release();
      };
      try {
        return await untilDone(stop, async () => {
          for (let attempt = 1; ; attempt++) {
            // read again before each attempt: a busy ref may be an append that has just written this very line
            const noted = (attempt === 1 ? await indexed(fromIndex) : undefined) ?? (await step(noteOf(rev)));
            if (!noted) return undefined;
            const line = lineFor(noted.commit, noted.note);
            if (line === undefined) return noted;
            try {
              await step(git.run(['notes', `--ref=${NOTES_REF}`, 'append', '--allow-empty', '-m', line, noted.commit]));
              return { ...noted, move: await step(newTip()) };
            } catch (error) {
              if (attempt >= 20) throw error;
              await sleep(20 + Math.random() * 80);
            }
          }
        });
      } finally {
        release();
      }
    },

    /**
     * Every note: the annotated commit and the note's text. A notes ref that git cannot read (it points at a
     * blob, a tree or a missing object: a bad push) is said, with why, in `unreadable`.
     */
    async all(): Promise<{ notes: { commit: string; text: string }[]; unreadable: string | null }> {
      const exists = (await git.run(['for-each-ref', '--format=%(refname)', NOTES_REF])).trim() !== '';
      if (!exists) return { notes: [], unreadable: null };
      let listed: string;
      try {
        listed = await git.run(['notes', `--ref=${NOTES_REF}`, 'list']);
      } catch (error) {
        return { notes: [], unreadable: (error as Error).message.replace(/^git notes failed: (fatal: )?/, '') };
      }
      const list = listed.split('\n').filter(Boolean);
      if (list.length === 0) return { notes: [], unreadable: null };
      const pairs = list.map((line) => line.split(' ') as [string, string]);
      const texts = await readBlobs(
        git,
        pairs.map(([blob]) => blob),
      );
      const notes = pairs.map(([, commit], index) => ({ commit, text: texts[index] ?? '' }));
      return { notes, unreadable: null };
    },

    /**
     * The notes that differ between two notes commits: each annotated commit whose note was added, edited or deleted,
     * with its text now (undefined: deleted). Undefined when the notes cannot be compared (a tip that is not a commit).
     */
    async changedBetween(
      from: string,
      to: string,
    ): Promise<{ commit: string; text: string | undefined }[] | undefined> {
      const diff = await git.attempt(['diff-tree', '-r', '--no-renames', '--no-commit-id', from, to]);
      if (!diff.ok) return undefined;
      const blobs = notedBlobs(diff.stdout);
      const commits = [...blobs.keys()];
      const present = commits.filter((commit) => blobs.get(commit) !== undefined);
      const texts = await readBlobs(
        git,
        present.map((commit) => blobs.get(commit)!),
      );
      const textOf = new Map(present.map((commit, index) => [commit, texts[index] ?? '']));
      return commits.map((commit) => ({ commit, text: textOf.get(commit) }));
    },

    /**
     * Pushes the notes so that racing writers lose no run: fetch the remote's notes into a ref of this process,
     * merge them (union of lines), push; when another writer pushed first, back off (jittered, exponential)
     * and do it again, until `deadlineMs` has passed. The push's own porcelain line says whether it landed.
     */
    async push(remote = 'origin', deadlineMs = pushDeadlineMs()): Promise<void> {
      const started = Date.now();
      const incoming = `refs/notes/verigap-incoming-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        await pushLoop(remote, incoming, started, deadlineMs);
      } finally {
        await git.run(['update-ref', '-d', incoming], { allowFail: true });
      }
    },
  };

  async function pushLoop(remote: string, incoming: string, started: number, deadlineMs: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await mergeRemoteNotes(remote, incoming);
      const pushed = await git.attempt(['push', '--porcelain', remote, `${NOTES_REF}:${NOTES_REF}`]);
      const result = readPushResult(pushed.stdout, NOTES_REF);
      if (result.outcome === 'pushed') return;
      if (result.outcome === 'failed') {
        throw new OutsideError(
          `could not push ${NOTES_REF} to ${remote}: ${withoutUrlCredentials(pushed.stderr.trim()) || 'git push failed'}`,
          `check that ${remote} is reachable and that this job may push to it, then run \`git push ${remote} ${NOTES_REF}\` (the run is recorded locally)`,
        );
      }
      if (result.outcome === 'refused') {
        throw new OutsideError(
          `${remote} refused ${NOTES_REF}: ${result.reason}`,
          `allow pushes to ${NOTES_REF} on ${remote} (branch protection, a hook), then run \`git push ${remote} ${NOTES_REF}\``,
        );
      }
      if (Date.now() - started >= deadlineMs) {
        throw new OutsideError(
          `could not push ${NOTES_REF} to ${remote} within ${Math.round(deadlineMs / 1000)} s: other writers pushed first ${attempt} times (${result.reason})`,
          'run the same `verigap verify ingest --push` again (the run is recorded once), or raise VERIGAP_PUSH_DEADLINE_MS',
        );
      }
      await sleep(pushBackoffMs(attempt, Math.random()));
    }
  }

  /**
   * Merges the remote's notes into ours. A remote without notes yet has nothing to merge; a local notes ref
   * that does not exist yet is created by the merge (a fast-forward). The merge moves our notes ref, so it
   * takes the append lock.
   */
  async function mergeRemoteNotes(remote: string, incoming: string): Promise<void> {
    const fetched = await git.attempt([
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-write-fetch-head',
      remote,
      `+${NOTES_REF}:${incoming}`,
    ]);
    if (!fetched.ok) {
      if (/couldn't find remote ref/i.test(fetched.stderr)) return;
      throw new OutsideError(
        `could not fetch ${NOTES_REF} from ${remote}: ${withoutUrlCredentials(fetched.stderr.trim()) || 'git fetch failed'}`,
        `check that ${remote} is reachable (git fetch ${remote}), then push again`,
      );
    }
    const release = await acquireLock(await notesLockFile());
    try {
      await git.run(['notes', `--ref=${NOTES_REF}`, 'merge', '--quiet', '-s', 'cat_sort_uniq', incoming]);
    } finally {
      release();
    }
  }
}

const objectName = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Each annotated commit a `git diff-tree -r` of two notes trees touches, with its note's blob in the newer tree
 * (undefined: no note now). Notes trees fan out (`ab/cdef…`): the path without its slashes names the commit, and a
 * note moved to another fan-out level is a deletion at one path and an addition at the other.
 */
export function notedBlobs(diffTree: string): Map<string, string | undefined> {
  const blobs = new Map<string, string | undefined>();
  for (const line of diffTree.split('\n')) {
    const match = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) (\w)\d*\t(.+)$/.exec(line);
    if (!match) continue;
    const [, blob, status, path] = match;
    const commit = path!.replaceAll('/', '');
    if (!objectName.test(commit)) continue; // not a note: git notes ignores it too
    if (status !== 'D') blobs.set(commit, blob);
    else if (!blobs.has(commit)) blobs.set(commit, undefined);
  }
  return blobs;
}
