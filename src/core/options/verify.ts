// The options of `verify ingest` and `verify status`, apart from the other commands': an ingest runs every few
// minutes, and each schema built at load costs its start a little.
import { z } from 'zod';
import { flag, optionalText } from './parse.js';

/** `verigap verify ingest`; --commit-from without a URL needs verigap.yaml, so the command resolves it. */
export const ingestOptions = z.object({
  commit: optionalText,
  env: optionalText,
  at: optionalText,
  runUrl: optionalText,
  push: flag,
  /** `--commit-from` alone is true; with a URL, the URL. */
  commitFrom: z.union([z.string(), z.boolean()]).optional(),
});

/** `verigap verify status`. */
export const statusOptions = z.object({ env: optionalText, failOn: z.enum(['stale']).optional() });

export type IngestFlags = z.input<typeof ingestOptions>;
export type StatusFlags = z.input<typeof statusOptions>;
