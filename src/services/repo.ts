import { join } from 'node:path';
import { mergeConfig, type Config, type ConfigEnv, type ConfigFlags } from '../config.js';
import { createGit, type Git } from '../adapters/git.js';
import { hashRepoFiles, isThere, readRepoFiles } from '../adapters/fs.js';
import type { Db, StoreRecovery } from '../adapters/store/open-store.js';
import { createIndex, deleteIndex, indexPaths, openExistingIndex, readOnlyPath } from '../adapters/store/repo-index.js';
import { insideRoot } from '../adapters/inside-root.js';
import { acquireLock } from '../adapters/lock.js';
import { noticeOnce, shownPath } from '../adapters/notice.js';
import { createFilesStore } from '../adapters/store/files-store.js';
import { createStoreViews, type StoreViews } from '../adapters/store/store-views.js';
import type { RepoModel, Problem } from '../core/repo-model.js';
import { InputError } from '../errors.js';

/** Every file that failed validation, each with its path, line and reason. */
export class InvalidFilesError extends InputError {
  constructor(readonly problems: Problem[]) {
    super(
      problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.reason}`).join('\n'),
      'fix the file(s) above and run the command again; nothing was written',
    );
  }
}

export interface Repo {
  root: string;
  git: Git;
  db: Db;
  /** The index's views (history, queries, runs, files), made once for the command. */
  store: StoreViews;
  config: Config;
  model: RepoModel;
  recovered: StoreRecovery;
  /** The lock a sync of this index takes; none for a temporary index (read-only checkout). */
  syncLock: string | undefined;
  close(): void;
}

export interface OpenRepoOptions {
  dir: string;
  /** Start from an empty index (`sync --rebuild`), also when the old one is unreadable. */
  fresh?: boolean;
  env: ConfigEnv;
  flags?: ConfigFlags;
}

/** Finds the repository, validates its verigap files (only when they changed) and opens the index. */
export async function openRepo({ dir, env, flags, fresh }: OpenRepoOptions): Promise<Repo> {
  const git = createGit(dir);
  const root = await git.topLevel();
  const raw = readRepoFiles(root);
  const hash = hashRepoFiles(raw);
  // a .verigap (or index file) linked out of the repository: refused before anything there is deleted or written
  for (const file of ['index.db', 'index.db-wal', 'index.db-shm', 'sync.lock', '.gitignore'])
    insideRoot(root, join('.verigap', file));
  const paths = indexPaths(root);
  // a rebuild in a checkout verigap cannot write starts from an empty temporary index instead
  const rebuild = fresh && isThere(paths.file) && !readOnlyPath(paths);
  if (rebuild) {
    const release = await acquireLock(paths.lock);
    deleteIndex(paths);
    release();
  }
  // Bad files must leave nothing behind, so a new store is created only after validation.
  let store = isThere(paths.file) && !fresh ? openExistingIndex(paths) : undefined;
  try {
    const cached = store !== undefined && createFilesStore(store.db).hash() === hash;
    let model = cached ? createFilesStore(store!.db).load() : undefined;
    if (!model) {
      const { validateRepoFiles } = await import('../core/repo-model.js');
      const validated = validateRepoFiles(raw);
      if (validated.problems.length > 0) throw new InvalidFilesError(validated.problems);
      model = validated.model;
    }
    store ??= createIndex(paths);
    if (store.readOnly) noticeOnce(`${shownPath(store.readOnly)} is read-only: using a temporary index this time`);
    if (!cached) createFilesStore(store.db).save(model, hash);
    const { db, recovered, syncLock } = store;
    const config = mergeConfig(model.configFile, env, flags);
    return { root, git, db, store: createStoreViews(db), config, model, recovered, syncLock, close: () => db.close() };
  } catch (error) {
    store?.db.close();
    throw error;
  }
}
