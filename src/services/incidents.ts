import { regressionState, type RegressionState } from '../core/regression-state.js';
import type { Incident } from '../core/incident.js';
import type { Repo } from './repo.js';

export interface IncidentRow {
  incident: Incident;
  state: RegressionState;
}

/** Each recorded incident with the state of its regression test on the tracked branch (the index must be synced). */
export function incidentsWithTests(repo: Repo): IncidentRow[] {
  const onBranch = new Set([...repo.store.queries.specsNow().values()].flat());
  return repo.model.incidents.map((incident) => ({ incident, state: regressionState(incident, onBranch) }));
}
