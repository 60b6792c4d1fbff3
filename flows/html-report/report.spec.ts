import { test, expect } from '@playwright/test';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs } from '../../test/helpers/git-repo.js';

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

let repo: TestRepo;
let json: any;
const web = 'https://github.com/acme/shop';

test.beforeAll(() => {
  repo = TestRepo.create();
  repo.git('remote', 'add', 'origin', `${web}.git`); // never fetched: only read to link commits, PRs and runs
  repo.commit(
    'chore: flows',
    {
      'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n',
      'flows/login/flow.yaml': 'name: Log in\ncriticality: trust\npaths: [src/auth/**]\n',
      'incidents/2026-11-17-sso-loop.md':
        '---\nid: 2026-11-17-sso-loop\ntitle: SSO sends users back to the login page\nseverity: SEV2\nstatus: resolved\nflows: [login]\nstarted_at: 2026-11-17T12:00:00Z\n---\n## What happened\n',
    },
    '2026-11-16T08:00:00Z',
  );
  const trial = repo.commit(
    'feat(billing): trial (#1)',
    { 'src/billing/a.ts': '1', 'flows/trial/a.spec.ts': 'x' },
    '2026-11-16T09:00:00Z',
  );
  repo.commit('feat(auth): sso (#2)', { 'src/auth/sso.ts': '1' }, '2026-11-17T09:00:00Z');
  repo.commit('feat(billing): annual (#3)', { 'src/billing/b.ts': '1' }, '2026-11-18T09:00:00Z');
  repo.commit('feat: docs site (#4)', { 'docs/a.md': '1' }, '2026-11-19T09:00:00Z');
  const run = {
    config: { rootDir: repo.dir },
    suites: [
      {
        title: 'a.spec.ts',
        file: 'flows/trial/a.spec.ts',
        specs: [{ title: 't', file: 'flows/trial/a.spec.ts', tags: [], tests: [{ status: 'expected' }] }],
      },
    ],
    stats: { startTime: '2026-11-16T14:00:00Z', duration: 1000 },
  };
  writeFileSync(join(repo.dir, 'run.json'), JSON.stringify(run));
  expect(
    repo.verigap([
      'verify',
      'ingest',
      'run.json',
      '--commit',
      trial,
      '--env',
      'production',
      '--run-url',
      `${web}/actions/runs/7`,
    ]).code,
  ).toBe(0);
  mkdirSync(join(repo.dir, 'reports'));
  const earlier = (week: string, since: string, coverage: number, verified: number) =>
    writeFileSync(
      join(repo.dir, 'reports', `${week}.json`),
      JSON.stringify({
        schema: 'verigap.report/v1',
        window: { since },
        features: { coverage_share: coverage, verified_share: verified },
      }),
    );
  earlier('2026-W45', '2026-11-02T00:00:00.000Z', 0.4, 0.1);
  earlier('2026-W46', '2026-11-09T00:00:00.000Z', 0.5, 0.25);
  expect(repo.verigap(['report', '--week', '2026-W47', '--format', 'json,html', '--out', 'reports']).code).toBe(0);
  json = JSON.parse(repo.read('reports/2026-W47.json'));
  expect(repo.verigap(['report', '--week', '2026-W40', '--format', 'html', '--out', 'reports']).code).toBe(0);
});

test.afterAll(() => removeTempDirs());

test('the HTML report renders its charts and shows the numbers of the JSON', async ({ page }) => {
  await page.goto(`file://${join(repo.dir, 'reports', '2026-W47.html')}`);
  await expect(page).toHaveTitle('verigap gap report · 2026-W47');

  await expect(page.locator('[data-metric="coverage_share"]')).toHaveText(percent(json.features.coverage_share));
  await expect(page.locator('[data-metric="verified_share"]')).toHaveText(percent(json.features.verified_share));
  await expect(page.locator('[data-metric="features_total"]')).toHaveText(String(json.features.total));
  await expect(page.locator('[data-metric="changes"]')).toHaveText(String(json.changes.total));

  // 12 weeks: W45 and W46 from their kept JSON, W47 this report, the 9 weeks before without features are gaps
  const trend = page.locator('svg[data-chart="trend"]');
  await expect(trend).toBeVisible();
  await expect(trend).toHaveAttribute('data-points', '12');
  await expect(trend.locator('circle.coverage')).toHaveCount(3);
  await expect(trend.locator('[data-gap]')).toHaveCount(9);
  await expect(trend.locator('polyline.coverage')).toHaveCount(1); // no line bridges a missing week
  expect((await trend.boundingBox())!.height).toBeGreaterThan(100);
  const labels = await trend
    .locator('text.trend-label')
    .evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()).map((r) => [r.left, r.right]));
  expect(labels.length).toBeGreaterThan(3);
  for (let i = 1; i < labels.length; i++)
    expect(labels[i]![0]!, 'trend labels overlap').toBeGreaterThan(labels[i - 1]![1]!);

  const bars = page.locator('svg[data-chart="histogram"] rect.bar');
  const counts = await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(json.merge_to_verification.count);

  for (const flow of json.flows) {
    const row = page.locator(`tr[data-flow="${flow.id}"] td`);
    await expect(row.nth(3)).toHaveText(String(flow.features));
    await expect(row.nth(4)).toHaveText(String(flow.verified));
    await expect(row.nth(5)).toHaveText(String(flow.covered));
    await expect(row.nth(6)).toHaveText(String(flow.uncovered));
    await expect(page.locator(`svg[data-chart="flows"] g[data-flow="${flow.id}"] rect`).first()).toBeVisible();
  }

  // every count traceable: the features behind each flow's row, with the flow's own verdict and why
  for (const flow of json.flows) {
    const list = page.locator(`table[data-flow-features="${flow.id}"] tbody tr`);
    await expect(list).toHaveCount(flow.features);
    await expect(list.filter({ hasText: 'uncovered:' })).toHaveCount(flow.uncovered);
  }
  const sso = json.feature_details.find((f: any) => f.subject.startsWith('feat(auth)'));
  const uncovered = page.locator(`[data-list="uncovered"] tr[data-sha="${sso.sha}"]`);
  await expect(uncovered).toContainText('login: uncovered: no E2E test of the flow at its commit');
  await expect(uncovered.locator(`a[href="${web}/commit/${sso.sha}"]`)).toHaveText(sso.sha.slice(0, 7));
  await expect(uncovered.locator(`a[href="${web}/pull/2"]`)).toHaveText('#2');
  await expect(page.locator('[data-list="unmapped"] tbody tr')).toHaveCount(json.features.unmapped);
  await expect(page.locator('[data-list="own-test"] tbody tr')).toHaveCount(json.features.with_own_test);
  await expect(page.locator(`tr[data-flow="trial"] a[href="${web}/actions/runs/7"]`)).toBeVisible();
  await expect(page.locator('tr[data-incident="2026-11-17-sso-loop"]')).toContainText(
    'SSO sends users back to the login page',
  );

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `reports/screenshots/html-report-${scheme}.png`, fullPage: true });
  }
  expect(readFileSync(join(repo.dir, 'reports', '2026-W47.html'), 'utf8')).not.toMatch(/<script|<link|src="http/);
});

test('an empty week explains itself and says what to do next', async ({ page }) => {
  await page.goto(`file://${join(repo.dir, 'reports', '2026-W40.html')}`);
  await expect(page.locator('[data-empty="features"]')).toContainText('No feature shipped in this window');
  await expect(page.locator('[data-empty="verification"]')).toBeVisible();
  await expect(page.locator('[data-empty="incidents"]')).toContainText('No incident started in this window');
  await page.screenshot({ path: 'reports/screenshots/html-report-empty-week.png', fullPage: true });
});
