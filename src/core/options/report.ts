import { z } from 'zod';
import { parseDuration } from '../duration.js';
import { HOUR } from '../percentile.js';
import type { GateSpec } from '../report-model.js';
import { optionalText, problem } from './parse.js';

const formats = ['md', 'json', 'html'] as const;
export type Format = (typeof formats)[number];

const formatList = (text: string) => text.split(',').map((format) => format.trim());

/** `--fail-under coverage=0.8,verified=0.6`: the shares below which the report fails. */
const shares = optionalText.transform((text, ctx) => {
  const gates: Pick<GateSpec, 'coverage' | 'verified'> = {};
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [name, value] = part.split('=');
    const threshold = Number(value);
    if ((name !== 'coverage' && name !== 'verified') || !(threshold >= 0 && threshold <= 1)) {
      problem(
        ctx,
        `--fail-under "${part}": expected coverage=<0..1> or verified=<0..1>, e.g. --fail-under coverage=0.8,verified=0.6`,
      );
      return z.NEVER;
    }
    gates[name] = threshold;
  }
  return gates;
});

/** A duration gate such as `--max-verify-p90 24h`, in hours. */
const hours = (flag: string) =>
  optionalText.transform((text, ctx) => {
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined) {
      problem(ctx, `${flag} "${text}" must be a duration such as 24h or 7d (at most 36500d)`);
      return z.NEVER;
    }
    return ms / HOUR;
  });

/**
 * `verigap report`. Two stages (a pipe's second runs only when its first passed), so that the first problem is the
 * one named before: the formats and where they go, then the gates. The window (--since, --until, --week) reads
 * the clock: the command resolves it.
 */
export const reportOptions = z
  .object({
    since: optionalText,
    until: optionalText,
    week: optionalText,
    format: z.string().superRefine((text, ctx) => {
      const unknown = formatList(text).filter((format) => !formats.includes(format as Format));
      if (unknown.length > 0)
        problem(ctx, `--format: unknown ${unknown.join(', ')}; use md, json, html (comma-separated)`);
    }),
    out: optionalText,
    failUnder: optionalText,
    maxVerifyP90: optionalText,
    maxUntestedIncidentAge: optionalText,
  })
  .superRefine(({ format, out }, ctx) => {
    const count = formatList(format).length;
    if (!out && count > 1)
      problem(
        ctx,
        `--format ${format} makes ${count} files: add --out reports/ (without --out, the one format asked for is printed)`,
      );
  })
  .pipe(
    z
      .object({
        since: optionalText,
        until: optionalText,
        week: optionalText,
        format: z.string().transform((text) => formatList(text) as Format[]),
        out: optionalText,
        failUnder: shares,
        maxVerifyP90: hours('--max-verify-p90'),
        maxUntestedIncidentAge: hours('--max-untested-incident-age'),
      })
      .transform(({ failUnder, maxVerifyP90, maxUntestedIncidentAge, ...options }) => ({
        ...options,
        gates: {
          ...failUnder,
          maxVerifyP90Hours: maxVerifyP90,
          maxUntestedIncidentAgeHours: maxUntestedIncidentAge,
        } satisfies GateSpec,
      })),
  );

/** What commander hands over. */
export type ReportFlags = z.input<typeof reportOptions>;
