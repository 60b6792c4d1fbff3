import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir, cliPath } from '../../test/helpers/git-repo.js';

test.afterAll(() => removeTempDirs());

test('verigap demo proves the trial incident, opens a PR and writes a report a browser can read @flow:demo', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = join(tempDir(), 'shop');
  const started = Date.now();
  const run = spawnSync(process.execPath, [cliPath, 'demo', '--dir', dir], { encoding: 'utf8', env: { ...process.env, OPENAI_API_KEY: '', GITHUB_TOKEN: '', GH_TOKEN: '', BASE_URL: '', NO_COLOR: '1' } });
  expect(run.status, run.stderr).toBe(0);
  expect(Date.now() - started).toBeLessThan(60_000);
  expect(run.stderr).toMatch(/✔ prove .* fails on [0-9a-f]{7} at the incident assertion, passes on [0-9a-f]{7} \(3×\)/);
  expect(run.stderr).toMatch(/local GitHub stand-in/);
  expect(run.stdout).toMatch(/pull request \(stand-in\): http:\/\/127\.0\.0\.1:\d+\/verigap-demo\/shop\/pull\/1/);

  const incident = readFileSync(join(dir, 'incidents', readdirSync(join(dir, 'incidents'))[0]!), 'utf8');
  expect(incident).toMatch(/regression:\n {2}test: flows\/trial\/.*\.spec\.ts\n {2}proof:\n {4}fails_on: [0-9a-f]{40}/);

  const report = readdirSync(join(dir, 'reports')).find((f) => f.endsWith('.html'))!;
  const json = JSON.parse(readFileSync(join(dir, 'reports', report.replace('.html', '.json')), 'utf8'));
  expect(json.incidents).toMatchObject({ total: 1, with_test: 1, proven: 1 });
  await page.goto(`file://${join(dir, 'reports', report)}`);
  await expect(page.locator('[data-metric="incidents_total"]')).toHaveText('1');
  await expect(page.locator('tr[data-flow="trial"] td').nth(2)).toHaveText(String(json.flows[0].tests));
});
