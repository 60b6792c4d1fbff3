// The adapters a service is given (STYLE habit 4): small fakes passed as arguments show what the service
// decides on its own, with no network, browser or process behind them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Apps } from '../../src/adapters/apps.js';
import type { Clock } from '../../src/adapters/clock.js';
import { createGit } from '../../src/adapters/git.js';
import type { GitHub } from '../../src/adapters/github.js';
import { mergeConfig } from '../../src/config.js';
import { ExitCode, VerigapError } from '../../src/errors.js';
import { commentAffected } from '../../src/services/affected-comment.js';
import type { Repo } from '../../src/services/repo.js';
import { stage } from '../../src/services/stages.js';
import { startAppUnlessListening } from '../../src/services/working-tree-app.js';
import type { StageEvent } from '../../src/core/stages.js';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';

afterAll(() => removeTempDirs());

/** A clock that moves only when the test says so. */
function steppedClock(start: number): Clock & { advance(ms: number): void } {
  let at = start;
  return { now: () => at, elapsed: () => at - start, advance: (ms) => (at += ms) };
}

/** GitHub that records the comments it was asked to write. */
function recordingGitHub() {
  const comments: { repo: string; issue: number; marker: string; body: string }[] = [];
  const github: GitHub = {
    upsertPullRequest: async () => {
      throw new Error('not asked for in these tests');
    },
    upsertMarkedComment: async (options, issue, marker, body) => {
      comments.push({ repo: options.repo, issue, marker, body });
      return { url: `https://github.example/${options.repo}/pull/${issue}#comment`, id: 1, created: true };
    },
  };
  return { github, comments };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof VerigapError ? error.exitCode : String(error)),
  );

describe('stage() times a stage by the clock it is given', () => {
  it('records how long the work took on that clock and tells the listener', async () => {
    const clock = steppedClock(Date.parse('2026-12-01T10:00:00Z'));
    const events: StageEvent[] = [];
    const timings = {};
    const value = await stage('generate', { listener: (e) => events.push(e), timings, clock }, async () => {
      clock.advance(1_250);
      return { value: 42, detail: 'steps from the incident' };
    });
    expect(value).toBe(42);
    expect(timings).toEqual({ generate: 1_250 });
    expect(events).toEqual([
      { stage: 'generate', status: 'start' },
      { stage: 'generate', status: 'done', ms: 1_250, detail: 'steps from the incident' },
    ]);
  });

  it('a stage that throws is reported failed with its first line, and the time it took', async () => {
    const clock = steppedClock(0);
    const events: StageEvent[] = [];
    const timings = {};
    const failing = stage('run', { listener: (e) => events.push(e), timings, clock }, async () => {
      clock.advance(300);
      throw new Error('the app at http://127.0.0.1:9 does not answer\nstack…');
    });
    await expect(failing).rejects.toThrow('does not answer');
    expect(timings).toEqual({ run: 300 });
    expect(events.at(-1)).toEqual({
      stage: 'run',
      status: 'failed',
      ms: 300,
      detail: 'the app at http://127.0.0.1:9 does not answer',
    });
  });
});

describe('commentAffected writes through the GitHub it is given', () => {
  const target = (dir: string, env: NodeJS.ProcessEnv, pr?: number) => ({
    git: createGit(dir),
    config: mergeConfig({}, env),
    env,
    pr,
  });

  it('comments on the repository origin names and the pull request the event names', async () => {
    const repo = TestRepo.create();
    repo.git('remote', 'add', 'origin', 'git@github.com:acme/shop.git');
    const event = join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 17 } }));
    const { github, comments } = recordingGitHub();
    const env = { GITHUB_TOKEN: 'token-from-the-environment', GITHUB_EVENT_PATH: event };
    const written = await commentAffected(
      { ...target(repo.dir, env), github },
      'the check',
      '<!-- verigap:affected -->',
    );
    expect(written.created).toBe(true);
    expect(comments).toEqual([
      { repo: 'acme/shop', issue: 17, marker: '<!-- verigap:affected -->', body: 'the check' },
    ]);
  });

  it('without a token nothing reaches GitHub and the exit code says the outside world is missing', async () => {
    const repo = TestRepo.create();
    repo.git('remote', 'add', 'origin', 'https://github.com/acme/shop');
    const { github, comments } = recordingGitHub();
    const code = await codeOf(commentAffected({ ...target(repo.dir, {}, 3), github }, 'the check', 'marker'));
    expect(code).toBe(ExitCode.outside);
    expect(comments).toEqual([]);
  });
});

describe('startAppUnlessListening asks the apps adapter it is given', () => {
  /** Apps whose app answers or not, as the test says, and that records what it was asked to start. */
  function fakeApps(answers: boolean) {
    const started: string[] = [];
    const apps: Apps = {
      listening: async () => answers,
      freePort: async () => 4_000,
      start: async (options) => {
        started.push(`${options.command} in ${options.cwd}, ready at ${options.ready}`);
        return { stop: async () => undefined } as Awaited<ReturnType<Apps['start']>>;
      },
    };
    return { apps, started };
  }
  const repoWith = (serve: string | undefined) =>
    ({
      root: '/checkout',
      config: { ...mergeConfig({}, {}), baseURL: 'http://127.0.0.1:3000', serve, ready: undefined },
    }) as unknown as Repo;

  it('starts nothing when something already answers at baseURL', async () => {
    const { apps, started } = fakeApps(true);
    expect(await startAppUnlessListening(repoWith('npm start'), { env: {}, apps })).toBeUndefined();
    expect(started).toEqual([]);
  });

  it('starts `serve:` in the checkout when nothing answers, waiting on baseURL', async () => {
    const { apps, started } = fakeApps(false);
    expect(await startAppUnlessListening(repoWith('npm start'), { env: {}, apps })).toBeDefined();
    expect(started).toEqual(['npm start in /checkout, ready at http://127.0.0.1:3000']);
  });

  it('without `serve:` it says what to do, exit 1, and starts nothing', async () => {
    const { apps, started } = fakeApps(false);
    const failed = startAppUnlessListening(repoWith(undefined), { env: {}, apps });
    await expect(failed).rejects.toThrow('does not answer and verigap.yaml has no `serve:`');
    expect(await codeOf(failed)).toBe(ExitCode.gateFailed);
    expect(started).toEqual([]);
  });
});
