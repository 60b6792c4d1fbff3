import type { Db } from './open-store.js';

/** Small key-value bookmarks kept beside the index (last indexed change, files fingerprint). */
export function createMeta(db: Db) {
  const select = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const upsert = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM meta WHERE key = ?');
  return {
    get: (key: string) => select.get(key) as string | undefined,
    set: (key: string, value: string) => void upsert.run(key, value),
    delete: (key: string) => void remove.run(key),
  };
}
