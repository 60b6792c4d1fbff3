import type { OutcomeCounts } from './playwright-report.js';

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
