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

  const incident = readFileSync(join(shop, 'incidents', readdirSync(join(shop, 'incidents'))[0]!), 'utf8');
  expect(incident).toMatch(/regression:\n {2}test: flows\/trial\/.*\.spec\.ts\n {2}proof:\n {4}fails_on: [0-9a-f]{40}/);

  const report = readdirSync(join(shop, 'reports')).find((f) => f.endsWith('.html'))!;
  const json = JSON.parse(readFileSync(join(shop, 'reports', report.replace('.html', '.json')), 'utf8'));
  expect(json.incidents).toMatchObject({ total: 1, with_test: 1, proven: 1 });
  await page.goto(`file://${join(shop, 'reports', report)}`);
  await expect(page.locator('[data-metric="incidents_total"]')).toHaveText('1');
  await expect(page.locator('tr[data-flow="trial"] td').nth(2)).toHaveText(String(json.flows[0].tests));
});
