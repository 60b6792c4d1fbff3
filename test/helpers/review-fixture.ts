import type { FeatureStatus, FeatureVerdict } from '../../src/core/features.js';
import type { Flow } from '../../src/core/flow.js';
import type { ReviewData, ReviewFlow, ReviewIncident } from '../../src/services/review.js';

export const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3_600_000;

const flow = (id: string, name: string): Flow => ({ id, name, file: `flows/${id}/flow.yaml`, criticality: 'revenue', paths: [`src/${id}/**`], tests: [] } as unknown as Flow);

function verdict(n: number, status: FeatureStatus, flows: string[]): FeatureVerdict {
  const sha = (n.toString(16).padStart(7, '0') + 'a'.repeat(33)).slice(0, 40);
  return {
    change: { seq: n, sha, committedAt: NOW - (1000 - n) * HOUR / 10, subject: `feat(${flows[0] ?? 'misc'}): change number ${n}`, pr: n, flows, testFlows: [] },
    status, verifiedAt: status === 'verified' ? NOW - HOUR : null, withOwnTest: false,
  };
}

function reviewFlow(f: Flow, features: FeatureVerdict[], tests: string[]): ReviewFlow {
  const counts = { unmapped: 0, verified: 0, covered: 0, uncovered: 0, waived: 0 };
  for (const v of features) counts[v.status]++;
  return {
    flow: f, tests, features, counts, lastVerifiedAt: NOW - 2 * HOUR,
    runs: [{ env: 'production', at: NOW - 2 * HOUR, commit: 'c0ffee1234567', url: 'https://ci.example/run/7', passed: 4, failed: 0, flaky: 1, skipped: 0 }],
  };
}

/**
 * Two flows (trial with `trialFeatures` features cycling through the statuses, checkout with one
 * uncovered), two unmapped changes and two incidents.
 */
export function reviewFixture(trialFeatures = 6): ReviewData {
  const statuses: FeatureStatus[] = ['verified', 'covered', 'uncovered', 'waived'];
  const trial = Array.from({ length: trialFeatures }, (_, i) => verdict(i + 1, statuses[i % 4]!, ['trial']));
  const incidents: ReviewIncident[] = [
    { id: '2026-11-20-trial-redirect', title: 'Trial signup never reaches checkout', severity: 'SEV2', status: 'resolved', flows: ['trial'], startedAt: NOW - 48 * HOUR, state: 'proven', test: 'flows/trial/2026-11-20-trial-redirect.spec.ts', fixedBy: 'abc1234' },
    { id: '2026-11-21-cart-empty', title: 'Cart empties on reload', severity: 'SEV1', status: 'open', flows: ['checkout'], startedAt: NOW - 20 * HOUR, state: 'none', test: null, fixedBy: null },
  ];
  return {
    branch: 'main', since: NOW - 30 * 24 * HOUR, now: NOW,
    flows: [
      reviewFlow(flow('trial', 'Start free trial'), trial, ['flows/trial/signup.spec.ts', 'flows/trial/2026-11-20-trial-redirect.spec.ts']),
      reviewFlow(flow('checkout', 'Check out'), [verdict(5000, 'uncovered', ['checkout'])], []),
    ],
    unmapped: [verdict(9001, 'unmapped', []), verdict(9002, 'unmapped', [])],
    incidents,
  };
}
