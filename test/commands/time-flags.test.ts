import { afterAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/duration.js';
import { parseIsoTime, parseWhen, timeForms } from '../../src/core/when.js';
import { resolveWindow } from '../../src/core/window.js';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const accepted = `use ${timeForms}`;
const now = Date.parse('2026-12-02T12:00:00Z');

describe('time, duration and week values: refused with the flag, the value and what is accepted', () => {
  it('core: days the calendar lacks, absurd durations and bare numbers are refused, never rolled over', () => {
    expect(parseIsoTime('2023-02-29')).toEqual({ ok: false, reason: '2023-02 has no day 29 (it has 28 days)' });
    expect(parseIsoTime('2024-02-29')).toEqual({ ok: true, time: Date.parse('2024-02-29T00:00:00Z') });
    expect(parseIsoTime('2026-13-01')).toEqual({ ok: false, reason: 'there is no month 13 (months are 01 to 12)' });
    expect(parseIsoTime('2026-04-31T10:00:00Z')).toMatchObject({ ok: false });
    expect(parseIsoTime('2026-01-01T24:00:00Z')).toMatchObject({ ok: false });
    expect(parseIsoTime('0')).toMatchObject({ ok: false });
    expect(parseIsoTime('2026-11-20T17:00:00+0100')).toEqual({ ok: true, time: Date.parse('2026-11-20T16:00:00Z') });
    expect(parseDuration('99999999999999999999d')).toBeUndefined();
    expect(parseDuration('36500d')).toBe(36_500 * 86_400_000);
    expect(parseWhen('99999999999 d ago', now)).toMatchObject({ ok: false });
    expect(parseWhen('2023-02-29T10:00:00Z', now)).toMatchObject({ ok: false });
    expect(resolveWindow({ week: '' }, now)).toMatchObject({ ok: false });
  });

  it('report --since / --until / --week', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'README.md': 'x\n' });
    const cases: [string[], string][] = [
      [
        ['--since', '99999999999999999999d'],
        `--since "99999999999999999999d" is not a time: a duration may be at most 36500d (100 years); ${accepted}`,
      ],
      [
        ['--since', '2026-13-01'],
        `--since "2026-13-01" is not a time: there is no month 13 (months are 01 to 12); ${accepted}`,
      ],
      [
        ['--since', '2023-02-29'],
        `--since "2023-02-29" is not a time: 2023-02 has no day 29 (it has 28 days); ${accepted}`,
      ],
      [
        ['--since', '2025-01-01', '--until', '2025-02-30T00:00:00Z'],
        `--until "2025-02-30T00:00:00Z" is not a time: 2025-02 has no day 30 (it has 28 days); ${accepted}`,
      ],
      [
        ['--week', ''],
        '--week "" is not an ISO week: use one such as 2026-W47 (weeks 01 to 52, or 53 in a year that has one), or last',
      ],
      [['--week', '2026-W00'], '--week "2026-W00" is not an ISO week'],
      [
        ['--max-verify-p90', '99999999999999999999d'],
        '--max-verify-p90 "99999999999999999999d" must be a duration such as 24h or 7d (at most 36500d)',
      ],
    ];
    for (const [flags, message] of cases) {
      const result = repo.verigap(['report', ...flags]);
      expect([flags, result.code, result.stderr]).toEqual([flags, 2, expect.stringContaining(message)]);
      expect(result.stderr).not.toContain('unexpected error');
    }
    expect(repo.verigap(['report', '--since', '2024-02-29', '--format', 'json']).code).toBe(0);
  });

  it('verify ingest --at 0 is refused, not recorded as the year 2000', () => {
    const repo = TestRepo.create();
    const head = repo.commit('chore: start', { 'README.md': 'x\n' });
    repo.write({
      'results.json': JSON.stringify({
        config: { rootDir: repo.dir },
        suites: [],
        stats: { startTime: '2026-11-20T17:00:00.000Z', duration: 1000 },
      }),
    });
    const result = repo.verigap(['verify', 'ingest', 'results.json', '--commit', head, '--at', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--at "0" is not a time; ${accepted}`);
    expect(
      repo.verigap(['verify', 'ingest', 'results.json', '--commit', head, '--at', '2023-02-29T10:00:00Z']).stderr,
    ).toContain('--at "2023-02-29T10:00:00Z" is not a time: 2023-02 has no day 29 (it has 28 days)');
    expect(repo.git('notes', '--ref', 'verigap', 'list')).toBe('');
    expect(
      repo.verigap(['verify', 'ingest', 'results.json', '--commit', head, '--at', '2024-02-29T10:00:00Z']).code,
    ).toBe(0);
  });

  it('incident new --started / --detected', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'flows/checkout/flow.yaml': 'name: Checkout\npaths: [src/**]\n' });
    const base = ['incident', 'new', '--title', 'Cart', '--flow', 'checkout', '--severity', 'SEV2', '--no-test'];
    const leap = repo.verigap([...base, '--started', '2023-02-29T10:00:00Z']);
    expect([leap.code, leap.stderr]).toEqual([
      2,
      expect.stringContaining(
        `--started "2023-02-29T10:00:00Z" is not a time: 2023-02 has no day 29 (it has 28 days); ${accepted}`,
      ),
    ]);
    const far = repo.verigap([...base, '--started', '99999999999999999999d ago']);
    expect([far.code, far.stderr]).toEqual([
      2,
      expect.stringContaining(
        `--started "99999999999999999999d ago" is not a time: a duration may be at most 36500d (100 years); ${accepted}`,
      ),
    ]);
  });
});
