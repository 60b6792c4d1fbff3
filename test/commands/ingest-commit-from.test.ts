import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

let repo: TestRepo;
let deployed: string;
let server: Server;
let base: string;
let closedPort: number;
const asked: string[] = [];
const unknownSha = 'c0ffee'.repeat(6) + 'c0ff';

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  repo = TestRepo.create();
  repo.commit(
    'chore: start',
    { 'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n' },
    '2026-11-16T08:00:00Z',
  );
  repo.commit(
    'feat(billing): trial (#1)',
    { 'src/billing/trial.ts': 'export {}', 'flows/trial/trial.spec.ts': 'spec' },
    '2026-11-17T09:00:00Z',
  );
  deployed = repo.head();
  repo.commit('feat(billing): not deployed yet (#2)', { 'src/billing/later.ts': 'export {}' }, '2026-11-17T10:00:00Z');
  repo.write({
    'results.json': JSON.stringify({
      config: { rootDir: repo.dir, metadata: { gitCommit: { hash: repo.head() } } },
      suites: [
        {
          title: 'flows/trial/trial.spec.ts',
          file: 'flows/trial/trial.spec.ts',
          specs: [
            {
              title: 'reaches checkout',
              file: 'flows/trial/trial.spec.ts',
              tags: [],
              tests: [{ status: 'expected', projectName: 'chromium' }],
            },
          ],
        },
      ],
      stats: { startTime: '2026-11-17T11:59:00.000Z', duration: 60_000 },
    }),
  });
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    asked.push(path);
    const answers: Record<string, () => void> = {
      '/text': () => response.writeHead(200, { 'content-type': 'text/plain' }).end(`  ${deployed}\n`),
      '/short': () =>
        response.writeHead(200, { 'content-type': 'text/plain' }).end(deployed.slice(0, 12).toUpperCase()),
      '/json': () =>
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ commit: deployed, version: '1.4.2' })),
      '/nested': () =>
        response.writeHead(200, { 'content-type': 'text/plain' }).end(JSON.stringify({ build: { sha: deployed } })),
      '/moved': () => response.writeHead(302, { location: '/text' }).end(),
      '/unknown': () => response.writeHead(200).end(unknownSha),
      '/html': () => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Shop</title>'),
      '/huge': () => response.writeHead(200, { 'content-type': 'text/plain' }).end('a'.repeat(200_000)),
    };
    (answers[path] ?? (() => response.writeHead(500, { 'content-type': 'text/plain' }).end('boom')))();
  });
  base = `http://127.0.0.1:${await listen(server)}`;
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  removeTempDirs();
});

const ingest = (...args: string[]) =>
  repo.verigapAsync(['verify', 'ingest', 'results.json', '--env', 'production', ...args]);
const ingestJson = async (...args: string[]) => {
  const result = await repo.verigapAsync([
    '--json',
    'verify',
    'ingest',
    'results.json',
    '--env',
    'production',
    ...args,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return { ...JSON.parse(result.stdout), stderr: result.stderr };
};
const notesTip = () => repo.git('for-each-ref', '--format=%(objectname)', 'refs/notes/verigap').trim();
const noteLines = (sha: string) =>
  repo
    .git('notes', '--ref=verigap', 'show', sha)
    .split('\n')
    .filter((line) => line.startsWith('{'));
const setVersion = (yaml: string) => repo.commit('chore: version endpoint', { 'verigap.yaml': yaml });

describe('verify ingest --commit-from', () => {
  it('reads the deployed sha from a plain-text answer (trimmed), not the commit the tests were checked out at', async () => {
    const run = await ingestJson('--commit-from', `${base}/text`);
    expect(run).toMatchObject({ commit: deployed, already_recorded: false });
    expect(run.stderr).not.toMatch(/metadata\.gitCommit/);
    expect(noteLines(deployed)).toHaveLength(1);
  });

  it('the same run read again through the endpoint (JSON, a redirect, an abbreviated sha) is recorded once', async () => {
    for (const path of ['/json', '/moved', '/short'])
      expect(await ingestJson('--commit-from', `${base}${path}`)).toMatchObject({
        commit: deployed,
        already_recorded: true,
      });
    expect(noteLines(deployed)).toHaveLength(1);
  });

  it('without a URL it asks verification.version.url, reading the dotted field of verigap.yaml', async () => {
    const none = await ingest('--commit-from');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--commit-from: no URL given and verigap.yaml has no verification.version.url/);
    expect(none.stderr).toMatch(/verification\.version\.url in verigap\.yaml/);

    setVersion(`verification:\n  version:\n    url: ${base}/nested\n    field: build.sha\n`);
    asked.length = 0;
    expect(await ingestJson('--commit-from')).toMatchObject({ commit: deployed, already_recorded: true });
    expect(asked).toEqual(['/nested']);
    // a URL on the command line still reads the configured field: /json has no build.sha
    const other = await ingest('--commit-from', `${base}/json`);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      `${base}/json answered JSON without the field "build.sha" (its fields: commit, version)`,
    );
  });

  it('--commit wins over --commit-from, with a note, and the endpoint is not asked', async () => {
    asked.length = 0;
    const run = await ingestJson('--commit', deployed, '--commit-from', `${base}/unknown`);
    expect(run).toMatchObject({ commit: deployed, already_recorded: true });
    expect(run.stderr).toMatch(/--commit .* wins over --commit-from/);
    expect(asked).toEqual([]);
  });

  it('a sha this repository does not know is exit 2 naming the sha and the URL, and nothing is written', async () => {
    const tip = notesTip();
    const result = await ingest('--commit-from', `${base}/unknown`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `commit ${unknownSha}, deployed according to ${base}/unknown, does not exist in this repository`,
    );
    expect(result.stderr).toMatch(/git fetch/);
    expect(notesTip()).toBe(tip);
  });

  it('an answer that is not a sha is exit 2 saying what came back', async () => {
    const html = await ingest('--commit-from', `${base}/html`);
    expect(html.code).toBe(2);
    expect(html.stderr).toContain(`${base}/html answered "<!doctype html><title>Shop</title>", not a commit sha`);
    const huge = await ingest('--commit-from', `${base}/huge`);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('answered more than 64 KiB');
    const notUrl = await ingest('--commit-from', 'results.json');
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toMatch(/--commit-from "results.json" is not an http\(s\) URL/);
  });

  it('an endpoint that does not answer is exit 3 naming the URL and the status; a token in the query is never printed', async () => {
    const failing = await ingest('--commit-from', `${base}/broken?token=s3cret-value`);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toContain(`the version endpoint ${base}/broken?token=… answered HTTP 500`);
    expect(failing.stderr + failing.stdout).not.toContain('s3cret-value');
    const refused = await ingest('--commit-from', `http://127.0.0.1:${closedPort}/version`);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `the version endpoint http://127.0.0.1:${closedPort}/version did not answer (connection refused)`,
    );
    const withUser = await ingest('--commit-from', `http://deploy:hunter2@127.0.0.1:${closedPort}/version`);
    expect(withUser.code).toBe(2);
    expect(withUser.stderr).not.toContain('hunter2');
    expect(noteLines(deployed)).toHaveLength(1);
  });
});
