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

/** An E2E test file of a flow existed for changes with addedSeq ≤ seq < removedSeq. */
export interface SpecInterval {
  flowId: string;
  path: string;
  addedSeq: number;
  removedSeq: number | null;
}

/** A flow's outcome in one verification run. */
export interface FlowRun extends OutcomeCounts {
  flowId: string;
  env: string;
  /** The deployed commit the run ran against. */
  commit: string;
  at: number;
  runUrl: string | null;
  /** The newest first-parent change contained in the run's commit; later changes are not verified by it. */
  reachSeq: number | null;
}

/** A flow passing in a run of the environment that counts (SPEC §4: flaky counts as passed). */
export type FlowPass = FlowRun & { reachSeq: number };

export function passesIn(runs: readonly FlowRun[], env: string, asOf = Infinity): FlowPass[] {
  return runs.filter(
    (run): run is FlowPass => run.env === env && run.reachSeq !== null && run.at <= asOf && verifies(run),
  );
}

/**
 * The newest change every one of `flowIds` has a pass containing (`reachByFlow`: each flow's highest reach): a feature up to it is verified (or waived) in each
 * of its flows, so only the changes after it can still wait for a verification. 0 when a flow never passed.
 */
export function verifiedThrough(reachByFlow: ReadonlyMap<string, number>, flowIds: readonly string[]): number {
  return Math.min(...flowIds.map((flowId) => reachByFlow.get(flowId) ?? 0));
}

/** Each flow's highest reach among `passes`. */
export function reachByFlow(passes: readonly FlowPass[]): Map<string, number> {
  const reach = new Map<string, number>();
  for (const pass of passes) reach.set(pass.flowId, Math.max(reach.get(pass.flowId) ?? 0, pass.reachSeq));
  return reach;
}

export type FeatureStatus = 'unmapped' | 'verified' | 'covered' | 'uncovered' | 'waived';

/** A feature judged in one flow, by that flow's own evidence (SPEC §5, per-flow rows). */
export type FlowStatus = Exclude<FeatureStatus, 'unmapped'>;

export interface FlowEvidence {
  flowId: string;
  status: FlowStatus;
  /** The waiver that takes this flow out of the feature's judgement. */
  waiver: WaiverRef | null;
  /** The flow's first passing run that contains the feature. */
  firstPass: FlowPass | null;
  /** How many E2E test files the flow had in the tree of the feature's commit. */
  tests: number;
}

export interface FeatureVerdict {
  change: ChangeRow;
  status: FeatureStatus;
  /** Each affected flow's own verdict, in the order of `change.flows`. */
  flows: FlowEvidence[];
  /** When the last flow not waived got its first passing run that contains the feature. */
  verifiedAt: number | null;
  withOwnTest: boolean;
}

/** A waiver as the metrics need it: the flow, the change (7+ hex, a prefix of the full sha), why. */
export interface WaiverRef {
  flowId: string;
  sha: string;
  reason: string;
}

export interface FeatureEvidence {
  specs: readonly SpecInterval[];
  passes: readonly FlowPass[];
  waivers: readonly WaiverRef[];
}

const rank: Record<FlowStatus, number> = { uncovered: 0, covered: 1, verified: 2, waived: 3 };

/**
 * The status of each feature (SPEC §5), from rows only: no I/O, no clock. Each affected flow is
 * judged on its own evidence; the feature takes the weakest status of the flows it is not
 * waived for, and is waived when it is waived for all of them.
 */
export function judgeFeatures(features: readonly ChangeRow[], evidence: FeatureEvidence): FeatureVerdict[] {
  const specsByFlow = groupBy(evidence.specs, (spec) => spec.flowId);
  const firstPassByFlow = new Map(
    [
      ...groupBy(
        [...evidence.passes].sort((a, b) => a.at - b.at),
        (pass) => pass.flowId,
      ),
    ].map(([flowId, passes]) => [flowId, firstPassReaching(passes)]),
  );
  const waiversByFlow = groupBy(evidence.waivers, (waiver) => waiver.flowId);
  return features.map((change) => {
    const withOwnTest = change.flows.some((flow) => change.testFlows.includes(flow));
    const flows = change.flows.map((flowId): FlowEvidence => {
      const waiver = (waiversByFlow.get(flowId) ?? []).find((w) => change.sha.startsWith(w.sha.toLowerCase())) ?? null;
      const firstPass = firstPassByFlow.get(flowId)?.(change.seq) ?? null;
      let tests = 0;
      for (const spec of specsByFlow.get(flowId) ?? []) if (existsAt(spec, change.seq)) tests++;
      const status = waiver ? 'waived' : firstPass ? 'verified' : tests > 0 ? 'covered' : 'uncovered';
      return { flowId, status, waiver, firstPass, tests };
    });
    const judged = flows.filter((flow) => flow.status !== 'waived');
    if (flows.length === 0) return { change, status: 'unmapped', flows, verifiedAt: null, withOwnTest };
    if (judged.length === 0) return { change, status: 'waived', flows, verifiedAt: null, withOwnTest };
    const status = judged.reduce<FlowStatus>(
      (weakest, flow) => (rank[flow.status] < rank[weakest] ? flow.status : weakest),
      'verified',
    );
    const verifiedAt = status === 'verified' ? Math.max(...judged.map((flow) => flow.firstPass!.at)) : null;
    return { change, status, flows, verifiedAt, withOwnTest };
  });
}

/**
 * The earliest of `passes` (sorted by time) whose commit contains the change at `seq`, in O(log n): the running
 * maximum of their reach first gets to `seq` at that very pass. A year of 15-minute runs is 35,000 passes per
 * flow, and a scan per feature took seconds.
 */
function firstPassReaching(passes: readonly FlowPass[]): (seq: number) => FlowPass | undefined {
  const reach: number[] = [];
  for (const pass of passes) reach.push(Math.max(pass.reachSeq, reach.at(-1) ?? -Infinity));
  return (seq) => {
    let low = 0;
    let high = passes.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (reach[middle]! >= seq) high = middle;
      else low = middle + 1;
    }
    return passes[low];
  };
}

/** Whether an E2E test file existed in the tree of the change at `seq`. */
export function existsAt(spec: SpecInterval, seq: number): boolean {
  return spec.addedSeq <= seq && (spec.removedSeq === null || seq < spec.removedSeq);
}

/** A flow's E2E test files in the tree of the change at `seq` (Infinity: the indexed tip). */
export function testsAt(specs: readonly SpecInterval[], flowId: string, seq: number): string[] {
  return specs
    .filter((spec) => spec.flowId === flowId && existsAt(spec, seq))
    .map((spec) => spec.path)
    .sort();
}

export interface FlowCounts {
  features: number;
  verified: number;
  covered: number;
  uncovered: number;
  waived: number;
  /** The newest passing run of the flow up to the moment counted. */
  lastVerifiedAt: number | null;
}

/** One flow's row (SPEC §5): the features that touched it, each by the flow's own evidence. */
export function countFlow(
  flowId: string,
  verdicts: readonly FeatureVerdict[],
  passes: readonly FlowPass[],
): FlowCounts {
  const counts: FlowCounts = { features: 0, verified: 0, covered: 0, uncovered: 0, waived: 0, lastVerifiedAt: null };
  for (const verdict of verdicts) {
    const mine = verdict.flows.find((flow) => flow.flowId === flowId);
    if (!mine) continue;
    counts.features++;
    counts[mine.status]++;
  }
  for (const pass of passes)
    if (pass.flowId === flowId) counts.lastVerifiedAt = Math.max(counts.lastVerifiedAt ?? 0, pass.at);
  return counts;
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

/** How a flow's row shows a feature: by that flow's own evidence; the feature's own status outside any flow. */
export function statusIn(verdict: FeatureVerdict, flowId: string | null): FeatureStatus {
  return (flowId !== null && verdict.flows.find((flow) => flow.flowId === flowId)?.status) || verdict.status;
}
