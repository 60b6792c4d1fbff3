import Database from 'better-sqlite3';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { isSpecFile } from '../../src/core/glob.js';

export interface IndexedChange {
  sha: string;
  committedAt: number;
  subject: string;
  touched: string[];
}

/** What sync stored, read straight from .verigap/index.db. */
export function readIndex(dir: string): IndexedChange[] {
  const db = new Database(join(dir, '.verigap', 'index.db'), { readonly: true });
  try {
    const changes = db
      .prepare('SELECT seq, sha, committed_at AS committedAt, subject FROM changes ORDER BY seq')
      .all() as (IndexedChange & { seq: number })[];
    const paths = db
      .prepare(
        'SELECT cp.seq, cp.status, p.path FROM change_paths cp JOIN paths p ON p.id = cp.path_id ORDER BY cp.seq, p.path',
      )
      .all() as { seq: number; status: string; path: string }[];
    return changes.map(({ seq, ...change }) => ({
      ...change,
      touched: paths
        .filter((p) => p.seq === seq)
        .map((p) => `${p.status} ${p.path}`)
        .sort(byPath),
    }));
  } finally {
    db.close();
  }
}

/** The same facts as git itself reports them, parsed independently of verigap's parser. */
export function gitFirstParentHistory(dir: string, ref = 'HEAD'): IndexedChange[] {
  const out = execFileSync(
    'git',
    [
      '-c',
      'core.quotePath=false',
      'log',
      '--first-parent',
      '--diff-merges=first-parent',
      '--no-renames',
      '--name-status',
      '--format=@@%H|%ct|%s',
      ref,
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const changes: IndexedChange[] = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('@@')) {
      const [sha, time, ...subject] = line.slice(2).split('|');
      changes.push({ sha: sha!, committedAt: Number(time), subject: subject.join('|'), touched: [] });
    } else if (line.trim()) {
      const [status, path] = line.split('\t');
      changes[changes.length - 1]!.touched.push(`${status!.charAt(0)} ${path}`);
    }
  }
  for (const change of changes) change.touched.sort(byPath);
  return changes.reverse();
}

/** The Playwright spec files the index says existed in the tree of `sha`. */
export function specFilesAt(dir: string, sha: string): string[] {
  const db = new Database(join(dir, '.verigap', 'index.db'), { readonly: true });
  try {
    const files = db
      .prepare(
        `SELECT p.path FROM file_lifetimes l JOIN paths p ON p.id = l.path_id JOIN changes c ON c.sha = ?
      WHERE l.added_seq <= c.seq AND (l.removed_seq IS NULL OR l.removed_seq > c.seq) ORDER BY p.path`,
      )
      .pluck()
      .all(sha) as string[];
    return files.filter(isSpecFile);
  } finally {
    db.close();
  }
}

const byPath = (a: string, b: string) => (a.slice(2) < b.slice(2) ? -1 : a.slice(2) > b.slice(2) ? 1 : 0);

export interface IndexedRunRow {
  id: string;
  commit: string;
  env: string;
  at: number;
  reachSeq: number | null;
  data: string;
  flows: string[];
}

/** The verification runs sync stored, with each run's per-flow counts, in a stable order. */
export function readRuns(dir: string): IndexedRunRow[] {
  const db = new Database(join(dir, '.verigap', 'index.db'), { readonly: true });
  try {
    const runs = db
      .prepare('SELECT id, commit_sha AS "commit", env, at, reach_seq AS reachSeq, data FROM runs ORDER BY id')
      .all() as Omit<IndexedRunRow, 'flows'>[];
    const flows = db
      .prepare(
        "SELECT run_id AS runId, flow_id || ' ' || passed || '/' || failed || '/' || flaky || '/' || skipped AS counts FROM run_flows ORDER BY run_id, flow_id",
      )
      .all() as { runId: string; counts: string }[];
    return runs.map((run) => ({ ...run, flows: flows.filter((f) => f.runId === run.id).map((f) => f.counts) }));
  } finally {
    db.close();
  }
}

/** How far a sync (maybe still running, maybe killed) has indexed: the store's last sequence, 0 when there is none yet. */
export function indexedSeq(repo: { dir: string }): number {
  try {
    const db = new Database(join(repo.dir, '.verigap', 'index.db'), { readonly: true, fileMustExist: true });
    try {
      return Number(db.prepare("SELECT value FROM meta WHERE key = 'last_seq'").pluck().get() ?? 0);
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
