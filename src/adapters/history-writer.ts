import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OutsideError } from '../errors.js';

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
  const git = (args: string[], at?: number) => {
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
        stdio: ['ignore', 'pipe', 'pipe'],
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
      return git(['rev-parse', 'HEAD']);
    },
    push: () => void git(['push', '-q', 'origin', 'main']),
  };
}
