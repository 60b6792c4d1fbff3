import { afterAll, describe, expect, it } from 'vitest';
import { countByFlowAndIncident, parsePlaywrightReport, reportedTests } from '../../src/core/playwright-report.js';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const spec = (title: string, file: string, status = 'expected') => ({
  title,
  file,
  tags: [],
  tests: [{ status, projectName: 'chromium' }],
});

function reportOf(suites: unknown[], stats: Record<string, unknown> = {}, rootDir = '/ci') {
  return { config: { rootDir }, suites, stats: { startTime: '2026-11-20T17:00:00.000Z', duration: 60_000, ...stats } };
}

/** A suite tree `depth` levels deep with one spec at the bottom. */
function deepSuites(depth: number, file: string) {
  let suite: Record<string, unknown> = { title: 'bottom', specs: [spec('adds to cart @flow:checkout', file)] };
  for (let level = 0; level < depth; level++) suite = { title: `level ${level}`, suites: [suite] };
  return [{ title: file, file, suites: [suite] }];
}

describe('Playwright JSON reports: deep trees are read, absurd numbers refused', () => {
  it('a suite tree 1,000 (and 100,000) levels deep is validated and flattened without recursion', () => {
    for (const depth of [1_000, 100_000]) {
      const parsed = parsePlaywrightReport(reportOf(deepSuites(depth, 'flows/checkout/cart.spec.ts')));
      if (!parsed.ok) throw new Error(parsed.reason);
      const tests = reportedTests(parsed.report);
      expect(tests).toHaveLength(1);
      expect(tests[0]!.tags).toEqual(['@flow:checkout']);
      expect(tests[0]!.title.endsWith('level 0 › bottom › adds to cart @flow:checkout')).toBe(true);
    }
  });

  it('names the path of a bad suite deep in the tree, without printing 1,000 levels', () => {
    const suites = deepSuites(1_000, 'a.spec.ts');
    let bottom = suites[0] as { suites?: Record<string, unknown>[] };
    while (bottom.suites?.[0]?.suites) bottom = bottom.suites[0] as typeof bottom;
    bottom.suites![0]!.title = 42;
    const parsed = parsePlaywrightReport(reportOf(suites));
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringContaining('string') });
    if (parsed.ok) return;
    expect(parsed.path).toMatch(/^suites\.0\.suites\.0\.suites\.0\.…\(\d+ levels\)….*\.title$/);
    expect(parsed.path.length).toBeLessThan(120);
  });

  it('refuses a duration of 1e308, a negative one and a start time that is not a time', () => {
    expect(parsePlaywrightReport(reportOf([], { duration: 1e308 }))).toEqual({
      ok: false,
      path: 'stats.duration',
      reason: 'is not the length of a run: at most 2592000000 ms (30 days)',
    });
    expect(parsePlaywrightReport(reportOf([], { duration: -1 }))).toMatchObject({ ok: false, path: 'stats.duration' });
    expect(parsePlaywrightReport(reportOf([], { startTime: '2023-02-29T00:00:00Z' }))).toMatchObject({
      ok: false,
      path: 'stats.startTime',
    });
  });

  it('counts flows named like Object.prototype members (constructor, __proto__, toString) like any other', () => {
    const tests = [
      { file: 'flows/constructor/a.spec.ts', title: 'a', tags: [], outcome: 'passed' as const },
      {
        file: 'x.spec.ts',
        title: 'b',
        tags: ['@flow:__proto__', '@flow:toString', '@incident:constructor'],
        outcome: 'failed' as const,
      },
    ];
    const { flows, incidents } = countByFlowAndIncident(tests, (file) =>
      file.startsWith('flows/constructor/') ? ['constructor'] : [],
    );
    // entries, not an object literal: `{ __proto__: … }` in a literal sets the prototype
    expect(Object.entries(JSON.parse(JSON.stringify(flows)) as object)).toEqual([
      ['constructor', { passed: 1, failed: 0, flaky: 0, skipped: 0 }],
      ['__proto__', { passed: 0, failed: 1, flaky: 0, skipped: 0 }],
      ['toString', { passed: 0, failed: 1, flaky: 0, skipped: 0 }],
    ]);
    expect(Object.keys(incidents)).toEqual(['constructor']);
  });
});

describe('verify ingest through the CLI', () => {
  const setUp = () => {
    const repo = TestRepo.create();
    const head = repo.commit('chore: start', {
      'flows/constructor/flow.yaml': 'name: Builds a cart\npaths: [src/cart/**]\n',
      'flows/constructor/cart.spec.ts': "import { test } from '@playwright/test';\ntest('builds', async () => {});\n",
      'src/cart/index.ts': 'export {};\n',
    });
    return { repo, head };
  };

  it('a duration of 1e308 ends in exit 2 naming the file, the key and the fix', () => {
    const { repo, head } = setUp();
    repo.write({ 'results.json': JSON.stringify(reportOf([], { duration: 1e308 }, repo.dir)) });
    const result = repo.verigap(['verify', 'ingest', 'results.json', '--commit', head]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'results.json: not a Playwright JSON report (stats.duration: is not the length of a run: at most 2592000000 ms (30 days))',
    );
    expect(result.stderr).toContain("reporter: [['json', { outputFile: 'results.json' }]]");
  });

  it('a report nested 1,000 suites deep is ingested, and a flow named constructor keeps its tests', () => {
    const { repo, head } = setUp();
    const suites = [
      ...deepSuites(1_000, 'flows/constructor/cart.spec.ts'),
      {
        title: 'flows/constructor/cart.spec.ts',
        file: 'flows/constructor/cart.spec.ts',
        specs: [spec('builds', 'flows/constructor/cart.spec.ts')],
      },
    ];
    repo.write({ 'results.json': JSON.stringify(reportOf(suites, {}, repo.dir)) });
    const run = repo.verigapJson<{ tests: number; flows: Record<string, { passed: number }> }>([
      'verify',
      'ingest',
      'results.json',
      '--commit',
      head,
      '--env',
      'production',
    ]);
    expect(run.tests).toBe(2);
    expect(run.flows.constructor).toEqual({ passed: 2, failed: 0, flaky: 0, skipped: 0 });
    const flows = repo.verigapJson<{ flows: { id: string; last_verified_at: string | null }[] }>(['flows', 'list']);
    expect(flows.flows.find((flow) => flow.id === 'constructor')?.last_verified_at).not.toBeNull();
  });
});
