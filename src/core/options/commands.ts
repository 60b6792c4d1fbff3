import { z } from 'zod';
import { daysExamples, parseDays } from '../duration.js';
import { bracesBalanced, splitGlobList } from '../glob.js';
import { flag, optionalText, problem } from './parse.js';

/** `--days N` of flows and review: a window whose start can still be printed. */
const days = z.string().transform((text, ctx) => {
  const n = parseDays(text);
  if (n === undefined) {
    problem(ctx, `--days must be ${daysExamples}, got "${text}"`);
    return z.NEVER;
  }
  return n;
});

/** A comma-separated glob option as a list; commas inside `{a,b}` belong to their glob. */
const globList = (name: string) =>
  z.string().transform((text, ctx) => {
    const globs = splitGlobList(text);
    const broken = globs.find((glob) => !bracesBalanced(glob));
    if (broken === undefined) return globs;
    problem(
      ctx,
      `${name} glob "${broken}" has a "{" without its "}" (or the other way round)`,
      `close the group, e.g. ${name} "src/{billing,pricing}/**,web/pricing.tsx"`,
    );
    return z.NEVER;
  });

/** `verigap flows list` and `flows show <id>`; whether the flow exists is for the command to find out. */
export const flowsOptions = z.object({ days });

/** `verigap flows add <id>`. */
export const addFlowOptions = z.object({
  name: z.string(),
  paths: globList('--paths'),
  tests: globList('--tests').default([]),
  criticality: z.string().default('other'),
  owner: optionalText,
  description: optionalText,
  start: optionalText,
  within: optionalText,
  production: globList('--production').optional(),
  schedule: optionalText,
});

/** `verigap review`. */
export const reviewOptions = z.object({ days, base: optionalText });

/** `verigap affected`. */
export const affectedOptions = z.object({
  base: optionalText,
  head: optionalText,
  failOn: z.enum(['untested-flow']).optional(),
  requireOwnTest: flag,
  comment: flag,
  pr: optionalText.transform((text, ctx) => {
    if (text === undefined) return undefined;
    const pr = Number(text);
    if (Number.isInteger(pr) && pr > 0) return pr;
    problem(ctx, `--pr "${text}" must be a pull request number, e.g. --pr 42`);
    return z.NEVER;
  }),
});

/** `verigap init`. */
export const initOptions = z
  .object({ ci: z.enum(['github']).optional(), playwright: flag, production: optionalText })
  .superRefine(({ ci, production }, ctx) => {
    if (production !== undefined && ci !== 'github')
      problem(
        ctx,
        '--production writes the production workflow of --ci github',
        `run verigap init --ci github --production ${production}`,
      );
  });

/** `verigap demo`. */
export const demoOptions = z.object({ dir: optionalText });

/** `verigap sync`. */
export const syncOptions = z.object({ rebuild: flag });

/** What commander hands over to each command. */
export type FlowsFlags = z.input<typeof flowsOptions>;
export type AddFlowFlags = z.input<typeof addFlowOptions>;
export type ReviewFlags = z.input<typeof reviewOptions>;
export type AffectedFlags = z.input<typeof affectedOptions>;
export type InitFlags = z.input<typeof initOptions>;
export type DemoFlags = z.input<typeof demoOptions>;
export type SyncFlags = z.input<typeof syncOptions>;
