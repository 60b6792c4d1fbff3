import type { LoggedChange } from '../git.js';
import { pullRequestOf } from '../../core/change.js';
import type { PathFlow } from '../../core/flow-mapping.js';
import type { Db } from './open-store.js';
import { createMeta } from './meta.js';

export interface IndexState {
  lastSeq: number;
  lastSha: string | undefined;
}

export type PathMapper = (path: string) => PathFlow[];

/**
 * Changes per transaction, and the page cache while they are written. Measured on a 1,000,000-commit history:
 * 2,000 changes and SQLite's 16 MB cache took 2.7× `git log` (the sha index's random inserts missed the cache);
 * 5,000 and 96 MB take 1.5×, the process peaking at 225 MB whatever the history's length.
 */
const BATCH = 5_000;
const writerCacheKb = 96 * 1024;

/**
 * The indexes a first full sync builds once at its end, from sorted rows, rather than row by row: rows come
 * in history order, so each insert into `change_paths_path` lands on another page, and on a 1,000,000-commit
 * history most of them missed the cache.
 */
const deferredIndexes: Record<string, string> = {
  change_paths_path: 'change_paths (path_id)',
  changes_committed_at: 'changes (committed_at)',
};

/** Reads and writes the indexed history. Every batch is one transaction with its own bookmark. */
export function createHistoryStore(db: Db) {
  const meta = createMeta(db);

  function state(): IndexState {
    return { lastSeq: Number(meta.get('last_seq') ?? 0), lastSha: meta.get('last_sha') };
  }

  function indexedShas(): string[] {
    return db.prepare('SELECT sha FROM changes ORDER BY seq').pluck().all() as string[];
  }

  /** Forgets every change after `seq`, as if history had only reached it (force push). */
  const truncateAfter = db.transaction((seq: number) => {
    db.prepare('DELETE FROM change_paths WHERE seq > ?').run(seq);
    db.prepare('DELETE FROM file_lifetimes WHERE added_seq > ?').run(seq);
    db.prepare('UPDATE file_lifetimes SET removed_seq = NULL WHERE removed_seq > ?').run(seq);
    db.prepare('DELETE FROM changes WHERE seq > ?').run(seq);
    const sha = db.prepare('SELECT sha FROM changes WHERE seq = ?').pluck().get(seq) as string | undefined;
    meta.set('last_seq', String(seq));
    if (sha) meta.set('last_sha', sha);
    else meta.delete('last_sha');
  });

  /** Appends changes oldest first, tracking each file's lifetime through additions and deletions. */
  function writer(mapPath: PathMapper) {
    const insertChange = db.prepare(
      'INSERT INTO changes (seq, sha, committed_at, author, subject, pr, merge) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insertPath = db.prepare('INSERT INTO paths (path) VALUES (?)');
    const insertChangePath = db.prepare('INSERT OR REPLACE INTO change_paths (seq, path_id, status) VALUES (?, ?, ?)');
    const insertPathFlow = db.prepare('INSERT OR IGNORE INTO path_flows (path_id, flow_id, role) VALUES (?, ?, ?)');
    const lifetimes = lifetimeTracker();
    db.pragma(`cache_size = -${writerCacheKb}`);

    const pathIds = new Map<string, number>();
    for (const row of db.prepare('SELECT id, path FROM paths').raw().iterate() as Iterable<[number, string]>)
      pathIds.set(row[1], row[0]);

    let { lastSeq } = state();
    let buffer: LoggedChange[] = [];
    // an interrupted first sync leaves them out until a later sync finishes: queries stay right, only slower
    if (lastSeq === 0) for (const name of Object.keys(deferredIndexes)) db.exec(`DROP INDEX IF EXISTS ${name}`);

    function pathId(path: string): number {
      let id = pathIds.get(path);
      if (id === undefined) {
        id = Number(insertPath.run(path).lastInsertRowid);
        pathIds.set(path, id);
        for (const { flowId, role } of mapPath(path)) insertPathFlow.run(id, flowId, role);
      }
      return id;
    }

    const writeBatch = db.transaction((changes: LoggedChange[]) => {
      for (const change of changes) {
        const seq = ++lastSeq;
        insertChange.run(
          seq,
          change.sha,
          change.committedAt,
          change.author,
          change.subject,
          pullRequestOf(change.subject),
          change.parents.length > 1 ? 1 : 0,
        );
        for (const { status, path } of change.touched) {
          const id = pathId(path);
          insertChangePath.run(seq, id, status);
          lifetimes.track(seq, id, status);
        }
      }
      meta.set('last_seq', String(lastSeq));
      meta.set('last_sha', changes[changes.length - 1]!.sha);
    });

    return {
      add(change: LoggedChange): void {
        buffer.push(change);
        if (buffer.length >= BATCH) this.flush();
      },
      flush(): void {
        if (buffer.length === 0) return;
        writeBatch.immediate(buffer);
        buffer = [];
      },
      /** Writes what is left and builds the indexes a first sync deferred. */
      finish(): void {
        this.flush();
        for (const [name, on] of Object.entries(deferredIndexes))
          db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${on}`);
      },
    };
  }

  /** Opens a file's lifetime when a change adds it, closes it when a change deletes it. */
  function lifetimeTracker() {
    const open = db.prepare(
      'INSERT OR REPLACE INTO file_lifetimes (path_id, added_seq, removed_seq) VALUES (?, ?, NULL)',
    );
    const close = db.prepare('UPDATE file_lifetimes SET removed_seq = ? WHERE path_id = ? AND added_seq = ?');
    const opened = new Map<number, number>();
    for (const row of db
      .prepare('SELECT path_id, added_seq FROM file_lifetimes WHERE removed_seq IS NULL')
      .raw()
      .iterate() as Iterable<[number, number]>) {
      opened.set(row[0], row[1]);
    }
    return {
      track(seq: number, pathId: number, status: string): void {
        const openedAt = opened.get(pathId);
        if (status === 'D' && openedAt !== undefined) {
          close.run(seq, pathId, openedAt);
          opened.delete(pathId);
        } else if (status !== 'D' && openedAt === undefined) {
          open.run(pathId, seq);
          opened.set(pathId, seq);
        }
      },
    };
  }

  /** Derives every file's lifetime again from the paths each change touched (a rule changed). */
  const rederiveLifetimes = db.transaction(() => {
    db.prepare('DELETE FROM file_lifetimes').run();
    const lifetimes = lifetimeTracker();
    const slice = db
      .prepare('SELECT seq, path_id, status FROM change_paths WHERE seq > ? AND seq <= ? ORDER BY seq')
      .raw();
    // in slices: a statement cannot write while another one is still iterating
    for (let from = 0; from < state().lastSeq; from += BATCH * 10) {
      for (const [seq, pathId, status] of slice.all(from, from + BATCH * 10) as [number, number, string][])
        lifetimes.track(seq, pathId, status);
    }
  });

  /** Recomputes the flows of every known path, after the flows themselves changed. */
  const remapPaths = db.transaction((mapPath: PathMapper) => {
    db.prepare('DELETE FROM path_flows').run();
    const insert = db.prepare('INSERT OR IGNORE INTO path_flows (path_id, flow_id, role) VALUES (?, ?, ?)');
    for (const [id, path] of db.prepare('SELECT id, path FROM paths').raw().all() as [number, string][]) {
      for (const { flowId, role } of mapPath(path)) insert.run(id, flowId, role);
    }
  });

  return { meta, state, indexedShas, truncateAfter, writer, remapPaths, rederiveLifetimes };
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;
