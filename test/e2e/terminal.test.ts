import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';
import { Terminal } from '../helpers/terminal.js';

afterAll(removeTempDirs);

describe('the terminal UI in a real terminal (tmux)', () => {
  it('records an incident through the form, then reviews it, drills down, waives and quits; Git holds each decision', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', {
      'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n',
      'flows/trial/signup.spec.ts': "import { test } from '@playwright/test';\ntest('signup', async () => {});\n",
    });
    const feature = repo.commit(
      'feat(billing): show the annual price (#21)',
      { 'src/billing/annual.ts': 'x' },
      new Date(Date.now() - 3 * 3_600_000).toISOString(),
    );
    const terminal = new Terminal(repo.dir);
    try {
      // 1. the form
      terminal.start('incident new --no-test');
      await terminal.waitFor(/New incident/);
      terminal.type('Annual price shows the monthly amount');
      terminal.keys('Tab', 'Space', 'Enter', 'Enter');
      terminal.type('2h ago');
      terminal.keys('Enter');
      terminal.type('not a time');
      await terminal.waitFor(/✖ "not a time" is not a time/);
      terminal.keys('C-u');
      terminal.type('1h ago');
      terminal.keys('Enter', 'Enter', 'Enter');
      terminal.type('The pricing page showed $10 for the annual plan.');
      terminal.keys('Tab');
      terminal.type('Go to /pricing');
      terminal.keys('Enter');
      terminal.type('Click "Annual"');
      terminal.keys('Enter');
      terminal.type('Expect the text "$100 / year" to be visible');
      await terminal.waitFor(/3 ✔ Expect the text "\$100 \/ year" to be visible/);
      terminal.keys('C-s');
      await terminal.waitFor(/Preview/);
      terminal.keys('Enter');
      await terminal.waitFor(/EXIT 0/);
      const [file] = readdirSync(join(repo.dir, 'incidents'));
      expect(file).toMatch(/^\d{4}-\d{2}-\d{2}-annual-price-shows-the-monthly-amount\.md$/);
      const incident = repo.read(`incidents/${file}`);
      expect(incident).toContain('title: Annual price shows the monthly amount');
      expect(incident).toContain('flows: [trial]');
      expect(incident).toContain('3. Expect the text "$100 / year" to be visible');
      expect(repo.git('status', '--porcelain')).toContain(`?? incidents/`);

      // 2. the review: the incident is there, without a test; the feature is covered but unverified; waive it
      terminal.start('review');
      await terminal.waitFor(/Flows\s+Incidents/);
      terminal.keys('Tab');
      await terminal.waitFor(/Annual price shows the monthly.*open\s+trial\s+none/);
      terminal.keys('Tab', 'Enter');
      await terminal.waitFor(
        new RegExp(`› covered\\s+${feature.slice(0, 7)}\\s+feat\\(billing\\): show the annual price`),
      );
      terminal.keys('w');
      await terminal.waitFor(/reason:/);
      terminal.type('Covered by the pricing unit tests');
      terminal.keys('Enter');
      await terminal.waitFor(/waived \w{7} for trial: wrote flows\/trial\/waivers\.yaml: commit it/);
      await terminal.waitFor(new RegExp(`› waived\\s+${feature.slice(0, 7)}`));
      terminal.keys('q');
      await terminal.waitFor(/EXIT 0/);
    } finally {
      terminal.stop();
    }
    expect(repo.read('flows/trial/waivers.yaml')).toContain(
      `- sha: ${stringify(feature.slice(0, 12)).trim()}\n  reason: Covered by the pricing unit tests\n  by: dev@example.com\n`,
    );
    // written, not staged: the index is the person's
    expect(repo.git('diff', '--cached', '--name-only').trim()).toBe('');
    expect(repo.verigapJson(['review']).flows[0]).toEqual(expect.objectContaining({ waived: 1, covered: 0 }));
  });

  it('Ctrl-C in the middle of the form loses nothing: the draft is offered next time', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'flows/trial/flow.yaml': 'name: Start free trial\npaths: [src/**]\n' });
    const terminal = new Terminal(repo.dir);
    try {
      terminal.start('incident new');
      await terminal.waitFor(/New incident/);
      terminal.type('Checkout times out');
      terminal.keys('Tab', 'Space');
      await terminal.waitFor(/\[x\] trial/);
      terminal.keys('C-c');
      await terminal.waitFor(/EXIT 0/);
      expect(readdirSync(join(repo.dir, '.verigap', 'drafts'))).toHaveLength(1);
      terminal.start('incident new');
      await terminal.waitFor(/unsaved incident draft was found/);
      await terminal.waitFor(/“Checkout times out” · trial/);
      terminal.keys('y');
      await terminal.waitFor(/Title\s+Checkout times out/);
      terminal.keys('C-c');
    } finally {
      terminal.stop();
    }
  });
});
