const DAY = 86_400_000;

export interface QuietWindow {
  since: number;
  until: number;
  now: number;
  /** The newest indexed change before `until` (ms), or null when there is none. */
  newest: number | null;
  branch: string;
  /** The flag that widens this command's window. */
  flag: '--since' | '--days';
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Why a window shows only zeros: no change in it, and when the newest one was, with the flag that shows it
 * (e.g. "no change in the last 30 days; the newest change on main is 2026-08-19, 98 days ago: try --since 2026-05-01").
 * Undefined when the window holds a change, or the branch has none before it.
 */
export function quietWindowNote({ since, until, now, newest, branch, flag }: QuietWindow): string | undefined {
  if (newest === null || newest >= since) return undefined;
  // a window reaching past now counts its days up to now (`--since 2h ago --until 2100-01-01` is not 26,000 days)
  const days = Math.round((Math.min(until, now) - since) / DAY);
  const window =
    until < now
      ? `from ${day(since)} to ${day(until)}`
      : days >= 1
        ? `in the last ${days} day${days === 1 ? '' : 's'}`
        : `since ${day(since)}`;
  // the quarter before the newest change, from the first of its month: enough to see what was going on
  const at = new Date(newest);
  const from = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 3, 1);
  const widen = flag === '--since' ? `--since ${day(from)}` : `--days ${Math.ceil((now - from) / DAY)}`;
  return `no change ${window}; the newest change on ${branch} is ${day(newest)}, ${Math.floor((now - newest) / DAY)} days ago: try ${widen}`;
}
