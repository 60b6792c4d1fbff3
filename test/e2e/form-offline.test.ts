import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { Terminal } from '../helpers/terminal.js';

afterAll(removeTempDirs);

/** A loopback port nothing listens on: taken, then let go. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An incident from flags, with these steps to reproduce; its id. */
function incidentWithSteps(repo: TestRepo, title: string, steps: string, extra: string[] = []): string {
  const body = join(tempDir(), 'body.md');
  writeFileSync(body, `## What happened\nIt broke.\n\n## Steps to reproduce\n${steps}\n`);
  const made = repo.verigapJson([
    'incident',
    'new',
    '--title',
    title,
    '--flow',
    'trial',
    '--severity',
    'SEV2',
    '--started',
    '2026-11-20T17:00:00Z',
    '--body-file',
    body,
    '--no-test',
    ...extra,
  ]);
  return made.id as string;
}

async function offlineRepo(): Promise<{ repo: TestRepo; url: string }> {
  const url = `http://127.0.0.1:${await deadPort()}`;
  const repo = TestRepo.create();
  repo.commit('chore: start', {
    'verigap.yaml': `baseURL: ${url}\n`,
    'flows/trial/flow.yaml': 'name: Start free trial\nstart: /pricing\npaths: [src/**]\n',
  });
  return { repo, url };
}

describe('incident new in a real terminal (tmux) with the app not running', () => {
  it('writes Introduced by and Detection as the flags do, then generates and checks the test offline, says what the run needs, and exits 1', async () => {
    const { repo, url } = await offlineRepo();
    const terminal = new Terminal(repo.dir);
    let screen: string;
    try {
      terminal.start('incident new');
      await terminal.waitFor(/New incident/);
      terminal.type('Trial never reaches checkout');
      terminal.keys('Tab', 'Space', 'Enter', 'Enter');
      terminal.type('2026-11-20T17:00:00Z');
      terminal.keys('Enter', 'Enter', 'Enter', 'Enter', 'Tab');
      terminal.type('Go to /pricing');
      terminal.keys('Enter');
      terminal.type('Click "Start free trial"');
      terminal.keys('Enter');
      terminal.type('Expect the URL to contain /checkout');
      terminal.keys('Tab');
      terminal.type('not-a-sha');
      terminal.keys('Tab');
      await terminal.waitFor(
        /Introduced by\s+not-a-sha\n\s+✖ a commit SHA \(7\+ hex characters\), a PR number \(#123\) or URL, or "infer"/,
      );
      terminal.keys('BTab', 'C-u');
      terminal.type('#123');
      terminal.keys('Enter', 'Right', 'Right');
      await terminal.waitFor(/Detection\s+not set\s+customer-report\s+monitor/);
      terminal.keys('C-s');
      await terminal.waitFor(/Preview/);
      terminal.keys('Enter');
      await terminal.waitFor(/Generate its regression test now/);
      terminal.keys('y');
      await terminal.waitFor(/press any key to leave/);
      terminal.keys('q');
      screen = await terminal.waitFor(/EXIT \d+/);
    } finally {
      terminal.stop();
    }
    expect(screen).toMatch(/EXIT 1/);
    // a message longer than the terminal is wrapped: its lines joined, it reads as written
    expect(screen.replace(/\n/g, '')).toContain(`the app at ${url} does not answer`);
    const [file] = readdirSync(join(repo.dir, 'incidents'));
    const id = file!.replace(/\.md$/, '');
    const fromForm = repo.read(`incidents/${file}`);

    // the same incident from flags: the same front matter lines
    const flags = repo.verigap([
      'incident',
      'new',
      '--title',
      'Trial never reaches checkout',
      '--flow',
      'trial',
      '--severity',
      'SEV2',
      '--started',
      '2026-11-20T17:00:00Z',
      '--introduced-by',
      '#123',
      '--detection',
      'monitor',
      '--no-test',
    ]);
    expect(flags.code, flags.stderr).toBe(0);
    const fromFlags = repo.read(`incidents/${id}-2.md`);
    const line = (text: string, key: string) => text.split('\n').find((l) => l.startsWith(`${key}:`));
    expect(line(fromForm, 'introduced_by')).toBe('introduced_by: "#123"');
    expect(line(fromForm, 'detection')).toBe('detection: monitor');
    for (const key of ['introduced_by', 'detection']) expect(line(fromForm, key)).toBe(line(fromFlags, key));

    // generated and checked, not run: kept as a draft, nothing in flows/
    expect(existsSync(join(repo.dir, '.verigap', 'drafts', `${id}.spec.ts`))).toBe(true);
    expect(existsSync(join(repo.dir, 'flows', 'trial', `${id}.spec.ts`))).toBe(false);
  });
});

describe('review in a real terminal (tmux) with the app not running', () => {
  it('a test that failed from the review ends it with exit 1', async () => {
    const { repo } = await offlineRepo();
    incidentWithSteps(
      repo,
      'Trial never reaches checkout',
      '1. Go to /pricing\n2. Expect the URL to contain /checkout',
    );
    const terminal = new Terminal(repo.dir);
    let screen: string;
    try {
      terminal.start('review');
      await terminal.waitFor(/Flows\s+Incidents/);
      terminal.keys('Tab');
      await terminal.waitFor(/Trial never reaches checkout/);
      terminal.keys('t');
      await terminal.waitFor(/passed its check, but not run/);
      terminal.keys('q');
      screen = await terminal.waitFor(/EXIT \d+/);
    } finally {
      terminal.stop();
    }
    expect(screen).toMatch(/EXIT 1/);
  });
});

describe('incident test with the app not running (steps provider)', () => {
  it('skips ground and run with the reason, still generates and checks the spec, and exits 1', async () => {
    const { repo, url } = await offlineRepo();
    const id = incidentWithSteps(
      repo,
      'Trial never reaches checkout',
      '1. Go to /pricing\n2. Expect the URL to contain /checkout',
      ['--introduced-by', 'infer'],
    );
    // "infer" leaves introduced_by out, for the report to infer
    expect(repo.read(`incidents/${id}.md`)).not.toContain('introduced_by');
    const result = repo.verigap(['incident', 'test', id]);
    expect(result.code, result.stderr).toBe(1);
    const reason = `the app at ${url} does not answer: start it (serve: in verigap.yaml) and run verigap incident test ${id}`;
    expect(result.stderr).toContain(`– ground    ${reason}`);
    expect(result.stderr).toMatch(/✔ generate .*2 steps, 1 incident assertion/);
    expect(result.stderr).toMatch(/✔ check .*policy and types ok/);
    expect(result.stderr).toContain(`– run       ${reason}`);
    expect(result.stderr).toContain(`.verigap/drafts/${id}.spec.ts`);
    expect(repo.read(`.verigap/drafts/${id}.spec.ts`)).toContain('@incident-assertion');
    expect(existsSync(join(repo.dir, 'flows', 'trial', `${id}.spec.ts`))).toBe(false);
  });

  it('steps that do not compile stop at generate, offline too (exit 2, no draft)', async () => {
    const { repo } = await offlineRepo();
    const id = incidentWithSteps(repo, 'Broken steps', '1. Try somehow\n2. Expect the URL to contain /checkout');
    const result = repo.verigap(['incident', 'test', id]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/✘ generate/);
    expect(existsSync(join(repo.dir, '.verigap', 'drafts', `${id}.spec.ts`))).toBe(false);
  });
});
