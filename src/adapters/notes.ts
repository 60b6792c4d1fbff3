import { setTimeout as sleep } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import { readBlobs, type Git } from './git.js';
import { acquireLock } from './lock.js';
import { untilDone } from './cleanup.js';
import { OutsideError } from '../errors.js';

export const NOTES_REF = 'refs/notes/verigap';

/** Verification runs as Git notes: one JSON line per run, appended, never overwritten. */
export function createNotes(git: Git) {
  /** The commit's note ('' when it has none). */
  const show = (commit: string) => git.run(['notes', `--ref=${NOTES_REF}`, 'show', commit], { allowFail: true });

  return {
    /** What the notes ref points at, whatever it is (a commit, a blob, a missing object): it changes when the notes do. */
    tip: async () => (await git.run(['rev-parse', '--verify', '--quiet', NOTES_REF], { allowFail: true })).trim() || undefined,
    show,

    /**
     * Appends a line to the commit's note. `git notes append` updates the notes ref without checking
     * what it was, so two appends at once can lose one: appends of this repository (all its worktrees)
     * take turns through a lock file in the Git directory, and a busy ref lock is retried.
     * `unless` sees the note as it is under that lock: when it says so, nothing is appended.
     * Returns whether the line was appended.
     */
    async append(commit: string, line: string, unless?: (note: string) => boolean): Promise<boolean> {
      const gitDir = resolve(git.dir, (await git.run(['rev-parse', '--git-common-dir'])).trim());
      const release = await acquireLock(join(gitDir, 'verigap-notes.lock'));
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
            // checked again before each attempt: a busy ref may be an append that has just written this very line
            if (unless?.(await step(show(commit)))) return false;
            try {
              await step(git.run(['notes', `--ref=${NOTES_REF}`, 'append', '--allow-empty', '-m', line, commit]));
              return true;
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
      const texts = await readBlobs(git, pairs.map(([blob]) => blob));
      const notes = pairs.map(([, commit], index) => ({ commit, text: texts[index] ?? '' }));
      return { notes, unreadable: null };
    },

    /** Pushes the notes; when the remote moved on, fetches, merges (union of lines) and retries. */
    async push(remote = 'origin'): Promise<void> {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const pushed = await git.run(['push', '--quiet', remote, `${NOTES_REF}:${NOTES_REF}`], { allowFail: true }).then(
          () => git.run(['ls-remote', remote, NOTES_REF]),
        );
        const local = await git.resolve(NOTES_REF);
        if (local && pushed.startsWith(local)) return;
        await git.run(['fetch', '--quiet', remote, `+${NOTES_REF}:refs/notes/verigap-remote`]);
        await git.run(['notes', `--ref=${NOTES_REF}`, 'merge', '--quiet', '-s', 'cat_sort_uniq', 'refs/notes/verigap-remote']);
      }
      throw new OutsideError(`could not push ${NOTES_REF} to ${remote} after 5 attempts`, `git fetch ${remote} ${NOTES_REF}:refs/notes/verigap-remote, merge, and push again`);
    },
  };
}
