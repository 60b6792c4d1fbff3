import { describe, expect, it } from 'vitest';
import { openTemporaryStore } from '../../src/adapters/store/open-store.js';
import { createRunsStore, type IndexedRun } from '../../src/adapters/store/runs-store.js';
import { passesIn, reachByFlow, verifiedThrough, type ChangeRow, type FlowRun } from '../../src/core/features.js';
import type { Flow } from '../../src/core/flow.js';
import { buildStatus } from '../../src/core/production-status.js';
import { buildReport } from '../../src/core/report-model.js';
import type { RunNote } from '../../src/core/run.js';

/** A deterministic pseudo-random sequence. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const flowIds = ['checkout', 'search', 'login'];
const flows: Flow[] = flowIds.map((id, index) => ({
  id,
  file: `flows/${id}/flow.yaml`,
  name: id,
  criticality: 'revenue',
  paths: [],
  tests: [],
  ...(index < 2 ? { schedule: '15m' } : {}),
}));
const hex = (n: number) => n.toString(16).padStart(40, '0');

/**
 * Runs as a year of production checks makes them, small: deployments mostly move forward and sometimes roll back,
 * runs fail now and then (also on a commit that passes), some commits are off the branch (no reach), two envs, and
 * many runs share their moment.
 */
function history(seed: number) {
  const rand = random(seed);
  const changes: ChangeRow[] = Array.from({ length: 300 }, (_, index) => ({
    seq: index + 1,
    sha: hex(index + 1),
    committedAt: T0 + index * 10 * MIN,
    subject: rand() < 0.7 ? `feat: ${index}` : `chore: ${index}`,
    pr: index,
    flows: flowIds.filter(() => rand() < 0.4),
    testFlows: [],
  }));
  let deployed = 1;
  const runs: IndexedRun[] = Array.from({ length: 900 }, (_, index) => {
    deployed = Math.max(1, Math.min(280, deployed + Math.floor(rand() * 5) - 1));
    const offBranch = rand() < 0.05;
    const counts = () => {
      const roll = rand();
      if (roll < 0.1) return { passed: 2, failed: 1, flaky: 0, skipped: 0 };
      if (roll < 0.15) return { passed: 0, failed: 0, flaky: 0, skipped: 3 };
      if (roll < 0.2) return { passed: 1, failed: 0, flaky: 1, skipped: 0 };
      return { passed: 3, failed: 0, flaky: 0, skipped: 0 };
    };
    const note: RunNote = {
      schema: 'verigap.run/v1',
      env: rand() < 0.8 ? 'production' : 'staging',
      at: new Date(T0 + Math.floor(index / 3) * 5 * MIN).toISOString(),
      commit: offBranch ? hex(10_000 + index) : hex(deployed),
      run_url: `https://ci.example/${index}`,
      tests: 3,
      duration_ms: 1_000,
      flows: Object.fromEntries(flowIds.filter(() => rand() < 0.9).map((id) => [id, counts()])),
      incidents: {},
    };
    return { ...note, id: `run-${String(index).padStart(4, '0')}`, reachSeq: offBranch ? null : deployed };
  });
  // every flow outcome of every run, in time order: what the core was given before
  const all: FlowRun[] = runs
    .flatMap((run) =>
      Object.entries(run.flows).map(([flowId, counts]) => ({
        flowId,
        env: run.env,
        commit: run.commit,
        at: Date.parse(run.at),
        runUrl: run.run_url,
        reachSeq: run.reachSeq,
        ...counts,
        id: run.id,
      })),
    )
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
    .map(({ id: _, ...run }) => run);
  const db = openTemporaryStore().db;
  createRunsStore(db).replace(runs);
  return { changes, runs, all, store: createRunsStore(db) };
}

const reportOf = (
  changes: readonly ChangeRow[],
  runs: readonly FlowRun[],
  since: number,
  until: number,
  asOf: number,
) =>
  buildReport({
    since,
    until,
    asOf,
    branch: 'main',
    head: 'h'.repeat(40),
    url: null,
    changes: changes.filter((change) => since <= change.committedAt && change.committedAt < until),
    featurePattern: /^feat/,
    flows,
    specs: [],
    endSeq: 300,
    runs,
    verificationEnv: 'production',
    waivers: [{ flowId: 'search', sha: hex(40).slice(0, 12), reason: 'copy only' }],
    within: '2h',
    incidents: [],
    gates: {},
    skippedNotes: [],
  });

describe('the runs that decide the answers, chosen in SQLite', () => {
  for (const seed of [1, 2, 3]) {
    it(`give every report window the answers all the runs give (seed ${seed})`, () => {
      const { changes, all, store } = history(seed);
      const evidence = store.runEvidence('production');
      for (const [since, until] of [
        [T0, T0 + 400 * MIN],
        [T0 + 300 * MIN, T0 + 900 * MIN],
        [T0 + 500 * MIN, T0 + 2_000 * MIN],
        [T0, T0 + 3_000 * MIN],
      ] as const) {
        const picked = evidence({ since, until }, { flakiness: true });
        expect(picked.length).toBeLessThan(all.length);
        const expected = reportOf(changes, all, since, until, until);
        expect(reportOf(changes, picked, since, until, until)).toEqual(expected);
        expect(expected.features.verified).toBeGreaterThan(0);
      }
    });

    it(`give the status all the runs give, reading only the changes past every flow's reach (seed ${seed})`, () => {
      const { changes, all, store } = history(seed);
      const now = T0 + 2_000 * MIN;
      const features = { featurePattern: /^feat/, verificationEnv: 'production', waivers: [] };
      const expected = buildStatus({ flows, runs: all, env: 'production', now }, { ...features, changes });
      const waitingFrom = verifiedThrough(store.reachByFlow('production'), flowIds);
      expect(waitingFrom).toBe(verifiedThrough(reachByFlow(passesIn(all, 'production')), flowIds));
      expect(waitingFrom).toBeGreaterThan(0);
      const picked = store.runEvidence('production', { reachingAbove: waitingFrom })(
        { since: -Infinity, until: Infinity },
        { flakiness: true },
      );
      const status = buildStatus(
        { flows, runs: picked, env: 'production', now },
        { ...features, changes: changes.filter((change) => change.seq > waitingFrom) },
      );
      expect(status).toEqual(expected);
      expect(expected.flows.some((flow) => flow.flaky_commits.length > 0)).toBe(true);
      expect(expected.unverified_features.length).toBeGreaterThan(0);
    });
  }

  it("are the same when the runs were written one at a time, out of order (each one taken into the frontier in place), and some commits' runs replaced", () => {
    const { runs, store } = history(5);
    const rand = random(11);
    const shuffled = [...runs].sort(() => rand() - 0.5);
    const written = createRunsStore(openTemporaryStore().db);
    for (const run of shuffled.slice(0, 600)) written.add(run);
    const everything = { since: -Infinity, until: Infinity };
    const asRead = () => written.runEvidence('production')(everything, { flakiness: true });
    // each run taken in as it came equals the same runs read at once
    const atOnce = createRunsStore(openTemporaryStore().db);
    atOnce.replace(shuffled.slice(0, 600));
    expect(asRead()).toEqual(atOnce.runEvidence('production')(everything, { flakiness: true }));
    // the other runs arrive with their commits' notes, and a few commits' notes are read again as they were
    const late = shuffled.slice(600);
    const again = new Set(shuffled.slice(0, 40).map((run) => run.commit));
    const commits = new Set([...late.map((run) => run.commit), ...again]);
    written.replaceCommits(
      commits,
      runs.filter((run) => commits.has(run.commit)),
    );
    expect(asRead()).toEqual(store.runEvidence('production')(everything, { flakiness: true }));
    // a commit's runs go (its note was deleted)
    const gone = runs[450]!.commit;
    written.replaceCommits([gone], []);
    const rest = createRunsStore(openTemporaryStore().db);
    rest.replace(runs.filter((run) => run.commit !== gone));
    expect(asRead()).toEqual(rest.runEvidence('production')(everything, { flakiness: true }));
    expect(asRead()).not.toEqual(store.runEvidence('production')(everything, { flakiness: true }));
  });

  it("last passes are each flow's newest pass", () => {
    const { all, store } = history(4);
    const newest = new Map(passesIn(all, 'staging').map((pass) => [pass.flowId, pass]));
    expect(new Map(store.lastPasses('staging').map((pass) => [pass.flowId, pass]))).toEqual(newest);
  });
});
