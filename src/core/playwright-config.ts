/**
 * The Playwright config a regression test runs under: the team's own config (its `use` and the setup
 * projects its main project depends on) when there is one, with verigap's spec, baseURL per revision,
 * reporter and timeouts. Pure: it runs inside the Playwright process, which loads the team's config.
 */

type Use = Record<string, unknown>;

export interface TeamProject {
  name?: string;
  teardown?: string;
  testDir?: string;
  testMatch?: unknown;
  dependencies?: string[];
  use?: Use;
  [key: string]: unknown;
}

export interface TeamConfig {
  testDir?: string;
  timeout?: number;
  expect?: { timeout?: number; [key: string]: unknown };
  use?: Use;
  globalSetup?: string | string[];
  projects?: TeamProject[];
  [key: string]: unknown;
}

export interface RunPlan {
  /** The folder of the team's config: its relative testDir and globalSetup resolve from it. */
  teamDir: string;
  /** `playwright.project` of verigap.yaml; default: the first project that is not a setup project. */
  project?: string | undefined;
  specDir: string;
  specMatch: string;
  /**
   * One side for a run; two for a proof of both revisions at once. Their names are neutral: they tell the test
   * nothing. `proxy`: the side's browser contexts go through it (verigap's guard of origins, on the network).
   */
  sides: { name: string; baseURL: string; proxy?: string }[];
  repeat: number;
  workers: number;
  timeoutMs: number;
  outputDir: string;
  reportFile: string;
  /** verigap's runner-side reporter (expect() calls run, the deadline) and its options. */
  watch?: { reporter: string; options: Record<string, unknown> };
  gate: string;
  /** How the browser is reached: a shared browser server, or the executable to launch. */
  browser:
    | { connectOptions: { wsEndpoint: string } }
    | { launchOptions: { executablePath: string; args: string[] } }
    | Record<string, never>;
}

/** A project other projects depend on or tear down with, or one named or matched like a setup or teardown project. */
export function isSetupProject(project: TeamProject, all: readonly TeamProject[]): boolean {
  if (all.some((other) => other.dependencies?.includes(project.name ?? '') || other.teardown === project.name))
    return true;
  return /setup|teardown/i.test(project.name ?? '') || /setup|teardown/i.test(String(project.testMatch ?? ''));
}

/** The project regression tests run as, and the setup projects it needs (dependencies first). */
export function mainProject(config: TeamConfig, wanted?: string): { main: TeamProject; setup: TeamProject[] } {
  const projects = config.projects ?? [];
  const main = wanted ? projects.find((p) => p.name === wanted) : projects.find((p) => !isSetupProject(p, projects));
  if (wanted && !main)
    throw new Error(
      `playwright.project "${wanted}" is not a project of the team's config (it has: ${projects.map((p) => p.name).join(', ') || 'none'})`,
    );
  const setup: TeamProject[] = [];
  const visit = (names: readonly string[] = []) => {
    for (const name of names) {
      const project = projects.find((p) => p.name === name);
      if (!project || setup.includes(project)) continue;
      visit(project.dependencies);
      setup.push(project);
    }
  };
  visit(main?.dependencies);
  // a setup project's teardown must be in the config too, or Playwright refuses it
  const teardowns = setup.flatMap((project) =>
    projects.filter((p) => p.name === project.teardown && !setup.includes(p)),
  );
  return { main: main ?? {}, setup: [...setup, ...teardowns] };
}

/** Playwright's config module: `export default`, possibly wrapped once more by CommonJS interop. */
export function unwrapConfig(module: unknown): TeamConfig {
  let value = module as { default?: unknown } | undefined;
  while (value && typeof value === 'object' && 'default' in value && value.default)
    value = value.default as typeof value;
  return (value ?? {}) as TeamConfig;
}

const absolute = (dir: string, path: string) =>
  path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)
    ? path
    : `${dir}/${path}`.replace(/\/\.\//g, '/').replace(/\/\.$/, '');

function browserUse(use: Use | undefined, plan: RunPlan, side: RunPlan['sides'][number]): Use {
  const { baseURL } = side;
  // short action and navigation timeouts: a missing element fails at its step, not at the test's timeout
  // service workers fetch outside the page's routes, where verigap's guard of origins cannot see them
  const merged: Use = {
    actionTimeout: 5_000,
    navigationTimeout: 30_000,
    ...use,
    baseURL,
    trace: 'off',
    browserName: 'chromium',
    serviceWorkers: 'block',
  };
  if (side.proxy) merged.proxy = { server: side.proxy };
  if ('launchOptions' in plan.browser) {
    const theirs = (use?.launchOptions ?? {}) as { args?: string[] };
    merged.launchOptions = {
      ...theirs,
      ...plan.browser.launchOptions,
      args: [...(theirs.args ?? []), ...plan.browser.launchOptions.args],
    };
    delete merged.channel;
  }
  if ('connectOptions' in plan.browser) {
    merged.connectOptions = plan.browser.connectOptions;
    delete merged.channel;
  }
  return merged;
}

/** The config to run: verigap's projects (one per side), each after its own copy of the team's setup projects. */
export function composeConfig(team: TeamConfig | null, plan: RunPlan): Record<string, unknown> {
  const { main, setup } = team ? mainProject(team, plan.project) : { main: {} as TeamProject, setup: [] };
  const suffix = (name: string | undefined, side: string) => (plan.sides.length > 1 ? `${name}@${side}` : `${name}`);
  const projects = plan.sides.flatMap((side) => [
    ...setup.map((project) => ({
      ...project,
      name: suffix(project.name, side.name),
      // signing in once is enough; only the regression test is repeated
      repeatEach: 1,
      testDir: absolute(plan.teamDir, project.testDir ?? team?.testDir ?? '.'),
      dependencies: (project.dependencies ?? []).map((name) => suffix(name, side.name)),
      ...(typeof project.teardown === 'string' ? { teardown: suffix(project.teardown, side.name) } : {}),
      // the team's own sign-in may need its identity provider: their code, not held to the guard
      use: browserUse({ ...team?.use, ...project.use }, plan, { ...side, proxy: undefined }),
    })),
    {
      name: side.name,
      testDir: plan.specDir,
      testMatch: plan.specMatch,
      dependencies: setup
        .filter((p) => main.dependencies?.includes(p.name ?? ''))
        .map((p) => suffix(p.name, side.name)),
      use: browserUse({ ...team?.use, ...main.use }, plan, side),
    },
  ]);
  const theirSetup = team?.globalSetup ? [team.globalSetup].flat().map((file) => absolute(plan.teamDir, file)) : [];
  return {
    ...(team?.use ? { use: team.use } : {}),
    timeout: Math.max(team?.timeout ?? 0, plan.timeoutMs),
    // the team's expect settings, with at least Playwright's default 5 s: repeats run side by side and a busy machine is slower
    expect: { ...team?.expect, timeout: Math.max(team?.expect?.timeout ?? 0, 5_000) },
    retries: 0,
    fullyParallel: true,
    repeatEach: plan.repeat,
    workers: plan.workers,
    outputDir: plan.outputDir,
    // an array only when the team has a global setup too (Playwright before 1.49 takes one file)
    globalSetup: theirSetup.length > 0 ? [plan.gate, ...theirSetup] : plan.gate,
    reporter: [
      ['json', { outputFile: plan.reportFile }],
      ...(plan.watch ? [[plan.watch.reporter, plan.watch.options]] : []),
    ],
    projects,
  };
}
