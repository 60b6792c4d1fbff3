import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A repository whose main has been quiet for 98 days: its last feature is old. */
function quietRepo() {
  const repo = TestRepo.create();
  const start = Date.now() - 200 * DAY;
  repo.commit(
    'chore: start',
    { 'flows/trial/flow.yaml': 'name: Start free trial\npaths: [src/**]\n' },
    new Date(start).toISOString(),
  );
  const newest = Date.now() - 98 * DAY - 3_600_000;
  repo.commit('feat: annual plans', { 'src/annual.ts': 'x' }, new Date(newest).toISOString());
  return { repo, newest };
}

/** The first of the month three months before the newest change: the date the note suggests. */
const suggested = (newest: number) => {
  const at = new Date(newest);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 3, 1);
};

describe('an empty window says why: the newest change on the branch and the flag that shows it', () => {
  it('flows list, flows show, review and report on a main quiet for 98 days', () => {
    const { repo, newest } = quietRepo();
    const since = suggested(newest);

    const flows = repo.verigap(['flows', 'list']);
    expect(flows.code, flows.stderr).toBe(0);
    const days = Math.ceil((Date.now() - since) / DAY);
    // the suggestion is computed at the CLI's now, a moment before this test's
    expect(flows.stdout).toMatch(
      new RegExp(
        `no change in the last 30 days; the newest change on main is ${day(newest)}, 98 days ago: try --days (${days}|${days - 1})\\n`,
      ),
    );

    const shown = repo.verigap(['flows', 'show', 'trial']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(
      new RegExp(
        `features in the last 30 days \\(0\\)[^\\n]*\\n  none\\n\\nno change in the last 30 days; the newest change on main is ${day(newest)}, 98 days ago: try --days (${days}|${days - 1})\\n`,
      ),
    );

    const review = repo.verigap(['review']);
    expect(review.code, review.stderr).toBe(0);
    expect(review.stdout).toMatch(
      new RegExp(
        `no change in the last 30 days; the newest change on main is ${day(newest)}, 98 days ago: try --days (${days}|${days - 1})\\n`,
      ),
    );

    const report = repo.verigap(['report', '--since', '90d']);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain(
      `no change in the last 90 days; the newest change on main is ${day(newest)}, 98 days ago: try --since ${day(since)}\n`,
    );
    expect(report.stdout).not.toContain('no change in the last');

    // the suggested window shows the change
    const widened = repo.verigap(['report', '--since', day(since)]);
    expect(widened.code, widened.stderr).toBe(0);
    expect(widened.stderr).not.toContain('no change');
  });

  it('says nothing under --json, nor when the window holds a change', () => {
    const { repo } = quietRepo();
    for (const args of [['flows', 'list'], ['flows', 'show', 'trial'], ['review'], ['report', '--since', '90d']]) {
      const result = repo.verigap(['--json', ...args]);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toBeTruthy();
      expect(result.stdout + result.stderr).not.toContain('no change in the last');
    }
    for (const args of [
      ['flows', 'list', '--days', '120'],
      ['review', '--days', '120'],
      ['report', '--since', '120d'],
    ]) {
      const result = repo.verigap(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).not.toContain('no change');
    }
  });
});
