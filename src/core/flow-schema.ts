import { z } from 'zod';
import { isDuration, parseDuration } from './duration.js';

export const criticalities = ['revenue', 'activation', 'trust', 'retention', 'other'] as const;

/** Longer globs are refused: picomatch throws on 65,536 characters, and no path is that long. */
export const maxGlobLength = 4096;

const glob = z
  .string()
  .min(1, 'a glob may not be empty')
  .max(maxGlobLength, `a glob may be at most ${maxGlobLength} characters; split it into several globs`)
  .refine((g) => !g.startsWith('/') && !g.split('/').includes('..'), {
    message: 'globs are relative to the repository root and may not contain ".." or start with "/"',
  });

/** How often production is checked: from 5 minutes (GitHub's shortest cron) to a day. */
export const scheduleBounds = { min: 5 * 60_000, max: 24 * 3_600_000 } as const;
const inSchedule = (text: string) => {
  const ms = parseDuration(text);
  return ms !== undefined && ms >= scheduleBounds.min && ms <= scheduleBounds.max;
};

/** A tag in test titles (`@production`) or a glob of the flow's test files. */
const productionEntry = z
  .string()
  .min(1, 'a production entry may not be empty')
  .max(maxGlobLength)
  .refine(
    (entry) =>
      /^@[A-Za-z0-9][\w:.-]*$/.test(entry) ||
      (!entry.startsWith('@') && !entry.startsWith('/') && !entry.split('/').includes('..')),
    {
      message:
        'production lists tags such as "@production" or globs of the flow\'s test files relative to the repository root (no "..", no leading "/")',
    },
  );

export const flowSchema = z.strictObject({
  name: z.string({ error: 'name is required (a short title, e.g. "Start free trial")' }).min(1),
  description: z.string().optional(),
  criticality: z
    .enum(criticalities, { error: `criticality must be one of ${criticalities.join(', ')}` })
    .default('other'),
  owner: z.string().optional(),
  paths: z.array(glob, { error: 'paths must be a list of globs, e.g. [src/billing/**]' }).default([]),
  tests: z.array(glob, { error: 'tests must be a list of globs, e.g. [e2e/pricing*.spec.ts]' }).default([]),
  start: z.string().startsWith('/', 'start is a path on baseURL and begins with "/"').optional(),
  within: z.string().refine(isDuration, 'within is a duration such as 4h, 24h or 7d (at most 36500d)').optional(),
  production: z
    .array(productionEntry, {
      error: "production must be a list of tags or globs, e.g. ['@production'] or [e2e/checkout.smoke.spec.ts]",
    })
    .optional(),
  schedule: z
    .string()
    .refine(inSchedule, 'schedule is how often production is checked, from 5m to 24h, e.g. 15m or 1h')
    .optional(),
});

export type FlowFile = z.infer<typeof flowSchema>;
