import { describe, expect, it } from 'vitest';
import {
  composeConfig,
  mainProject,
  unwrapConfig,
  type RunPlan,
  type TeamConfig,
} from '../../src/core/playwright-config.js';

const plan: RunPlan = {
  teamDir: '/repo',
  specDir: '/tmp/run/specs/flows/trial',
  specMatch: 'x.spec.ts',
  sides: [{ name: 'run', baseURL: 'http://127.0.0.1:3000' }],
  repeat: 3,
  workers: 3,
  timeoutMs: 20_000,
  outputDir: '/tmp/run/results',
  reportFile: '/tmp/run/report.json',
  gate: '/tmp/run/gate.mjs',
  browser: { launchOptions: { executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] } },
};

const team: TeamConfig = {
  testDir: './e2e',
  timeout: 45_000,
  use: { trace: 'on-first-retry', locale: 'de-DE' },
  projects: [
    { name: 'db', testMatch: /db\.setup\.ts/, teardown: 'cleanup db' },
    { name: 'cleanup db', testMatch: /db\.teardown\.ts/ },
    { name: 'login', testMatch: /auth\.setup\.ts/, dependencies: ['db'] },
    {
      name: 'chromium',
      use: { storageState: 'playwright/.auth/user.json', channel: 'chrome', launchOptions: { args: ['--lang=de'] } },
      dependencies: ['login'],
    },
    { name: 'admin', use: { storageState: 'playwright/.auth/admin.json' }, dependencies: ['login'] },
  ],
};

describe('the Playwright config a regression test runs under', () => {
  it('takes the first project that is not a setup or teardown project, and its setup projects, dependencies first', () => {
    const { main, setup } = mainProject(team);
    expect(main.name).toBe('chromium');
    expect(setup.map((p) => p.name)).toEqual(['db', 'login', 'cleanup db']);
    expect(mainProject(team, 'admin').main.name).toBe('admin');
    expect(() => mainProject(team, 'firefox')).toThrow(
      /playwright.project "firefox" is not a project of the team's config \(it has: db, cleanup db, login, chromium, admin\)/,
    );
  });

  it("runs the spec with the main project's use, after its setup projects, with baseURL, the browser and short timeouts set", () => {
    const config = composeConfig(team, plan) as {
      projects: Record<string, any>[];
      timeout: number;
      globalSetup: string[];
      use: unknown;
      retries: number;
    };
    expect(config.projects.map((p) => [p.name, p.dependencies, p.teardown])).toEqual([
      ['db', [], 'cleanup db'],
      ['login', ['db'], undefined],
      ['cleanup db', [], undefined],
      ['run', ['login'], undefined],
    ]);
    const run = config.projects[3]!;
    expect(run).toMatchObject({ testDir: plan.specDir, testMatch: 'x.spec.ts' });
    expect(run.use).toMatchObject({
      storageState: 'playwright/.auth/user.json',
      locale: 'de-DE',
      baseURL: 'http://127.0.0.1:3000',
      trace: 'off',
      actionTimeout: 5_000,
      browserName: 'chromium',
    });
    expect(run.use.channel).toBeUndefined();
    expect(run.use.launchOptions).toEqual({ executablePath: '/usr/bin/chromium', args: ['--lang=de', '--no-sandbox'] });
    expect(config.projects[1]!.testDir).toBe('/repo/e2e');
    expect(config.projects[1]!.use.baseURL).toBe('http://127.0.0.1:3000');
    expect(config).toMatchObject({ timeout: 45_000, retries: 0, globalSetup: plan.gate, use: team.use });
  });

  it('gives each side of a proof its own copy of the setup projects', () => {
    const sides = [
      { name: 'before', baseURL: 'http://127.0.0.1:3000' },
      { name: 'fixed', baseURL: 'http://127.0.0.1:4000' },
    ];
    const config = composeConfig(team, { ...plan, sides }) as { projects: Record<string, any>[] };
    expect(config.projects.map((p) => [p.name, p.dependencies, p.use.baseURL])).toEqual([
      ['db@before', [], 'http://127.0.0.1:3000'],
      ['login@before', ['db@before'], 'http://127.0.0.1:3000'],
      ['cleanup db@before', [], 'http://127.0.0.1:3000'],
      ['before', ['login@before'], 'http://127.0.0.1:3000'],
      ['db@fixed', [], 'http://127.0.0.1:4000'],
      ['login@fixed', ['db@fixed'], 'http://127.0.0.1:4000'],
      ['cleanup db@fixed', [], 'http://127.0.0.1:4000'],
      ['fixed', ['login@fixed'], 'http://127.0.0.1:4000'],
    ]);
    expect(config.projects[0]!.teardown).toBe('cleanup db@before');
  });

  it("without a team config, one project per side on verigap's defaults; the team's global setup runs after the gate", () => {
    const config = composeConfig(null, plan) as {
      projects: Record<string, any>[];
      timeout: number;
      globalSetup: string[];
    };
    expect(config.projects).toHaveLength(1);
    expect(config.timeout).toBe(20_000);
    expect(
      (composeConfig({ globalSetup: './global-setup.ts' }, plan) as { globalSetup: string[] }).globalSetup,
    ).toEqual([plan.gate, '/repo/global-setup.ts']);
  });

  it('reads a config module however it was loaded (ESM default, CommonJS interop)', () => {
    expect(unwrapConfig({ default: { testDir: 'a' } })).toEqual({ testDir: 'a' });
    expect(unwrapConfig({ default: { default: { testDir: 'b' } } })).toEqual({ testDir: 'b' });
  });
});
