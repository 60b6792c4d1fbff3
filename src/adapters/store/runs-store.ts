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
  return createHash('sha256')
    .update(commit)
    .update('\0')
    .update(key ?? line)
    .digest('hex')
    .slice(0, 16);
}

/** A window of time, in ms, both ends included: the runs a status or a report counts. */
export interface RunWindow {
  since: number;
  until: number;
}

/** SQLite integers: ±Infinity in a window is the widest integer. */
const bound = (ms: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, ms));

type KeyedRun = FlowRun & { runId: string };

const flowRunColumns = `rf.flow_id AS flowId, rf.env, rf.commit_sha AS "commit", rf.at, rf.run_url AS runUrl, rf.reach_seq AS reachSeq,
  rf.passed, rf.failed, rf.flaky, rf.skipped, rf.run_id AS runId`;
/** A pass as both run_flows and reach_frontier hold it. */
const passColumns = 'env, flow_id, at, run_id, reach_seq, commit_sha, run_url, passed, failed, flaky, skipped';

const keyOf = (run: KeyedRun) => `${run.runId}\0${run.flowId}`;
const withoutId = ({ runId: _, ...run }: KeyedRun): FlowRun => run;
const inTimeOrder = (a: KeyedRun, b: KeyedRun) => a.at - b.at || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0);

/** How many of the ascending `times` are at most `until`. */
function countUpTo(times: readonly number[], until: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (times[middle]! <= until) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first `count` of the frontier's runs and the others, in time order (each list is), ties by run id. */
function mergeInTimeOrder(
  frontierRuns: { runs: readonly FlowRun[]; keyed: readonly KeyedRun[] },
  count: number,
  others: readonly KeyedRun[],
): FlowRun[] {
  const merged: FlowRun[] = [];
  let i = 0;
  for (const other of others) {
    while (i < count && inTimeOrder(frontierRuns.keyed[i]!, other) < 0) merged.push(frontierRuns.runs[i++]!);
    merged.push(withoutId(other));
  }
  while (i < count) merged.push(frontierRuns.runs[i++]!);
  return merged;
}

/** Verification runs as indexed from refs/notes/verigap. */
export function createRunsStore(db: Db) {
  const insertRun = db.prepare(
    'INSERT OR IGNORE INTO runs (id, commit_sha, env, at, run_url, reach_seq, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertFlow =
    db.prepare(`INSERT OR IGNORE INTO run_flows (run_id, flow_id, env, at, commit_sha, run_url, reach_seq, passed, failed, flaky, skipped, verifies)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  /** Where a write may have moved a flow's frontier: from the earliest moment written, per env and flow. */
  const moved = new Map<string, { env: string; flowId: string; from: number }>();
  const movedAt = (env: string, flowId: string, at: number) => {
    const key = `${env}\0${flowId}`;
    const earliest = moved.get(key);
    if (!earliest || at < earliest.from) moved.set(key, { env, flowId, from: at });
  };
  /** Writes the run and its flows' outcomes; false when the run was there already. */
  const insert = (r: IndexedRun): boolean => {
    const { id, reachSeq, ...note } = r;
    const at = Date.parse(r.at);
    if (insertRun.run(id, r.commit, r.env, at, r.run_url, reachSeq, JSON.stringify(note)).changes === 0) return false;
    for (const [flowId, c] of Object.entries(r.flows)) {
      const verified = verifies(c);
      insertFlow.run(
        id,
        flowId,
        r.env,
        at,
        r.commit,
        r.run_url,
        reachSeq,
        c.passed,
        c.failed,
        c.flaky,
        c.skipped,
        verified ? 1 : 0,
      );
      if (verified && reachSeq !== null) movedAt(r.env, flowId, at);
    }
    return true;
  };
  const count = db.prepare('SELECT count(*) FROM runs').pluck();
  const flowsOf = db.prepare(
    'SELECT env, flow_id AS flowId, at FROM run_flows WHERE run_id IN (SELECT id FROM runs WHERE commit_sha = ?)',
  );
  const deleteFlowsOf = db.prepare('DELETE FROM run_flows WHERE run_id IN (SELECT id FROM runs WHERE commit_sha = ?)');
  const deleteRunsOf = db.prepare('DELETE FROM runs WHERE commit_sha = ?');

  const frontierFromScratch = db.prepare(`
    INSERT INTO reach_frontier (${passColumns})
    SELECT ${passColumns} FROM (
      SELECT ${passColumns},
        MAX(reach_seq) OVER (PARTITION BY env, flow_id ORDER BY at, run_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
      FROM run_flows WHERE verifies = 1 AND reach_seq IS NOT NULL
    ) WHERE reached IS NULL OR reach_seq > reached`);
  const dropFrontierFrom = db.prepare('DELETE FROM reach_frontier WHERE env = ? AND flow_id = ? AND at >= ?');
  const reachBefore = db.prepare('SELECT max(reach_seq) FROM reach_frontier WHERE env = ? AND flow_id = ?').pluck();
  const frontierFrom = db.prepare(`
    INSERT INTO reach_frontier (${passColumns})
    SELECT ${passColumns} FROM (
      SELECT ${passColumns}, MAX(reach_seq) OVER (ORDER BY at, run_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
      FROM run_flows WHERE env = :env AND flow_id = :flowId AND verifies = 1 AND reach_seq IS NOT NULL AND at >= :from
    ) WHERE reach_seq > max(coalesce(reached, -1), :before)`);
  /** The frontier before the earliest moment a write touched stands; from there on it is taken again. */
  const refreshFrontier = () => {
    for (const { env, flowId, from } of moved.values()) {
      dropFrontierFrom.run(env, flowId, from);
      const before = (reachBefore.get(env, flowId) as number | null) ?? -1;
      frontierFrom.run({ env, flowId, from, before });
    }
    moved.clear();
  };

  const replace = db.transaction((runs: IndexedRun[]) => {
    db.prepare('DELETE FROM run_flows').run();
    db.prepare('DELETE FROM runs').run();
    db.prepare('DELETE FROM reach_frontier').run();
    for (const r of runs) insert(r);
    moved.clear();
    frontierFromScratch.run();
  });

  /** The runs of `commits` (their notes changed) become `runs`; returns how many runs there are now. */
  const replaceCommits = db.transaction((commits: Iterable<string>, runs: IndexedRun[]): number => {
    for (const commit of commits) {
      for (const { env, flowId, at } of flowsOf.all(commit) as { env: string; flowId: string; at: number }[])
        movedAt(env, flowId, at);
      deleteFlowsOf.run(commit);
      deleteRunsOf.run(commit);
    }
    for (const r of runs) insert(r);
    refreshFrontier();
    return count.get() as number;
  });

  const reachBeforePass = db
    .prepare(
      `SELECT max(reach_seq) FROM reach_frontier
    WHERE env = :env AND flow_id = :flowId AND (at < :at OR (at = :at AND run_id < :runId))`,
    )
    .pluck();
  const insertPass = db.prepare(
    `INSERT OR IGNORE INTO reach_frontier (${passColumns}) SELECT ${passColumns} FROM run_flows WHERE run_id = ? AND flow_id = ?`,
  );
  const dropOvertaken = db.prepare(`DELETE FROM reach_frontier
    WHERE env = :env AND flow_id = :flowId AND (at > :at OR (at = :at AND run_id > :runId)) AND reach_seq <= :reach`);
  /**
   * One new pass changes the frontier in place: it joins it when it reaches higher than every pass before it, and
   * then the later frontier passes it reaches as high as leave it (nothing else can join: a running maximum only rises).
   */
  const takePass = (env: string, flowId: string, at: number, runId: string, reach: number) => {
    const before = reachBeforePass.get({ env, flowId, at, runId }) as number | null;
    if (before !== null && reach <= before) return;
    insertPass.run(runId, flowId);
    dropOvertaken.run({ env, flowId, at, runId, reach });
  };

  /** Adds one run beside the others; false when it was there already (the same run twice is one). */
  const add = (r: IndexedRun): boolean => {
    const added = insert(r);
    moved.clear();
    const at = Date.parse(r.at);
    if (added && r.reachSeq !== null)
      for (const [flowId, c] of Object.entries(r.flows)) if (verifies(c)) takePass(r.env, flowId, at, r.id, r.reachSeq);
    return added;
  };

  const frontier = db.prepare(`SELECT ${flowRunColumns} FROM reach_frontier rf WHERE rf.env = ?`);
  // the tail a status needs, by the index on reach
  const frontierReaching = db.prepare(
    `SELECT ${flowRunColumns} FROM reach_frontier rf WHERE rf.env = ? AND rf.reach_seq > ?`,
  );
  const reachByFlow = db
    .prepare('SELECT flow_id, max(reach_seq) FROM reach_frontier WHERE env = ? GROUP BY flow_id')
    .raw();
  const lastPassOf = db.prepare(`
    SELECT ${flowRunColumns} FROM run_flows rf
    WHERE rf.env = ? AND rf.flow_id = ? AND rf.verifies = 1 AND rf.reach_seq IS NOT NULL AND rf.at <= ?
    ORDER BY rf.at DESC, rf.run_id DESC LIMIT 1`);
  // a flow's first pass is on its frontier: the flows that ever passed, without a scan of every pass
  const passedFlows = db.prepare('SELECT DISTINCT flow_id FROM reach_frontier WHERE env = ?').pluck();
  const failures = db.prepare(`
    SELECT ${flowRunColumns} FROM run_flows rf
    WHERE rf.env = :env AND rf.failed > 0 AND rf.at BETWEEN :since AND :until
      AND EXISTS (SELECT 1 FROM run_flows p WHERE p.flow_id = rf.flow_id AND p.env = rf.env AND p.commit_sha = rf.commit_sha
        AND p.verifies = 1 AND p.at BETWEEN :since AND :until)`);
  const passOn = db.prepare(`
    SELECT ${flowRunColumns} FROM run_flows rf
    WHERE rf.env = ? AND rf.flow_id = ? AND rf.commit_sha = ? AND rf.verifies = 1 AND rf.at BETWEEN ? AND ? LIMIT 1`);
  const all = db.prepare('SELECT id, reach_seq AS reachSeq, data FROM runs ORDER BY at');
  const linesOn = db.prepare('SELECT data FROM runs WHERE commit_sha = ? ORDER BY at, id').pluck();

  const lastPasses = (env: string, until: number): KeyedRun[] =>
    (passedFlows.all(env) as string[]).flatMap(
      (flowId) => (lastPassOf.get(env, flowId, bound(until)) as KeyedRun | undefined) ?? [],
    );

  /**
   * The runs of `env` that decide every answer the core gives about the window, instead of all of them (a year of
   * runs is 350,000 flow outcomes), in time order:
   * - the passes up to `until` whose reach is higher than that of every earlier pass of their flow (the "frontier"):
   *   a feature's first verification is always one of them, and it is cut at `until` without being computed again;
   *   only those reaching above `reachingAbove` when the features asked about all come after that change;
   * - each flow's newest pass up to `until`: its last verification;
   * - with `flakiness`, each failing run in the window on a commit its flow also verified in the window, and one such pass.
   * Fed to the core's rules, these give the answers all the runs give.
   */
  function runEvidence(env: string, { reachingAbove = -1 }: { reachingAbove?: number } = {}) {
    // read once for every window asked about (a report's and its trend's twelve weeks), in time order
    let cached: { runs: FlowRun[]; keyed: KeyedRun[]; at: number[]; keys: Set<string> } | undefined;
    const frontierRuns = () => {
      if (cached) return cached;
      const rows = (
        (reachingAbove < 0 ? frontier.all(env) : frontierReaching.all(env, reachingAbove)) as KeyedRun[]
      ).sort(inTimeOrder);
      cached = {
        runs: rows.map(withoutId),
        keyed: rows,
        at: rows.map((run) => run.at),
        keys: new Set(rows.map(keyOf)),
      };
      return cached;
    };
    return ({ since, until }: RunWindow, { flakiness }: { flakiness: boolean }): FlowRun[] => {
      const passes = frontierRuns();
      // every other run picked is at or before `until`: when it is on the frontier, it is in the part kept
      const others = new Map<string, KeyedRun>();
      const pick = (run: KeyedRun) => {
        const key = keyOf(run);
        if (!passes.keys.has(key)) others.set(key, run);
      };
      for (const last of lastPasses(env, until)) pick(last);
      if (flakiness) {
        const window = { env, since: bound(since), until: bound(until) };
        for (const failure of failures.all(window) as KeyedRun[]) {
          pick(failure);
          pick(passOn.get(env, failure.flowId, failure.commit, window.since, window.until) as KeyedRun);
        }
      }
      return mergeInTimeOrder(passes, countUpTo(passes.at, until), [...others.values()].sort(inTimeOrder));
    };
  }

  return {
    replace,
    replaceCommits,
    add,
    runEvidence,
    /** Each flow's highest reach among its passes in `env`. */
    reachByFlow: (env: string) => new Map(reachByFlow.all(env) as [string, number][]),
    /** Each flow's newest pass in `env`: its last verification. */
    lastPasses: (env: string): FlowRun[] => lastPasses(env, Infinity).map(({ runId: _, ...run }) => run),
    /** The runs recorded on `commit`, one JSON line each, as its note would read. */
    linesOn: (commit: string) => linesOn.all(commit) as string[],
    all: () =>
      (all.all() as { id: string; reachSeq: number | null; data: string }[]).map((row) => ({
        ...(JSON.parse(row.data) as RunNote),
        id: row.id,
        reachSeq: row.reachSeq,
      })),
  };
}
