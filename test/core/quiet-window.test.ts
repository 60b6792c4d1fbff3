import { describe, expect, it } from 'vitest';
import { quietWindowNote } from '../../src/core/quiet-window.js';

const DAY = 86_400_000;

describe('quietWindowNote', () => {
  it('names a window that does not end now by its dates', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(
      quietWindowNote({
        since: Date.parse('2026-10-01'),
        until: Date.parse('2026-11-01'),
        now,
        newest: Date.parse('2026-08-19T10:00:00Z'),
        branch: 'main',
        flag: '--since',
      }),
    ).toBe(
      'no change from 2026-10-01 to 2026-11-01; the newest change on main is 2026-08-19, 98 days ago: try --since 2026-05-01',
    );
    expect(
      quietWindowNote({
        since: now - 30 * DAY,
        until: now,
        now,
        newest: now - 29 * DAY,
        branch: 'main',
        flag: '--days',
      }),
    ).toBeUndefined();
    expect(
      quietWindowNote({ since: now - 30 * DAY, until: now, now, newest: null, branch: 'main', flag: '--days' }),
    ).toBeUndefined();
  });

  it('counts a window reaching past now up to now, one day or less by its start', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const newest = Date.parse('2026-08-19T10:00:00Z');
    const note = (since: number, until: number) =>
      quietWindowNote({ since, until, now, newest, branch: 'main', flag: '--since' });
    expect(note(now - 30 * DAY, Date.parse('2100-01-01'))).toBe(
      'no change in the last 30 days; the newest change on main is 2026-08-19, 98 days ago: try --since 2026-05-01',
    );
    expect(note(now - DAY, now)).toMatch(/^no change in the last 1 day; /);
    expect(note(now - 2 * 3_600_000, Date.parse('2100-01-01'))).toMatch(/^no change since 2026-11-25; /);
  });
});
