import { join } from 'node:path';
import { startApp } from '../adapters/app-process.js';
import { prepareRun, type PreparedRun } from '../adapters/playwright-run.js';
import { addWorktree } from '../adapters/worktree.js';
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
}

/** fixed_by as a commit: a SHA, or a PR number / URL found in the indexed subjects. */
async function fixCommit(repo: Repo, incident: Incident): Promise<string> {
  const ref = incident.fixed_by;
  if (!ref) throw new InputError(`${incident.file}: --prove needs fixed_by (the commit or PR that fixed the incident)`, 'add fixed_by: <sha> to the front matter');
  const pr = /(?:^#?|\/pull\/)(\d+)$/.exec(ref)?.[1];
  const sha = pr ? (repo.db.prepare('SELECT sha FROM changes WHERE pr = ? ORDER BY seq DESC LIMIT 1').pluck().get(Number(pr)) as string | undefined) : await repo.git.resolve(ref);
  if (!sha) throw new InputError(`${incident.file}: fixed_by "${ref}" is not a commit or merged PR of this repository`, 'fetch it, or correct fixed_by');
  return sha;
}

/** Starts the app of `commit` in a worktree and runs the spec from the working tree against it. */
async function runAt(repo: Repo, commit: string, specFile: string, pending: Promise<PreparedRun>, env: NodeJS.ProcessEnv): Promise<{ attempts: AttemptResult[]; ms: number }> {
  const started = performance.now();
  const tree = await addWorktree(repo.git, commit);
  try {
    const app = await startApp({ command: repo.config.serve!, cwd: tree.dir, baseURL: repo.config.baseURL, ready: repo.config.ready ?? repo.config.baseURL, env });
    try {
      const run = await (await pending).start();
      if (run.crash) throw new GateError(`Playwright could not run ${specFile}:\n${run.crash}`);
      return { attempts: run.attempts, ms: performance.now() - started };
    } finally {
      await app.stop();
    }
  } finally {
    await tree.remove();
  }
}

/**
 * SPEC §6.6: on the parent of fixed_by every run must fail at the incident assertion; on fixed_by
 * every run must pass. Servers and worktrees are always cleaned up.
 */
export async function proveRegressionTest(repo: Repo, incident: Incident, specFile: string, assertions: readonly IncidentAssertion[], options: { repeat: number; env: NodeJS.ProcessEnv; now: () => number }): Promise<Proof> {
  if (!repo.config.serve) throw new InputError('--prove needs `serve:` in verigap.yaml (how to start the app of a checked-out revision)', 'e.g. serve: npm start');
  const fixed = await fixCommit(repo, incident);
  const before = await repo.git.resolve(`${fixed}^1`);
  if (!before) throw new InputError(`fixed_by ${fixed.slice(0, 7)} has no parent to prove against`);

  const prepare = () => prepareRun({ root: repo.root, specFile: join(repo.root, specFile), baseURL: repo.config.baseURL, repeat: options.repeat, env: options.env });
  // both Playwright processes boot now (~1.3 s each), the second while the first side runs
  const [brokenRun, fixedRun] = [prepare(), prepare()];
  brokenRun.catch(() => undefined);
  fixedRun.catch(() => undefined);
  try {
    return await proveWith(repo, { before, fixed, specFile, assertions, brokenRun, fixedRun, ...options });
  } finally {
    await Promise.all([brokenRun, fixedRun].map((run) => run.then((r) => r.cancel(), () => undefined)));
  }
}

async function proveWith(repo: Repo, o: { before: string; fixed: string; specFile: string; assertions: readonly IncidentAssertion[]; brokenRun: Promise<PreparedRun>; fixedRun: Promise<PreparedRun>; repeat: number; env: NodeJS.ProcessEnv; now: () => number }): Promise<Proof> {
  const { before, fixed, specFile, assertions } = o;
  const broken = await runAt(repo, before, specFile, o.brokenRun, o.env);
  const passedBefore = broken.attempts.filter((a) => a.status === 'passed').length;
  if (passedBefore > 0) {
    throw new GateError(`not proven: the test passed ${passedBefore} of ${broken.attempts.length} time(s) on ${before.slice(0, 7)}, the revision before the fix, so it does not catch the incident. State the outcome the bug broke as the incident assertion.`);
  }
  for (const attempt of broken.attempts) {
    const kind = classifyFailure(attempt, assertions);
    if (kind !== 'assertion') throw new GateError(`not proven: on ${before.slice(0, 7)} (before the fix) the test ${explainFailure(kind, attempt)}`);
  }
  const passing = await runAt(repo, fixed, specFile, o.fixedRun, o.env);
  const failedAfter = passing.attempts.find((a) => a.status !== 'passed');
  if (failedAfter || passing.attempts.length === 0) {
    throw new GateError(`not proven: the test fails on ${fixed.slice(0, 7)} (the fix): ${failedAfter ? explainFailure(classifyFailure(failedAfter, assertions), failedAfter) : 'no run'}`);
  }
  const first = broken.attempts[0]!;
  return {
    fails_on: before, passes_on: fixed, at: new Date(o.now()).toISOString(), repeat: o.repeat,
    failure: first.message.split('\n').find((l) => l.trim())?.trim() ?? '', failed_at_line: first.line,
    before_ms: Math.round(broken.ms), after_ms: Math.round(passing.ms),
  };
}
