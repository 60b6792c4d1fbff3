import { describe, expect, it } from 'vitest';
import type { ChangeRow, FlowRun } from '../../src/core/features.js';
import type { Flow } from '../../src/core/flow.js';
import { buildStatus, flowHealth, unverifiedFeatures } from '../../src/core/production-status.js';
import { productionMarks } from '../../src/core/render/format.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const MIN = 60_000;
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

const flow = (id: string, schedule?: string): Flow => ({
  id,
  name: id,
  file: `flows/${id}/flow.yaml`,
  criticality: 'other',
  paths: [],
  tests: [],
  ...(schedule ? { schedule } : {}),
});
const run = (flowId: string, minutesAgo: number, outcome: Partial<FlowRun> = {}): FlowRun => ({
  flowId,
  env: 'production',
  commit: A,
  at: NOW - minutesAgo * MIN,
  runUrl: null,
  reachSeq: 2,
  passed: 1,
  failed: 0,
  flaky: 0,
  skipped: 0,
  ...outcome,
});
const change = (seq: number, subject: string, flows: string[]): ChangeRow => ({
  seq,
  sha: String(seq).repeat(40).slice(0, 40),
  committedAt: NOW - (10 - seq) * 60 * MIN,
  subject,
  pr: null,
  flows,
  testFlows: [],
});

describe('flowHealth', () => {
  it('a scheduled flow is stale past twice its schedule since its last pass; exactly twice is one missed run, tolerated', () => {
    const health = flowHealth({
      flows: [flow('fresh', '15m'), flow('edge', '15m'), flow('late', '15m')],
      runs: [run('fresh', 14), run('edge', 30), run('late', 31)],
      env: 'production',
      now: NOW,
    });
    expect(health.map((h) => [h.id, h.stale])).toEqual([
      ['fresh', false],
      ['edge', false],
      ['late', true],
    ]);
    expect(health[0]!.last_pass).toEqual({ at: new Date(NOW - 14 * MIN).toISOString(), commit: A, run_url: null });
  });

  it('a scheduled flow that never passed is stale, a failing run does not refresh it, a flow without a schedule is never stale', () => {
    const health = flowHealth({
      flows: [flow('never', '1h'), flow('failing', '1h'), flow('manual')],
      runs: [run('failing', 1, { passed: 0, failed: 1 }), run('failing', 300)],
      env: 'production',
      now: NOW,
    });
    expect(health.map((h) => [h.id, h.stale, h.last_pass?.at ?? null])).toEqual([
      ['never', true, null],
      ['failing', true, new Date(NOW - 300 * MIN).toISOString()],
      ['manual', false, null],
    ]);
  });

  it('counts only the env asked for, and a flaky test as a pass; a window leaves out the runs after its end', () => {
    const runs = [run('f', 5, { env: 'staging' }), run('f', 50, { passed: 0, flaky: 1, runUrl: 'https://ci/1' })];
    const [health] = flowHealth({ flows: [flow('f', '30m')], runs, env: 'production', now: NOW });
    expect(health).toMatchObject({
      stale: false,
      last_pass: { at: new Date(NOW - 50 * MIN).toISOString(), run_url: 'https://ci/1' },
      flaky_commits: [],
    });
    // a runner's clock a minute ahead: the run still counts now, and not in a window that ended before it
    const ahead = [...runs, run('f', -1)];
    expect(flowHealth({ flows: [flow('f', '30m')], runs: ahead, env: 'production', now: NOW })[0]).toMatchObject({
      stale: false,
      last_pass: { at: new Date(NOW + MIN).toISOString() },
    });
    expect(
      flowHealth({ flows: [flow('f', '30m')], runs: ahead, env: 'production', now: NOW, until: NOW })[0]!.last_pass!.at,
    ).toBe(new Date(NOW - 50 * MIN).toISOString());
  });

  it('flaky: the commits where one run passed and another failed, with the failing runs; a run that only skipped is neither', () => {
    const runs = [
      run('f', 40),
      run('f', 30, { passed: 0, failed: 2, runUrl: 'https://ci/2' }),
      run('f', 20, { commit: B }),
      run('f', 10, { commit: B, passed: 0, skipped: 3 }),
      run('f', 5, { commit: B, env: 'staging', passed: 0, failed: 1 }),
    ];
    const [health] = flowHealth({ flows: [flow('f')], runs, env: 'production', now: NOW });
    expect(health!.flaky_commits).toEqual([A]);
    expect(health!.flaky_failures).toEqual([
      { at: new Date(NOW - 30 * MIN).toISOString(), commit: A, run_url: 'https://ci/2' },
    ]);
    // a report's window: runs before it do not make the flow flaky in it
    expect(
      flowHealth({ flows: [flow('f')], runs, env: 'production', now: NOW, since: NOW - 35 * MIN })[0]!.flaky_commits,
    ).toEqual([]);
  });
});

describe('unverifiedFeatures', () => {
  const changes = [
    change(1, 'feat: checkout', ['checkout']),
    change(2, 'feat: search', ['search']),
    change(3, 'fix: search typo', ['search']),
    change(4, 'feat: both', ['checkout', 'login']),
    change(5, 'feat: docs', []),
  ];

  it('lists features touching a flow that no passing run of the verification env contains yet, with the flows they touch', () => {
    // checkout passed on a commit containing change 2 (reachSeq 2); search only in staging
    const runs = [
      run('checkout', 10, { reachSeq: 2 }),
      run('search', 10, { env: 'staging', reachSeq: 5 }),
      run('login', 10, { reachSeq: 5, passed: 0, failed: 1 }),
    ];
    const waiting = unverifiedFeatures({
      changes,
      featurePattern: /^feat/,
      runs,
      verificationEnv: 'production',
      waivers: [],
    });
    expect(waiting.map((f) => [f.subject, f.flows])).toEqual([
      ['feat: search', ['search']],
      ['feat: both', ['checkout', 'login']],
    ]);
    expect(waiting[0]!.merged_at).toBe(new Date(changes[1]!.committedAt).toISOString());
  });

  it('a waiver takes a flow out; a feature waived for every flow waits for nothing', () => {
    const waivers = [
      { flowId: 'search', sha: changes[1]!.sha.slice(0, 7), reason: 'copy' },
      { flowId: 'login', sha: changes[3]!.sha, reason: 'flag off' },
    ];
    const runs = [run('checkout', 10, { reachSeq: 5 })];
    expect(
      unverifiedFeatures({ changes, featurePattern: /^feat/, runs, verificationEnv: 'production', waivers }),
    ).toEqual([]);
  });
});

describe('buildStatus', () => {
  it('has the shape of SPEC §9', () => {
    const status = buildStatus(
      { flows: [flow('checkout', '15m')], runs: [run('checkout', 5)], env: 'production', now: NOW },
      {
        changes: [change(1, 'feat: login', ['login'])],
        featurePattern: /^feat/,
        verificationEnv: 'production',
        waivers: [],
      },
    );
    expect(status).toEqual({
      schema: 'verigap.status/v1',
      env: 'production',
      now: '2026-11-20T12:00:00.000Z',
      flows: [
        {
          id: 'checkout',
          schedule: '15m',
          last_pass: { at: '2026-11-20T11:55:00.000Z', commit: A, run_url: null },
          stale: false,
          flaky_commits: [],
        },
      ],
      unverified_features: [
        {
          sha: change(1, '', []).sha,
          subject: 'feat: login',
          merged_at: new Date(change(1, '', []).committedAt).toISOString(),
          flows: ['login'],
        },
      ],
    });
  });
});

describe('productionMarks', () => {
  it('names stale and the newest flaky commits, saying how many more the JSON has', () => {
    expect(productionMarks({ stale: false, flaky_commits: [] })).toBe('—');
    expect(productionMarks({ stale: true, flaky_commits: [A] })).toBe('stale · flaky on aaaaaaa');
    expect(productionMarks({ stale: false, flaky_commits: ['1', '2', '3', '4', '5'].map((d) => d.repeat(40)) })).toBe(
      'flaky on 5555555, 4444444, 3333333 (+2 more)',
    );
  });
});
