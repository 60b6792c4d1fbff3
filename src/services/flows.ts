import { createHistoryQueries } from '../adapters/store/history-queries.js';
import { createRunsStore } from '../adapters/store/runs-store.js';
import { judgeFeatures, groupBy, passesIn, type FeatureVerdict, type FlowPass } from '../core/features.js';
import type { Flow } from '../core/flow.js';
import type { Repo } from './repo.js';

export interface FlowSummary {
  flow: Flow;
  tests: string[];
  features: FeatureVerdict[];
  counts: Record<FeatureVerdict['status'], number>;
  lastVerifiedAt: number | null;
}

export interface RecentFeatures {
  /** Every feature committed since `since`, unmapped ones included, oldest first. */
  verdicts: FeatureVerdict[];
  passes: FlowPass[];
}

/** The features since `since` (ms), judged against the indexed specs, runs and waivers. */
export function judgeRecentFeatures(repo: Repo, since: number, now: number): RecentFeatures {
  const queries = createHistoryQueries(repo.db);
  const pattern = new RegExp(repo.config.featurePattern);
  const features = queries.changesBetween(since, now).filter((change) => pattern.test(change.subject));
  const waivers = new Map([...groupBy(repo.model.waivers, (w) => w.flowId)].map(([flow, list]) => [flow, list.map((w) => w.sha)]));
  const passes = passesIn(createRunsStore(repo.db).flowRuns(), repo.config.verification.env, now);
  return { verdicts: judgeFeatures(features, { specs: queries.specIntervals(), passes, waivers }), passes };
}

/** Each flow with its E2E specs at the tip and the features that touched it since `since` (ms). */
export function summarizeFlows(repo: Repo, since: number, now: number, recent = judgeRecentFeatures(repo, since, now)): FlowSummary[] {
  const specs = createHistoryQueries(repo.db).specsNow();
  return repo.model.flows.map((flow) => {
    const mine = recent.verdicts.filter((verdict) => verdict.change.flows.includes(flow.id));
    const counts = { unmapped: 0, verified: 0, covered: 0, uncovered: 0, waived: 0 };
    for (const verdict of mine) counts[verdict.status]++;
    const lastVerifiedAt = recent.passes.filter((pass) => pass.flowId === flow.id).reduce<number | null>((latest, pass) => Math.max(latest ?? 0, pass.at), null);
    return { flow, tests: specs.get(flow.id) ?? [], features: mine, counts, lastVerifiedAt };
  });
}
