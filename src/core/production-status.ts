import { judgeFeatures, passesIn, type ChangeRow, type FlowRun, type WaiverRef } from './features.js';
import type { Flow } from './flow.js';
import { parseDuration } from './duration.js';
import { verifies } from './playwright-report.js';

/** A run of a flow, as the status lists it. */
export interface RunRef {
  at: string;
  commit: string;
  run_url: string | null;
}

/** One flow in production (SPEC §9): how often it is checked, its last pass, staleness and flakiness. */
export interface FlowHealth {
  id: string;
  schedule: string | null;
  last_pass: RunRef | null;
  stale: boolean;
  /** Deployed commits on which the flow's runs both passed and failed, oldest first. */
  flaky_commits: string[];
  /** The failing runs on those commits, in time order: where to look. */
  flaky_failures: RunRef[];
}

export interface HealthInput {
  flows: readonly Flow[];
  runs: readonly FlowRun[];
  env: string;
  /** Staleness is judged at this moment. */
  now: number;
  /** A report's window: flakiness counts the runs from `since`, and runs after `until` do not count at all (a past window reads the same later). */
  since?: number;
  until?: number;
}

const runRef = (run: FlowRun): RunRef => ({
  at: new Date(run.at).toISOString(),
  commit: run.commit,
  run_url: run.runUrl,
});

/**
 * Each flow's health in `env`, from rows only. Stale: the flow has a `schedule` and no passing run
 * within twice it (one missed run is tolerated), or none at all. Flaky: a commit on which one run of
 * the flow verified it and another had a failed test (a run that only skipped is neither).
 */
export function flowHealth({ flows, runs, env, now, since = -Infinity, until = Infinity }: HealthInput): FlowHealth[] {
  // without a window every run counts, also one a runner's clock put a little after `now`
  const passes = passesIn(runs, env, until);
  return flows.map((flow) => {
    const last = passes
      .filter((pass) => pass.flowId === flow.id)
      .reduce<FlowRun | null>((newest, pass) => (newest && newest.at > pass.at ? newest : pass), null);
    const every = parseDuration(flow.schedule ?? '');
    const stale = every !== undefined && (last === null || now - last.at > 2 * every);
    const mine = runs.filter((run) => run.flowId === flow.id && run.env === env && run.at >= since && run.at <= until);
    const passedOn = new Set(mine.filter(verifies).map((run) => run.commit));
    const failures = mine.filter((run) => run.failed > 0 && passedOn.has(run.commit)).sort((a, b) => a.at - b.at);
    return {
      id: flow.id,
      schedule: flow.schedule ?? null,
      last_pass: last && runRef(last),
      stale,
      flaky_commits: [...new Set(failures.map((run) => run.commit))],
      flaky_failures: failures.map(runRef),
    };
  });
}

/** A merged feature no passing run of the verification env contains yet, for every flow it is judged on. */
export interface UnverifiedFeature {
  sha: string;
  subject: string;
  merged_at: string;
  flows: string[];
}

export interface UnverifiedInput {
  changes: readonly ChangeRow[];
  featurePattern: RegExp;
  runs: readonly FlowRun[];
  verificationEnv: string;
  waivers: readonly WaiverRef[];
}

/** Features (SPEC §5) that touch a flow and are not yet verified; unmapped and fully waived ones are not waiting for anything. */
export function unverifiedFeatures(input: UnverifiedInput): UnverifiedFeature[] {
  const features = input.changes.filter((change) => input.featurePattern.test(change.subject));
  const passes = passesIn(input.runs, input.verificationEnv);
  return judgeFeatures(features, { specs: [], passes, waivers: input.waivers })
    .filter((verdict) => verdict.status === 'covered' || verdict.status === 'uncovered')
    .map(({ change }) => ({
      sha: change.sha,
      subject: change.subject,
      merged_at: new Date(change.committedAt).toISOString(),
      flows: change.flows,
    }));
}

/** `verify status --json` (SPEC §9). */
export interface ProductionStatus {
  schema: 'verigap.status/v1';
  env: string;
  now: string;
  flows: Omit<FlowHealth, 'flaky_failures'>[];
  unverified_features: UnverifiedFeature[];
}

export function buildStatus(
  health: Omit<HealthInput, 'since' | 'until'>,
  features: Omit<UnverifiedInput, 'runs'>,
): ProductionStatus {
  return {
    schema: 'verigap.status/v1',
    env: health.env,
    now: new Date(health.now).toISOString(),
    flows: flowHealth(health).map(({ flaky_failures: _, ...flow }) => flow),
    unverified_features: unverifiedFeatures({ ...features, runs: health.runs }),
  };
}
