import { createHash } from 'node:crypto';
import type { FlowRun } from '../../core/features.js';
import { verifies } from '../../core/playwright-report.js';
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

/** A window of time, in ms, both ends included: the runs a status or a report counts. */
export interface RunWindow {
  since: number;
  until: number;
}

/** SQLite integers: ±Infinity in a window is the widest integer. */
const bound = (ms: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, ms));

type KeyedRun = FlowRun & { runId: string };

const flowRunColumns = `rf.flow_id AS flowId, rf.env, rf.commit_sha AS "commit", rf.at, r.run_url AS runUrl, rf.reach_seq AS reachSeq,
  rf.passed, rf.failed, rf.flaky, rf.skipped`;

/** Verification runs as indexed from refs/notes/verigap. */
export function createRunsStore(db: Db) {
  const insertRun = db.prepare('INSERT OR IGNORE INTO runs (id, commit_sha, env, at, run_url, reach_seq, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertFlow = db.prepare(`INSERT OR IGNORE INTO run_flows (run_id, flow_id, env, at, commit_sha, reach_seq, passed, failed, flaky, skipped, verifies)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insert = (r: IndexedRun) => {
    const { id, reachSeq, ...note } = r;
    const at = Date.parse(r.at);
    insertRun.run(id, r.commit, r.env, at, r.run_url, reachSeq, JSON.stringify(note));
    for (const [flowId, c] of Object.entries(r.flows)) {
      insertFlow.run(id, flowId, r.env, at, r.commit, reachSeq, c.passed, c.failed, c.flaky, c.skipped, verifies(c) ? 1 : 0);
    }
  };
  const count = db.prepare('SELECT count(*) FROM runs').pluck();
  const deleteFlowsOf = db.prepare('DELETE FROM run_flows WHERE run_id IN (SELECT id FROM runs WHERE commit_sha = ?)');
  const deleteRunsOf = db.prepare('DELETE FROM runs WHERE commit_sha = ?');

  const replace = db.transaction((runs: IndexedRun[]) => {
    db.prepare('DELETE FROM run_flows').run();
    db.prepare('DELETE FROM runs').run();
    for (const r of runs) insert(r);
  });

  /** The runs of `commits` (their notes changed) become `runs`; returns how many runs there are now. */
  const replaceCommits = db.transaction((commits: Iterable<string>, runs: IndexedRun[]): number => {
    for (const commit of commits) {
      deleteFlowsOf.run(commit);
      deleteRunsOf.run(commit);
    }
    for (const r of runs) insert(r);
    return count.get() as number;
  });

  /** Adds one run beside the others; returns how many runs there are now (the same run twice is one). */
  const add = (r: IndexedRun): number => {
    insert(r);
    return count.get() as number;
  };

  // Passes that raise their flow's running maximum reach: the first pass containing a change is always one of them.
  const frontier = db.prepare(`
    SELECT ${flowRunColumns}, rf.run_id AS runId FROM (
      SELECT *, MAX(reach_seq) OVER (PARTITION BY flow_id ORDER BY at, run_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
      FROM run_flows WHERE env = ? AND verifies = 1 AND reach_seq IS NOT NULL
    ) rf JOIN runs r ON r.id = rf.run_id
    WHERE rf.reached IS NULL OR rf.reach_seq > rf.reached`);
  const lastPassOf = db.prepare(`
    SELECT ${flowRunColumns}, rf.run_id AS runId FROM run_flows rf JOIN runs r ON r.id = rf.run_id
    WHERE rf.env = ? AND rf.flow_id = ? AND rf.verifies = 1 AND rf.reach_seq IS NOT NULL AND rf.at <= ?
    ORDER BY rf.at DESC, rf.run_id DESC LIMIT 1`);
  const passedFlows = db.prepare('SELECT DISTINCT flow_id FROM run_flows WHERE env = ? AND verifies = 1 AND reach_seq IS NOT NULL').pluck();
  const failures = db.prepare(`
    SELECT ${flowRunColumns}, rf.run_id AS runId FROM run_flows rf JOIN runs r ON r.id = rf.run_id
    WHERE rf.env = :env AND rf.failed > 0 AND rf.at BETWEEN :since AND :until
      AND EXISTS (SELECT 1 FROM run_flows p WHERE p.flow_id = rf.flow_id AND p.env = rf.env AND p.commit_sha = rf.commit_sha
        AND p.verifies = 1 AND p.at BETWEEN :since AND :until)`);
  const passOn = db.prepare(`
    SELECT ${flowRunColumns}, rf.run_id AS runId FROM run_flows rf JOIN runs r ON r.id = rf.run_id
    WHERE rf.env = ? AND rf.flow_id = ? AND rf.commit_sha = ? AND rf.verifies = 1 AND rf.at BETWEEN ? AND ? LIMIT 1`);
  const all = db.prepare('SELECT id, reach_seq AS reachSeq, data FROM runs ORDER BY at');

  const lastPasses = (env: string, until: number): KeyedRun[] =>
    (passedFlows.all(env) as string[]).flatMap((flowId) => (lastPassOf.get(env, flowId, bound(until)) as KeyedRun | undefined) ?? []);

  /**
   * The runs of `env` that decide every answer the core gives about the window, instead of all of them (a year of
   * runs is 350,000 flow outcomes), in time order:
   * - the passes up to `until` whose reach is higher than that of every earlier pass of their flow (the "frontier"):
   *   a feature's first verification is always one of them, and it is cut at `until` without being computed again;
   * - each flow's newest pass up to `until`: its last verification;
   * - with `flakiness`, each failing run in the window on a commit its flow also verified in the window, and one such pass.
   * Fed to the core's rules, these give the answers all the runs give.
   */
  function runEvidence(env: string) {
    let frontierRows: KeyedRun[] | undefined;
    return ({ since, until }: RunWindow, { flakiness }: { flakiness: boolean }): FlowRun[] => {
      frontierRows ??= frontier.all(env) as KeyedRun[];
      const picked = new Map<string, KeyedRun>();
      const pick = (run: KeyedRun) => picked.set(`${run.runId}\0${run.flowId}`, run);
      for (const run of frontierRows) if (run.at <= until) pick(run);
      for (const last of lastPasses(env, until)) pick(last);
      if (flakiness) {
        const window = { env, since: bound(since), until: bound(until) };
        for (const failure of failures.all(window) as KeyedRun[]) {
          pick(failure);
          pick(passOn.get(env, failure.flowId, failure.commit, window.since, window.until) as KeyedRun);
        }
      }
      return [...picked.values()]
        .sort((a, b) => a.at - b.at || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0))
        .map(({ runId: _, ...run }) => run);
    };
  }

  return {
    replace,
    replaceCommits,
    add,
    runEvidence,
    /** Each flow's newest pass in `env`: its last verification. */
    lastPasses: (env: string): FlowRun[] => lastPasses(env, Infinity).map(({ runId: _, ...run }) => run),
    all: () => (all.all() as { id: string; reachSeq: number | null; data: string }[]).map((row) => ({ ...(JSON.parse(row.data) as RunNote), id: row.id, reachSeq: row.reachSeq })),
  };
}
