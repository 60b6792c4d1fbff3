import {
  countFlow,
  type FeatureStatus,
  type FeatureVerdict,
  type FlowEvidence,
  type FlowPass,
  type SpecInterval,
} from '../../src/core/features.js';
import type { Flow } from '../../src/core/flow.js';
import type { Waiver } from '../../src/core/waiver.js';
import type { ReviewData, ReviewFlow, ReviewIncident } from '../../src/services/review.js';

export const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3_600_000;

const flow = (id: string, name: string): Flow =>
  ({
    id,
    name,
    file: `flows/${id}/flow.yaml`,
    criticality: 'revenue',
    paths: [`src/${id}/**`],
    tests: [],
  }) as unknown as Flow;

const shaOf = (n: number) => (n.toString(16).padStart(7, '0') + 'a'.repeat(33)).slice(0, 40);

const pass = (flowId: string): FlowPass => ({
  flowId,
  env: 'production',
  commit: 'c'.repeat(40),
  at: NOW - HOUR,
  runUrl: 'https://ci.example/run/7',
  reachSeq: 1_000_000,
  passed: 4,
  failed: 0,
  flaky: 1,
  skipped: 0,
});

/** A flow's evidence that gives it `status`: a waiver when waived, a run of production when verified. */
function evidence(flowId: string, sha: string, status: Exclude<FeatureStatus, 'unmapped'>): FlowEvidence {
  return {
    flowId,
    status,
    tests: status === 'uncovered' ? 0 : 1,
    waiver: status === 'waived' ? { flowId, sha: sha.slice(0, 7), reason: 'Copy change only' } : null,
    firstPass: status === 'verified' ? pass(flowId) : null,
  };
}

function verdict(n: number, status: FeatureStatus, flows: string[]): FeatureVerdict {
  const sha = shaOf(n);
  return {
    change: {
      seq: n,
      sha,
      committedAt: NOW - ((1000 - n) * HOUR) / 10,
      subject: `feat(${flows[0] ?? 'misc'}): change number ${n}`,
      pr: n,
      flows,
      testFlows: [],
    },
    status,
    verifiedAt: status === 'verified' ? NOW - HOUR : null,
    withOwnTest: false,
    flows: status === 'unmapped' ? [] : flows.map((flowId) => evidence(flowId, sha, status)),
  };
}

/** The oldest change of both flows: covered in trial (signup.spec.ts existed), uncovered in checkout, so uncovered. */
export const SHARED = 'beef123' + 'b'.repeat(33);

function shared(): FeatureVerdict {
  return {
    change: {
      seq: 0,
      sha: SHARED,
      committedAt: NOW - 120 * HOUR,
      subject: 'feat(cart): one cart for trial and checkout',
      pr: 77,
      flows: ['trial', 'checkout'],
      testFlows: [],
    },
    status: 'uncovered',
    verifiedAt: null,
    withOwnTest: false,
    flows: [evidence('trial', SHARED, 'covered'), evidence('checkout', SHARED, 'uncovered')],
  };
}

function reviewFlow(f: Flow, features: FeatureVerdict[], tests: string[]): ReviewFlow {
  const { features: _features, lastVerifiedAt: _last, ...counts } = countFlow(f.id, features, []);
  return {
    flow: f,
    tests,
    features,
    counts,
    lastVerifiedAt: NOW - 2 * HOUR,
    runs: [
      {
        env: 'production',
        at: NOW - 2 * HOUR,
        commit: 'c0ffee1234567',
        url: 'https://ci.example/run/7',
        passed: 4,
        failed: 0,
        flaky: 1,
        skipped: 0,
        flows: [
          { flowId: 'checkout', passed: 2, failed: 1, flaky: 0, skipped: 0 },
          { flowId: f.id, passed: 4, failed: 0, flaky: 1, skipped: 0 },
        ],
      },
    ],
  };
}

/** What `waivers.yaml` holds for each waiver of the verdicts: who decided and when. */
function waiversOf(verdicts: readonly FeatureVerdict[]): Waiver[] {
  return verdicts.flatMap((v) =>
    v.flows.flatMap((e) => (e.waiver ? [{ ...e.waiver, by: '@alice', at: '2026-11-20T10:00:00Z' }] : [])),
  );
}

/** The data rebuilt from its verdicts, as the reload after an action gives it (counts per flow, waivers). */
function rebuild(data: ReviewData, verdicts: readonly FeatureVerdict[]): ReviewData {
  const flows = data.flows.map((f) =>
    reviewFlow(
      f.flow,
      verdicts.filter((v) => v.change.flows.includes(f.flow.id)),
      f.tests,
    ),
  );
  return { ...data, flows, waivers: waiversOf(verdicts) };
}

/**
 * Two flows (trial with `trialFeatures` features cycling through the statuses, checkout with one
 * uncovered), the SHARED change of both, two unmapped changes and two incidents. Trial's signup
 * spec exists from the first change; its regression spec was added at change 2.
 */
export function reviewFixture(trialFeatures = 6): ReviewData {
  const statuses: FeatureStatus[] = ['verified', 'covered', 'uncovered', 'waived'];
  const both = shared();
  const trial = [both, ...Array.from({ length: trialFeatures }, (_, i) => verdict(i + 1, statuses[i % 4]!, ['trial']))];
  const checkout = [both, verdict(5000, 'uncovered', ['checkout'])];
  const specs: SpecInterval[] = [
    { flowId: 'trial', path: 'flows/trial/signup.spec.ts', addedSeq: 0, removedSeq: null },
    { flowId: 'trial', path: 'flows/trial/2026-11-20-trial-redirect.spec.ts', addedSeq: 2, removedSeq: null },
  ];
  const incidents: ReviewIncident[] = [
    {
      id: '2026-11-20-trial-redirect',
      title: 'Trial signup never reaches checkout',
      severity: 'SEV2',
      status: 'resolved',
      flows: ['trial'],
      startedAt: NOW - 48 * HOUR,
      state: 'proven',
      test: 'flows/trial/2026-11-20-trial-redirect.spec.ts',
      fixedBy: 'abc1234',
    },
    {
      id: '2026-11-21-cart-empty',
      title: 'Cart empties on reload',
      severity: 'SEV1',
      status: 'open',
      flows: ['checkout'],
      startedAt: NOW - 20 * HOUR,
      state: 'none',
      test: null,
      fixedBy: null,
    },
  ];
  return {
    branch: 'main',
    since: NOW - 30 * 24 * HOUR,
    now: NOW,
    flows: [
      reviewFlow(flow('trial', 'Start free trial'), trial, [
        'flows/trial/signup.spec.ts',
        'flows/trial/2026-11-20-trial-redirect.spec.ts',
      ]),
      reviewFlow(flow('checkout', 'Check out'), checkout, []),
    ],
    unmapped: [verdict(9001, 'unmapped', []), verdict(9002, 'unmapped', [])],
    incidents,
    specs,
    waivers: waiversOf([...trial, ...checkout]),
  };
}

/** A waiver of `sha` for `flowId` as the reload shows it: that flow waived, the feature judged on its other flows. */
export function waivedIn(data: ReviewData, sha: string, flowId: string, reason: string): ReviewData {
  const rank = { uncovered: 0, covered: 1, verified: 2, waived: 3 } as const;
  const waive = (v: FeatureVerdict): FeatureVerdict => {
    if (v.change.sha !== sha) return v;
    const flows = v.flows.map((e) =>
      e.flowId === flowId ? { ...e, status: 'waived' as const, waiver: { flowId, sha: sha.slice(0, 7), reason } } : e,
    );
    const judged = flows.filter((e) => e.status !== 'waived');
    const status =
      judged.length === 0
        ? 'waived'
        : judged.reduce((weakest, e) => (rank[e.status] < rank[weakest] ? e.status : weakest), judged[0]!.status);
    return { ...v, flows, status };
  };
  const verdicts = new Map<string, FeatureVerdict>();
  for (const f of data.flows) for (const v of f.features) verdicts.set(v.change.sha, waive(v));
  return rebuild(data, [...verdicts.values()]);
}
