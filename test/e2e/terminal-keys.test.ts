import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';
import { Terminal } from '../helpers/terminal.js';

afterAll(removeTempDirs);

/** A repository with flows a … f, so that the review's first list has rows to move over. */
function repoWithFlows(): TestRepo {
  const repo = TestRepo.create();
  repo.commit(
    'chore: start',
    Object.fromEntries(
      [...'abcdef'].map((id) => [`flows/${id}/flow.yaml`, `name: Flow ${id.toUpperCase()}\npaths: [src/${id}/**]\n`]),
    ),
  );
  return repo;
}

describe('keys as a terminal delivers them (tmux: batched reads, bracketed paste)', () => {
  it('review: send-keys jjj, read at once, moves three rows; kk two back', async () => {
    const terminal = new Terminal(repoWithFlows().dir);
    try {
      terminal.start('review');
      await terminal.waitFor(/› Flow A/);
      terminal.type('jjj');
      await terminal.waitFor(/› Flow D/);
      terminal.type('kk');
      await terminal.waitFor(/› Flow B/);
      terminal.keys('q');
      await terminal.waitFor(/EXIT 0/);
    } finally {
      terminal.stop();
    }
  });

  it('the form: a pasted line fills a field, ← then a letter inserts mid-word, a multi-line paste gives one step a line', async () => {
    const repo = repoWithFlows();
    const terminal = new Terminal(repo.dir);
    try {
      terminal.start('incident new --no-test');
      await terminal.waitFor(/New incident/);
      // a "q" or a tab in a paste is text, not a key
      terminal.paste('Annual price quietly\tshows monthly');
      await terminal.waitFor(/Title\s+Annual price quietly\s+shows monthly/);
      terminal.keys('C-u');
      terminal.type('Chekout fails');
      await terminal.waitFor(/Title\s+Chekout fails/);
      terminal.keys(...Array<string>(10).fill('Left'));
      terminal.type('c');
      await terminal.waitFor(/Title\s+Checkout fails/);
      terminal.keys('End');
      terminal.type('!');
      await terminal.waitFor(/Title\s+Checkout fails!/);
      for (let field = 0; field < 8; field++) terminal.keys('Tab');
      await terminal.waitFor(/› Steps/);
      terminal.paste('Go to /pricing\nClick "Annual"\nExpect the text "$100 / year" to be visible\n');
      const screen = await terminal.waitFor(/3 ✔ Expect the text "\$100 \/ year" to be visible/);
      expect(screen).toMatch(/1 ✔ Go to \/pricing\s*\n/);
      expect(screen).toMatch(/2 ✔ Click "Annual"\s*\n/);
      terminal.keys('C-c');
      await terminal.waitFor(/EXIT 0/);
    } finally {
      terminal.stop();
    }
  });
});
