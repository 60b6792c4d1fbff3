import { DAY, HOUR } from '../core/percentile.js';
import { serializeRun, type RunNote } from '../core/run.js';
import type { Deployment, ShopHistory } from './demo-history.js';

/** A merge is live an hour later: the nightly check tests what was deployed by then. */
const DEPLOY_DELAY = HOUR;

/**
 * The demo shop's nightly production checks, as `verify ingest` records them: at 03:00 UTC on weekdays, from the
 * day the check was set up until `until`, except while it was broken; each ran every E2E test of the commit
 * deployed by then, and all passed (they did: each revision's tests pass against that revision's shop). Answers
 * each commit's note: one JSON line per run.
 */
export function nightlyRunNotes(
  history: Pick<ShopHistory, 'deployments' | 'nightly'>,
  until: number,
): Map<string, string> {
  const notes = new Map<string, string[]>();
  const { deployments, nightly } = history;
  const firstNight = Math.floor(nightly.from / DAY) * DAY + DAY + 3 * HOUR;
  for (let night = firstNight; night < until; night += DAY) {
    const weekday = new Date(night).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    if (nightly.pauses.some((pause) => pause.from <= night && night < pause.until)) continue;
    const deployed = deployments.filter((deployment) => deployment.at <= night - DEPLOY_DELAY).at(-1);
    if (!deployed) continue;
    const run = nightlyRun(deployed, night);
    notes.set(deployed.sha, [...(notes.get(deployed.sha) ?? []), serializeRun(run)]);
  }
  return new Map([...notes].map(([sha, lines]) => [sha, `${lines.join('\n')}\n`]));
}

function nightlyRun(deployed: Deployment, started: number): RunNote {
  const tests = Object.values(deployed.tests).reduce((sum, n) => sum + n, 0);
  const passed = (n: number) => ({ passed: n, failed: 0, flaky: 0, skipped: 0 });
  // about a second a test, and the browser's start
  const duration = 4_000 + tests * 1_100;
  return {
    schema: 'verigap.run/v1',
    env: 'production',
    at: new Date(started + duration).toISOString(),
    commit: deployed.sha,
    run_url: null,
    tests,
    duration_ms: duration,
    flows: Object.fromEntries(Object.entries(deployed.tests).map(([flow, n]) => [flow, passed(n)])),
    incidents: Object.fromEntries(deployed.incidents.map((id) => [id, passed(1)])),
  };
}
