// How the two sides of a fix are run: against two deployments, or served from worktrees at once or one by one.
import type { RunningApp } from '../adapters/app-process.js';
import { readText } from '../adapters/fs.js';
import { InterruptedError, interruptedExitCode } from '../adapters/cleanup.js';
import type { PlaywrightInUse, PreparedRun, RunAttempt, SpecRun } from '../adapters/playwright-run.js';
import { prepareRevision, type PreparedRevision } from '../adapters/revision.js';
import { GateError, InputError, PortIgnoredError } from '../errors.js';
import type { Repo } from './repo.js';
import type { Proof, ProofRecord, ProveOptions, SpecUnderProof } from './prove.js';
import { judgeBefore } from './prove-verdict.js';

export type SideName = 'before' | 'fixed';
export interface Side {
  name: SideName;
  commit: string;
  baseURL: string;
}
export type SideRun = { attempts: RunAttempt[]; ms: number; blocked: string[] };
export interface Runs {
  before: SideRun;
  fixed: SideRun;
  mode: ProofRecord['mode'];
  because?: string;
  setup: Proof['setup'];
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

function crashed(run: SpecRun, specFile: string): SpecRun {
  if (run.crash) throw new GateError(`Playwright could not run ${specFile}:\n${run.crash}`);
  return run;
}

const runOf = (repo: Repo, spec: SpecUnderProof, options: ProveOptions, sides: Side[]) => {
  const pending = options.browser.prepareRun({
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
  { clock }: ProveOptions,
  started: number,
): Promise<(name: SideName) => SideRun> {
  const run = crashed(await (await pending).start(), spec.specFile);
  const ms = clock.elapsed() - started;
  return (name) => ({ attempts: run.attempts.filter((a) => a.project === name), ms, blocked: run.blocked });
}

export async function againstDeployments(
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
      finish(runOf(repo, spec, options, [side]), spec, options, options.clock.elapsed()).then((of) => of(side.name));
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
  const of = await finish(runOf(repo, spec, options, sides), spec, options, options.clock.elapsed());
  return { before: of('before'), fixed: of('fixed'), mode: 'deployments', setup: [] };
}

export async function servedLocally(
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
  const timeoutMs = Math.max(1_000, deadline - options.clock.now());
  const ready = repo.config.ready ?? repo.config.baseURL;
  const port = Number(new URL(side.baseURL).port);
  return options.apps.start({
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
async function twoFreePorts({ freePort }: ProveOptions['apps']): Promise<[number, number]> {
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
  const started = options.clock.elapsed();
  const { baseURL } = repo.config;
  const ports = await twoFreePorts(options.apps);
  const sides: Side[] = [
    { name: 'before', commit: before, baseURL: withPort(baseURL, ports[0]) },
    { name: 'fixed', commit: fixed, baseURL: withPort(baseURL, ports[1]) },
  ];
  const pending = runOf(repo, spec, options, sides);
  const apps: RunningApp[] = [];
  let trees: PreparedRevision[] = [];
  try {
    const deadline = options.clock.now() + repo.config.readyTimeoutMs;
    trees = await prepareBoth(repo, options, sides, deadline);
    const serving = options.clock.elapsed();
    try {
      apps.push(await serve(repo, trees[0]!, sides[0]!, options, deadline));
      const firstStart = options.clock.elapsed() - serving;
      apps.push(
        await serve(repo, trees[1]!, sides[1]!, options, options.clock.now() + Math.max(10_000, 3 * firstStart)),
      );
    } catch (error) {
      if (error instanceof InterruptedError || interruptedExitCode() !== undefined) throw error;
      // an app that ignores PORT cannot run twice: prove one revision after the other instead
      if (error instanceof PortIgnoredError || apps.length === 1) return null;
      throw error;
    }
    const of = await finish(pending, spec, options, started);
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
    const started = options.clock.elapsed();
    const deadline = options.clock.now() + repo.config.readyTimeoutMs;
    const [tree] = await prepareBoth(repo, options, [sides[index]!], deadline);
    setup.push(...setupOf([tree!]));
    try {
      const app = await serve(repo, tree!, sides[index]!, options, deadline);
      try {
        return (await finish(pending[index]!, spec, options, started))(sides[index]!.name);
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
