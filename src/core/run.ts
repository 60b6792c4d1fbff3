import { createHash } from 'node:crypto';
import { z } from 'zod';
import { reportedTests, type OutcomeCounts, type PlaywrightReport } from './playwright-report.js';

/** One verification run as stored in a Git note (one JSON line per run) under refs/notes/verigap. */
export interface RunNote {
  schema: 'verigap.run/v1';
  env: string;
  at: string;
  commit: string;
  run_url: string | null;
  tests: number;
  duration_ms: number;
  flows: Record<string, OutcomeCounts>;
  incidents: Record<string, OutcomeCounts>;
  /** The run's identity (runKey); absent from lines written before ingest was idempotent. */
  key?: string;
}

const count = z.number().int().nonnegative().max(1e9);
const outcomeCounts = z.strictObject({ passed: count, failed: count, flaky: count, skipped: count });
// a null prototype: a flow or incident named "constructor" or "__proto__" is a key like any other
const countsById = z
  .record(z.string().min(1).max(200), outcomeCounts)
  .transform((record) => Object.assign(Object.create(null) as Record<string, OutcomeCounts>, record));

/** What `verify ingest` writes and `sync` reads: a line that does not match is reported, never counted. */
export const runNoteSchema = z.object({
  schema: z.literal('verigap.run/v1'),
  env: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an environment name such as production'),
  at: z
    .string()
    .refine(
      (at) => /^\d{4}-\d{2}-\d{2}T/.test(at) && !Number.isNaN(Date.parse(at)),
      'an ISO 8601 time such as 2026-11-20T17:00:00.000Z',
    ),
  commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a full commit hash'),
  run_url: z.string().max(2000).nullable(),
  tests: count,
  duration_ms: z.number().nonnegative().max(1e12),
  flows: countsById,
  incidents: countsById,
  key: z.string().max(64).optional(),
});

export function serializeRun(run: RunNote): string {
  return JSON.stringify(run);
}

/** A note line that is not a valid run, or (commit null, line 0) a notes ref git cannot read: skipped and reported. */
export interface SkippedNote {
  commit: string | null;
  line: number;
  reason: string;
}

/** A line of a note that is not a run verigap can count: its 1-based line and why. */
export type NoteLineProblem = Omit<SkippedNote, 'commit'>;

/**
 * Reads every run of a note, one JSON line per run; blank lines (git notes append adds them) are skipped,
 * any other line that is not a valid run is a problem to report, never a run to count.
 */
export function readRunNote(text: string): { runs: RunNote[]; problems: NoteLineProblem[] } {
  const runs: RunNote[] = [];
  const problems: NoteLineProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const problem = (reason: string) => problems.push({ line: index + 1, reason });
    let value: unknown;
    let prototypeKey = false;
    try {
      value = JSON.parse(line, (key, inner: unknown) => ((prototypeKey ||= key === '__proto__'), inner));
    } catch {
      return problem('not JSON');
    }
    // a validator drops such a key without a word: the line would count as if it had said nothing there
    if (prototypeKey) return problem('holds a key "__proto__", which names no flow or incident');
    const parsed = runNoteSchema.safeParse(value);
    if (parsed.success) return void runs.push(parsed.data);
    const issue = parsed.error.issues[0]!;
    const field = issue.path.filter((key) => typeof key !== 'symbol').join('.');
    problem(
      field === 'schema' && typeof (value as { schema?: unknown }).schema === 'string'
        ? `schema "${(value as { schema: string }).schema}" is not one this verigap reads (upgrade verigap?)`
        : `${field ? `${field}: ` : ''}${issue.message}`,
    );
  });
  return { runs, problems };
}

/** The runs of a note; lines that are not valid runs are left out (sync reports them). */
export const parseRunNote = (text: string): RunNote[] => readRunNote(text).runs;

/**
 * Identifies a run by what it is, never by when it was ingested: the reports' start times,
 * durations and test outcomes (shards in any order), the commit, the env and the run's time.
 */
export function runKey(reports: readonly PlaywrightReport[], run: Pick<RunNote, 'commit' | 'env' | 'at'>): string {
  const contents = reports
    .map((report) =>
      JSON.stringify([
        report.stats.startTime,
        report.stats.duration,
        reportedTests(report)
          .map((test) => JSON.stringify([test.file, test.title, test.outcome]))
          .sort(),
      ]),
    )
    .sort();
  return createHash('sha256')
    .update(JSON.stringify([run.commit, run.env, run.at, contents]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Whether two note lines record the same run: by key, or, for a line written before keys existed,
 * by everything the report decided (all but the run URL).
 */
export function sameRun(a: RunNote, b: RunNote): boolean {
  if (a.key !== undefined && b.key !== undefined) return a.key === b.key;
  const decided = ({ env, at, commit, tests, duration_ms, flows, incidents }: RunNote) =>
    JSON.stringify([env, at, commit, tests, duration_ms, sortedEntries(flows), sortedEntries(incidents)]);
  return decided(a) === decided(b);
}

function sortedEntries(counts: Record<string, OutcomeCounts>) {
  return Object.keys(counts)
    .sort()
    .map((id) => [id, counts[id]!.passed, counts[id]!.failed, counts[id]!.flaky, counts[id]!.skipped]);
}
