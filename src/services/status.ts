import { createHistoryQueries } from '../adapters/store/history-queries.js';
import { createRunsStore } from '../adapters/store/runs-store.js';
import { buildStatus, type ProductionStatus } from '../core/production-status.js';
import type { Repo } from './repo.js';

/** The production loop's answer (SPEC §9) from the index: flows in `env` at `now`, features not yet in a verified deployment. */
export function productionStatus(repo: Repo, env: string, now: number): ProductionStatus {
  return buildStatus(
    { flows: repo.model.flows, runs: createRunsStore(repo.db).flowRuns(), env, now },
    {
      // every merged change: a feature waits for verification however old it is
      changes: createHistoryQueries(repo.db).changesBetween(0, Number.MAX_SAFE_INTEGER),
      featurePattern: new RegExp(repo.config.featurePattern),
      verificationEnv: repo.config.verification.env,
      waivers: repo.model.waivers,
    },
  );
}
