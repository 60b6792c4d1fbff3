import { describe, expect, it } from 'vitest';
import { judgeFeatures, type ChangeRow, type FlowPass } from '../../src/core/features.js';

/** A deterministic pseudo-random sequence. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe("a feature's first passing run that contains it", () => {
  it('is the earliest pass whose commit reaches the change, as a scan of every pass finds it (deployments roll back too)', () => {
    const rand = random(7);
    const changes: ChangeRow[] = Array.from({ length: 400 }, (_, index) => ({
      seq: index + 1,
      sha: index.toString(16).padStart(40, '0'),
      committedAt: index * 1000,
      subject: `feat: ${index}`,
      pr: null,
      flows: ['checkout'],
      testFlows: [],
    }));
    // deployments move forward mostly, and sometimes back (a rollback): reach is not monotone in time
    let reach = 0;
    const passes: FlowPass[] = Array.from({ length: 300 }, (_, index) => {
      reach = Math.max(1, Math.min(400, reach + Math.floor(rand() * 7) - 2));
      return {
        flowId: 'checkout',
        env: 'production',
        commit: 'c',
        at: 1_000_000 + Math.floor(index / 2) * 1000,
        runUrl: `run-${index}`,
        reachSeq: reach,
        passed: 1,
        failed: 0,
        flaky: 0,
        skipped: 0,
      };
    });
    const verdicts = judgeFeatures(changes, { specs: [], passes, waivers: [] });
    const byTime = [...passes].sort((a, b) => a.at - b.at);
    for (const verdict of verdicts) {
      const scanned = byTime.find((pass) => pass.reachSeq >= verdict.change.seq) ?? null;
      expect(verdict.flows[0]!.firstPass, `seq ${verdict.change.seq}`).toBe(scanned);
    }
    expect(verdicts.filter((verdict) => verdict.status === 'verified').length).toBeGreaterThan(100);
    expect(verdicts.some((verdict) => verdict.status !== 'verified')).toBe(true);
  });
});
