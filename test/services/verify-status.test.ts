import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { addPlaywrightConfig, runPlaywright } from '../helpers/playwright-project.js';

const MIN = 60_000;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MIN).toISOString();

let repo: TestRepo;
let server: Server;
let appUrl: string;
/** The shop's checkout page breaks while this is true: the same deployed commit passes, then fails. */
let checkoutBroken = false;
let first: string;
let second: string;
let third: string;

/** A Playwright JSON report of one run, in the JSON reporter's shape: each test is [file, title, status]. */
function report(tests: [string, string, 'expected' | 'unexpected'][]): string {
  return JSON.stringify({
    config: { rootDir: repo.dir, metadata: {} },
    suites: tests.map(([file, title, status]) => ({
      title: file,
      file,
      specs: [{ title, file, tags: [], tests: [{ status, projectName: 'chromium' }] }],
    })),
    stats: { startTime: minutesAgo(1), duration: 1000 },
  });
}

const checkoutSpec = `import { test, expect } from '@playwright/test';
test('checkout shows the total', { tag: '@production' }, async ({ page }) => {
  await page.goto('/checkout');
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible({ timeout: 2000 });
});
`;

beforeAll(async () => {
  server = createServer((request, response) => {
    const ok = request.url === '/checkout' && !checkoutBroken;
    response.writeHead(ok ? 200 : 500, { 'content-type': 'text/html' }).end(ok ? '<h1>Checkout</h1>' : '<h1>Oops</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const origin = tempDir();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  repo = TestRepo.create();
  addPlaywrightConfig(repo);
  repo.commit(
    'chore: start',
    {
      'flows/checkout/flow.yaml':
        "name: Check out\ncriticality: revenue\npaths: [src/checkout/**]\nproduction: ['@production']\nschedule: 15m\n",
      'flows/search/flow.yaml': 'name: Search\ncriticality: activation\npaths: [src/search/**]\nschedule: 1h\n',
      'flows/login/flow.yaml': 'name: Log in\ncriticality: trust\npaths: [src/auth/**]\n',
    },
    minutesAgo(10 * 60),
  );
  first = repo.commit(
    'feat(checkout): show the total (#1)',
    { 'src/checkout/total.ts': 'export {}', 'flows/checkout/checkout.spec.ts': checkoutSpec },
    minutesAgo(9 * 60),
  );
  second = repo.commit(
    'feat(search): results (#2)',
    { 'src/search/index.ts': 'export {}', 'flows/search/search.spec.ts': '// run in CI only' },
    minutesAgo(8 * 60),
  );
  third = repo.commit(
    'feat: sign in at checkout (#3)',
    { 'src/auth/login.ts': 'export {}', 'src/checkout/login.ts': 'export {}' },
    minutesAgo(7 * 60),
  );
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');

  // a real Playwright run against the deployed first commit passes, the next one fails on the same commit
  for (const [name, broken] of [
    ['pass.json', false],
    ['fail.json', true],
  ] as const) {
    checkoutBroken = broken;
    expect(
      await runPlaywright(repo, ['test', 'flows/checkout', '--reporter=json'], {
        BASE_URL: appUrl,
        PLAYWRIGHT_JSON_OUTPUT_NAME: name,
      }),
    ).toBe(broken ? 1 : 0);
  }
  repo.write({
    'search-pass.json': report([['flows/search/search.spec.ts', 'search shows results', 'expected']]),
    'search-fresh.json': report([['flows/search/search.spec.ts', 'search shows results again', 'expected']]),
  });
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  removeTempDirs();
});

const ingest = (file: string, commit: string, at: string, runUrl?: string) => {
  const result = repo.verigap([
    'verify',
    'ingest',
    file,
    '--commit',
    commit,
    '--env',
    'production',
    '--at',
    at,
    ...(runUrl ? ['--run-url', runUrl] : []),
    '--push',
  ]);
  expect(result.code, result.stderr).toBe(0);
};

describe('verify status: the production loop', () => {
  it('answers per flow: schedule, last pass, stale, flaky commits; and the features not yet in a verified deployment', () => {
    ingest('pass.json', first, minutesAgo(12), 'https://ci.example/runs/1');
    ingest('fail.json', first, minutesAgo(8), 'https://ci.example/runs/2');
    ingest('search-pass.json', second, minutesAgo(3 * 60));

    const status = repo.verigapJson(['verify', 'status']);
    expect(status).toEqual({
      schema: 'verigap.status/v1',
      env: 'production',
      now: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      flows: [
        {
          id: 'checkout',
          schedule: '15m',
          last_pass: { at: expect.any(String), commit: first, run_url: 'https://ci.example/runs/1' },
          stale: false,
          flaky_commits: [first],
        },
        { id: 'login', schedule: null, last_pass: null, stale: false, flaky_commits: [] },
        {
          id: 'search',
          schedule: '1h',
          last_pass: { at: expect.any(String), commit: second, run_url: null },
          stale: true,
          flaky_commits: [],
        },
      ],
      unverified_features: [
        {
          sha: third,
          subject: 'feat: sign in at checkout (#3)',
          merged_at: expect.any(String),
          flows: ['checkout', 'login'],
        },
      ],
    });
    expect(Date.parse(status.flows[0].last_pass.at)).toBeCloseTo(Date.now() - 12 * MIN, -5);
  });

  it('prints a short table with the markers, then the waiting features', () => {
    const result = repo.verigap(['verify', 'status']);
    expect(result.code, result.stderr).toBe(0);
    const line = (flow: string) => result.stdout.split('\n').find((l) => l.startsWith(flow)) ?? '';
    expect(line('checkout')).toMatch(
      new RegExp(`15m\\s+.*\\((1[12]|13) min ago\\)\\s+${first.slice(0, 7)}\\s+FLAKY on ${first.slice(0, 7)}`),
    );
    expect(line('search')).toMatch(/1h\s+.*\(3\.0 h ago\).*STALE/);
    expect(line('login')).toMatch(/—\s+never/);
    expect(result.stdout).toMatch(
      new RegExp(
        `not yet in a verified deployment \\(1\\):\\n  ${third.slice(0, 7)}  feat: sign in at checkout \\(#3\\)  merged 7\\.0 h ago  flows: checkout, login`,
      ),
    );
  });

  it('the report shows staleness and flakiness per flow, and the HTML links the failing run', () => {
    const json = repo.verigapJson(['report', '--since', '1d', '--format', 'json']);
    expect(json.flows.map((f: any) => [f.id, f.schedule, f.stale, f.flaky_commits])).toEqual([
      ['checkout', '15m', false, [first]],
      ['login', null, false, []],
      ['search', '1h', true, []],
    ]);
    expect(json.flows[0].flaky_failures).toEqual([
      { at: expect.any(String), commit: first, run_url: 'https://ci.example/runs/2' },
    ]);
    expect(json.flows[0]).toMatchObject({
      id: 'checkout',
      name: 'Check out',
      tests: 1,
      last_verified_run_url: 'https://ci.example/runs/1',
    });
    const markdown = repo.verigap(['report', '--since', '1d']).stdout;
    expect(markdown).toContain(`| 15m | **flaky on ${first.slice(0, 7)}** |`);
    expect(markdown).toContain('| 1h | **stale** |');
    expect(markdown).toMatch(/- Stale: a flow with a `schedule`.*Flaky: a deployed commit/);
    const html = repo.verigap(['report', '--since', '1d', '--format', 'html']).stdout;
    expect(html).toMatch(
      new RegExp(
        `<li data-flaky="checkout">.*<a href="https://ci.example/runs/2">failed run at [^<]+</a> on <code>${first.slice(0, 7)}</code>`,
      ),
    );
    expect(html).toMatch(/<td data-production="search" class="fail">stale<\/td>/);
    expect(html).toContain('<li>Stale: a flow with a `schedule`');
  });

  it('--fail-on stale exits 1 naming the stale flow and how long since its last pass; with a fresh run it exits 0', () => {
    const stale = repo.verigap(['verify', 'status', '--fail-on', 'stale']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('1 stale flow: no passing production run within twice the schedule');
    expect(stale.stderr).toMatch(
      new RegExp(
        `search: last passed in production 3\\.0 h ago on ${second.slice(0, 7)} \\(schedule 1h, stale after 2h\\)`,
      ),
    );
    expect(stale.stderr).not.toMatch(/checkout:|login:/);
    // --json still prints the document before the gate fails
    expect(JSON.parse(repo.verigap(['--json', 'verify', 'status', '--fail-on', 'stale']).stdout).flows[2].stale).toBe(
      true,
    );

    ingest('search-fresh.json', second, minutesAgo(1));
    const fresh = repo.verigap(['verify', 'status', '--fail-on', 'stale']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).not.toContain('STALE');
  });

  it('another env has its own runs; bad input is exit 2 naming the flag', () => {
    const staging = repo.verigapJson(['verify', 'status', '--env', 'staging']);
    expect(staging.env).toBe('staging');
    expect(staging.flows.map((f: any) => [f.id, f.stale, f.last_pass])).toEqual([
      ['checkout', true, null],
      ['login', false, null],
      ['search', true, null],
    ]);
    const unknown = repo.verigap(['verify', 'status', '--env', 'prod']);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      expect.stringMatching(/unknown env "prod"; known: production, staging/),
    ]);
    const failOn = repo.verigap(['verify', 'status', '--fail-on', 'flaky']);
    expect([failOn.code, failOn.stderr]).toEqual([
      2,
      expect.stringMatching(/--fail-on <what>' argument 'flaky' is invalid. Allowed choices are stale/),
    ]);
  });

  it('a fresh clone that fetches the notes answers the same', () => {
    const clone = new TestRepo(tempDir());
    execFileSync('git', ['clone', '-q', repo.git('remote', 'get-url', 'origin').trim(), clone.dir]);
    execFileSync('git', ['fetch', '-q', 'origin', 'refs/notes/verigap:refs/notes/verigap'], { cwd: clone.dir });
    const { now: _a, ...here } = repo.verigapJson(['verify', 'status']);
    const { now: _b, ...there } = clone.verigapJson(['verify', 'status']);
    expect(there).toEqual(here);
  });
});
