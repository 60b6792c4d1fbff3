import type { RepoModel } from '../../core/repo-model.js';
import { createMeta } from './meta.js';
import type { Db } from './open-store.js';

/** The validated flows, incidents, waivers and configuration, with the fingerprint they came from. */
export function createFilesStore(db: Db) {
  const meta = createMeta(db);

  function load(): RepoModel {
    const json = (sql: string) => (db.prepare(sql).pluck().all() as string[]).map((data) => JSON.parse(data));
    return {
      configFile: JSON.parse(meta.get('config_file') ?? '{}'),
      flows: json('SELECT data FROM flows ORDER BY id'),
      incidents: json('SELECT data FROM incidents ORDER BY id'),
      waivers: db
        .prepare('SELECT flow_id AS flowId, sha, reason, by, at FROM waivers ORDER BY flow_id, sha')
        .all() as RepoModel['waivers'],
    };
  }

  const save = db.transaction((model: RepoModel, hash: string) => {
    db.prepare('DELETE FROM flows').run();
    db.prepare('DELETE FROM incidents').run();
    db.prepare('DELETE FROM waivers').run();
    const flow = db.prepare('INSERT INTO flows (id, file, data) VALUES (?, ?, ?)');
    for (const f of model.flows) flow.run(f.id, f.file, JSON.stringify(f));
    const incident = db.prepare('INSERT INTO incidents (id, file, data) VALUES (?, ?, ?)');
    for (const i of model.incidents) incident.run(i.id, i.file, JSON.stringify(i));
    const waiver = db.prepare('INSERT OR REPLACE INTO waivers (flow_id, sha, reason, by, at) VALUES (?, ?, ?, ?, ?)');
    for (const w of model.waivers) waiver.run(w.flowId, w.sha, w.reason, w.by ?? null, w.at ?? null);
    meta.set('config_file', JSON.stringify(model.configFile));
    meta.set('files_hash', hash);
  });

  return {
    hash: () => meta.get('files_hash'),
    flowsHash: () => meta.get('flows_hash'),
    setFlowsHash: (h: string) => meta.set('flows_hash', h),
    load,
    save,
  };
}
