import type { FeatureDetail, Report } from '../report-model.js';
import { esc } from './charts.js';
import { day, productionMarks, short } from './format.js';

/** Links into the repository's web page when its origin is on GitHub; plain text otherwise. */
export function linker(url: string | null) {
  const a = (href: string | null, text: string) => (href ? `<a href="${esc(href)}">${text}</a>` : text);
  return {
    commit: (sha: string) => a(url && `${url}/commit/${sha}`, `<code>${short(sha)}</code>`),
    pr: (pr: number | null) => (pr === null ? '—' : a(url && `${url}/pull/${pr}`, `#${pr}`)),
    run: (href: string | null, text: string) => a(href && /^https?:\/\//.test(href) ? href : null, esc(text)),
  };
}

type FlowVerdict = FeatureDetail['flows'][number];

/** Why a flow's row counts a feature the way it does, in words. */
export function reasonOf(flow: FlowVerdict, env: string): string {
  switch (flow.status) {
    case 'waived':
      return `waived: ${flow.waiver?.reason ?? ''}`;
    case 'verified':
      return `verified: a passing ${env} run at ${day(flow.verified_at)} contains it`;
    case 'covered':
      return `covered: ${flow.tests_at_commit} E2E test file${flow.tests_at_commit === 1 ? '' : 's'} at its commit; no passing ${env} run contains it yet`;
    case 'uncovered':
      return 'uncovered: no E2E test of the flow at its commit, no passing run contains it';
  }
}

const LIMIT = 200;

/** One table of features, at most LIMIT rows, saying where the rest are. */
export function featureTable(
  report: Report,
  features: readonly FeatureDetail[],
  columns: { head: string; cell: (f: FeatureDetail) => string }[],
  attrs = '',
): string {
  const link = linker(report.repo.url);
  const head = ['change', 'subject', 'PR', ...columns.map((c) => c.head)].map((h) => `<th>${esc(h)}</th>`).join('');
  const rows = features
    .slice(0, LIMIT)
    .map(
      (f) =>
        `<tr data-sha="${f.sha}"><td>${link.commit(f.sha)}</td><td>${esc(f.subject)}</td><td>${link.pr(f.pr)}</td>${columns.map((c) => `<td>${c.cell(f)}</td>`).join('')}</tr>`,
    )
    .join('');
  const more =
    features.length > LIMIT
      ? `<p class="muted">… and ${features.length - LIMIT} more: every feature is in the JSON report (feature_details)</p>`
      : '';
  return `<div class="scroll"><table ${attrs}><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>${more}`;
}

/** The features behind each flow's counts, each with the flow's own verdict and its reason. */
export function flowFeatureLists(report: Report, env: string): string {
  const link = linker(report.repo.url);
  return report.flows
    .map((flow) => {
      const mine = report.feature_details.filter((f) => f.flows.some((v) => v.id === flow.id));
      const verdictIn = (f: FeatureDetail) => f.flows.find((v) => v.id === flow.id)!;
      const table =
        mine.length === 0
          ? '<p class="muted">no feature touched this flow in the window</p>'
          : featureTable(
              report,
              [...mine].sort((a, b) => order[verdictIn(a).status] - order[verdictIn(b).status]),
              [
                {
                  head: 'status here',
                  cell: (f) => `<span class="status ${verdictIn(f).status}">${verdictIn(f).status}</span>`,
                },
                {
                  head: 'why',
                  cell: (f) => {
                    const v = verdictIn(f);
                    return v.status === 'verified' && v.run_url
                      ? `${esc(reasonOf(v, env))} (${link.run(v.run_url, 'run')})`
                      : esc(reasonOf(v, env));
                  },
                },
              ],
              `data-flow-features="${esc(flow.id)}"`,
            );
      const open = flow.uncovered > 0 ? ' open' : '';
      return `<details${open}><summary>${esc(flow.name)} <span class="muted">${esc(flow.id)}</span>: ${flow.features} feature${flow.features === 1 ? '' : 's'} · ${flow.uncovered} uncovered</summary>${table}</details>`;
    })
    .join('');
}

const order: Record<FlowVerdict['status'], number> = { uncovered: 0, covered: 1, verified: 2, waived: 3 };

const shownFailures = 20;

/** The failing runs of each flaky flow, each linked to its run (else its commit): where to start looking. */
export function flakyRuns(report: Report): string {
  const link = linker(report.repo.url);
  const flaky = report.flows.filter((flow) => flow.flaky_failures.length > 0);
  if (flaky.length === 0) return '';
  const item = (failure: Report['flows'][number]['flaky_failures'][number]) =>
    failure.run_url && /^https?:\/\//.test(failure.run_url)
      ? `${link.run(failure.run_url, `failed run at ${day(failure.at)}`)} on ${link.commit(failure.commit)}`
      : `failed run at ${esc(day(failure.at))} on ${link.commit(failure.commit)}`;
  return `<h3 id="flaky">Flaky flows (${flaky.length})</h3><p class="muted">runs of the ${esc(report.verification.env)} env that failed on a commit where another run of the flow passed</p><ul data-list="flaky">${flaky
    .map(
      (flow) =>
        `<li data-flaky="${esc(flow.id)}"><b>${esc(flow.name)}</b> <span class="muted">${esc(flow.id)} · ${esc(productionMarks(flow))}</span><ul>${flow.flaky_failures
          .slice(-shownFailures)
          .reverse()
          .map((f) => `<li>${item(f)}</li>`)
          .join(
            '',
          )}${flow.flaky_failures.length > shownFailures ? `<li class="muted">… and ${flow.flaky_failures.length - shownFailures} older (flows[].flaky_failures in the JSON report)</li>` : ''}</ul></li>`,
    )
    .join('')}</ul>`;
}
