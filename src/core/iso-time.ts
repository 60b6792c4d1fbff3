const calendarDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateAndTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?$/i;

/** The accepted forms, for messages. */
export const isoTimeExamples = 'a date (2026-11-20) or an ISO 8601 time (2026-11-20T17:00:00Z)';

const daysIn = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

export type IsoTime = { ok: true; time: number } | { ok: false; reason: string };

/**
 * A calendar date (midnight UTC) or an ISO 8601 time, checked field by field: `Date.parse` alone
 * would read 2023-02-29 as March 1st, "0" as the year 2000 and 2026-13-01 as nothing at all.
 * A time without a zone is the machine's local time, as `Date.parse` reads it.
 */
export function parseIsoTime(text: string): IsoTime {
  const dateOnly = calendarDate.exec(text);
  const match = dateOnly ?? dateAndTime.exec(text);
  if (!match) return { ok: false, reason: `expected ${isoTimeExamples}` };
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (year! < 1000) return { ok: false, reason: `the year ${match[1]} is out of range (1000 to 9999)` };
  if (month! < 1 || month! > 12) return { ok: false, reason: `there is no month ${month} (months are 01 to 12)` };
  if (day! < 1 || day! > daysIn(year!, month!)) return { ok: false, reason: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')} has no day ${day} (it has ${daysIn(year!, month!)} days)` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'hours are 00 to 23, minutes and seconds 00 to 59' };
  const [offsetHours, offsetMinutes] = [Number(match[8] ?? 0), Number(match[9] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) return { ok: false, reason: 'a zone offset is at most ±23:59' };
  const time = dateOnly ? Date.UTC(year!, month! - 1, day!) : Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time) ? { ok: false, reason: `expected ${isoTimeExamples}` } : { ok: true, time };
}
