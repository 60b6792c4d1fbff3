import { verifiedThrough } from '../core/features.js';
import { buildStatus, type ProductionStatus } from '../core/production-status.js';
import type { Repo } from './repo.js';

/** The production loop's answer (SPEC §9) from the index: flows in `env` at `now`, features not yet in a verified deployment. */
export function productionStatus(repo: Repo, env: string, now: number): ProductionStatus {
  const runsStore = repo.store.runs;
  const queries = repo.store.queries;
  const verificationEnv = repo.config.verification.env;
  const everything = { since: -Infinity, until: Infinity };
  // a feature waits for verification however old it is, but one every flow's passes already reach does not wait
  const waitingFrom = verifiedThrough(runsStore.reachByFlow(verificationEnv), queries.mappedFlows());
  const envRuns = runsStore.runEvidence(env, { reachingAbove: waitingFrom })(everything, { flakiness: true });
  const verificationRuns =
    verificationEnv === env
      ? envRuns
      : runsStore.runEvidence(verificationEnv, { reachingAbove: waitingFrom })(everything, { flakiness: false });
  // each rule reads the runs of its own env only
  const runs = verificationEnv === env ? envRuns : [...envRuns, ...verificationRuns];
  return buildStatus(
    { flows: repo.model.flows, runs, env, now },
    {
      changes: Number.isFinite(waitingFrom) ? queries.changesAfter(waitingFrom) : [],
      featurePattern: new RegExp(repo.config.featurePattern),
      verificationEnv,
      waivers: repo.model.waivers,
    },
  );
}
