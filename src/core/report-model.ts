import {
  countFlow,
  judgeFeatures,
  passesIn,
  testsAt,
  type ChangeRow,
  type FeatureVerdict,
  type FlowRun,
  type SpecInterval,
  type WaiverRef,
} from './features.js';
import type { Flow } from './flow.js';
import { summarizeIncidents, type IncidentFacts, type IncidentSummary } from './incident-metrics.js';
import { percentile, share, HOUR } from './percentile.js';
import { parseDuration } from './duration.js';
import { flowHealth, type RunRef } from './production-status.js';
import type { SkippedNote } from './run.js';

export interface GateSpec {
  coverage?: number | undefined;
  verified?: number | undefined;
  maxVerifyP90Hours?: number | undefined;
  maxUntestedIncidentAgeHours?: number | undefined;
}

export interface ReportInput {
  since: number;
  until: number;
  /** Runs after this moment are not counted, so a past window always gives the same numbers. */
  asOf: number;
  branch: string;
  head: string;
  /** The repository's web page when its origin is on GitHub: commits, PRs link there. */
  url: string | null;
  changes: readonly ChangeRow[];
  featurePattern: RegExp;
  flows: readonly Flow[];
  specs: readonly SpecInterval[];
  /** The newest change before the window's end: `flows[].tests` counts the tree there. */
  endSeq: number;
  runs: readonly FlowRun[];
  verificationEnv: string;
  waivers: readonly WaiverRef[];
  within: string;
  incidents: readonly IncidentFacts[];
  gates: GateSpec;
  /** Note lines left out of every number because they are not valid runs. */
  skippedNotes: readonly SkippedNote[];
}

export interface Gate {
  name: string;
  threshold: number;
  actual: number | null;
  passed: boolean;
  /** Nothing to measure in the window (no mapped features, no verified feature…): not checked. */
  no_data?: true;
}

/** Why a feature has its status, flow by flow (the evidence behind every count). */
export interface FeatureDetail {
  sha: string;
  subject: string;
  pr: number | null;
  committed_at: string;
  status: FeatureVerdict['status'];
  with_own_test: boolean;
  verified_at: string | null;
  flows: {
    id: string;
    status: FeatureVerdict['flows'][number]['status'];
    /** E2E test files of the flow in the tree of the feature's commit. */
    tests_at_commit: number;
    verified_at: string | null;
    run_url: string | null;
    waiver: { sha: string; reason: string } | null;
  }[];
}

export interface Report {
  schema: 'verigap.report/v1';
  window: { since: string; until: string };
  repo: { branch: string; head: string; url: string | null };
  /** The environment whose runs verify, and the default target time from merge to verification. */
  verification: { env: string; within: string };
  changes: { total: number };
  features: {
    total: number;
    mapped: number;
    unmapped: number;
    verified: number;
    covered: number;
    uncovered: number;
    waived: number;
    coverage_share: number | null;
    verified_share: number | null;
    with_own_test: number;
  };
  merge_to_verification: {
    count: number;
    p50_hours: number | null;
    p90_hours: number | null;
    max_hours: number | null;
    unverified_past_sla: number;
    hours: number[];
  };
  incidents: IncidentSummary;
  flows: {
    id: string;
    name: string;
    criticality: string;
    tests: number;
    features: number;
    verified: number;
    covered: number;
    uncovered: number;
    waived: number;
    last_verified_at: string | null;
    last_verified_run_url: string | null;
    incidents: number;
    /** SPEC §9: how often production is checked, whether that stopped at the window's end, and the commits whose runs disagreed in the window. */
    schedule: string | null;
    stale: boolean;
    flaky_commits: string[];
    flaky_failures: RunRef[];
  }[];
  uncovered_features: { sha: string; subject: string; pr: number | null; flows: string[]; uncovered_flows: string[] }[];
  /** Every feature of the window with its status flow by flow. */
  feature_details: FeatureDetail[];
  gates: Gate[];
  /** Note lines (or a notes ref) that could not be read as runs: left out of every number above. */
  skipped_notes: SkippedNote[];
}

/** The gap report of a window (SPEC §5), computed from rows only. */
export function buildReport(input: ReportInput): Report {
  const passes = passesIn(input.runs, input.verificationEnv, input.asOf);
  const features = input.changes.filter((change) => input.featurePattern.test(change.subject));
  const verdicts = judgeFeatures(features, { specs: input.specs, passes, waivers: input.waivers });
  const count = (status: FeatureVerdict['status']) => verdicts.filter((v) => v.status === status).length;
  const mapped = verdicts.filter((v) => v.status !== 'unmapped');
  const judged = mapped.length - count('waived');
  const hours = verdicts.filter((v) => v.verifiedAt !== null).map((v) => (v.verifiedAt! - v.change.committedAt) / HOUR);

  const withinOf = new Map(
    input.flows.map((flow) => [flow.id, parseDuration(flow.within ?? input.within) ?? 24 * HOUR]),
  );
  const judgedFlows = (v: FeatureVerdict) =>
    v.flows.filter((flow) => flow.status !== 'waived').map((flow) => flow.flowId);
  const pastSla = verdicts.filter(
    (v) =>
      (v.status === 'covered' || v.status === 'uncovered') &&
      input.asOf - v.change.committedAt > Math.min(...judgedFlows(v).map((flow) => withinOf.get(flow) ?? 24 * HOUR)),
  ).length;

  const incidents = summarizeIncidents(input.incidents, input.since, input.until);
  const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());
  const health = new Map(
    flowHealth({
      flows: input.flows,
      runs: input.runs,
      env: input.verificationEnv,
      now: input.asOf,
      since: input.since,
      until: input.asOf,
    }).map((h) => [h.id, h]),
  );
  const report: Report = {
    schema: 'verigap.report/v1',
    window: { since: new Date(input.since).toISOString(), until: new Date(input.until).toISOString() },
    repo: { branch: input.branch, head: input.head, url: input.url },
    verification: { env: input.verificationEnv, within: input.within },
    changes: { total: input.changes.length },
    features: {
      total: verdicts.length,
      mapped: mapped.length,
      unmapped: count('unmapped'),
      verified: count('verified'),
      covered: count('covered'),
      uncovered: count('uncovered'),
      waived: count('waived'),
      coverage_share: share(count('verified') + count('covered'), judged),
      verified_share: share(count('verified'), judged),
      with_own_test: mapped.filter((v) => v.withOwnTest).length,
    },
    merge_to_verification: {
      count: hours.length,
      p50_hours: percentile(hours, 50),
      p90_hours: percentile(hours, 90),
      max_hours: hours.length ? Math.max(...hours) : null,
      unverified_past_sla: pastSla,
      hours,
    },
    incidents,
    flows: input.flows.map((flow) => {
      const counts = countFlow(flow.id, verdicts, passes);
      const { stale, flaky_commits, flaky_failures } = health.get(flow.id)!;
      const last = passes.filter((pass) => pass.flowId === flow.id && pass.at === counts.lastVerifiedAt).at(-1);
      return {
        id: flow.id,
        name: flow.name,
        criticality: flow.criticality,
        tests: testsAt(input.specs, flow.id, input.endSeq).length,
        features: counts.features,
        verified: counts.verified,
        covered: counts.covered,
        uncovered: counts.uncovered,
        waived: counts.waived,
        last_verified_at: iso(counts.lastVerifiedAt),
        last_verified_run_url: last?.runUrl ?? null,
        incidents: incidents.items.filter((i) => i.flows.includes(flow.id)).length,
        schedule: flow.schedule ?? null,
        stale,
        flaky_commits,
        flaky_failures,
      };
    }),
    uncovered_features: verdicts
      .filter((v) => v.status === 'uncovered')
      .map(({ change, flows }) => ({
        sha: change.sha,
        subject: change.subject,
        pr: change.pr,
        flows: change.flows,
        uncovered_flows: flows.filter((flow) => flow.status === 'uncovered').map((flow) => flow.flowId),
      })),
    feature_details: verdicts.map((v) => ({
      sha: v.change.sha,
      subject: v.change.subject,
      pr: v.change.pr,
      committed_at: new Date(v.change.committedAt).toISOString(),
      status: v.status,
      with_own_test: v.withOwnTest,
      verified_at: iso(v.verifiedAt),
      flows: v.flows.map((flow) => ({
        id: flow.flowId,
        status: flow.status,
        tests_at_commit: flow.tests,
        verified_at: iso(flow.firstPass?.at ?? null),
        run_url: flow.firstPass?.runUrl ?? null,
        waiver: flow.waiver && { sha: flow.waiver.sha, reason: flow.waiver.reason },
      })),
    })),
    gates: [],
    skipped_notes: [...input.skippedNotes],
  };
  report.gates = evaluateGates(report, input);
  return report;
}

function evaluateGates(report: Report, input: ReportInput): Gate[] {
  const gates: Gate[] = [];
  // a gate over nothing (no mapped feature, no verified one, no untested incident) is not checked, and says so
  const check = (
    name: string,
    threshold: number | undefined,
    actual: number | null,
    holds: (actual: number, threshold: number) => boolean,
  ) => {
    if (threshold === undefined) return;
    gates.push(
      actual === null
        ? { name, threshold, actual, passed: true, no_data: true }
        : { name, threshold, actual, passed: holds(actual, threshold) },
    );
  };
  const atLeast = (name: string, threshold: number | undefined, actual: number | null) =>
    check(name, threshold, actual, (a, t) => a >= t);
  const atMost = (name: string, threshold: number | undefined, actual: number | null) =>
    check(name, threshold, actual, (a, t) => a <= t);
  atLeast('coverage', input.gates.coverage, report.features.coverage_share);
  atLeast('verified', input.gates.verified, report.features.verified_share);
  atMost('verify_p90_hours', input.gates.maxVerifyP90Hours, report.merge_to_verification.p90_hours);
  const untestedAges = input.incidents
    .filter((f) => f.state === 'none' && Date.parse(f.incident.started_at) < input.until)
    .map((f) => (input.asOf - Date.parse(f.incident.started_at)) / HOUR);
  atMost(
    'untested_incident_age_hours',
    input.gates.maxUntestedIncidentAgeHours,
    untestedAges.length ? Math.max(...untestedAges) : null,
  );
  return gates;
}
