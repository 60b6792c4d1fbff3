import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { writeWhole } from '../inside-root.js';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { shellQuoted, shownPath } from '../notice.js';
import { deleteStore, openStore, openTemporaryStore, type Db, type StoreRecovery } from './open-store.js';

/** Where a repository's index lives: `.verigap/index.db`, with the lock that serialises syncs. */
export interface IndexPaths {
  root: string;
  dir: string;
  file: string;
  lock: string;
}

export interface RepoIndex {
  db: Db;
  recovered: StoreRecovery;
  /** The lock a sync takes; none for a temporary index, which no other process sees. */
  syncLock: string | undefined;
  /** The path verigap could not write, when this index is a temporary one. */
  readOnly: string | undefined;
}

/**
 * The index's paths, refusing (exit 2, with the fix) a `.verigap` that is not a folder or an
 * `index.db` that is not a file: verigap deletes neither, they may hold someone's work.
 */
export function indexPaths(root: string): IndexPaths {
  const dir = join(root, '.verigap');
  const file = join(dir, 'index.db');
  const folder = statSync(dir, { throwIfNoEntry: false });
  if (folder && !folder.isDirectory()) {
    throw new InputError(
      `${shownPath(dir)} is a file, but verigap keeps its index in a folder of that name`,
      `move it away (mv ${shellQuoted(shownPath(dir))} ${shellQuoted(`${shownPath(dir)}.old`)}) and run the command again; verigap recreates the folder`,
    );
  }
  const index = statSync(file, { throwIfNoEntry: false });
  if (index && !index.isFile()) {
    throw new InputError(
      `${shownPath(file)} is ${index.isDirectory() ? 'a directory' : 'not a file'}, but it should be verigap's index (a SQLite file)`,
      `remove it (rm -r ${shellQuoted(shownPath(file))}) and run the command again; the index is rebuilt from Git`,
    );
  }
  return { root, dir, file, lock: join(dir, 'sync.lock') };
}

/** The first path of the index that cannot be written, or undefined when the index can be. */
export function readOnlyPath(paths: IndexPaths): string | undefined {
  if (!existsSync(paths.dir)) return writable(paths.root) ? undefined : paths.root;
  if (!writable(paths.dir)) return paths.dir;
  return existsSync(paths.file) && !writable(paths.file) ? paths.file : undefined;
}

/** Opens the existing index; a temporary copy in memory when it cannot be written. */
export function openExistingIndex(paths: IndexPaths): RepoIndex {
  const readOnly = readOnlyPath(paths);
  if (readOnly) return temporaryIndex(readOnly, paths.file);
  try {
    return { ...openStore(paths.file), syncLock: paths.lock, readOnly: undefined };
  } catch (error) {
    if (isReadOnlyError(error)) return temporaryIndex(paths.file, paths.file);
    throw error;
  }
}

/** Creates the index (and `.verigap/`, kept out of Git); an empty one in memory when it cannot. */
export function createIndex(paths: IndexPaths): RepoIndex {
  const readOnly = readOnlyPath(paths);
  if (readOnly) return temporaryIndex(readOnly);
  try {
    mkdirSync(paths.dir, { recursive: true });
    // The store is a rebuildable cache: keep it out of Git even before `verigap init`.
    if (!existsSync(join(paths.dir, '.gitignore'))) writeWhole(join(paths.dir, '.gitignore'), '*\n');
    return { ...openStore(paths.file), syncLock: paths.lock, readOnly: undefined };
  } catch (error) {
    if (isReadOnlyError(error)) return temporaryIndex(paths.dir);
    throw error;
  }
}

export function deleteIndex(paths: IndexPaths): void {
  deleteStore(paths.file);
}

function temporaryIndex(readOnly: string, copyOf?: string): RepoIndex {
  return { ...openTemporaryStore(copyOf), syncLock: undefined, readOnly };
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function isReadOnlyError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return (
    ['EACCES', 'EPERM', 'EROFS'].includes(code) ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN')
  );
}
