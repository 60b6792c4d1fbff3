const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** The longest duration accepted anywhere: 100 years (longer ones are typos, and past the calendar). */
export const maxDurationMs = 36_500 * unitMs.d;

/** The accepted forms, for messages. */
export const durationExamples = 'a duration such as 90s, 30m, 4h, 7d or 2w (at most 36500d)';

/** Parses "90s", "30m", "4h", "7d", "2w" (also "1.5h") into milliseconds; undefined when it is not one, or is over 100 years. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  return ms <= maxDurationMs ? ms : undefined;
}

/** Whether the text is a duration parseDuration accepts (for zod schemas of verigap.yaml and flow.yaml). */
export const isDuration = (text: string): boolean => parseDuration(text) !== undefined;

/** `--days N`: a whole number of days from 1 to 36500 (100 years, like any duration); undefined otherwise. */
export function parseDays(text: string): number | undefined {
  const days = Number(text);
  return Number.isInteger(days) && days > 0 && days * unitMs.d <= maxDurationMs ? days : undefined;
}

export const daysExamples = 'a whole number of days from 1 to 36500 (e.g. 30)';
