import { z } from 'zod';
import { InputError } from '../../errors.js';

/** A problem with a flag: its message, and the hint cli.ts prints under it (carried in the issue's params). */
export function problem(ctx: z.RefinementCtx, message: string, hint?: string): void {
  ctx.addIssue({ code: 'custom', message, params: hint === undefined ? {} : { hint } });
}

/** Runs a command's option schema on what commander hands over; the first problem is an InputError (exit 2). */
export function parseOptions<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const hint = issue?.code === 'custom' ? (issue.params?.hint as string | undefined) : undefined;
  throw new InputError(issue?.message ?? 'invalid options', hint);
}

/** A flag commander leaves out when it is not given. */
export const optionalText = z.string().optional();

/** A flag without a value: commander hands over true or false (its default). */
export const flag = z.boolean().default(false);
