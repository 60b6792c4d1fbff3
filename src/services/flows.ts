import {
  countFlow,
  judgeFeatures,
  passesIn,
  testsAt,
  type FeatureVerdict,
  type FlowCounts,
  type FlowPass,
  type SpecInterval,
} from '../core/features.js';
import type { Flow } from '../core/flow.js';
import type { Repo } from './repo.js';

export interface FlowSummary {
  flow: Flow;
  /** Its E2E test files at the indexed tip. */
  tests: string[];
  /** The features that touched it, each with the flow's own verdict in `flows`. */
  features: FeatureVerdict[];
  counts: Omit<FlowCounts, 'features' | 'lastVerifiedAt'>;
  lastVerifiedAt: number | null;
}

export interface RecentFeatures {
  /** Every feature committed since `since`, unmapped ones included, oldest first. */
  verdicts: FeatureVerdict[];
  passes: FlowPass[];
  specs: SpecInterval[];
}

/** The features since `since` (ms), judged against the indexed specs, runs and waivers. */
export function judgeRecentFeatures(repo: Repo, since: number, now: number): RecentFeatures {
  const queries = repo.store.queries;
  const pattern = new RegExp(repo.config.featurePattern);
  const features = queries.changesBetween(since, now).filter((change) => pattern.test(change.subject));
  const env = repo.config.verification.env;
  const passes = passesIn(repo.store.runs.runEvidence(env)({ since, until: now }, { flakiness: false }), env, now);
  const specs = queries.specIntervals();
  return { verdicts: judgeFeatures(features, { specs, passes, waivers: repo.model.waivers }), passes, specs };
}

/** Each flow with its E2E tests at the tip and the features that touched it since `since` (ms), counted as the report counts them. */
export function summarizeFlows(
  repo: Repo,
  since: number,
  now: number,
  recent = judgeRecentFeatures(repo, since, now),
): FlowSummary[] {
  return repo.model.flows.map((flow) => {
    const { features: _features, lastVerifiedAt, ...counts } = countFlow(flow.id, recent.verdicts, recent.passes);
    return {
      flow,
      tests: testsAt(recent.specs, flow.id, Infinity),
      lastVerifiedAt,
      counts,
      features: recent.verdicts.filter((verdict) => verdict.change.flows.includes(flow.id)),
    };
  });
}
