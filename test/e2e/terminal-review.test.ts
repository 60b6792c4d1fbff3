import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';
import { Terminal } from '../helpers/terminal.js';

afterAll(removeTempDirs);

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** A trial flow with one E2E test, a feature of 3 hours ago and one of 60 days ago. */
function shop() {
  const repo = TestRepo.create();
  repo.commit(
    'chore: start',
    {
      'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n',
      'flows/trial/signup.spec.ts': "import { test } from '@playwright/test';\ntest('signup', async () => {});\n",
      'src/app.ts': 'app\n',
    },
    daysAgo(100),
  );
  const older = repo.commit('feat(billing): quarterly plans (#12)', { 'src/billing/quarterly.ts': 'x' }, daysAgo(60));
  const recent = repo.commit(
    'feat(billing): show the annual price (#21)',
    { 'src/billing/annual.ts': 'x' },
    daysAgo(0.125),
  );
  return { repo, older: older.slice(0, 7), recent: recent.slice(0, 7) };
}

describe('verigap review in a real terminal (tmux): window, runs, waivers', () => {
  it('] widens the window in place: the header names it and the older feature appears, on the same screen', async () => {
    const { repo, older, recent } = shop();
    const terminal = new Terminal(repo.dir);
    try {
      terminal.start('review');
      await terminal.waitFor(/features of the last 30 days/);
      terminal.keys('Enter');
      const before = await terminal.waitFor(new RegExp(`› \\w+\\s+${recent}`));
      expect(before).not.toContain(older);
      terminal.type(']');
      const after = await terminal.waitFor(new RegExp(`${older}\\s+feat\\(billing\\): quarterly plans`));
      expect(after).toMatch(/features of the last 90 days/);
      expect(after).toContain('Flows › Start free trial');
      await terminal.waitFor(/the last 90 days: 2 feature\(s\)/);
      terminal.type('[');
      await terminal.waitFor(/the last 30 days: 1 feature\(s\)/);
      expect(terminal.screen()).not.toContain(older);
      terminal.keys('q');
      await terminal.waitFor(/EXIT 0/);
    } finally {
      terminal.stop();
    }
  });

  it('enter on a run shows its commit, environment, tests per flow and URL; esc goes back', async () => {
    const { repo } = shop();
    const commit = repo.head();
    const spec = 'flows/trial/signup.spec.ts';
    writeFileSync(
      join(repo.dir, 'results.json'),
      JSON.stringify({
        config: { rootDir: repo.dir, metadata: {} },
        suites: [
          {
            title: spec,
            file: spec,
            specs: [
              { title: 'signup', file: spec, tags: [], tests: [{ status: 'expected', projectName: 'chromium' }] },
            ],
          },
        ],
        stats: { startTime: daysAgo(0.05), duration: 60_000 },
      }),
    );
    const ingest = repo.verigap([
      'verify',
      'ingest',
      'results.json',
      '--commit',
      commit,
      '--env',
      'production',
      '--run-url',
      'https://ci.example/runs/42',
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const terminal = new Terminal(repo.dir);
    try {
      terminal.start('review');
      await terminal.waitFor(/› Start free trial/);
      terminal.keys('Enter', 'Tab', 'Tab');
      await terminal.waitFor(/Runs 1/);
      await terminal.waitFor(/›.*production\s+passed/);
      terminal.keys('Enter');
      const detail = await terminal.waitFor(/URL\s+https:\/\/ci\.example\/runs\/42/);
      expect(detail).toMatch(new RegExp(`commit\\s+${commit}`));
      expect(detail).toMatch(/environment\s+production/);
      expect(detail).toMatch(/trial \(Start free trial\)\s+1\s+0\s+0\s+0/);
      terminal.keys('Escape');
      await terminal.waitFor(/›.*production\s+passed/);
      terminal.keys('q');
      await terminal.waitFor(/EXIT 0/);
    } finally {
      terminal.stop();
    }
  });

  it("w writes the waiver and says to commit it, and leaves the index (the person's partly staged work) as it was", async () => {
    const { repo, recent } = shop();
    repo.write({ 'src/app.ts': 'app\nstaged\n' });
    repo.git('add', 'src/app.ts');
    repo.write({ 'src/app.ts': 'app\nstaged\nnot staged\n' });
    const index = repo.git('diff', '--cached');
    const terminal = new Terminal(repo.dir);
    try {
      terminal.start('review');
      await terminal.waitFor(/› Start free trial/);
      terminal.keys('Enter');
      await terminal.waitFor(new RegExp(`› \\w+\\s+${recent}`));
      terminal.keys('w');
      await terminal.waitFor(/reason:/);
      terminal.type('Covered by the pricing unit tests');
      terminal.keys('Enter');
      await terminal.waitFor(
        /waived \w{7} for trial: wrote flows\/trial\/waivers\.yaml: commit it to record the decision/,
      );
      terminal.keys('q');
      await terminal.waitFor(/EXIT 0/);
    } finally {
      terminal.stop();
    }
    expect(repo.read('flows/trial/waivers.yaml')).toContain('reason: Covered by the pricing unit tests');
    expect(repo.git('diff', '--cached')).toBe(index);
    expect(repo.git('diff', '--cached', '--name-only').trim()).toBe('src/app.ts');
    expect(repo.git('status', '--porcelain', '--', 'flows')).toBe('?? flows/trial/waivers.yaml\n');
  });

  it("m maps an unmapped change's paths into flow.yaml, unstaged, and leaves the index as it was", async () => {
    const { repo } = shop();
    repo.commit('feat(search): search the catalogue (#30)', { 'src/search/index.ts': 'x' }, daysAgo(0.1));
    repo.write({ 'src/app.ts': 'app\nstaged\n' });
    repo.git('add', 'src/app.ts');
    const index = repo.git('diff', '--cached');
    const terminal = new Terminal(repo.dir);
    try {
      terminal.start('review');
      await terminal.waitFor(/› Start free trial/);
      terminal.keys('G');
      terminal.keys('Enter');
      await terminal.waitFor(/Unmapped changes/);
      terminal.keys('m');
      await terminal.waitFor(/to which flow\?/);
      terminal.keys('Enter');
      await terminal.waitFor(/mapped 1 path\(s\) of \w{7} to trial/);
      terminal.keys('q');
      await terminal.waitFor(/EXIT 0/);
    } finally {
      terminal.stop();
    }
    expect(repo.read('flows/trial/flow.yaml')).toContain('src/search/index.ts');
    expect(repo.git('diff', '--cached')).toBe(index);
    expect(repo.git('status', '--porcelain', '--', 'flows')).toBe(' M flows/trial/flow.yaml\n');
  });
});
