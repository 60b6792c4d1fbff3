import { afterAll, describe, expect, it } from 'vitest';
import { parseWhen } from '../../src/core/when.js';
import { ZONE, table } from '../core/when-table.js';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const zoneBefore = process.env.TZ;
/** What the relative input means at `now` read in ZONE, as the CLI process (TZ=ZONE) reads it. */
function inZoneAt(input: string, now: number): number {
  process.env.TZ = ZONE;
  try {
    const parsed = parseWhen(input, now);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.time;
  } finally {
    if (zoneBefore === undefined) delete process.env.TZ;
    else process.env.TZ = zoneBefore;
  }
}

describe('the time grammar table through report --since (the CLI, TZ=Europe/Berlin)', () => {
  it('each input: the window starts at the instant the table says, or the run is refused with the same words', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'README.md': 'x\n' });
    // a refusal of "today 02:30" holds only on the day the clocks skip it, which the real clock is not
    for (const { input, means, relative } of table.filter((row) => !(row.relative && 'refused' in row.means))) {
      const before = Date.now();
      const result = repo.verigap(['report', '--since', input, '--until', '2100-01-01', '--format', 'json'], {
        TZ: ZONE,
      });
      const after = Date.now();
      if ('refused' in means) {
        expect([input, result.code, result.stdout]).toEqual([input, 2, '']);
        expect(result.stderr).toContain(`--since ${means.refused}`);
        continue;
      }
      // a window with no change in it says so (and when the newest one was): a note, not a refusal
      expect([
        input,
        result.code,
        result.stderr.replace(
          /^no change (in the last \d+ days?|since \d{4}-\d\d-\d\d); the newest change on main is .*\n$/,
          '',
        ),
      ]).toEqual([input, 0, '']);
      const since = Date.parse((JSON.parse(result.stdout) as { window: { since: string } }).window.since);
      if (relative) {
        expect([input, since]).toEqual([input, expect.any(Number)]);
        expect(since, input).toBeGreaterThanOrEqual(inZoneAt(input, before));
        expect(since, input).toBeLessThanOrEqual(inZoneAt(input, after));
      } else {
        expect([input, new Date(since).toISOString()]).toEqual([input, means.at]);
      }
    }
  });
});

describe('incident new --started reads the same grammar and says what it meant', () => {
  it('a local time, a bare date and a refused day', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'flows/checkout/flow.yaml': 'name: Checkout\npaths: [src/**]\n' });
    const base = ['incident', 'new', '--title', 'Cart', '--flow', 'checkout', '--severity', 'SEV2', '--no-test'];
    const local = repo.verigap([...base, '--started', '2026-08-07 14:00', '--detected', '2026-08-08'], { TZ: ZONE });
    expect([local.code, local.stdout]).toEqual([
      0,
      'Wrote incidents/2026-08-07-cart.md (started 2026-08-07 14:00 UTC+02:00).\n',
    ]);
    expect(repo.read('incidents/2026-08-07-cart.md')).toMatch(
      /started_at: 2026-08-07T12:00:00\.000Z\ndetected_at: 2026-08-08T00:00:00\.000Z/,
    );
    const refused = table.find((row) => row.input === '2025-02-29')!.means as { refused: string };
    const leap = repo.verigap([...base, '--started', '2025-02-29'], { TZ: ZONE });
    expect([leap.code, leap.stderr]).toEqual([2, expect.stringContaining(`--started ${refused.refused}`)]);
  });
});
