import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { startTestApp, type TestApp } from '../helpers/app-server.js';
import { addPlaywrightConfig, runPlaywright } from '../helpers/playwright-project.js';

let app: TestApp;
let repo: TestRepo;
let origin: string;
let featureSha: string;

const spec = (
  title: string,
  path: string,
  heading: string,
  options = '',
) => `import { test, expect } from '@playwright/test';
test(${JSON.stringify(title)}${options}, async ({ page }) => {
  await page.goto(${JSON.stringify(path)});
  await expect(page.getByRole('heading', { name: ${JSON.stringify(heading)} })).toBeVisible({ timeout: 2000 });
});
`;

beforeAll(async () => {
  app = await startTestApp();
  origin = tempDir();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  repo = TestRepo.create();
  addPlaywrightConfig(repo);
  repo.commit(
    'chore: start',
    {
      'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n',
      'flows/login/flow.yaml': 'name: Log in\ncriticality: trust\npaths: [src/auth/**]\n',
      'flows/search/flow.yaml': 'name: Search\ncriticality: activation\npaths: [src/search/**]\n',
    },
    '2026-11-16T08:00:00Z',
  );
  featureSha = repo.commit(
    'feat(billing): trial from pricing (#1)',
    {
      'src/billing/trial.ts': 'export {}',
      'flows/trial/trial.spec.ts': spec('visitor reaches pricing', '/pricing', 'Pricing'),
      'flows/trial/checkout.spec.ts': spec('trial reaches checkout', '/checkout', 'Checkout'),
    },
    '2026-11-17T09:00:00Z',
  );
  repo.commit(
    'feat(auth): new login (#2)',
    { 'src/auth/login.ts': 'export {}', 'flows/login/login.spec.ts': spec('user signs in', '/login', 'Welcome back') },
    '2026-11-17T10:00:00Z',
  );
  repo.commit(
    'feat(search): results (#3)',
    {
      'src/search/index.ts': 'export {}',
      'e2e/search.spec.ts': spec('search shows results', '/search', 'Results', ", { tag: '@flow:search' }"),
    },
    '2026-11-17T11:00:00Z',
  );
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');
}, 60_000);

afterAll(async () => {
  await app?.close();
  removeTempDirs();
});

describe('verify ingest with real Playwright reports', () => {
  it('records pass, fail and flaky-with-retries per flow, as a Git note on the deployed commit', async () => {
    const code = await runPlaywright(repo, ['test', '--reporter=json'], {
      BASE_URL: app.url,
      RETRIES: '1',
      PLAYWRIGHT_JSON_OUTPUT_NAME: 'full.json',
    });
    expect(code).toBe(1);
    const result = repo.verigap([
      '--json',
      'verify',
      'ingest',
      'full.json',
      '--commit',
      repo.head(),
      '--env',
      'production',
      '--at',
      '2026-11-17T15:00:00Z',
      '--push',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run.flows).toEqual({
      trial: { passed: 2, failed: 0, flaky: 0, skipped: 0 },
      login: { passed: 0, failed: 1, flaky: 0, skipped: 0 },
      search: { passed: 0, failed: 0, flaky: 1, skipped: 0 },
    });
    expect(run.pushed).toBe(true);
    expect(repo.git('notes', '--ref=verigap', 'show', repo.head())).toContain('"env":"production"');
    expect(
      execFileSync('git', ['--git-dir', origin, 'rev-parse', 'refs/notes/verigap'], { encoding: 'utf8' }).trim(),
    ).toBe(repo.head('refs/notes/verigap'));
  });

  it('sharded runs merged with merge-reports count the same as one run', async () => {
    for (const shard of ['1/2', '2/2'])
      await runPlaywright(repo, ['test', `--shard=${shard}`, '--reporter=blob'], {
        BASE_URL: app.url,
        RETRIES: '1',
        PLAYWRIGHT_BLOB_OUTPUT_FILE: `blob-report/shard-${shard.replace('/', '-')}.zip`,
      });
    execFileSync(
      process.execPath,
      [join(repo.dir, 'node_modules/@playwright/test/cli.js'), 'merge-reports', '--reporter=json', 'blob-report'],
      {
        cwd: repo.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: 'merged.json' },
      },
    );
    const merged = repo.verigapJson([
      'verify',
      'ingest',
      'merged.json',
      '--commit',
      repo.head(),
      '--env',
      'staging',
      '--at',
      '2026-11-17T16:00:00Z',
    ]);
    const full = repo.verigapJson([
      'verify',
      'ingest',
      'full.json',
      '--commit',
      repo.head(),
      '--env',
      'staging',
      '--at',
      '2026-11-17T16:30:00Z',
    ]);
    expect(merged.flows).toEqual(full.flows);
    expect(merged.tests).toBe(4);
  });

  it('several runs on one commit all survive, also when six ingests race @incident:2026-11-22-concurrent-ingests-lost-runs', async () => {
    const { spawn } = await import('node:child_process');
    const { cliPath } = await import('../helpers/git-repo.js');
    const ingest = (at: string) =>
      new Promise<number | null>((resolve) => {
        spawn(
          process.execPath,
          [cliPath, 'verify', 'ingest', 'full.json', '--commit', featureSha, '--env', 'production', '--at', at],
          { cwd: repo.dir, stdio: 'ignore' },
        ).on('close', resolve);
      });
    // git notes append does not check the ref it replaces: without verigap's lock, racing appends lose runs
    const times = ['12:00', '12:10', '12:20', '12:30', '12:40', '13:00'].map((t) => `2026-11-17T${t}:00Z`);
    expect(await Promise.all(times.map(ingest))).toEqual([0, 0, 0, 0, 0, 0]);
    const note = repo.git('notes', '--ref=verigap', 'show', featureSha);
    expect(note.split('\n').filter((line) => line.startsWith('{'))).toHaveLength(6);
    expect(
      repo.verigap(['verify', 'ingest', 'full.json', '--commit', featureSha, '--push', '--at', '2026-11-17T13:30:00Z'])
        .code,
    ).toBe(0);
  });

  it('a fresh clone that fetches refs/notes/verigap reproduces the report exactly', () => {
    const week = ['report', '--week', '2026-W47', '--format', 'json'];
    const here = repo.verigapJson(week);
    expect(here.features).toMatchObject({
      total: 3,
      mapped: 3,
      verified: 2,
      covered: 1,
      uncovered: 0,
      coverage_share: 1,
      verified_share: 2 / 3,
    });
    // trial: merged 09:00, first production pass at 12:00 on its own commit → 3 h; search: 11:00 → 15:00 → 4 h
    expect(here.merge_to_verification).toMatchObject({ count: 2, p50_hours: 3, p90_hours: 4 });
    const clone = new TestRepo(join(tempDir(), 'clone'));
    execFileSync('git', ['clone', '-q', origin, clone.dir]);
    execFileSync('git', ['fetch', '-q', 'origin', 'refs/notes/verigap:refs/notes/verigap'], { cwd: clone.dir });
    expect(clone.verigapJson(week)).toEqual(here);
  });

  it("without --commit it uses the report's gitCommit and says so", () => {
    const result = repo.verigap(['verify', 'ingest', 'full.json', '--env', 'staging']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/no --commit: using the report's metadata.gitCommit [0-9a-f]{7}/);
  });

  it('bad input: not a report, a missing commit, an unknown env, an empty window — and nothing written', () => {
    const notesBefore = repo.head('refs/notes/verigap');
    repo.write({ 'junk.json': '{"hello": 1}', 'broken.json': '{' });
    const notReport = repo.verigap(['verify', 'ingest', 'junk.json', '--commit', repo.head()]);
    expect([notReport.code, notReport.stderr]).toEqual([
      2,
      expect.stringMatching(/junk\.json: not a Playwright JSON report/),
    ]);
    expect(repo.verigap(['verify', 'ingest', 'broken.json', '--commit', repo.head()]).stderr).toMatch(
      /broken\.json: not JSON/,
    );
    const missing = repo.verigap(['verify', 'ingest', 'full.json', '--commit', 'deadbeefdeadbeef']);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringMatching(/commit deadbeefdeadbeef does not exist/),
    ]);
    const env = repo.verigap(['verify', 'ingest', 'full.json', '--commit', repo.head(), '--env', 'prod']);
    expect([env.code, env.stderr]).toEqual([
      2,
      expect.stringMatching(/unknown env "prod"; known: production, staging/),
    ]);
    const empty = repo.verigap(['report', '--since', '2026-11-20', '--until', '2026-11-20']);
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringMatching(/the window is empty/)]);
    const several = repo.verigap(['report', '--week', '2026-W47', '--format', 'md,html']);
    expect([several.code, several.stderr]).toEqual([
      2,
      expect.stringMatching(/--format md,html makes 2 files: add --out reports\//),
    ]);
    expect(repo.verigap(['report', '--week', '2026-W47', '--format', 'html']).stdout).toMatch(/^<!doctype html>/);
    expect(repo.head('refs/notes/verigap')).toBe(notesBefore);
  });

  it('report files, gates and the job summary', () => {
    const summary = join(tempDir(), 'summary.md');
    const result = repo.verigap(
      [
        'report',
        '--week',
        '2026-W47',
        '--format',
        'md,json,html',
        '--out',
        'reports',
        '--fail-under',
        'coverage=0.5,verified=0.9',
      ],
      { GITHUB_STEP_SUMMARY: summary },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('gate verified failed: actual 0.667 vs threshold 0.9');
    const json = JSON.parse(repo.read('reports/2026-W47.json'));
    expect(json.gates).toEqual([
      { name: 'coverage', threshold: 0.5, actual: 1, passed: true },
      { name: 'verified', threshold: 0.9, actual: 2 / 3, passed: false },
    ]);
    expect(repo.read('reports/2026-W47.md')).toContain('❌ **verified**: 66.7%');
    expect(readFileSync(summary, 'utf8')).toContain('# verigap gap report · 2026-W47');
    const html = repo.read('reports/2026-W47.html');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('data-chart="trend"');
  });
});
