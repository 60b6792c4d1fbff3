import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutsideError } from '../errors.js';

export interface Identity {
  name: string;
  email: string;
}

/** A commit written by `commit`, before Git has named it: `sha(mark)` does. */
export type Mark = number;

/**
 * Writes a Git history by hand in `dir`: each commit's files, at the time it is given, by `identity` (also set in the
 * repository's own config, so later commits there, a pull request branch or a note, need no identity of the user's),
 * pushed to a bare `origin`. The demo builds its sample shop with it. Commits are streamed to one `git fast-import`
 * until a sha is asked for: a few git processes for a history of dozens of commits, not three a commit.
 */
export function createHistoryWriter(dir: string, origin: string, identity: Identity) {
  const git = (args: string[], input?: string) => {
    try {
      return execFileSync('git', args, {
        cwd: dir,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        input,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: identity.name,
          GIT_AUTHOR_EMAIL: identity.email,
          GIT_COMMITTER_NAME: identity.name,
          GIT_COMMITTER_EMAIL: identity.email,
        },
      }).trim();
    } catch (error) {
      const said = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
      throw new OutsideError(`git ${args[0]} failed in ${dir}: ${said}`, 'is git installed and on the PATH?');
    }
  };
  mkdirSync(dir, { recursive: true });
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', identity.name]);
  git(['config', 'user.email', identity.email]);
  git(['config', 'commit.gpgsign', 'false']);
  git(['init', '-q', '--bare', '-b', 'main', origin]);
  git(['remote', 'add', 'origin', origin]);

  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}`;
  const person = (at: number) => `${identity.name} <${identity.email}> ${Math.floor(at / 1000)} +0000`;
  const marksFile = join(dir, '.git', 'history-writer.marks');
  const shas = new Map<Mark, string>();
  let pending: string[] = [];
  let marks = 0;
  let tip: string | undefined;

  /** Imports the pending commits and learns their shas; the next commit continues from the last. */
  const flush = () => {
    if (pending.length === 0) return;
    git(['fast-import', '--quiet', `--export-marks=${marksFile}`], `${pending.join('\n')}\n`);
    pending = [];
    for (const line of readFileSync(marksFile, 'utf8').split('\n').filter(Boolean)) {
      const [mark, sha] = line.split(' ') as [string, string];
      shas.set(Number(mark.slice(1)), sha);
    }
    tip = shas.get(marks);
  };

  return {
    /** Commits the files (written over the ones before) at `at` (ms) on main. */
    commit(message: string, files: Record<string, string>, at: number): Mark {
      const mark = ++marks;
      pending.push(
        [
          'commit refs/heads/main',
          `mark :${mark}`,
          `author ${person(at)}`,
          `committer ${person(at)}`,
          data(`${message}\n`),
          // the first commit of a batch continues main as the last batch left it
          ...(pending.length === 0 && tip ? [`from ${tip}`] : []),
          ...Object.entries(files).map(([file, text]) => `M 100644 inline ${file}\n${data(text)}`),
        ].join('\n'),
      );
      return mark;
    },
    sha(mark: Mark): string {
      if (!shas.has(mark)) flush();
      return shas.get(mark)!;
    },
    /** Writes the notes ref `ref`: each commit's note, in one commit at `at` (ms). */
    notes(ref: string, notes: ReadonlyMap<string, string>, at: number): void {
      flush();
      const stream = [
        `commit ${ref}`,
        `committer ${person(at)}`,
        data('Notes added by verigap demo\n'),
        ...[...notes].map(([commit, text]) => `N inline ${commit}\n${data(text)}`),
      ];
      git(['fast-import', '--quiet'], `${stream.join('\n')}\n`);
    },
    /** Checks main out into the working tree, and pushes it to origin with the other refs given. */
    finish(...refs: string[]): void {
      flush();
      git(['reset', '-q', '--hard', 'main']);
      git(['push', '-q', 'origin', 'main', ...refs]);
    },
  };
}
