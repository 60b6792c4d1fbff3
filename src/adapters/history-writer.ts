import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OutsideError } from '../errors.js';
import { readRefFromFiles } from './git-dir.js';

export interface Identity {
  name: string;
  email: string;
}

/**
 * Writes a Git history by hand in `dir`: each commit's files, at the time it is given, by `identity` (also set in the
 * repository's own config, so later commits there, a pull request branch or a note, need no identity of the user's),
 * pushed to a bare `origin`. The demo builds its sample shop with it.
 */
export function createHistoryWriter(dir: string, origin: string, identity: Identity) {
  const git = (args: string[], at?: number, input?: string) => {
    const when =
      at === undefined
        ? {}
        : { GIT_AUTHOR_DATE: new Date(at).toISOString(), GIT_COMMITTER_DATE: new Date(at).toISOString() };
    const who = {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    };
    try {
      return execFileSync('git', args, {
        cwd: dir,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        input,
        encoding: 'utf8',
        env: { ...process.env, ...who, ...when },
      }).trim();
    } catch (error) {
      const said = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
      throw new OutsideError(`git ${args.join(' ')} failed in ${dir}: ${said}`, 'is git installed and on the PATH?');
    }
  };
  mkdirSync(dir, { recursive: true });
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', identity.name]);
  git(['config', 'user.email', identity.email]);
  git(['config', 'commit.gpgsign', 'false']);
  git(['init', '-q', '--bare', '-b', 'main', origin]);
  git(['remote', 'add', 'origin', origin]);

  return {
    /** Writes the files, commits them all at `at` (ms), and returns the new commit. */
    commit(message: string, files: Record<string, string>, at: number): string {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      git(['add', '-A'], at);
      git(['commit', '-q', '-m', message], at);
      // read from the ref's file when it is one: a git process less for each of the demo's few dozen commits
      return readRefFromFiles(join(dir, '.git'), 'refs/heads/main')?.tip ?? git(['rev-parse', 'HEAD']);
    },
    /** Writes a new notes ref `ref` holding each commit's note, in one commit at `at` (ms), with one git process. */
    notes(ref: string, notes: ReadonlyMap<string, string>, at: number): void {
      const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}`;
      const stream =
        [
          `commit ${ref}`,
          `committer ${identity.name} <${identity.email}> ${Math.floor(at / 1000)} +0000`,
          data('Notes added by verigap demo'),
          ...[...notes].map(([commit, text]) => `N inline ${commit}\n${data(text)}`),
        ].join('\n') + '\n';
      git(['fast-import', '--quiet'], at, stream);
    },
    /** Pushes main, and the other refs given. */
    push: (...refs: string[]) => void git(['push', '-q', 'origin', 'main', ...refs]),
  };
}
