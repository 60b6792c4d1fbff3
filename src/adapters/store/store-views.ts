import type { Db } from './open-store.js';
import { createFilesStore } from './files-store.js';
import { createHistoryQueries } from './history-queries.js';
import { createHistoryStore } from './history-store.js';
import { createRunsStore } from './runs-store.js';

/**
 * The index's views, built once per command and handed to services with the repository. Each is made on first use:
 * a view prepares its statements when made, and a short command (an ingest) asks only one or two of them.
 */
export interface StoreViews {
  readonly history: ReturnType<typeof createHistoryStore>;
  readonly queries: ReturnType<typeof createHistoryQueries>;
  readonly runs: ReturnType<typeof createRunsStore>;
  readonly files: ReturnType<typeof createFilesStore>;
}

export function createStoreViews(db: Db): StoreViews {
  const made: { -readonly [K in keyof StoreViews]?: StoreViews[K] } = {};
  return {
    get history() {
      return (made.history ??= createHistoryStore(db));
    },
    get queries() {
      return (made.queries ??= createHistoryQueries(db));
    },
    get runs() {
      return (made.runs ??= createRunsStore(db));
    },
    get files() {
      return (made.files ??= createFilesStore(db));
    },
  };
}
