import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { commandNotFound } from '../core/setup-plan.js';
import { OutsideError, PortIgnoredError } from '../errors.js';
import { onCleanup, stopIfInterrupted } from './cleanup.js';
import { outputOf, signalGroup } from './process-group.js';
import { teamEnv } from './safe-env.js';

export interface RunningApp {
  stop(): Promise<void>;
  output(): string;
}

/** The HTTP status the URL answers with within a second, or null. */
async function statusOf(url: string): Promise<number | null> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000), redirect: 'manual' })).status;
  } catch {
    return null;
  }
}

/** True when something answers HTTP at the URL within a second, whatever the status (a 404 at / is still an app). */
export async function listening(url: string): Promise<boolean> {
  return (await statusOf(url)) !== null;
}

/** True when the URL answers 2xx/3xx within a second. */
export async function answers(url: string): Promise<boolean> {
  const status = await statusOf(url);
  return status !== null && status < 400;
}

export interface StartOptions {
  command: string;
  cwd: string;
  baseURL: string;
  ready: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** How messages name what is served, e.g. "abc1234 (the fix) in /tmp/…"; default the working tree. */
  what?: string;
  /** Whether `setup:` is configured (the hint for a missing command differs). */
  hasSetup?: boolean;
  /** baseURL's own `ready` when the app is told another port: if it answers there instead, the app ignores PORT. */
  portIgnoredAt?: string;
}

/**
 * Starts `serve` in `cwd` (its own process group, so the whole tree stops) with the team's environment
 * minus verigap's secrets, PORT and BASE_URL set from baseURL, and waits until `ready` answers 2xx.
 */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const port = new URL(options.baseURL).port || (options.baseURL.startsWith('https') ? '443' : '80');
  if (await answers(options.ready)) {
    throw new OutsideError(
      `${options.ready} already answers before verigap started the app`,
      'stop whatever serves baseURL, or point baseURL at a free port, so the revision under test is what answers',
    );
  }
  // something else answering there already says nothing about this app
  const elsewhere =
    options.portIgnoredAt && !(await listening(options.portIgnoredAt)) ? options.portIgnoredAt : undefined;
  stopIfInterrupted();
  const child = spawn('sh', ['-c', options.command], {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: teamEnv(options.env, { PORT: port, BASE_URL: options.baseURL }),
  });
  const output = outputOf(child);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = onCleanup(async () => {
    if (exited || !signalGroup(child, 'SIGTERM')) return;
    const killed = await Promise.race([exit.then(() => true), sleep(3000).then(() => false)]);
    if (!killed) {
      signalGroup(child, 'SIGKILL');
      await exit;
    }
  });
  const deadline = Date.now() + options.timeoutMs;
  const what = options.what ?? 'the working tree';
  for (
    let status = await statusOf(options.ready);
    status === null || status >= 400;
    status = await statusOf(options.ready)
  ) {
    if (exited) {
      await stop();
      const missing = commandNotFound(child.exitCode, output.text());
      const hint =
        missing && !options.hasSetup
          ? 'a checked-out revision has none of your ignored files (node_modules, builds): set `setup:` in verigap.yaml to prepare it, e.g. setup: npm ci && npm run build'
          : 'check `serve:` in verigap.yaml; it runs with PORT and BASE_URL set';
      throw new OutsideError(
        `serve \`${options.command}\` exited (${child.exitCode}) before ${options.ready} answered, serving ${what}:\n${output.tail()}`,
        hint,
      );
    }
    if (elsewhere && (await answers(elsewhere))) {
      await stop();
      throw new PortIgnoredError(
        `serve \`${options.command}\` answered at ${elsewhere}, not on PORT ${port}, serving ${what}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      const answered = status === null ? 'did not answer' : `answered ${status}, not 2xx,`;
      throw new OutsideError(
        `${options.ready} ${answered} within ${Math.round(options.timeoutMs / 1000)} s of serve \`${options.command}\`, serving ${what}`,
        'check `serve:` and `ready:` in verigap.yaml (ready: a URL that answers 2xx once the app is up), or raise readyTimeout: (default 2m)',
      );
    }
    await sleep(100);
  }
  return { stop, output: output.text };
}
