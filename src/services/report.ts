import { join } from 'node:path';
import { isThere, readText } from '../adapters/fs.js';
import { type RunWindow } from '../adapters/store/runs-store.js';
import type { SkippedNote } from '../core/run.js';
import type { FlowRun, SpecInterval } from '../core/features.js';
import { repositoryWebUrl } from '../core/github-url.js';
import type { IncidentFacts } from '../core/incident-metrics.js';
import { regressionState } from '../core/regression-state.js';
import { auditRegressionSpec } from '../core/spec-audit.js';
import { buildReport, type GateSpec, type Report, type ReportInput } from '../core/report-model.js';
import type { TrendPoint } from '../core/render/charts.js';
import { trendWeeks, type Window } from '../core/window.js';
import { inferIntroducedBy } from './introduced-by.js';
import type { Repo } from './repo.js';
import { trackedBranch } from './sync.js';

/** The rows a report is computed from: read once, then every window is pure arithmetic. */
interface ReportRows {
  branch: string;
  tip: string;
  url: string | null;
  specs: SpecInterval[];
  /** The runs of the verification env that decide a window's answers (up to its end, flakiness from its start). */
  runsIn: (window: RunWindow) => FlowRun[];
  skippedNotes: SkippedNote[];
}

async function readRows(repo: Repo): Promise<ReportRows> {
  const queries = repo.store.queries;
  const evidence = repo.store.runs.runEvidence(repo.config.verification.env);
  const { branch, tip } = await trackedBranch(repo);
  const origin = (await repo.git.run(['remote', 'get-url', 'origin'], { allowFail: true })).trim();
  return {
    branch,
    tip,
    url: repositoryWebUrl(origin || undefined, repo.config.github),
    specs: queries.specIntervals(),
    runsIn: (window) => evidence(window, { flakiness: true }),
    skippedNotes: JSON.parse(repo.store.history.meta.get('skipped_notes') ?? '[]') as SkippedNote[],
  };
}

function reportOf(
  repo: Repo,
  rows: ReportRows,
  window: Pick<Window, 'since' | 'until'>,
  now: number,
  rest: Pick<ReportInput, 'incidents' | 'gates'>,
): Report {
  const queries = repo.store.queries;
  const asOf = Math.min(now, window.until);
  return buildReport({
    since: window.since,
    until: window.until,
    asOf,
    branch: rows.branch,
    head: rows.tip,
    url: rows.url,
    changes: queries.changesBetween(window.since, window.until),
    endSeq: queries.lastSeqBefore(window.until),
    featurePattern: new RegExp(repo.config.featurePattern),
    flows: repo.model.flows,
    specs: rows.specs,
    runs: rows.runsIn({ since: window.since, until: asOf }),
    verificationEnv: repo.config.verification.env,
    waivers: repo.model.waivers,
    within: repo.config.verification.within,
    skippedNotes: rows.skippedNotes,
    ...rest,
  });
}

/** Gathers rows from the index and Git, and computes the report of a window (pure from there on). */
export async function computeReport(
  repo: Repo,
  window: Window,
  gates: GateSpec,
  now: number,
): Promise<{ report: Report; trend: (reportsDir: string) => TrendPoint[] }> {
  const rows = await readRows(repo);
  const onBranch = new Set([...repo.store.queries.specsNow().values()].flat());
  const report = reportOf(repo, rows, window, now, {
    incidents: await incidentFacts(repo, rows.tip, onBranch, window),
    gates,
  });
  return { report, trend: (reportsDir) => weeklyTrend(repo, rows, window, report, now, reportsDir) };
}

/**
 * The coverage and verified share of the 12 ISO weeks up to the window: each week from its
 * `reports/<week>.json` when the team kept it, else recomputed from Git (every past week is
 * reproducible: runs after the week's end do not count). A week without features is a gap.
 */
function weeklyTrend(
  repo: Repo,
  rows: ReportRows,
  window: Window,
  current: Report,
  now: number,
  reportsDir: string,
): TrendPoint[] {
  return trendWeeks(window).map(({ week, since, until }): TrendPoint => {
    const kept =
      week === window.week
        ? current
        : (keptReport(join(reportsDir, `${week}.json`)) ??
          reportOf(repo, rows, { since, until }, now, { incidents: [], gates: {} }));
    return { label: week, coverage: kept.features.coverage_share, verified: kept.features.verified_share };
  });
}

function keptReport(file: string): Pick<Report, 'features'> | undefined {
  if (!isThere(file)) return undefined;
  try {
    const report = JSON.parse(readText(file)) as Report;
    return report.schema === 'verigap.report/v1' ? report : undefined;
  } catch {
    return undefined; // a file that is not a report is recomputed
  }
}

/** Each incident's facts; introduced_by is inferred (git blame, SZZ) only for those the window lists. */
async function incidentFacts(
  repo: Repo,
  tip: string,
  onBranch: ReadonlySet<string>,
  window: Pick<Window, 'since' | 'until'>,
): Promise<IncidentFacts[]> {
  const queries = repo.store.queries;
  const facts: IncidentFacts[] = [];
  for (const incident of repo.model.incidents) {
    const test = incident.regression?.test;
    let unprotected: IncidentFacts['unprotected'] = null;
    if (test && onBranch.has(test)) {
      const code = await repo.git.run(['show', `${tip}:${test}`], { allowFail: true });
      unprotected = auditRegressionSpec(code);
    } else if (test && queries.everExisted(test)) unprotected = 'deleted';
    const started = Date.parse(incident.started_at);
    const listed = window.since <= started && started < window.until;
    const inferred =
      !incident.introduced_by && listed ? await inferIntroducedBy(repo, incident, tip, queries.seqOf) : undefined;
    const introducedBy = incident.introduced_by
      ? { sha: incident.introduced_by, inferred: false }
      : inferred
        ? { sha: inferred, inferred: true }
        : null;
    facts.push({ incident, state: regressionState(incident, onBranch), unprotected, introducedBy });
  }
  return facts;
}
