import { describe, expect, it } from 'vitest';
import type { ChangeRow, FlowRun, SpecInterval } from '../../src/core/features.js';
import type { Flow } from '../../src/core/flow.js';
import type { IncidentFacts } from '../../src/core/incident-metrics.js';
import { percentile } from '../../src/core/percentile.js';
import { buildReport, type ReportInput } from '../../src/core/report-model.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-16T00:00:00Z'); // Monday of 2026-W47
const flow = (id: string, within?: string): Flow => ({
  id,
  file: `flows/${id}/flow.yaml`,
  name: id,
  criticality: 'revenue',
  paths: [],
  tests: [],
  ...(within ? { within } : {}),
});
const change = (seq: number, hour: number, subject: string, flows: string[], testFlows: string[] = []): ChangeRow => ({
  seq,
  sha: `${String(seq).padStart(2, '0')}${'a'.repeat(38)}`,
  committedAt: T0 + hour * H,
  subject,
  pr: seq,
  flows,
  testFlows,
});
const run = (
  flowId: string,
  hour: number,
  reachSeq: number,
  outcome: Partial<FlowRun> = {},
  env = 'production',
): FlowRun => ({
  flowId,
  env,
  commit: 'c'.repeat(40),
  at: T0 + hour * H,
  runUrl: null,
  reachSeq,
  passed: 1,
  failed: 0,
  flaky: 0,
  skipped: 0,
  ...outcome,
});

function report(overrides: Partial<ReportInput>) {
  return buildReport({
    since: T0,
    until: T0 + 168 * H,
    asOf: T0 + 168 * H,
    branch: 'main',
    head: 'h'.repeat(40),
    url: null,
    changes: [],
    featurePattern: /^feat/,
    flows: [flow('trial'), flow('login')],
    specs: [],
    endSeq: 1_000,
    runs: [],
    verificationEnv: 'production',
    waivers: [],
    within: '24h',
    incidents: [],
    gates: {},
    skippedNotes: [],
    ...overrides,
  });
}

describe('features and shares (SPEC §5)', () => {
  it('no features: every share is null and no percentile exists', () => {
    const r = report({ changes: [change(1, 1, 'chore: deps', ['trial'])] });
    expect(r.changes.total).toBe(1);
    expect(r.features).toEqual({
      total: 0,
      mapped: 0,
      unmapped: 0,
      verified: 0,
      covered: 0,
      uncovered: 0,
      waived: 0,
      coverage_share: null,
      verified_share: null,
      with_own_test: 0,
    });
    expect(r.merge_to_verification).toMatchObject({ count: 0, p50_hours: null, p90_hours: null, max_hours: null });
  });

  it('a feature touching two flows is verified when the later of the two flows passes', () => {
    const r = report({
      changes: [change(5, 10, 'feat: shared checkout', ['login', 'trial'])],
      runs: [run('trial', 12, 5), run('login', 30, 6)],
    });
    expect(r.features.verified).toBe(1);
    expect(r.merge_to_verification.hours).toEqual([20]);
  });

  it('a failing production run followed by a passing one: verified at the passing one', () => {
    const r = report({
      changes: [change(5, 10, 'feat: trial', ['trial'])],
      runs: [run('trial', 11, 5, { passed: 3, failed: 1 }), run('trial', 15, 5, { passed: 3, flaky: 1 })],
    });
    expect(r.merge_to_verification).toMatchObject({ count: 1, p50_hours: 5, p90_hours: 5, max_hours: 5 });
  });

  it('a passing staging run does not count; the feature stays covered or uncovered', () => {
    const specs: SpecInterval[] = [{ flowId: 'trial', path: 'flows/trial/a2.spec.ts', addedSeq: 2, removedSeq: null }];
    const r = report({
      changes: [change(5, 10, 'feat: trial', ['trial']), change(6, 11, 'feat: login', ['login'])],
      specs,
      runs: [run('trial', 12, 9, {}, 'staging')],
    });
    expect(r.features).toMatchObject({ verified: 0, covered: 1, uncovered: 1, coverage_share: 0.5, verified_share: 0 });
    expect(r.uncovered_features).toEqual([
      { sha: change(6, 11, '', []).sha, subject: 'feat: login', pr: 6, flows: ['login'], uncovered_flows: ['login'] },
    ]);
  });

  it('a run on a commit that does not contain the feature does not verify it', () => {
    const r = report({ changes: [change(5, 10, 'feat: trial', ['trial'])], runs: [run('trial', 12, 4)] });
    expect(r.features.verified).toBe(0);
  });

  it('a spec deleted before the feature does not cover it; one added with it does', () => {
    const specs: SpecInterval[] = [
      { flowId: 'trial', path: 'flows/trial/a1.spec.ts', addedSeq: 1, removedSeq: 3 },
      { flowId: 'login', path: 'flows/login/a7.spec.ts', addedSeq: 7, removedSeq: null },
    ];
    const r = report({
      changes: [change(5, 1, 'feat: a', ['trial']), change(7, 2, 'feat: b', ['login'], ['login'])],
      specs,
    });
    expect(r.features).toMatchObject({ covered: 1, uncovered: 1, with_own_test: 1 });
  });

  it('waived features are listed apart and left out of the shares; unmapped ones too', () => {
    const r = report({
      changes: [
        change(5, 1, 'feat: copy', ['trial']),
        change(6, 2, 'feat: trial', ['trial']),
        change(7, 3, 'feat: docs', []),
      ],
      runs: [run('trial', 4, 6)],
      waivers: [{ flowId: 'trial', sha: '05aaaaa', reason: 'copy only' }],
    });
    expect(r.features).toMatchObject({
      total: 3,
      mapped: 2,
      unmapped: 1,
      waived: 1,
      verified: 1,
      coverage_share: 1,
      verified_share: 1,
    });
  });

  it('runs after asOf are not counted, so a past week reads the same later', () => {
    const r = report({ changes: [change(5, 10, 'feat: trial', ['trial'])], runs: [run('trial', 200, 5)] });
    expect(r.features.verified).toBe(0);
  });

  it("unverified features past their flow's within are counted", () => {
    const r = report({
      flows: [flow('trial', '4h'), flow('login')],
      changes: [change(5, 160, 'feat: trial', ['trial']), change(6, 160, 'feat: login', ['login'])],
    });
    expect(r.merge_to_verification.unverified_past_sla).toBe(1);
  });
});

describe('nearest-rank percentiles', () => {
  it('n = 1, 2, 3', () => {
    expect([percentile([7], 50), percentile([7], 90)]).toEqual([7, 7]);
    expect([percentile([9, 3], 50), percentile([9, 3], 90)]).toEqual([3, 9]);
    expect([percentile([5, 1, 9], 50), percentile([5, 1, 9], 90)]).toEqual([5, 9]);
    expect(percentile([], 50)).toBeNull();
  });
  it('through the report: three verified features at 2, 4 and 30 hours', () => {
    const r = report({
      changes: [
        change(1, 0, 'feat: a', ['trial']),
        change(2, 0, 'feat: b', ['login']),
        change(3, 1, 'feat: c', ['trial']),
      ],
      runs: [run('trial', 2, 1), run('login', 4, 2), run('trial', 31, 3)],
    });
    expect(r.merge_to_verification).toMatchObject({ count: 3, p50_hours: 4, p90_hours: 30, max_hours: 30 });
  });
});

describe('incidents', () => {
  const incident = (
    id: string,
    started: string,
    extra: Partial<IncidentFacts['incident']> = {},
    state: IncidentFacts['state'] = 'none',
  ): IncidentFacts => ({
    incident: {
      id,
      file: '',
      body: '',
      title: id,
      severity: 'SEV2',
      status: 'resolved',
      flows: ['trial'],
      started_at: started,
      ...extra,
    },
    state,
    unprotected: null,
    introducedBy: null,
  });
  it('counts, time to detect and restore, repeats, without-test list', () => {
    const r = report({
      incidents: [
        incident(
          '2026-11-01-old',
          '2026-11-01T00:00:00Z',
          { regression: { test: 't', proof: { fails_on: 'a', passes_on: 'b', at: '2026-11-02T00:00:00Z' } } },
          'merged',
        ),
        incident('2026-11-17-a', '2026-11-17T00:00:00Z', {
          detected_at: '2026-11-17T02:00:00Z',
          resolved_at: '2026-11-17T05:00:00Z',
        }),
        incident(
          '2026-11-18-b',
          '2026-11-18T00:00:00Z',
          { detected_at: '2026-11-18T10:00:00Z', resolved_at: '2026-11-18T12:00:00Z', regression: { test: 't2' } },
          'proposed',
        ),
      ],
    });
    expect(r.incidents).toMatchObject({
      total: 2,
      with_test: 1,
      proven: 0,
      without_test: ['2026-11-17-a'],
      ttd_p50_hours: 2,
      ttr_p50_hours: 5,
      repeats: 2,
    });
  });
  it('a gate on untested incident age fails with the actual age', () => {
    const r = report({
      incidents: [incident('2026-11-17-a', '2026-11-17T00:00:00Z')],
      gates: { maxUntestedIncidentAgeHours: 72 },
    });
    expect(r.gates).toEqual([{ name: 'untested_incident_age_hours', threshold: 72, actual: 144, passed: false }]);
  });
});

describe('gates', () => {
  it('coverage and verified thresholds', () => {
    const r = report({
      changes: [change(5, 10, 'feat: trial', ['trial']), change(6, 10, 'feat: x', ['login'])],
      runs: [run('trial', 12, 5)],
      gates: { coverage: 0.8, verified: 0.5 },
    });
    expect(r.gates).toEqual([
      { name: 'coverage', threshold: 0.8, actual: 0.5, passed: false },
      { name: 'verified', threshold: 0.5, actual: 0.5, passed: true },
    ]);
  });
});
