import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { answers } from '../../src/adapters/app-process.js';
import { freePort } from '../../src/adapters/free-port.js';
import { teamEnv } from '../../src/adapters/safe-env.js';
import { TestRepo, cliPath, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { todoFlow, todoIncident } from '../helpers/todo-app.js';

// What holds around a run, whatever the spec says: the guard of origins and schemes, the environment of the
// browser, Playwright and the team's own `serve`, and the deadline. The specs are hand-written (`--spec FILE`,
// trusted code), so they can try what a compiled spec never could.
const id = '2026-11-20-adding-a-todo-does-nothing';
let canary: { url: string; hits: string[]; server: Server };

beforeAll(async () => {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'text/html', 'access-control-allow-origin': '*' }).end('<h1>canary</h1>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  canary = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
});
afterAll(async () => {
  await new Promise((done) => canary.server.close(done));
  removeTempDirs();
});

interface App {
  repo: TestRepo;
  port: number;
  tmp: string;
  out: string;
}

/** The app under test: a page, a health check, and an open redirect (`/go?to=URL`), the kind a step could abuse. */
const server = `import { createServer } from 'node:http';
createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  if (url.pathname === '/health') return response.end('ok');
  if (url.pathname === '/go') return response.writeHead(302, { location: url.searchParams.get('to') }).end();
  response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Todos</title><h1>Todos</h1>');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

async function todoApp(config = ''): Promise<App> {
  const repo = TestRepo.create();
  const port = await freePort();
  const out = tempDir();
  repo.write({ '.gitignore': 'node_modules\n.verigap/\n' });
  // serve writes the environment it got, then starts the app
  const serve = `env > ${join(out, 'serve-env.txt')} && exec node server.mjs`;
  repo.commit('feat: todos (#1)', {
    'server.mjs': server,
    'verigap.yaml': `baseURL: http://127.0.0.1:${port}\nserve: ${serve}\nready: http://127.0.0.1:${port}/health\n${config}`,
    'flows/todos/flow.yaml': todoFlow,
  });
  const fix = repo.commit('fix: nothing (#2)');
  repo.write({ [`incidents/${id}.md`]: todoIncident(id, fix, '1. Go to /todos') });
  return { repo, port, tmp: tempDir('verigap-tmpdir-'), out };
}

/** A spec that tries `body`, then checks the page is still the app's. */
function spec(body: string, top = ''): string {
  return `import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
${top}
test('tries its luck @incident:${id} @flow:todos', async ({ page }) => {
  const tried: Record<string, string> = {};
  const attempt = async (what: string, work: () => Promise<unknown>) => { tried[what] = await work().then(() => 'reached', (error) => String(error).split('\\n')[0]); };
  await page.goto('/todos');
${body}
  await page.goto('/todos');
  await expect(page.getByRole('heading', { name: 'Todos' })).toBeVisible(); // @incident-assertion
});
`;
}

async function run(app: App, code: string, env: Record<string, string> = {}) {
  const file = join(tempDir(), 'hand-written.spec.ts');
  writeFileSync(file, code);
  return app.repo.verigapAsync(['--json', 'incident', 'test', id, '--spec', file], { TMPDIR: app.tmp, ...env });
}

const tries = (canaryURL: string, out: string) => `
  await attempt('goto', () => page.goto('${canaryURL}/goto'));
  await attempt('goto file', () => page.goto('file:///etc/hostname'));
  await attempt('fetch', () => page.evaluate((url) => fetch(url, { mode: 'no-cors' }), '${canaryURL}/fetch'));
  await attempt('img', () => page.setContent('<img src="${canaryURL}/img">').then(() => page.waitForTimeout(300)));
  await attempt('location', () => page.evaluate((url) => { location.href = url; }, '${canaryURL}/location').then(() => page.waitForTimeout(500)));
  await page.goto('/todos');
  await page.route('**/*', (route) => route.continue());
  await attempt('fetch past a route of its own', () => page.evaluate((url) => fetch(url, { mode: 'no-cors' }), '${canaryURL}/routed'));
  await page.unrouteAll();
  await page.context().unrouteAll();
  await attempt('fetch after unrouteAll', () => page.evaluate((url) => fetch(url, { mode: 'no-cors' }), '${canaryURL}/unrouted'));
  await attempt('api request', () => page.request.get('${canaryURL}/api'));
  await attempt('redirected navigation', () => page.goto('/go?to=${canaryURL}/redirected-navigation'));
  await page.waitForTimeout(500);
  await page.goto('/todos');
  await attempt('redirected fetch', () => page.evaluate(() => fetch('/go?to=${canaryURL}/redirected-fetch', { mode: 'no-cors' })));
  await attempt('redirected api request', () => page.request.get('/go?to=${canaryURL}/redirected-api'));
  writeFileSync(${JSON.stringify(out)}, JSON.stringify(tried));`;

describe('the guard of origins and schemes at run time', () => {
  it('blocks navigations, page requests and API requests to another origin and other schemes, and reports them; nothing reaches the canary', async () => {
    const app = await todoApp();
    const out = join(app.out, 'tried.json');
    canary.hits.length = 0;
    const result = await run(app, spec(tries(canary.url, out)));
    expect(result.code, result.stderr).toBe(0);
    expect(canary.hits).toEqual([]);
    const tried = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
    expect(tried.goto).toMatch(new RegExp(`blocked: navigation to ${canary.url}/goto \\(another origin\\)`));
    expect(tried['goto file']).toMatch(/blocked: navigation to file:\/\/\/etc\/hostname \(not http\(s\)\)/);
    expect(tried['api request']).toMatch(/blocked: request to .*\/api \(another origin\)/);
    const blocked = JSON.parse(result.stdout).blocked as string[];
    expect(blocked).toEqual(
      expect.arrayContaining([
        `blocked: navigation to ${canary.url}/goto (another origin)`,
        'blocked: navigation to file:///etc/hostname (not http(s))',
        `blocked: request to ${canary.url}/fetch (another origin)`,
        `blocked: request to ${canary.url}/img (another origin)`,
        `blocked: navigation to ${canary.url}/location (another origin)`,
        `blocked: request to ${canary.url}/routed (another origin)`,
        `blocked: request to ${canary.url}/unrouted (another origin)`,
        `blocked: request to ${canary.url}/api (another origin)`,
        // a redirect's next hop is judged on the network, by the proxy the browser goes through
        `blocked: navigation to ${canary.url}/redirected-navigation (another origin)`,
        `blocked: request to ${canary.url}/redirected-fetch (another origin)`,
        `blocked: connection to ${canary.url.replace('http://', '')} (another origin)`,
      ]),
    );
    expect(tried['redirected navigation']).toMatch(/net::ERR_/);
    expect(result.stdout).not.toMatch(/got past the guard|reached the network past the guard/);
    expect(result.stderr).toMatch(/✔ run .* passed, \d+ blocked/);
  });

  it('lets an origin listed in allowedOrigins through, and only that one', async () => {
    const app = await todoApp(`allowedOrigins: [${canary.url}]\n`);
    canary.hits.length = 0;
    const other = `http://127.0.0.1:${await freePort()}`;
    const result = await run(
      app,
      spec(`
  await attempt('fetch', () => page.evaluate((url) => fetch(url, { mode: 'no-cors' }), '${canary.url}/allowed'));
  await attempt('other', () => page.evaluate((url) => fetch(url, { mode: 'no-cors' }), '${other}/not-listed'));`),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(canary.hits).toEqual(['/allowed']);
    expect(JSON.parse(result.stdout).blocked).toEqual([`blocked: request to ${other}/not-listed (another origin)`]);
  });
});

describe('least privilege around the run', () => {
  it("the shared browser and the Playwright worker run without the user's secrets; the team's serve gets their environment minus verigap's own", async () => {
    const app = await todoApp();
    const out = join(app.out, 'environments.json');
    const secret = `sk-canary-${Date.now()}`;
    // the worker, and the browser processes started by the verigap process two levels up (verigap → Playwright runner → worker)
    const body = `
  const { readFileSync, readdirSync } = await import('node:fs');
  const read = (pid: string | number, what: string) => { try { return readFileSync('/proc/' + pid + '/' + what, 'utf8'); } catch { return ''; } };
  const environ = (pid: string | number) => read(pid, 'environ');
  const parent = (pid: string | number) => read(pid, 'stat').replace(/^.*\\) /, '').split(' ')[1] ?? '';
  const verigap = parent(parent(process.pid));
  const descends = (pid: string) => { for (let p = pid, i = 0; p && p !== '0' && i < 20; p = parent(p), i++) if (p === verigap) return true; return false; };
  const browsers = readdirSync('/proc').filter((pid) => /^\\d+$/.test(pid) && /chrom/i.test(read(pid, 'cmdline')) && descends(pid));
  writeFileSync(${JSON.stringify(out)}, JSON.stringify({
    worker: environ('self').includes(${JSON.stringify(secret)}),
    browsers: browsers.length,
    browsersWithSecret: browsers.filter((pid) => environ(pid).includes(${JSON.stringify(secret)})).length,
    verigap: environ(verigap).includes(${JSON.stringify(secret)}),
  }));`;
    const result = await run(app, spec(body), {
      OPENAI_API_KEY: secret,
      GITHUB_TOKEN: `ghp_${secret}`,
      DATABASE_URL: 'postgres://app@db/todos',
    });
    expect(result.code, result.stderr).toBe(0);
    const seen = JSON.parse(readFileSync(out, 'utf8'));
    // the plant worked (verigap itself holds the key it was given), and it reached neither the worker nor the browser
    expect(seen).toEqual({ worker: false, browsers: expect.any(Number), browsersWithSecret: 0, verigap: true });
    expect(seen.browsers).toBeGreaterThan(0);
    const served = readFileSync(join(app.out, 'serve-env.txt'), 'utf8');
    expect(served).toMatch(/^DATABASE_URL=postgres:\/\/app@db\/todos$/m);
    expect(served).toMatch(new RegExp(`^PORT=${app.port}$`, 'm'));
    expect(served).not.toContain(secret);
    expect(served).not.toMatch(/^(OPENAI_API_KEY|GITHUB_TOKEN|GH_TOKEN|OPENAI_BASE_URL)=/m);
  });

  it("teamEnv keeps the team's variables and drops verigap's own", () => {
    expect(
      teamEnv(
        {
          DATABASE_URL: 'x',
          NPM_TOKEN: 'n',
          OPENAI_API_KEY: 'k',
          OPENAI_BASE_URL: 'u',
          GITHUB_TOKEN: 'g',
          GH_TOKEN: 'h',
          PATH: '/bin',
        },
        { PORT: '1' },
      ),
    ).toEqual({ DATABASE_URL: 'x', NPM_TOKEN: 'n', PATH: '/bin', PORT: '1' });
  });

  it('a spec that never yields is stopped past its timeout, with Playwright, its worker, the browser and the app: no process is left', async () => {
    const app = await todoApp();
    const pidFile = join(app.out, 'worker.pid');
    const busy = spec(
      `  writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n  for (;;) { /* never yields */ }`,
      'test.describe.configure({ timeout: 2_000 });',
    );
    const started = Date.now();
    const result = await run(app, busy);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /the test "tries its luck .*" was still running 16 s after it started, past its timeout \(a loop that never yields to Playwright\?\): verigap stopped Playwright, its workers and its browser/,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    await nothingLeft(app, readFileSync(pidFile, 'utf8'));
  }, 90_000);

  it('SIGTERM in the middle of a run that never yields stops it all too', async () => {
    const app = await todoApp();
    const pidFile = join(app.out, 'worker.pid');
    const file = join(tempDir(), 'hand-written.spec.ts');
    writeFileSync(
      file,
      spec(`  writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n  for (;;) { /* never yields */ }`),
    );
    const child = spawn(process.execPath, [cliPath, 'incident', 'test', id, '--spec', file], {
      cwd: app.repo.dir,
      env: { ...process.env, TMPDIR: app.tmp, NO_COLOR: '1', BASE_URL: '' },
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    while (!existsSync(pidFile) || !readFileSync(pidFile, 'utf8')) await new Promise((done) => setTimeout(done, 100));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    await nothingLeft(app, readFileSync(pidFile, 'utf8'));
  }, 90_000);
});

/** The worker is dead, the app stopped, the run's folder removed, and no process of the run is left. */
async function nothingLeft(app: App, worker: string): Promise<void> {
  // killed: gone, or a zombie until init reaps it (its parent, the Playwright runner, was killed too)
  const state = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
    } catch {
      return 'gone';
    }
  };
  expect(['gone', 'Z']).toContain(state(worker));
  expect(await answers(`http://127.0.0.1:${app.port}/health`)).toBe(false);
  expect(readdirSync(app.tmp).filter((name) => name.startsWith('verigap-'))).toEqual([]);
  // every process of the run (app, Playwright, worker, browser) had this run's TMPDIR: none is left
  const left = readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`TMPDIR=${app.tmp}\0`);
      } catch {
        return false;
      }
    });
  expect(left).toEqual([]);
}
