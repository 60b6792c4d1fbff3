import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHistoryQueries } from '../adapters/store/history-queries.js';
import { createRunsStore } from '../adapters/store/runs-store.js';
import { groupBy } from '../core/features.js';
import type { IncidentFacts } from '../core/incident-metrics.js';
import { regressionState } from '../core/regression-state.js';
import { buildReport, type GateSpec, type Report } from '../core/report-model.js';
import type { TrendPoint } from '../core/render/charts.js';
import type { Window } from '../core/window.js';
import type { Repo } from './repo.js';
import { trackedBranch } from './sync.js';

/** Gathers rows from the index and Git, and computes the report of a window (pure from there on). */
export async function computeReport(repo: Repo, window: Window, gates: GateSpec, now: number): Promise<Report> {
  const queries = createHistoryQueries(repo.db);
  const { branch, tip } = await trackedBranch(repo);
  const specsNow = queries.specsNow();
  return buildReport({
    since: window.since, until: window.until, asOf: Math.min(now, window.until), branch, head: tip,
    changes: queries.changesBetween(window.since, window.until),
    featurePattern: new RegExp(repo.config.featurePattern),
    flows: repo.model.flows, specs: queries.specIntervals(), specsNow,
    runs: createRunsStore(repo.db).flowRuns(), verificationEnv: repo.config.verification.env,
    waivers: new Map([...groupBy(repo.model.waivers, (w) => w.flowId)].map(([flow, list]) => [flow, list.map((w) => w.sha)])),
    within: repo.config.verification.within,
    incidents: await incidentFacts(repo, tip, new Set([...specsNow.values()].flat())),
    gates,
  });
}

async function incidentFacts(repo: Repo, tip: string, onBranch: ReadonlySet<string>): Promise<IncidentFacts[]> {
  const queries = createHistoryQueries(repo.db);
  const facts: IncidentFacts[] = [];
  for (const incident of repo.model.incidents) {
    const test = incident.regression?.test;
    let unprotected: IncidentFacts['unprotected'] = null;
    if (test && onBranch.has(test)) {
      const code = await repo.git.run(['show', `${tip}:${test}`], { allowFail: true });
      if (/\btest\s*\.\s*(skip|fixme)\b|\b(it|describe)\s*\.\s*skip\b/.test(code)) unprotected = 'skipped';
      else if (!code.includes('@incident-assertion')) unprotected = 'assertion-removed';
    } else if (test && queries.everExisted(test)) unprotected = 'deleted';
    const introducedBy = incident.introduced_by
      ? { sha: incident.introduced_by, inferred: false }
      : ((sha) => (sha ? { sha, inferred: true } : null))(queries.lastChangeToFlows(incident.flows, Date.parse(incident.started_at)));
    facts.push({ incident, state: regressionState(incident, onBranch), unprotected, introducedBy });
  }
  return facts;
}

/** Earlier weekly reports in `dir`, oldest first, for the trend chart. */
export function readTrend(dir: string, current: Report, label: string): TrendPoint[] {
  const points: (TrendPoint & { since: string })[] = [];
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((n) => /^\d{4}-W\d{2}\.json$/.test(n))) {
      try {
        const earlier = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Report;
        if (earlier.schema !== 'verigap.report/v1' || earlier.window.since === current.window.since) continue;
        points.push({ label: name.slice(0, -5), since: earlier.window.since, coverage: earlier.features.coverage_share, verified: earlier.features.verified_share });
      } catch {
        // a file that is not a report is not part of the trend
      }
    }
  }
  points.push({ label, since: current.window.since, coverage: current.features.coverage_share, verified: current.features.verified_share });
  return points.sort((a, b) => a.since.localeCompare(b.since)).slice(-12).map(({ since: _since, ...point }) => point);
}
