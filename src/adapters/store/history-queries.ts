import type { ChangeRow, SpecInterval } from '../../core/features.js';
import type { Db } from './open-store.js';

/** Read-only questions about the indexed history, as plain rows for the core. */
export function createHistoryQueries(db: Db) {
  const changeColumns = `c.seq, c.sha, c.committed_at AS committedAt, c.subject, c.pr,
      (SELECT group_concat(DISTINCT pf.flow_id) FROM change_paths cp JOIN path_flows pf ON pf.path_id = cp.path_id AND pf.role = 'code' WHERE cp.seq = c.seq) AS flows,
      (SELECT group_concat(DISTINCT pf.flow_id) FROM change_paths cp JOIN path_flows pf ON pf.path_id = cp.path_id AND pf.role = 'test' WHERE cp.seq = c.seq AND cp.status <> 'D') AS testFlows`;
  const changesBetween = db.prepare(
    `SELECT ${changeColumns} FROM changes c WHERE c.committed_at >= ? AND c.committed_at < ? ORDER BY c.seq`,
  );
  const changesAfter = db.prepare(`SELECT ${changeColumns} FROM changes c WHERE c.seq > ? ORDER BY c.seq`);
  const mappedFlows = db.prepare("SELECT DISTINCT flow_id FROM path_flows WHERE role = 'code'").pluck();
  const specIntervals = db.prepare(`
    SELECT pf.flow_id AS flowId, p.path, l.added_seq AS addedSeq, l.removed_seq AS removedSeq
    FROM file_lifetimes l JOIN paths p ON p.id = l.path_id JOIN path_flows pf ON pf.path_id = l.path_id AND pf.role = 'test'`);
  const specsNow = db.prepare(`
    SELECT pf.flow_id AS flowId, p.path FROM file_lifetimes l JOIN paths p ON p.id = l.path_id
    JOIN path_flows pf ON pf.path_id = l.path_id AND pf.role = 'test' WHERE l.removed_seq IS NULL ORDER BY p.path`);
  const lastSeqBefore = db.prepare('SELECT max(seq) FROM changes WHERE committed_at < ?').pluck();
  const newestBefore = db.prepare('SELECT max(committed_at) FROM changes WHERE committed_at < ?').pluck();
  const allPaths = db.prepare('SELECT path FROM paths').pluck();
  const seqOf = db.prepare('SELECT seq FROM changes WHERE sha = ?').pluck();
  const pathsOf = db
    .prepare(
      `SELECT p.path FROM changes c JOIN change_paths cp ON cp.seq = c.seq JOIN paths p ON p.id = cp.path_id
    WHERE c.sha = ? AND cp.status <> 'D' ORDER BY p.path`,
    )
    .pluck();
  const everExisted = db
    .prepare('SELECT 1 FROM file_lifetimes l JOIN paths p ON p.id = l.path_id WHERE p.path = ?')
    .pluck();

  return {
    /** Changes with since ≤ committer time < until (ms), oldest first on the chain. */
    changesBetween: (since: number, until: number): ChangeRow[] =>
      changeRows(changesBetween.all(Math.ceil(since / 1000), Math.ceil(until / 1000))),
    /** Changes after the one at `seq`, oldest first. */
    changesAfter: (seq: number): ChangeRow[] => changeRows(changesAfter.all(seq)),
    /** The flows some indexed path maps to as code: those a change can affect. */
    mappedFlows: () => mappedFlows.all() as string[],
    /** Each E2E test file of each flow, with the changes whose tree held it. */
    specIntervals: () => specIntervals.all() as SpecInterval[],
    /** The newest change committed before `until` (ms): the tree at a window's end; 0 when none. */
    lastSeqBefore: (until: number) => (lastSeqBefore.get(Math.ceil(until / 1000)) as number | null) ?? 0,
    /** The committer time (ms) of the newest change before `until` (ms); null when none. */
    newestBefore: (until: number) => {
      const seconds = newestBefore.get(Math.ceil(until / 1000)) as number | null;
      return seconds === null ? null : seconds * 1000;
    },
    /** flow id → its E2E test files at the indexed tip. */
    specsNow(): Map<string, string[]> {
      const byFlow = new Map<string, string[]>();
      for (const { flowId, path } of specsNow.all() as { flowId: string; path: string }[]) {
        const paths = byFlow.get(flowId);
        if (paths) paths.push(path);
        else byFlow.set(flowId, [path]);
      }
      return byFlow;
    },
    /** Every path any indexed change touched, deleted ones included. */
    allPaths: () => allPaths.all() as string[],
    /** The paths a change added or modified (deleted ones are not code to map). */
    pathsOf: (sha: string) => pathsOf.all(sha) as string[],
    seqOf: (sha: string) => seqOf.get(sha) as number | undefined,
    everExisted: (path: string) => everExisted.get(path) !== undefined,
  };
}

function changeRows(rows: unknown[]): ChangeRow[] {
  return (rows as (Omit<ChangeRow, 'flows' | 'testFlows'> & { flows: string | null; testFlows: string | null })[]).map(
    (row) => ({
      ...row,
      committedAt: row.committedAt * 1000,
      flows: row.flows ? row.flows.split(',').sort() : [],
      testFlows: row.testFlows ? row.testFlows.split(',').sort() : [],
    }),
  );
}
