import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir, cliPath } from '../../test/helpers/git-repo.js';

test.afterAll(() => removeTempDirs());

test('verigap demo proves the trial incident, opens a PR and writes a report a browser can read, also when run again into its folder @flow:demo', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const parent = tempDir();
  const shop = join(parent, 'demo', 'shop');
  const demo = () =>
    spawnSync(process.execPath, [cliPath, 'demo', '--dir', join(parent, 'demo')], {
      encoding: 'utf8',
      env: { ...process.env, OPENAI_API_KEY: '', GITHUB_TOKEN: '', GH_TOKEN: '', BASE_URL: '', NO_COLOR: '1' },
    });
  expect(demo().status).toBe(0);
  // the second run replaces the first one's shop and origin, and writes nothing beside the folder
  const run = demo();
  expect(run.status, run.stderr).toBe(0);
  expect(readdirSync(parent)).toEqual(['demo']);
  expect(readdirSync(join(parent, 'demo')).sort()).toEqual(['origin.git', 'shop']);
  expect(run.stderr).toMatch(
    /✔ prove .* fails on [0-9a-f]{7} at the incident assertion, passes on [0-9a-f]{7} \(3×\), both revisions at once/,
  );
  expect(run.stderr).toMatch(/local GitHub stand-in/);
  expect(run.stdout).toMatch(/pull request \(stand-in\): http:\/\/127\.0\.0\.1:\d+\/verigap-demo\/shop\/pull\/1/);
  expect(run.stderr).toMatch(/no @playwright\/test, so the test ran under verigap's own Playwright/);
  expect(run.stderr).toMatch(/\d+ changes on main over 12 weeks, 4 flows/);

  const id = /incidents\/([\w-]+)\.md: "Trial signup never reaches checkout"/.exec(run.stderr)![1]!;
  const incident = readFileSync(join(shop, 'incidents', `${id}.md`), 'utf8');
  expect(incident).toMatch(/regression:\n {2}test: flows\/trial\/.*\.spec\.ts\n {2}proof:\n {4}fails_on: [0-9a-f]{40}/);

  // the history's twelve weeks, each with its kept report, and the report of all of them, named on stdout
  const reports = join(shop, 'reports');
  const weeks = readdirSync(reports).filter((file) => /^\d{4}-W\d{2}\.json$/.test(file));
  expect(weeks).toHaveLength(12);
  const weeklyShares = weeks.map((week) => JSON.parse(readFileSync(join(reports, week), 'utf8')).features);
  expect(new Set(weeklyShares.map((f) => f.coverage_share)).size).toBeGreaterThan(2);
  const html = /report: (\S+\.html)/.exec(run.stdout)![1]!;
  const json = JSON.parse(readFileSync(html.replace(/\.html$/, '.json'), 'utf8'));

  // both incidents: the history's, with its proven test merged, and the one the demo just proved
  expect(json.incidents).toMatchObject({ total: 2, with_test: 2, proven: 2, without_test: [] });
  // features shipped with and without an E2E test, one waived, most verified in production at varied delays
  const { features: f, merge_to_verification: m } = json;
  expect(f.total).toBeGreaterThanOrEqual(20);
  expect(f).toMatchObject({ waived: 1, unmapped: 0 });
  expect(f.uncovered).toBeGreaterThan(0);
  expect(f.verified).toBeGreaterThan(f.uncovered);
  expect(f.with_own_test).toBeGreaterThan(0);
  expect(f.coverage_share).toBeGreaterThan(0.5);
  expect(f.coverage_share).toBeLessThan(1);
  expect(m.p50_hours).not.toBeNull();
  expect(m.p90_hours).toBeGreaterThan(m.p50_hours * 2);
  const flows = Object.fromEntries(json.flows.map((flow: { id: string }) => [flow.id, flow]));
  expect(Object.keys(flows).sort()).toEqual(['account', 'checkout', 'search', 'trial']);
  expect(flows.search).toMatchObject({ tests: 0, verified: 0, covered: 0, last_verified_at: null });
  for (const tested of ['account', 'checkout', 'trial']) expect(flows[tested].uncovered).toBe(0);

  await page.goto(`file://${html}`);
  await expect(page.locator('[data-metric="incidents_total"]')).toHaveText('2');
  await expect(page.locator('tr[data-flow="trial"] td').nth(2)).toHaveText(String(flows.trial.tests));
  // twelve weeks, each a point of the trend: no week without a share
  const trend = page.locator('svg[data-chart="trend"]');
  await expect(trend.locator('circle.coverage')).toHaveCount(12);
  await expect(trend.locator('circle.verified')).toHaveCount(12);
  await expect(trend.locator('[data-gap]')).toHaveCount(0);
  // the untested flow is red in the flows chart, the tested ones green
  const bars = page.locator('svg[data-chart="flows"]');
  await expect(bars.locator('g[data-flow="search"] rect.uncovered')).toHaveCSS('fill', 'rgb(207, 34, 46)');
  await expect(bars.locator('g[data-flow="search"] rect.verified')).toHaveCount(0);
  for (const tested of ['account', 'checkout', 'trial']) {
    await expect(bars.locator(`g[data-flow="${tested}"] rect.verified`)).toHaveCSS('fill', 'rgb(26, 127, 55)');
    await expect(bars.locator(`g[data-flow="${tested}"] rect.uncovered`)).toHaveCount(0);
  }
  await expect(page.locator('tr[data-flow="search"] td').nth(2)).toHaveText('0');
  // and its row says so in red, where the tested flows' counts stay plain
  await expect(page.locator('tr[data-flow="search"] td').nth(2)).toHaveCSS('color', 'rgb(207, 34, 46)');
  await expect(page.locator('tr[data-flow="trial"] td').nth(2)).not.toHaveClass('fail');
  // the incidents by title
  await expect(page.locator('table[data-list="incidents"] tr[data-incident] td:first-child')).toContainText([
    'Orders with a lower-case coupon code fail',
    'Trial signup never reaches checkout',
  ]);
  // the features without coverage, those shipped with their own test, the waiver
  await expect(page.locator('table[data-list="uncovered"] tr[data-sha]')).toHaveCount(f.uncovered);
  await expect(page.locator('table[data-list="own-test"] tr[data-sha]')).toHaveCount(f.with_own_test);
  await expect(page.locator('table[data-list="waived"] tr[data-sha]')).toHaveCount(1);
  // the merge→verification spread: every verified feature in one of the bins, more than one bin used
  const counts = await page
    .locator('svg[data-chart="histogram"] rect.bar')
    .evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('data-count'))));
  expect(counts.reduce((sum, n) => sum + n, 0)).toBe(m.count);
  expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
});
