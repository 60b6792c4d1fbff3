import { createHash } from 'node:crypto';
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

export function serializeRun(run: RunNote): string {
  return JSON.stringify(run);
}

/** Reads every run of a note; lines that are not runs (a hand-written remark) are ignored. */
export function parseRunNote(text: string): RunNote[] {
  const runs: RunNote[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as RunNote;
      if (value.schema === 'verigap.run/v1') runs.push(value);
    } catch {
      // not one of ours
    }
  }
  return runs;
}

/**
 * Identifies a run by what it is, never by when it was ingested: the reports' start times,
 * durations and test outcomes (shards in any order), the commit, the env and the run's time.
 */
export function runKey(reports: readonly PlaywrightReport[], run: Pick<RunNote, 'commit' | 'env' | 'at'>): string {
  const contents = reports.map((report) => JSON.stringify([
    report.stats.startTime, report.stats.duration,
    reportedTests(report).map((test) => JSON.stringify([test.file, test.title, test.outcome])).sort(),
  ])).sort();
  return createHash('sha256').update(JSON.stringify([run.commit, run.env, run.at, contents])).digest('hex').slice(0, 16);
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
  return Object.keys(counts).sort().map((id) => [id, counts[id]!.passed, counts[id]!.failed, counts[id]!.flaky, counts[id]!.skipped]);
}
