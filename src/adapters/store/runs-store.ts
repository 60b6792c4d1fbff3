import { createHash } from 'node:crypto';
import type { FlowRun } from '../../core/features.js';
import { parseRunNote, type RunNote } from '../../core/run.js';
import type { Db } from './open-store.js';

export interface IndexedRun extends RunNote {
  id: string;
  reachSeq: number | null;
}

/**
 * A run's index id: its identity key when the line has one, so the same run written twice (two
 * machines, merged on push, with different run URLs) is indexed once; older lines by their text.
 */
export function runId(commit: string, line: string): string {
  const key = parseRunNote(line)[0]?.key;
  return createHash('sha256').update(commit).update('\0').update(key ?? line).digest('hex').slice(0, 16);
}

/** Verification runs as indexed from refs/notes/verigap. */
export function createRunsStore(db: Db) {
  const replace = db.transaction((runs: IndexedRun[]) => {
    db.prepare('DELETE FROM run_flows').run();
    db.prepare('DELETE FROM runs').run();
    const run = db.prepare('INSERT OR IGNORE INTO runs (id, commit_sha, env, at, run_url, reach_seq, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const flow = db.prepare('INSERT OR IGNORE INTO run_flows (run_id, flow_id, passed, failed, flaky, skipped) VALUES (?, ?, ?, ?, ?, ?)');
    for (const r of runs) {
      const { id, reachSeq, ...note } = r;
      run.run(id, r.commit, r.env, Date.parse(r.at), r.run_url, reachSeq, JSON.stringify(note));
      for (const [flowId, c] of Object.entries(r.flows)) flow.run(id, flowId, c.passed, c.failed, c.flaky, c.skipped);
    }
  });

  const insertRun = db.prepare('INSERT OR IGNORE INTO runs (id, commit_sha, env, at, run_url, reach_seq, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertFlow = db.prepare('INSERT OR IGNORE INTO run_flows (run_id, flow_id, passed, failed, flaky, skipped) VALUES (?, ?, ?, ?, ?, ?)');
  const count = db.prepare('SELECT count(*) FROM runs').pluck();
  /** Adds one run beside the others; returns how many runs there are now (the same run twice is one). */
  const add = (r: IndexedRun): number => {
    const { id, reachSeq, ...note } = r;
    insertRun.run(id, r.commit, r.env, Date.parse(r.at), r.run_url, reachSeq, JSON.stringify(note));
    for (const [flowId, c] of Object.entries(r.flows)) insertFlow.run(id, flowId, c.passed, c.failed, c.flaky, c.skipped);
    return count.get() as number;
  };

  const flowRuns = db.prepare(`
    SELECT rf.flow_id AS flowId, r.env, r.commit_sha AS "commit", r.at, r.run_url AS runUrl, r.reach_seq AS reachSeq, rf.passed, rf.failed, rf.flaky, rf.skipped
    FROM runs r JOIN run_flows rf ON rf.run_id = r.id ORDER BY r.at`);
  const all = db.prepare('SELECT id, reach_seq AS reachSeq, data FROM runs ORDER BY at');

  return {
    replace,
    add,
    /** Each flow's outcome in each run, in time order. */
    flowRuns: () => flowRuns.all() as FlowRun[],
    all: () => (all.all() as { id: string; reachSeq: number | null; data: string }[]).map((row) => ({ ...(JSON.parse(row.data) as RunNote), id: row.id, reachSeq: row.reachSeq })),
  };
}
