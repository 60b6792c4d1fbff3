import { verifies, type OutcomeCounts } from './playwright-report.js';

/** One first-parent change with what it touched, as the metrics need it. Times in ms. */
export interface ChangeRow {
  seq: number;
  sha: string;
  committedAt: number;
  subject: string;
  pr: number | null;
  /** Flows whose `paths` match a touched file: the affected flows. */
  flows: string[];
  /** Flows whose E2E specs the change added or modified. */
  testFlows: string[];
}

/** An E2E spec of a flow existed for changes with addedSeq ≤ seq < removedSeq. */
export interface SpecInterval {
  flowId: string;
  addedSeq: number;
  removedSeq: number | null;
}

/** A flow's outcome in one verification run. */
export interface FlowRun extends OutcomeCounts {
  flowId: string;
  env: string;
  at: number;
  /** The newest first-parent change contained in the run's commit; later changes are not verified by it. */
  reachSeq: number | null;
}

/** A flow passing in a run of the environment that counts (SPEC §4: flaky counts as passed). */
export type FlowPass = FlowRun & { reachSeq: number };

export function passesIn(runs: readonly FlowRun[], env: string, asOf = Infinity): FlowPass[] {
  return runs.filter((run): run is FlowPass => run.env === env && run.reachSeq !== null && run.at <= asOf && verifies(run));
}

export type FeatureStatus = 'unmapped' | 'verified' | 'covered' | 'uncovered' | 'waived';

export interface FeatureVerdict {
  change: ChangeRow;
  status: FeatureStatus;
  /** When the last affected flow got its first passing run that contains the feature. */
  verifiedAt: number | null;
  withOwnTest: boolean;
}

export interface FeatureEvidence {
  specs: readonly SpecInterval[];
  passes: readonly FlowPass[];
  /** flow id → waived change shas (7+ hex, a prefix of the full sha). */
  waivers: ReadonlyMap<string, readonly string[]>;
}

/** The status of each feature (SPEC §5), from rows only: no I/O, no clock. */
export function judgeFeatures(features: readonly ChangeRow[], evidence: FeatureEvidence): FeatureVerdict[] {
  const specsByFlow = groupBy(evidence.specs, (spec) => spec.flowId);
  const passesByFlow = groupBy([...evidence.passes].sort((a, b) => a.at - b.at), (pass) => pass.flowId);
  return features.map((change) => {
    const withOwnTest = change.flows.some((flow) => change.testFlows.includes(flow));
    if (change.flows.length === 0) return { change, status: 'unmapped', verifiedAt: null, withOwnTest };
    const waived = change.flows.every((flow) => (evidence.waivers.get(flow) ?? []).some((sha) => change.sha.startsWith(sha.toLowerCase())));
    if (waived) return { change, status: 'waived', verifiedAt: null, withOwnTest };
    const verifiedAt = latestFirstPass(change, passesByFlow);
    if (verifiedAt !== null) return { change, status: 'verified', verifiedAt, withOwnTest };
    const covered = change.flows.every((flow) =>
      (specsByFlow.get(flow) ?? []).some((spec) => spec.addedSeq <= change.seq && (spec.removedSeq === null || change.seq < spec.removedSeq)),
    );
    return { change, status: covered ? 'covered' : 'uncovered', verifiedAt: null, withOwnTest };
  });
}

function latestFirstPass(change: ChangeRow, passesByFlow: Map<string, FlowPass[]>): number | null {
  let latest = -Infinity;
  for (const flow of change.flows) {
    const first = passesByFlow.get(flow)?.find((pass) => pass.reachSeq >= change.seq);
    if (!first) return null;
    latest = Math.max(latest, first.at);
  }
  return latest;
}

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
