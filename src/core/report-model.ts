import { judgeFeatures, passesIn, type ChangeRow, type FeatureVerdict, type FlowRun, type SpecInterval } from './features.js';
import type { Flow } from './flow.js';
import { summarizeIncidents, type IncidentFacts, type IncidentSummary } from './incident-metrics.js';
import { percentile, share, HOUR } from './percentile.js';
import { parseDuration } from './duration.js';

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
  changes: readonly ChangeRow[];
  featurePattern: RegExp;
  flows: readonly Flow[];
  specs: readonly SpecInterval[];
  specsNow: ReadonlyMap<string, readonly string[]>;
  runs: readonly FlowRun[];
  verificationEnv: string;
  waivers: ReadonlyMap<string, readonly string[]>;
  within: string;
  incidents: readonly IncidentFacts[];
  gates: GateSpec;
}

export interface Gate {
  name: string;
  threshold: number;
  actual: number | null;
  passed: boolean;
}

export interface Report {
  schema: 'verigap.report/v1';
  window: { since: string; until: string };
  repo: { branch: string; head: string };
  changes: { total: number };
  features: {
    total: number; mapped: number; unmapped: number; verified: number; covered: number; uncovered: number; waived: number;
    coverage_share: number | null; verified_share: number | null; with_own_test: number;
  };
  merge_to_verification: { count: number; p50_hours: number | null; p90_hours: number | null; max_hours: number | null; unverified_past_sla: number; hours: number[] };
  incidents: IncidentSummary;
  flows: {
    id: string; name: string; criticality: string; tests: number; features: number; verified: number; covered: number;
    uncovered: number; waived: number; last_verified_at: string | null; incidents: number;
  }[];
  uncovered_features: { sha: string; subject: string; pr: number | null; flows: string[] }[];
  gates: Gate[];
}

/** The gap report of a window (SPEC §5), computed from rows only. */
export function buildReport(input: ReportInput): Report {
  const passes = passesIn(input.runs, input.verificationEnv, input.asOf);
  const features = input.changes.filter((change) => input.featurePattern.test(change.subject));
  const verdicts = judgeFeatures(features, { specs: input.specs, passes, waivers: input.waivers });
  const count = (status: FeatureVerdict['status'], list = verdicts) => list.filter((v) => v.status === status).length;
  const mapped = verdicts.filter((v) => v.status !== 'unmapped');
  const judged = mapped.length - count('waived');
  const hours = verdicts.filter((v) => v.verifiedAt !== null).map((v) => (v.verifiedAt! - v.change.committedAt) / HOUR);

  const withinOf = new Map(input.flows.map((flow) => [flow.id, parseDuration(flow.within ?? input.within) ?? 24 * HOUR]));
  const pastSla = verdicts.filter((v) => (v.status === 'covered' || v.status === 'uncovered') &&
    input.asOf - v.change.committedAt > Math.min(...v.change.flows.map((flow) => withinOf.get(flow) ?? 24 * HOUR))).length;

  const incidents = summarizeIncidents(input.incidents, input.since, input.until);
  const report: Report = {
    schema: 'verigap.report/v1',
    window: { since: new Date(input.since).toISOString(), until: new Date(input.until).toISOString() },
    repo: { branch: input.branch, head: input.head },
    changes: { total: input.changes.length },
    features: {
      total: verdicts.length, mapped: mapped.length, unmapped: count('unmapped'), verified: count('verified'), covered: count('covered'),
      uncovered: count('uncovered'), waived: count('waived'),
      coverage_share: share(count('verified') + count('covered'), judged), verified_share: share(count('verified'), judged),
      with_own_test: mapped.filter((v) => v.withOwnTest).length,
    },
    merge_to_verification: {
      count: hours.length, p50_hours: percentile(hours, 50), p90_hours: percentile(hours, 90),
      max_hours: hours.length ? Math.max(...hours) : null, unverified_past_sla: pastSla, hours,
    },
    incidents,
    flows: input.flows.map((flow) => {
      const mine = verdicts.filter((v) => v.change.flows.includes(flow.id));
      const last = passes.filter((p) => p.flowId === flow.id).reduce<number | null>((latest, p) => Math.max(latest ?? 0, p.at), null);
      return {
        id: flow.id, name: flow.name, criticality: flow.criticality, tests: input.specsNow.get(flow.id)?.length ?? 0,
        features: mine.length, verified: count('verified', mine), covered: count('covered', mine), uncovered: count('uncovered', mine),
        waived: count('waived', mine), last_verified_at: last === null ? null : new Date(last).toISOString(),
        incidents: incidents.items.filter((i) => i.flows.includes(flow.id)).length,
      };
    }),
    uncovered_features: verdicts.filter((v) => v.status === 'uncovered').map(({ change }) => ({ sha: change.sha, subject: change.subject, pr: change.pr, flows: change.flows })),
    gates: [],
  };
  report.gates = evaluateGates(report, input);
  return report;
}

function evaluateGates(report: Report, input: ReportInput): Gate[] {
  const gates: Gate[] = [];
  const atLeast = (name: string, threshold: number | undefined, actual: number | null) => {
    if (threshold !== undefined) gates.push({ name, threshold, actual, passed: actual === null || actual >= threshold });
  };
  const atMost = (name: string, threshold: number | undefined, actual: number | null) => {
    if (threshold !== undefined) gates.push({ name, threshold, actual, passed: actual === null || actual <= threshold });
  };
  atLeast('coverage', input.gates.coverage, report.features.coverage_share);
  atLeast('verified', input.gates.verified, report.features.verified_share);
  atMost('verify_p90_hours', input.gates.maxVerifyP90Hours, report.merge_to_verification.p90_hours);
  const untestedAges = input.incidents
    .filter((f) => f.state === 'none' && Date.parse(f.incident.started_at) < input.until)
    .map((f) => (input.asOf - Date.parse(f.incident.started_at)) / HOUR);
  atMost('untested_incident_age_hours', input.gates.maxUntestedIncidentAgeHours, untestedAges.length ? Math.max(...untestedAges) : null);
  return gates;
}
