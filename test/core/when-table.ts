import { timeForms } from '../../src/core/when.js';

/** The zone the table is read in: Europe/Berlin moves its clocks from 02:00 to 03:00 on 2026-03-29. */
export const ZONE = 'Europe/Berlin';
/** 2026-03-29 12:00 in Berlin (CEST, UTC+2), the day of the change. */
export const NOW = Date.parse('2026-03-29T10:00:00Z');

/** What a refusal says after the input: every one ends with the accepted forms. */
export const refusal = (input: string, why?: string) =>
  `"${input}" is not a time${why ? `: ${why}` : ''}; use ${timeForms}`;

export interface Row {
  input: string;
  /** The instant it means at NOW in ZONE (an ISO string), or the whole refusal. */
  means: { at: string } | { refused: string };
  /** Read against the clock ("2h ago", "today 09:30"), so a CLI run can only bracket it. */
  relative?: true;
}

export const table: Row[] = [
  { input: 'now', means: { at: '2026-03-29T10:00:00.000Z' }, relative: true },
  { input: 'NOW', means: { at: '2026-03-29T10:00:00.000Z' }, relative: true },
  { input: '2h ago', means: { at: '2026-03-29T08:00:00.000Z' }, relative: true },
  { input: '30m ago', means: { at: '2026-03-29T09:30:00.000Z' }, relative: true },
  { input: '45 min ago', means: { at: '2026-03-29T09:15:00.000Z' }, relative: true },
  { input: '3d ago', means: { at: '2026-03-26T10:00:00.000Z' }, relative: true },
  { input: '1w ago', means: { at: '2026-03-22T10:00:00.000Z' }, relative: true },
  { input: '7d', means: { at: '2026-03-22T10:00:00.000Z' }, relative: true },
  { input: '1.5h', means: { at: '2026-03-29T08:30:00.000Z' }, relative: true },
  // the clock times of the change day: before it CET (+01:00), after it CEST (+02:00), 02:30 never happens
  { input: 'today 09:30', means: { at: '2026-03-29T07:30:00.000Z' }, relative: true },
  { input: 'today 01:30', means: { at: '2026-03-29T00:30:00.000Z' }, relative: true },
  {
    input: 'today 02:30',
    means: {
      refused: refusal('today 02:30', '2026-03-29 02:30 does not exist in the local time zone (the clocks skip it)'),
    },
    relative: true,
  },
  { input: 'yesterday 14:00', means: { at: '2026-03-28T13:00:00.000Z' }, relative: true },
  { input: 'Yesterday 9:05', means: { at: '2026-03-28T08:05:00.000Z' }, relative: true },
  // a date alone is midnight UTC (SPEC §5), whatever the zone
  { input: '2026-08-08', means: { at: '2026-08-08T00:00:00.000Z' } },
  { input: '2024-02-29', means: { at: '2024-02-29T00:00:00.000Z' } },
  // a time without a zone is local: summer +02:00, winter +01:00
  { input: '2026-08-07 14:00', means: { at: '2026-08-07T12:00:00.000Z' } },
  { input: '2026-08-07T14:00', means: { at: '2026-08-07T12:00:00.000Z' } },
  { input: '2026-01-07 14:00:30', means: { at: '2026-01-07T13:00:30.000Z' } },
  { input: '2024-02-29 12:00', means: { at: '2024-02-29T11:00:00.000Z' } },
  // 02:30 happens twice on 2026-10-25: the first one (still CEST) is meant
  { input: '2026-10-25 02:30', means: { at: '2026-10-25T00:30:00.000Z' } },
  {
    input: '2026-03-29 02:30',
    means: {
      refused: refusal(
        '2026-03-29 02:30',
        '2026-03-29 02:30 does not exist in the local time zone (the clocks skip it)',
      ),
    },
  },
  // with a zone, that zone
  { input: '2026-11-20T17:00:00Z', means: { at: '2026-11-20T17:00:00.000Z' } },
  { input: '2026-11-20T17:00:00+01:00', means: { at: '2026-11-20T16:00:00.000Z' } },
  { input: '2026-11-20T17:00+0100', means: { at: '2026-11-20T16:00:00.000Z' } },
  { input: '2026-11-20 17:00 UTC', means: { at: '2026-11-20T17:00:00.000Z' } },
  { input: '2026-11-20 17:00 UTC-05:30', means: { at: '2026-11-20T22:30:00.000Z' } },
  { input: '2026-11-20T17:00:00.250-05:30', means: { at: '2026-11-20T22:30:00.250Z' } },
  // refused, naming the input, the reason and the accepted forms
  { input: '2025-02-29', means: { refused: refusal('2025-02-29', '2025-02 has no day 29 (it has 28 days)') } },
  { input: '2026-02-30', means: { refused: refusal('2026-02-30', '2026-02 has no day 30 (it has 28 days)') } },
  {
    input: '2026-04-31 10:00',
    means: { refused: refusal('2026-04-31 10:00', '2026-04 has no day 31 (it has 30 days)') },
  },
  { input: '2026-13-01', means: { refused: refusal('2026-13-01', 'there is no month 13 (months are 01 to 12)') } },
  { input: '0999-01-01', means: { refused: refusal('0999-01-01', 'the year 0999 is out of range (1000 to 9999)') } },
  {
    input: '2026-11-20 24:00',
    means: { refused: refusal('2026-11-20 24:00', 'hours are 00 to 23, minutes and seconds 00 to 59') },
  },
  { input: 'today 24:00', means: { refused: refusal('today 24:00', 'hours are 00 to 23, minutes 00 to 59') } },
  {
    input: '2026-11-20T17:00+24:00',
    means: { refused: refusal('2026-11-20T17:00+24:00', 'a zone offset is at most ±23:59') },
  },
  { input: '36501d ago', means: { refused: refusal('36501d ago', 'a duration may be at most 36500d (100 years)') } },
  { input: 'yesterday-ish', means: { refused: refusal('yesterday-ish') } },
  { input: '0', means: { refused: refusal('0') } },
  { input: '2h from now', means: { refused: refusal('2h from now') } },
];
