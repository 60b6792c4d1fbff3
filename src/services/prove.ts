import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type RunningApp } from '../adapters/app-process.js';
import { freePort } from '../adapters/free-port.js';
import { prepareRun, type PreparedRun, type SpecRun } from '../adapters/playwright-run.js';
import { addWorktree, type Worktree } from '../adapters/worktree.js';
import type { IncidentAssertion } from '../core/code-policy.js';
import { classifyFailure, explainFailure, type AttemptResult } from '../core/failure.js';
import type { Incident } from '../core/incident.js';
import { GateError, InputError } from '../errors.js';
import type { Repo } from './repo.js';

export interface Proof {
  fails_on: string;
  passes_on: string;
  at: string;
  repeat: number;
  failure: string;
  failed_at_line: number | null;
  before_ms: number;
  after_ms: number;
  /** The whole proof; with both sides at once, each side's time is this too. */
  total_ms: number;
  /** both: the two revisions ran at once on two ports; one-by-one: one after the other on baseURL's port. */
  mode: 'both' | 'one-by-one';
}

interface ProveOptions { repeat: number; env: NodeJS.ProcessEnv; now: () => number }
interface Sides { before: string; fixed: string; specFile: string; assertions: readonly IncidentAssertion[] }
type SideRun = { attempts: AttemptResult[]; ms: number };

/** fixed_by as a commit: a SHA, or a PR number / URL found in the indexed subjects. */
async function fixCommit(repo: Repo, incident: Incident): Promise<string> {
  const ref = incident.fixed_by;
  if (!ref) throw new InputError(`${incident.file}: --prove needs fixed_by (the commit or PR that fixed the incident)`, 'add fixed_by: <sha> to the front matter');
  const pr = /(?:^#?|\/pull\/)(\d+)$/.exec(ref)?.[1];
  const sha = pr ? (repo.db.prepare('SELECT sha FROM changes WHERE pr = ? ORDER BY seq DESC LIMIT 1').pluck().get(Number(pr)) as string | undefined) : await repo.git.resolve(ref);
  if (!sha) throw new InputError(`${incident.file}: fixed_by "${ref}" is not a commit or merged PR of this repository`, 'fetch it, or correct fixed_by');
  return sha;
}

/** The same URL on another port, written the way it was given (no trailing slash added). */
function withPort(url: string, port: number): string {
  const moved = new URL(url);
  moved.port = String(port);
  return url.endsWith('/') || moved.pathname !== '/' ? moved.href : moved.href.slice(0, -1);
}

/**
 * SPEC §6.6: on the parent of fixed_by every run must fail at the incident assertion; on fixed_by
 * every run must pass. Both revisions run at once, the fix on a second port (serve gets PORT and
 * BASE_URL of that port), in one Playwright run with a project per revision; when the app cannot
 * run on another port, or the spec names baseURL's host itself, they run one after the other.
 * Servers and worktrees are always cleaned up.
 */
export async function proveRegressionTest(repo: Repo, incident: Incident, specFile: string, assertions: readonly IncidentAssertion[], options: ProveOptions): Promise<Proof> {
  if (!repo.config.serve) throw new InputError('--prove needs `serve:` in verigap.yaml (how to start the app of a checked-out revision)', 'e.g. serve: npm start');
  const fixed = await fixCommit(repo, incident);
  const before = await repo.git.resolve(`${fixed}^1`);
  if (!before) throw new InputError(`fixed_by ${fixed.slice(0, 7)} has no parent to prove against`);
  const sides: Sides = { before, fixed, specFile, assertions };

  const { baseURL } = repo.config;
  const ready = repo.config.ready ?? baseURL;
  const absolute = readFileSync(join(repo.root, specFile), 'utf8').includes(new URL(baseURL).host);
  if (!absolute && new URL(ready).origin === new URL(baseURL).origin) {
    const runs = await bothAtOnce(repo, sides, options);
    if (runs) return judge(sides, runs.broken, runs.passing, options, 'both');
  }
  return oneByOne(repo, sides, options);
}

/** Every run before the fix must fail, and at the incident assertion; throws the reason otherwise. */
function judgeBefore(sides: Sides, broken: SideRun): void {
  const { before, assertions } = sides;
  const passedBefore = broken.attempts.filter((a) => a.status === 'passed').length;
  if (passedBefore > 0) {
    throw new GateError(`not proven: the test passed ${passedBefore} of ${broken.attempts.length} time(s) on ${before.slice(0, 7)}, the revision before the fix, so it does not catch the incident. State the outcome the bug broke as the incident assertion.`);
  }
  for (const attempt of broken.attempts) {
    const kind = classifyFailure(attempt, assertions);
    if (kind !== 'assertion') throw new GateError(`not proven: on ${before.slice(0, 7)} (before the fix) the test ${explainFailure(kind, attempt)}`);
  }
}

function judge(sides: Sides, broken: SideRun, passing: SideRun, options: ProveOptions, mode: Proof['mode']): Proof {
  const { before, fixed, assertions } = sides;
  judgeBefore(sides, broken);
  const failedAfter = passing.attempts.find((a) => a.status !== 'passed');
  if (failedAfter || passing.attempts.length === 0) {
    throw new GateError(`not proven: the test fails on ${fixed.slice(0, 7)} (the fix): ${failedAfter ? explainFailure(classifyFailure(failedAfter, assertions), failedAfter) : 'no run'}`);
  }
  const first = broken.attempts[0]!;
  return {
    fails_on: before, passes_on: fixed, at: new Date(options.now()).toISOString(), repeat: options.repeat,
    failure: first.message.split('\n').find((l) => l.trim())?.trim() ?? '', failed_at_line: first.line,
    before_ms: Math.round(broken.ms), after_ms: Math.round(passing.ms), total_ms: Math.round(mode === 'both' ? broken.ms : broken.ms + passing.ms), mode,
  };
}

function crashed(run: SpecRun, specFile: string): SpecRun {
  if (run.crash) throw new GateError(`Playwright could not run ${specFile}:\n${run.crash}`);
  return run;
}

/** Both revisions served at once; null when the fix's app does not come up on the second port. */
async function bothAtOnce(repo: Repo, sides: Sides, options: ProveOptions): Promise<{ broken: SideRun; passing: SideRun } | null> {
  const started = performance.now();
  const { baseURL } = repo.config;
  const ready = repo.config.ready ?? baseURL;
  const port = await freePort();
  const pending = prepareRun({
    root: repo.root, specFile: join(repo.root, sides.specFile), baseURL, repeat: options.repeat, env: options.env,
    projects: [{ name: 'before', baseURL }, { name: 'fixed', baseURL: withPort(baseURL, port) }],
  });
  pending.catch(() => undefined);
  const trees: Worktree[] = [];
  const apps: RunningApp[] = [];
  try {
    trees.push(...(await Promise.all([addWorktree(repo.git, sides.before), addWorktree(repo.git, sides.fixed)])));
    const serve = repo.config.serve!;
    apps.push(await startApp({ command: serve, cwd: trees[0]!.dir, baseURL, ready, env: options.env }));
    const firstStart = performance.now() - started;
    try {
      apps.push(await startApp({ command: serve, cwd: trees[1]!.dir, baseURL: withPort(baseURL, port), ready: withPort(ready, port), env: options.env, timeoutMs: Math.max(10_000, 3 * firstStart) }));
    } catch {
      // an app that ignores PORT cannot run twice: prove one revision after the other instead
      return null;
    }
    const run = crashed(await (await pending).start(), sides.specFile);
    const ms = performance.now() - started;
    return {
      broken: { attempts: run.attempts.filter((a) => a.project === 'before'), ms },
      passing: { attempts: run.attempts.filter((a) => a.project === 'fixed'), ms },
    };
  } finally {
    await pending.then((run) => run.cancel(), () => undefined);
    await Promise.all(apps.map((app) => app.stop()));
    await Promise.all(trees.map((tree) => tree.remove()));
  }
}

/** One revision after the other, each on baseURL's port; the second Playwright boots while the first side runs. */
async function oneByOne(repo: Repo, sides: Sides, options: ProveOptions): Promise<Proof> {
  const prepare = () => prepareRun({ root: repo.root, specFile: join(repo.root, sides.specFile), baseURL: repo.config.baseURL, repeat: options.repeat, env: options.env });
  const [brokenRun, fixedRun] = [prepare(), prepare()];
  brokenRun.catch(() => undefined);
  fixedRun.catch(() => undefined);
  try {
    const broken = await runAt(repo, sides.before, sides.specFile, brokenRun, options.env);
    // a test that does not fail right before the fix needs no run on the fix
    judgeBefore(sides, broken);
    return judge(sides, broken, await runAt(repo, sides.fixed, sides.specFile, fixedRun, options.env), options, 'one-by-one');
  } finally {
    await Promise.all([brokenRun, fixedRun].map((run) => run.then((r) => r.cancel(), () => undefined)));
  }
}

/** Starts the app of `commit` in a worktree and runs the spec from the working tree against it. */
async function runAt(repo: Repo, commit: string, specFile: string, pending: Promise<PreparedRun>, env: NodeJS.ProcessEnv): Promise<SideRun> {
  const started = performance.now();
  const tree = await addWorktree(repo.git, commit);
  try {
    const app = await startApp({ command: repo.config.serve!, cwd: tree.dir, baseURL: repo.config.baseURL, ready: repo.config.ready ?? repo.config.baseURL, env });
    try {
      const run = crashed(await (await pending).start(), specFile);
      return { attempts: run.attempts, ms: performance.now() - started };
    } finally {
      await app.stop();
    }
  } finally {
    await tree.remove();
  }
}
