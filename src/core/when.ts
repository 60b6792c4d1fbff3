import { maxDurationMs } from './duration.js';

/**
 * The one grammar of a time a person types (`report --since/--until`, `verify ingest --at`,
 * `incident new --started/--detected/--resolved`, `--from FILE` and the incident form):
 *
 * - `now`; `2h ago`, `30m ago`, `3d ago`, `2w ago` (s, m/min, h, d, w; at most 36500d); `7d` alone means `7d ago`
 * - `today 09:30`, `yesterday 14:00`: that clock time on the machine's local calendar day
 * - `2026-11-20`: midnight UTC (SPEC §5: `--since 2025-01-01` means midnight UTC)
 * - `2026-11-20 17:00` or `2026-11-20T17:00[:00[.000]]`: the machine's local time (as `Date.parse` reads it);
 *   with `Z`, ` UTC` or an offset (`+01:00`, `+0100`, ` UTC+01:00`, as `showInstant` writes it) that zone
 *
 * Every field is checked: a day the calendar lacks (2025-02-29) or a local time the clocks skip is refused, never
 * rolled over. "Local" is the zone of the process (TZ); the clock (`now`) is always an argument.
 */
export const timeForms =
  '"now", "2h ago" (s, m, h, d or w; "7d" alone is 7d ago), "today 09:30", "yesterday 14:00", a date (2026-11-20, midnight UTC), a local time (2026-11-20 17:00) or an ISO 8601 time (2026-11-20T17:00:00Z, +01:00)';

export type When = { ok: true; time: number } | { ok: false; reason: string };

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateAndTime =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|(?: ?UTC)?([+-])(\d{2}):?(\d{2})| ?UTC)?$/i;
const clockOnDay = /^(today|yesterday) +(\d{1,2}):(\d{2})$/i;
const ago = /^(\d+(?:\.\d+)?) *(s|m|min|h|d|w)(?: +ago)?$/i;
const unitMs: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

type Fields = { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number };
type Checked = { ok: true; fields: Fields } | { ok: false; reason: string };

function checkFields(fields: Fields): Checked {
  const { year, month, day, hour, minute, second } = fields;
  if (year < 1000) return { ok: false, reason: `the year ${pad(year, 4)} is out of range (1000 to 9999)` };
  if (month < 1 || month > 12) return { ok: false, reason: `there is no month ${month} (months are 01 to 12)` };
  if (day < 1 || day > daysIn(year, month))
    return {
      ok: false,
      reason: `${pad(year, 4)}-${pad(month)} has no day ${day} (it has ${daysIn(year, month)} days)`,
    };
  if (hour > 23 || minute > 59 || second > 59)
    return { ok: false, reason: 'hours are 00 to 23, minutes and seconds 00 to 59' };
  return { ok: true, fields };
}

/** A wall-clock time in the process's zone; refused when the clocks skip it (the hour a DST change leaves out). */
function localTime(f: Fields): When {
  const date = new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.ms);
  if (
    date.getFullYear() !== f.year ||
    date.getMonth() !== f.month - 1 ||
    date.getDate() !== f.day ||
    date.getHours() !== f.hour ||
    date.getMinutes() !== f.minute
  ) {
    return {
      ok: false,
      reason: `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)} does not exist in the local time zone (the clocks skip it)`,
    };
  }
  return { ok: true, time: date.getTime() };
}

/** The checked fields of a date or an ISO 8601 time, or why they are no time; undefined when the text has neither shape. */
function calendarTime(text: string): When | undefined {
  const date = dateOnly.exec(text);
  const match = date ?? dateAndTime.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const ms = match[7] === undefined ? 0 : Math.floor(Number(`0.${match[7]}`) * 1000);
  const checked = checkFields({ year: year!, month: month!, day: day!, hour, minute, second, ms });
  if (!checked.ok) return checked;
  const f = checked.fields;
  if (date) return { ok: true, time: Date.UTC(f.year, f.month - 1, f.day) };
  if (match[8] === undefined) return localTime(f);
  const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) return { ok: false, reason: 'a zone offset is at most ±23:59' };
  const offsetMs = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return { ok: true, time: Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.ms) - offsetMs };
}

/** A date or an ISO 8601 time only, for times that machines write (a Playwright report's start time). */
export function parseIsoTime(text: string): When {
  return (
    calendarTime(text) ?? {
      ok: false,
      reason: 'expected a date (2026-11-20) or an ISO 8601 time (2026-11-20T17:00:00Z)',
    }
  );
}

/** Reads a time a person typed, against `now`; the reason names the text and the accepted forms. */
export function parseWhen(input: string, now: number): When {
  const text = input.trim();
  const refuse = (why?: string): When => ({
    ok: false,
    reason: `"${text}" is not a time${why ? `: ${why}` : ''}; use ${timeForms}`,
  });
  if (/^now$/i.test(text)) return { ok: true, time: now };
  const before = ago.exec(text);
  if (before) {
    const ms = Number(before[1]) * unitMs[before[2]!.toLowerCase()]!;
    return ms <= maxDurationMs ? { ok: true, time: now - ms } : refuse('a duration may be at most 36500d (100 years)');
  }
  const onDay = clockOnDay.exec(text);
  if (onDay) {
    const [hour, minute] = [Number(onDay[2]), Number(onDay[3])];
    if (hour > 23 || minute > 59) return refuse('hours are 00 to 23, minutes 00 to 59');
    // noon of that day: a calendar day is found without landing in a skipped hour
    const day = new Date(now);
    day.setHours(12, 0, 0, 0);
    if (onDay[1]!.toLowerCase() === 'yesterday') day.setDate(day.getDate() - 1);
    const local = localTime({
      year: day.getFullYear(),
      month: day.getMonth() + 1,
      day: day.getDate(),
      hour,
      minute,
      second: 0,
      ms: 0,
    });
    return local.ok ? local : refuse(local.reason);
  }
  const calendar = calendarTime(text);
  if (calendar === undefined) return refuse();
  return calendar.ok ? calendar : refuse(calendar.reason);
}

/**
 * The instant a time means, to show back to the person who typed it: the local clock and its offset,
 * e.g. `2026-08-07 14:00 UTC+02:00`, or `2026-08-07 12:00 UTC` where local time is UTC.
 */
export function showInstant(time: number): string {
  const date = new Date(time);
  const offset = -date.getTimezoneOffset();
  const seconds =
    date.getSeconds() || date.getMilliseconds()
      ? `:${pad(date.getSeconds())}${date.getMilliseconds() ? `.${pad(date.getMilliseconds(), 3)}` : ''}`
      : '';
  const zone =
    offset === 0
      ? 'UTC'
      : `UTC${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}${seconds} ${zone}`;
}
