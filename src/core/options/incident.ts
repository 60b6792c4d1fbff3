import { z } from 'zod';
import { flag, optionalText, problem } from './parse.js';

/** `--attempts` and `--repeat`: a whole number from 1 to 20. */
const count = (name: string) =>
  z.string().transform((text, ctx) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 20) {
      problem(ctx, `${name} must be a whole number from 1 to 20, got "${text}"`);
      return z.NEVER;
    }
    return n;
  });

const isHttpUrl = (url: string) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);

/** `verigap incident test <id>`. */
export const incidentTestOptions = z
  .object({
    provider: z.enum(['openai', 'steps']).optional(),
    baseUrl: optionalText,
    prove: flag,
    beforeUrl: optionalText,
    afterUrl: optionalText,
    pr: flag,
    attempts: count('--attempts'),
    repeat: count('--repeat'),
    spec: optionalText,
  })
  // --before-url/--after-url: both, only with --prove, absolute http(s) URLs
  .superRefine(({ beforeUrl, afterUrl, prove, pr, spec }, ctx) => {
    if (beforeUrl || afterUrl) {
      if (!beforeUrl || !afterUrl)
        return problem(
          ctx,
          '--before-url and --after-url go together: the deployed revision before the fix, and the deployed fix',
        );
      if (!prove) return problem(ctx, '--before-url and --after-url are for --prove', 'add --prove');
      for (const [name, url] of [
        ['--before-url', beforeUrl],
        ['--after-url', afterUrl],
      ] as const) {
        if (!isHttpUrl(url))
          return problem(
            ctx,
            `${name} "${url}" is not an http(s) URL`,
            'e.g. --before-url https://pr-41.preview.example.com',
          );
      }
    }
    if (spec !== undefined && pr && !prove)
      problem(
        ctx,
        "--pr with --spec needs --prove: a test you wrote is recorded as the incident's regression test once it is proven",
        'add --prove',
      );
  })
  .transform(({ beforeUrl, afterUrl, ...options }) => ({
    ...options,
    deployments: beforeUrl && afterUrl ? { before: beforeUrl, after: afterUrl } : undefined,
  }));

export type IncidentTestOptions = z.output<typeof incidentTestOptions>;
export type IncidentTestFlags = z.input<typeof incidentTestOptions>;

/** `verigap incident new`: whether a title is missing depends on --from's file, so the command checks it. */
export const incidentNewOptions = z
  .object({
    title: optionalText,
    flow: optionalText,
    severity: optionalText,
    started: optionalText,
    detected: optionalText,
    resolved: optionalText,
    fixedBy: optionalText,
    introducedBy: optionalText,
    detection: optionalText,
    bodyFile: optionalText,
    from: optionalText,
    test: z.boolean().default(true),
  })
  .transform(({ flow, ...options }) => ({ ...options, flows: flow?.split(',').map((id) => id.trim()) }));

export type IncidentNewFlags = z.input<typeof incidentNewOptions>;
