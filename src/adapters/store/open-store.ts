import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(): Migration[] {
  return readdirSync(migrationsDir)
    .filter((file) => /^\d+-.+\.sql$/.test(file))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(migrationsDir, name), 'utf8');
      return {
        id: Number.parseInt(name, 10),
        name,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16),
      };
    });
}

/** Why a store file was thrown away and rebuilt, for the user to read. */
export type StoreRecovery = 'corrupted' | 'other-schema' | undefined;

export interface OpenedStore {
  db: Db;
  recovered: StoreRecovery;
}

/**
 * Opens `.verigap/index.db`, applying numbered migrations each in one transaction. The store is
 * only an index: a corrupted file, or one written by another schema, is deleted and rebuilt.
 */
export function openStore(file: string): OpenedStore {
  mkdirSync(dirname(file), { recursive: true });
  try {
    return { db: openAndMigrate(file), recovered: undefined };
  } catch (error) {
    const recovered = recoveryFor(error);
    if (!recovered) throw error;
    deleteStore(file);
    return { db: openAndMigrate(file), recovered };
  }
}

/**
 * An index in memory, for a checkout verigap cannot write: a copy of `copyOf` when it can be read
 * whole (no pending write-ahead log), else empty. It is gone when the process ends.
 */
export function openTemporaryStore(copyOf?: string): OpenedStore {
  const bytes = copyOf ? readWholeStore(copyOf) : undefined;
  if (!bytes) return { db: openAndMigrate(':memory:'), recovered: undefined };
  try {
    return { db: openAndMigrate(bytes), recovered: undefined };
  } catch (error) {
    const recovered = recoveryFor(error);
    if (!recovered) throw error;
    return { db: openAndMigrate(':memory:'), recovered };
  }
}

function readWholeStore(file: string): Buffer | undefined {
  try {
    if ((statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) return undefined;
    const bytes = readFileSync(file);
    // bytes 18-19 say WAL (2); a database in memory has no log beside it, so it is read as rollback (1)
    if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
    return bytes;
  } catch {
    return undefined;
  }
}

/**
 * Opens an existing index to read, changing nothing: undefined when it is missing, unreadable or
 * written by another schema, for a command that only uses the index when it happens to be there.
 */
export function openStoreToRead(file: string): Db | undefined {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 1_000 });
    const applied = db
      .prepare<[], Pick<Migration, 'id' | 'checksum'>>('SELECT id, checksum FROM migrations ORDER BY id')
      .all();
    const migrations = readMigrations();
    const same =
      applied.length === migrations.length &&
      migrations.every((m, i) => applied[i]?.id === m.id && applied[i]?.checksum === m.checksum);
    if (same) return db;
  } catch {
    // no index yet, a corrupted one or a locked one: the caller goes on without it
  }
  db?.close();
  return undefined;
}

export function deleteStore(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

class OtherSchemaError extends Error {}

function recoveryFor(error: unknown): StoreRecovery {
  if (error instanceof OtherSchemaError) return 'other-schema';
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' ? 'corrupted' : undefined;
}

/**
 * Switching a new index to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once rather than
 * waiting the busy timeout: two first syncs at once (two terminals, two CI steps) retry for up to 30 s.
 */
function enableWal(db: Db): void {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

function openAndMigrate(file: string | Buffer): Db {
  const db = new Database(file, { timeout: 30_000 });
  try {
    enableWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL)');
  const migrations = readMigrations();
  const applied = db.prepare<[], Migration>('SELECT id, name, checksum FROM migrations ORDER BY id').all();
  for (const done of applied) {
    const known = migrations.find((migration) => migration.id === done.id);
    if (!known || known.checksum !== done.checksum)
      throw new OtherSchemaError(`migration ${done.name} is not this version's`);
  }
  const record = db.prepare('INSERT INTO migrations (id, name, checksum) VALUES (?, ?, ?)');
  for (const migration of migrations.filter((m) => !applied.some((done) => done.id === m.id))) {
    // IMMEDIATE: two processes opening a new store at once must not both apply a migration.
    db.transaction(() => {
      if (db.prepare('SELECT 1 FROM migrations WHERE id = ?').get(migration.id)) return;
      db.exec(migration.sql);
      record.run(migration.id, migration.name, migration.checksum);
    }).immediate();
  }
}
