import { PortIgnoredError, startApp, type RunningApp } from '../adapters/app-process.js';
import { readText } from '../adapters/fs.js';
import { InterruptedError, interruptedExitCode } from '../adapters/cleanup.js';
import { freePort } from '../adapters/free-port.js';
import {
  prepareRun,
  type PlaywrightInUse,
  type PreparedRun,
  type RunAttempt,
  type SpecRun,
} from '../adapters/playwright-run.js';
import { prepareRevision, type PreparedRevision } from '../adapters/revision.js';
import type { IncidentAssertion } from '../core/code-policy.js';
import { classifyFailure, explainFailure } from '../core/failure.js';
import { redact } from '../core/redact.js';
import type { Incident } from '../core/incident.js';
import { GateError, InputError } from '../errors.js';
import { fixedByCommit } from './fixed-by.js';
import type { Repo } from './repo.js';

/** SPEC §6.6's proof record, as written into the incident's front matter. */
export interface ProofRecord {
  fails_on: string;
  passes_on: string;
  at: string;
  repeat: number;
  failure: string;
  failed_at_line: number | null;
  before_ms: number;
  after_ms: number;
  /** both: two revisions served at once on two ports; one-by-one: one after the other; deployments: two deployed URLs. */
  mode: 'both' | 'one-by-one' | 'deployments';
  before_url?: string;
  after_url?: string;
}

export interface Proof extends ProofRecord {
  /** The whole proof; with both sides at once, each side's time is this too. */
  total_ms: number;
  /** Why the revisions ran one after the other, when they did. */
  one_by_one_because?: string;
  /** Per revision: the node_modules reused from the working tree and what of `setup` ran. */
  setup: { commit: string; reused: string[]; ran: string | null }[];
  /** What verigap's guard stopped on either side: "blocked: navigation to http://127.0.0.1:4000/ (another origin)". */
  blocked: string[];
}

export interface SpecUnderProof {
  specFile: string;
  code: string;
  assertions: readonly IncidentAssertion[];
  /** The incident's outcome, for messages: `step 3, "Expect the URL to contain /checkout"`. */
  outcome?: string | undefined;
  /** A spec a person wrote (`--spec FILE`): trusted like their repository, so not held to the compiler's allowlist. */
  trusted?: boolean;
}

export interface ProveOptions {
  repeat: number;
  env: NodeJS.ProcessEnv;
  now: () => number;
  playwright: PlaywrightInUse;
  /** Prove against two deployments instead of serving worktrees. */
  deployments?: { before: string; after: string } | undefined;
}

type SideName = 'before' | 'fixed';
interface Side {
  name: SideName;
  commit: string;
  baseURL: string;
}
type SideRun = { attempts: RunAttempt[]; ms: number; blocked: string[] };
interface Runs {
  before: SideRun;
  fixed: SideRun;
  mode: ProofRecord['mode'];
  because?: string;
  setup: Proof['setup'];
}

/** fixed_by as a commit: a SHA, or a PR number / URL found in the indexed subjects. */
async function fixCommit(repo: Repo, incident: Incident): Promise<string> {
  const ref = incident.fixed_by;
  if (!ref)
    throw new InputError(
      `${incident.file}: --prove needs fixed_by (the commit or PR that fixed the incident)`,
      'add fixed_by: <sha> to the front matter',
    );
  const sha = await fixedByCommit(repo, ref);
  if (!sha)
    throw new InputError(
      `${incident.file}: fixed_by "${ref}" is not a commit or merged PR of this repository`,
      'fetch it, or correct fixed_by',
    );
  return sha;
}

/** The same URL on another port, written the way it was given (no trailing slash added). */
function withPort(url: string, port: number): string {
  const moved = new URL(url);
  moved.port = String(port);
  return url.endsWith('/') || moved.pathname !== '/' ? moved.href : moved.href.slice(0, -1);
}

/** A team config that signs in (setup projects, a global setup) shares one storage state file between revisions. */
function signsIn(playwright: PlaywrightInUse): boolean {
  return playwright.config !== null && /\b(dependencies|globalSetup)\s*:/.test(readText(playwright.config));
}

/**
 * SPEC §6.6: on the parent of fixed_by every run must fail at the incident assertion; on fixed_by every
 * run must pass. Locally both revisions are served at once (the fix on a second port, one Playwright run
 * with a project per revision), or one after the other when that cannot work; against deployments, the two
 * URLs are judged the same way and nothing is started. Servers, worktrees and configs are always removed.
 */
export async function proveRegressionTest(
  repo: Repo,
  incident: Incident,
  spec: SpecUnderProof,
  options: ProveOptions,
): Promise<Proof> {
  const fixed = await fixCommit(repo, incident);
  const before = await repo.git.resolve(`${fixed}^1`);
  if (!before) throw new InputError(`fixed_by ${fixed.slice(0, 7)} has no parent to prove against`);
  const started = performance.now();
  const runs = options.deployments
    ? await againstDeployments(repo, spec, options, before, fixed, options.deployments)
    : await servedLocally(repo, spec, options, before, fixed);
  judgeBefore(spec, before, runs.before);
  judgeFix(spec, fixed, runs.fixed, options.deployments?.after);
  const first = runs.before.attempts[0]!;
  return {
    fails_on: before,
    passes_on: fixed,
    at: new Date(options.now()).toISOString(),
    repeat: options.repeat,
    // the page's words, recorded in the incident and shown: redacted like everything verigap writes
    failure: redact(
      first.message
        .split('\n')
        .find((l) => l.trim())
        ?.trim() ?? '',
      repo.config.redact,
    ).text,
    failed_at_line: first.line,
    before_ms: Math.round(runs.before.ms),
    after_ms: Math.round(runs.fixed.ms),
    mode: runs.mode,
    ...(options.deployments ? { before_url: options.deployments.before, after_url: options.deployments.after } : {}),
    total_ms: Math.round(performance.now() - started),
    ...(runs.because ? { one_by_one_because: runs.because } : {}),
    setup: runs.setup,
    blocked: [...new Set([...runs.before.blocked, ...runs.fixed.blocked])],
  };
}

/** A result Playwright inverted or skipped (test.fail(), testInfo.fail(), test.skip(), fixme) is not the test's own: no proof. */
function judgeAltered(side: SideRun, commit: string, label: string): void {
  const altered = side.attempts.find((a) => a.altered);
  if (altered) {
    throw new GateError(
      `not proven: on ${commit.slice(0, 7)} (${label}) the test's result is not its own: it is ${altered.altered}. A proof runs the test as written: remove test.fail, testInfo.fail, test.skip and fixme.`,
    );
  }
}

/** Every run on the fix must pass, and must have run each incident assertion (a test that returns early passes without checking). */
function judgeFix(spec: SpecUnderProof, fixed: string, side: SideRun, url: string | undefined): void {
  judgeAltered(side, fixed, 'the fix');
  const failed = side.attempts.find((a) => a.status !== 'passed');
  if (failed || side.attempts.length === 0) {
    throw new GateError(
      `not proven: the test fails on ${fixed.slice(0, 7)} (the fix${url ? `, ${url}` : ''}): ${failed ? explainFailure(classifyFailure(failed, spec.assertions), failed, spec.outcome) : 'no run'}`,
    );
  }
  for (const attempt of side.attempts) {
    const skipped = spec.assertions.find(
      (a) => !attempt.passedExpectLines.some((line) => line >= a.startLine && line <= a.endLine),
    );
    if (skipped) {
      throw new GateError(
        `not proven: on ${fixed.slice(0, 7)} (the fix) the test passed without running its incident assertion at line ${skipped.startLine}: the passing run must check the outcome the bug broke.`,
      );
    }
  }
}

/** Every run before the fix must fail, and at the incident assertion; throws the reason otherwise. */
function judgeBefore(spec: SpecUnderProof, before: string, broken: SideRun): void {
  judgeAltered(broken, before, 'the revision before the fix');
  const passed = broken.attempts.filter((a) => a.status === 'passed').length;
  if (passed > 0) {
    throw new GateError(
      `not proven: the test passed ${passed} of ${broken.attempts.length} time(s) on ${before.slice(0, 7)}, the revision before the fix, so it does not catch the incident. State the outcome the bug broke as the incident assertion${spec.outcome ? ` (now ${spec.outcome})` : ''}.`,
    );
  }
  for (const attempt of broken.attempts) {
    const kind = classifyFailure(attempt, spec.assertions);
    if (kind !== 'assertion')
      throw new GateError(
        `not proven: on ${before.slice(0, 7)} (before the fix) the test ${explainFailure(kind, attempt, spec.outcome)}`,
      );
  }
}

function crashed(run: SpecRun, specFile: string): SpecRun {
  if (run.crash) throw new GateError(`Playwright could not run ${specFile}:\n${run.crash}`);
  return run;
}

const runOf = (repo: Repo, spec: SpecUnderProof, options: ProveOptions, sides: Side[]) => {
  const pending = prepareRun({
    root: repo.root,
    spec: { file: spec.specFile, code: spec.code, trusted: spec.trusted ?? false },
    baseURL: sides[0]!.baseURL,
    sides,
    repeat: options.repeat,
    env: options.env,
    playwright: options.playwright,
    allowedOrigins: repo.config.allowedOrigins,
  });
  pending.catch(() => undefined);
  return pending;
};

async function finish(
  pending: Promise<PreparedRun>,
  spec: SpecUnderProof,
  started: number,
): Promise<(name: SideName) => SideRun> {
  const run = crashed(await (await pending).start(), spec.specFile);
  const ms = performance.now() - started;
  return (name) => ({ attempts: run.attempts.filter((a) => a.project === name), ms, blocked: run.blocked });
}

async function againstDeployments(
  repo: Repo,
  spec: SpecUnderProof,
  options: ProveOptions,
  before: string,
  fixed: string,
  urls: { before: string; after: string },
): Promise<Runs> {
  const sides: Side[] = [
    { name: 'before', commit: before, baseURL: urls.before },
    { name: 'fixed', commit: fixed, baseURL: urls.after },
  ];
  if (signsIn(options.playwright)) {
    const run = (side: Side) =>
      finish(runOf(repo, spec, options, [side]), spec, performance.now()).then((of) => of(side.name));
    const broken = await run(sides[0]!);
    judgeBefore(spec, before, broken);
    return {
      before: broken,
      fixed: await run(sides[1]!),
      mode: 'deployments',
      because: "the team's config signs in once per run",
      setup: [],
    };
  }
  const of = await finish(runOf(repo, spec, options, sides), spec, performance.now());
  return { before: of('before'), fixed: of('fixed'), mode: 'deployments', setup: [] };
}

async function servedLocally(
  repo: Repo,
  spec: SpecUnderProof,
  options: ProveOptions,
  before: string,
  fixed: string,
): Promise<Runs> {
  if (!repo.config.serve)
    throw new InputError(
      '--prove needs `serve:` in verigap.yaml (how to start the app of a checked-out revision), or two deployments: --before-url URL --after-url URL',
      'e.g. serve: npm start',
    );
  const { baseURL } = repo.config;
  const ready = repo.config.ready ?? baseURL;
  const because = spec.code.includes(new URL(baseURL).host)
    ? "the spec names baseURL's host"
    : new URL(ready).origin !== new URL(baseURL).origin
      ? '`ready` is on another origin than baseURL'
      : signsIn(options.playwright)
        ? "the team's config signs in once per run"
        : undefined;
  if (!because) {
    const runs = await bothAtOnce(repo, spec, options, before, fixed);
    if (runs) return runs;
  }
  return oneByOne(
    repo,
    spec,
    options,
    before,
    fixed,
    because ?? 'the app ignores PORT, so a second copy cannot run beside the first',
  );
}

const labels: Record<SideName, string> = { before: 'the revision before the fix', fixed: 'the fix' };

/** Worktrees of both revisions, prepared (setup) side by side; none is left when one fails. */
async function prepareBoth(
  repo: Repo,
  options: ProveOptions,
  sides: Side[],
  deadline: number,
): Promise<PreparedRevision[]> {
  const settled = await Promise.allSettled(
    sides.map((side) =>
      prepareRevision(repo.git, {
        root: repo.root,
        commit: side.commit,
        label: labels[side.name],
        setup: repo.config.setup,
        env: options.env,
        extraEnv: { PORT: new URL(side.baseURL).port, BASE_URL: side.baseURL },
        deadline,
      }),
    ),
  );
  const failed = settled.find((s) => s.status === 'rejected');
  const ready = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed) {
    await Promise.all(ready.map((tree) => tree.remove()));
    throw failed.reason;
  }
  return ready;
}

const setupOf = (trees: PreparedRevision[]) =>
  trees.map((tree) => ({ commit: tree.commit, reused: tree.reused, ran: tree.setupRan }));

/** Starts `serve` in the revision's worktree; readyTimeout counts from before its setup (`deadline`). */
function serve(
  repo: Repo,
  tree: PreparedRevision,
  side: Side,
  options: ProveOptions,
  deadline: number,
): Promise<RunningApp> {
  const timeoutMs = Math.max(1_000, deadline - Date.now());
  const ready = repo.config.ready ?? repo.config.baseURL;
  const port = Number(new URL(side.baseURL).port);
  return startApp({
    command: repo.config.serve!,
    cwd: tree.dir,
    baseURL: side.baseURL,
    ready: withPort(ready, port),
    env: options.env,
    timeoutMs,
    what: `${side.commit.slice(0, 7)} (${labels[side.name]}) in ${tree.dir}`,
    hasSetup: Boolean(repo.config.setup),
    ...(side.baseURL !== repo.config.baseURL ? { portIgnoredAt: ready } : {}),
  });
}

/** Two free ports, neither baseURL's: which port a side got must tell the test nothing about the side. */
async function twoFreePorts(): Promise<[number, number]> {
  const first = await freePort();
  let second = await freePort();
  while (second === first) second = await freePort();
  return [first, second];
}

/** Both revisions served at once, each on a free port; null when an app ignores PORT (it cannot run twice). */
async function bothAtOnce(
  repo: Repo,
  spec: SpecUnderProof,
  options: ProveOptions,
  before: string,
  fixed: string,
): Promise<Runs | null> {
  const started = performance.now();
  const { baseURL } = repo.config;
  const ports = await twoFreePorts();
  const sides: Side[] = [
    { name: 'before', commit: before, baseURL: withPort(baseURL, ports[0]) },
    { name: 'fixed', commit: fixed, baseURL: withPort(baseURL, ports[1]) },
  ];
  const pending = runOf(repo, spec, options, sides);
  const apps: RunningApp[] = [];
  let trees: PreparedRevision[] = [];
  try {
    const deadline = Date.now() + repo.config.readyTimeoutMs;
    trees = await prepareBoth(repo, options, sides, deadline);
    const serving = performance.now();
    try {
      apps.push(await serve(repo, trees[0]!, sides[0]!, options, deadline));
      const firstStart = performance.now() - serving;
      apps.push(await serve(repo, trees[1]!, sides[1]!, options, Date.now() + Math.max(10_000, 3 * firstStart)));
    } catch (error) {
      if (error instanceof InterruptedError || interruptedExitCode() !== undefined) throw error;
      // an app that ignores PORT cannot run twice: prove one revision after the other instead
      if (error instanceof PortIgnoredError || apps.length === 1) return null;
      throw error;
    }
    const of = await finish(pending, spec, started);
    return { before: of('before'), fixed: of('fixed'), mode: 'both', setup: setupOf(trees) };
  } finally {
    await pending.then(
      (run) => run.cancel(),
      () => undefined,
    );
    await Promise.all(apps.map((app) => app.stop()));
    await Promise.all(trees.map((tree) => tree.remove()));
  }
}

/** One revision after the other, each on baseURL's port; the second Playwright boots while the first side runs. */
async function oneByOne(
  repo: Repo,
  spec: SpecUnderProof,
  options: ProveOptions,
  before: string,
  fixed: string,
  because: string,
): Promise<Runs> {
  const { baseURL } = repo.config;
  const sides: Side[] = [
    { name: 'before', commit: before, baseURL },
    { name: 'fixed', commit: fixed, baseURL },
  ];
  const pending = sides.map((side) => runOf(repo, spec, options, [side]));
  const setup: Proof['setup'] = [];
  const runAt = async (index: number): Promise<SideRun> => {
    const started = performance.now();
    const deadline = Date.now() + repo.config.readyTimeoutMs;
    const [tree] = await prepareBoth(repo, options, [sides[index]!], deadline);
    setup.push(...setupOf([tree!]));
    try {
      const app = await serve(repo, tree!, sides[index]!, options, deadline);
      try {
        return (await finish(pending[index]!, spec, started))(sides[index]!.name);
      } finally {
        await app.stop();
      }
    } finally {
      await tree!.remove();
    }
  };
  try {
    const broken = await runAt(0);
    // a test that does not fail right before the fix needs no run on the fix
    judgeBefore(spec, before, broken);
    return { before: broken, fixed: await runAt(1), mode: 'one-by-one', because, setup };
  } finally {
    await Promise.all(
      pending.map((run) =>
        run.then(
          (r) => r.cancel(),
          () => undefined,
        ),
      ),
    );
  }
}
