import { z } from 'zod';
import { isDuration } from './duration.js';

export const criticalities = ['revenue', 'activation', 'trust', 'retention', 'other'] as const;

/** Longer globs are refused: picomatch throws on 65,536 characters, and no path is that long. */
export const maxGlobLength = 4096;

const glob = z.string().min(1, 'a glob may not be empty').max(maxGlobLength, `a glob may be at most ${maxGlobLength} characters; split it into several globs`).refine((g) => !g.startsWith('/') && !g.split('/').includes('..'), {
  message: 'globs are relative to the repository root and may not contain ".." or start with "/"',
});

export const flowSchema = z.strictObject({
  name: z.string({ error: 'name is required (a short title, e.g. "Start free trial")' }).min(1),
  description: z.string().optional(),
  criticality: z.enum(criticalities, { error: `criticality must be one of ${criticalities.join(', ')}` }).default('other'),
  owner: z.string().optional(),
  paths: z.array(glob, { error: 'paths must be a list of globs, e.g. [src/billing/**]' }).default([]),
  tests: z.array(glob, { error: 'tests must be a list of globs, e.g. [e2e/pricing*.spec.ts]' }).default([]),
  start: z.string().startsWith('/', 'start is a path on baseURL and begins with "/"').optional(),
  within: z.string().refine(isDuration, 'within is a duration such as 4h, 24h or 7d (at most 36500d)').optional(),
});

export type FlowFile = z.infer<typeof flowSchema>;
