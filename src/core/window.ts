import { parseWhen } from './when.js';

const WEEK = 7 * 86_400_000;

export interface Window {
  since: number;
  until: number;
  /** The ISO week (2026-W47) when the window is one (`--week`): only those feed the weekly trend. */
  week: string | null;
  /** The report files' base name: `2026-W47` for a week, `2026-09-03--2026-12-02` for any other window. */
  name: string;
  title: string;
}

/** Monday 00:00 UTC of an ISO week such as 2026-W47; undefined when it is not one. */
export function isoWeekStart(week: string): number | undefined {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) return undefined;
  const [year, number] = [Number(match[1]), Number(match[2])];
  if (number < 1 || number > 53) return undefined;
  const jan4 = Date.UTC(year, 0, 4);
  const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  const start = mondayOfWeek1 + (number - 1) * 7 * 86_400_000;
  return isoWeekOf(start) === week ? start : undefined;
}

export function isoWeekOf(time: number): string {
  const date = new Date(time);
  const day = (date.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export type WindowResult = { ok: true; window: Window } | { ok: false; reason: string };

export function resolveWindow(
  options: { since?: string | undefined; until?: string | undefined; week?: string | undefined },
  now: number,
): WindowResult {
  if (options.week !== undefined) {
    if (options.since !== undefined || options.until !== undefined)
      return { ok: false, reason: '--week cannot be combined with --since or --until' };
    // `last`: the last full ISO week before now (on a Monday, the week that just ended)
    const week = options.week === 'last' ? isoWeekOf(isoWeekStart(isoWeekOf(now))! - 7 * 86_400_000) : options.week;
    const start = isoWeekStart(week);
    if (start === undefined)
      return {
        ok: false,
        reason: `--week "${options.week}" is not an ISO week: use one such as 2026-W47 (weeks 01 to 52, or 53 in a year that has one), or last`,
      };
    return { ok: true, window: { since: start, until: start + 7 * 86_400_000, week, name: week, title: week } };
  }
  // --since and --until read the one time grammar (core/when.ts): 7d, 2h ago, 2025-01-01 (midnight UTC), yesterday 14:00…
  const since = parseWhen(options.since ?? '7d', now);
  if (!since.ok) return { ok: false, reason: `--since ${since.reason}` };
  const until = options.until === undefined ? { ok: true as const, time: now } : parseWhen(options.until, now);
  if (!until.ok) return { ok: false, reason: `--until ${until.reason}` };
  if (since.time >= until.time)
    return {
      ok: false,
      reason: `the window is empty: since (${new Date(since.time).toISOString()}) is not before until (${new Date(until.time).toISOString()})`,
    };
  const [from, to] = [new Date(since.time).toISOString().slice(0, 10), new Date(until.time).toISOString().slice(0, 10)];
  return {
    ok: true,
    window: { since: since.time, until: until.time, week: null, name: `${from}--${to}`, title: `${from} → ${to}` },
  };
}

/** The ISO weeks of the trend: the `count` weeks up to the window's week, or before its end when it is not a week. */
export function trendWeeks(
  window: Pick<Window, 'until' | 'week'>,
  count = 12,
): { week: string; since: number; until: number }[] {
  const lastStart = window.week ? isoWeekStart(window.week)! : isoWeekStart(isoWeekOf(window.until))! - WEEK;
  return Array.from({ length: count }, (_, i) => {
    const since = lastStart - (count - 1 - i) * WEEK;
    return { week: isoWeekOf(since), since, until: since + WEEK };
  });
}
