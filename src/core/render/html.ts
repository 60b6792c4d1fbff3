import type { FeatureDetail, Report } from '../report-model.js';
import { esc, flowBars, histogram, trendChart, type TrendPoint } from './charts.js';
import { day, definitions, hours, percent, productionMarks, skippedNoteText } from './format.js';
import { featureTable, flakyRuns, flowFeatureLists, linker, reasonOf } from './evidence.js';

const style = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--verified:#1a7f37;--covered:#4c8df6;--uncovered:#cf222e;--waived:#9a6700}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--verified:#3fb950;--covered:#58a6ff;--uncovered:#f85149;--waived:#d29922}}
body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:960px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}.muted{color:var(--muted)}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.75rem}
.tile{border:1px solid var(--line);border-radius:8px;padding:.75rem}.tile b{display:block;font-size:1.6rem}
table{border-collapse:collapse;width:100%}.scroll{overflow-x:auto}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line)}
svg{width:100%;height:auto;font-size:11px;fill:var(--fg)}svg text{fill:var(--muted)}.grid{stroke:var(--line)}
polyline{stroke-width:2}polyline.coverage{stroke:var(--covered)}polyline.verified{stroke:var(--verified)}
circle.coverage{fill:var(--covered)}circle.verified{fill:var(--verified)}.bar{fill:var(--covered)}
rect.verified{fill:var(--verified)}rect.covered{fill:var(--covered)}rect.uncovered{fill:var(--uncovered)}rect.waived{fill:var(--waived)}
.legend span::before{content:"";display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em;background:var(--c)}
.fail{color:var(--uncovered)}.pass{color:var(--verified)}
a{color:var(--covered)}details{margin:.4rem 0}summary{cursor:pointer}.empty{border-left:3px solid var(--waived);padding:.3rem .8rem;background:color-mix(in srgb,var(--waived) 8%,transparent)}
.status.verified{color:var(--verified)}.status.covered{color:var(--covered)}.status.uncovered{color:var(--uncovered)}.status.waived{color:var(--waived)}
.trend-label{font-size:10px}`;

const tile = (label: string, metric: string, value: string, detail = '') =>
  `<div class="tile"><span class="muted">${esc(label)}</span><b data-metric="${metric}">${esc(value)}</b><span class="muted">${esc(detail)}</span></div>`;

const empty = (what: string, text: string) => `<p class="empty" data-empty="${what}">${text}</p>`;

/** What to do next when a section has nothing to show yet. */
function emptyStates(report: Report): string {
  const notes: string[] = [];
  const env = esc(report.verification.env);
  if (report.flows.length === 0)
    notes.push(
      empty(
        'flows',
        'No critical flow defined yet: describe one with <code>verigap flows add &lt;id&gt; --name … --paths "src/…/**"</code>.',
      ),
    );
  if (report.features.total === 0)
    notes.push(
      empty(
        'features',
        `No feature shipped in this window (no change whose subject matches <code>features.pattern</code>, conventional <code>feat:</code> by default).`,
      ),
    );
  if (report.flows.length > 0 && report.flows.every((flow) => flow.last_verified_at === null)) {
    notes.push(
      empty(
        'runs',
        `No ${env} runs yet, so nothing is verified: after each deploy, run your Playwright suite against ${env} with the JSON reporter and record it with <code>verigap verify ingest results.json --commit &lt;deployed sha&gt; --env ${env} --push</code>.`,
      ),
    );
  }
  return notes.join('');
}

/** The report as one self-contained HTML file: inline CSS and SVG, no script, no network. */
export function renderHtml(report: Report, title: string, trend: readonly TrendPoint[]): string {
  const { features: f, merge_to_verification: m, incidents: i } = report;
  const link = linker(report.repo.url);
  const env = report.verification.env;
  const legend = (keys: string[]) =>
    `<p class="legend muted">${keys.map((k) => `<span style="--c:var(--${k})">${k}</span>`).join('')}</p>`;
  const gates = report.gates
    .map(
      (g) =>
        `<li class="${g.passed ? 'pass' : 'fail'}" data-gate="${g.name}">${g.no_data ? '–' : g.passed ? '✔' : '✘'} ${esc(g.name)}: ${g.actual === null ? 'no data in this window, not checked' : g.name.endsWith('hours') ? hours(g.actual) : percent(g.actual)} (threshold ${g.name.endsWith('hours') ? hours(g.threshold) : percent(g.threshold)})</li>`,
    )
    .join('');
  const flowRows = report.flows
    .map(
      (flow) =>
        `<tr data-flow="${esc(flow.id)}"><td>${esc(flow.name)} <span class="muted">${esc(flow.id)}</span></td><td>${esc(flow.criticality)}</td><td${flow.tests === 0 ? ' class="fail" title="no E2E test"' : ''}>${flow.tests}</td><td>${flow.features}</td><td>${flow.verified}</td><td>${flow.covered}</td><td>${flow.uncovered}</td><td>${flow.waived}</td><td>${flow.last_verified_run_url ? link.run(flow.last_verified_run_url, day(flow.last_verified_at)) : esc(day(flow.last_verified_at))}</td><td>${esc(flow.schedule ?? '—')}</td><td data-production="${esc(flow.id)}"${flow.stale || flow.flaky_commits.length ? ' class="fail"' : ''}>${esc(productionMarks(flow))}</td></tr>`,
    )
    .join('');
  const details = new Map(report.feature_details.map((d) => [d.sha, d]));
  const uncovered = report.uncovered_features.map((u) => details.get(u.sha)!).filter(Boolean);
  const unmapped = report.feature_details.filter((d) => d.status === 'unmapped');
  const ownTest = report.feature_details.filter((d) => d.status !== 'unmapped' && d.with_own_test);
  const waived = report.feature_details.filter((d) => d.flows.some((flow) => flow.status === 'waived'));
  const whyUncovered = (d: FeatureDetail) =>
    d.flows
      .filter((flow) => flow.status === 'uncovered')
      .map((flow) => `<b>${esc(flow.id)}</b>: ${esc(reasonOf(flow, env))}`)
      .join('<br>');
  const incidentTitle = new Map(i.items.map((item) => [item.id, item.title]));
  const incidentRows = i.items
    .map(
      (item) =>
        `<tr data-incident="${esc(item.id)}"><td>${esc(item.title)}<br><span class="muted">${esc(item.id)}</span></td><td>${esc(item.severity)}</td><td>${esc(item.flows.join(', '))}</td><td>${esc(item.regression_state)}</td><td>${item.introduced_by ? `${link.commit(item.introduced_by.sha)}${item.introduced_by.inferred ? ' <span class="muted">(inferred)</span>' : ''}` : '—'}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>verigap gap report · ${esc(title)}</title><style>${style}</style></head>
<body>
<h1>verigap gap report · ${esc(title)}</h1>
<p class="muted">${esc(report.window.since)} → ${esc(report.window.until)} · ${report.repo.url ? `<a href="${esc(report.repo.url)}">${esc(report.repo.url.replace(/^https?:\/\//, ''))}</a> · ` : ''}${esc(report.repo.branch)} @ ${link.commit(report.repo.head)} · <span data-metric="changes">${report.changes.total}</span> changes</p>
${emptyStates(report)}
<section class="tiles">
${tile('Coverage share', 'coverage_share', percent(f.coverage_share), `${f.verified} verified + ${f.covered} covered`)}
${tile('Verified share', 'verified_share', percent(f.verified_share), `of ${f.mapped - f.waived} mapped features`)}
${tile('Features', 'features_total', String(f.total), `${f.uncovered} uncovered · ${f.unmapped} unmapped`)}
${tile('Merge → verification p90', 'p90_hours', hours(m.p90_hours), `p50 ${hours(m.p50_hours)} · n = ${m.count}`)}
${tile('Incidents', 'incidents_total', String(i.total), `${i.without_test.length} without a test`)}
</section>
${gates ? `<h2>Gates</h2><ul>${gates}</ul>` : ''}
<h2>Coverage trend <span class="muted">${esc([...new Set(trend.map((p) => p.label.slice(0, 4)))].join('–'))}</span></h2>${trendChart(trend)}<p class="legend muted"><span style="--c:var(--covered)">coverage share</span><span style="--c:var(--verified)">verified share</span></p>
<p class="muted">coverage share (blue) and verified share (green) of the last ${trend.length} ISO weeks: from reports/&lt;week&gt;.json where kept, recomputed from Git otherwise; a week without mapped features has no share and is a gap (·)</p>
<h2>Merge → verification</h2>${m.count === 0 ? empty('verification', `No feature verified in this window: a feature is verified when a passing ${esc(env)} run contains it.`) : histogram(m.hours)}
<h2>Flows</h2>${flowBars(report.flows)}${legend(['verified', 'covered', 'uncovered', 'waived'])}
<div class="scroll"><table><thead><tr><th>flow</th><th>criticality</th><th>tests</th><th>features</th><th>verified</th><th>covered</th><th>uncovered</th><th>waived</th><th>last verified</th><th>schedule</th><th>production</th></tr></thead><tbody>${flowRows}</tbody></table></div>
${flakyRuns(report)}
<h3>Features per flow, each judged by the flow's own evidence</h3>${flowFeatureLists(report, env)}
${uncovered.length ? `<h2 id="uncovered">Uncovered features (${uncovered.length})</h2>${featureTable(report, uncovered, [{ head: 'why', cell: whyUncovered }], 'data-list="uncovered"')}` : ''}
${unmapped.length ? `<h2 id="unmapped">Unmapped features (${unmapped.length})</h2><p class="muted">features that touch no flow's <code>paths</code>: map them (<code>verigap review</code>, m) or widen a flow's paths</p>${featureTable(report, unmapped, [], 'data-list="unmapped"')}` : ''}
${ownTest.length ? `<h2 id="own-test">Shipped with their own test (${ownTest.length})</h2>${featureTable(report, ownTest, [{ head: 'flows', cell: (d) => esc(d.flows.map((flow) => flow.id).join(', ')) }], 'data-list="own-test"')}` : ''}
${
  waived.length
    ? `<h2 id="waived">Waivers (${waived.length})</h2>${featureTable(
        report,
        waived,
        [
          {
            head: 'waived for',
            cell: (d) =>
              d.flows
                .filter((flow) => flow.waiver)
                .map((flow) => `<b>${esc(flow.id)}</b>: ${esc(flow.waiver!.reason)}`)
                .join('<br>'),
          },
        ],
        'data-list="waived"',
      )}`
    : ''
}
<h2>Incidents</h2>${i.items.length ? `<div class="scroll"><table data-list="incidents"><thead><tr><th>incident</th><th>severity</th><th>flows</th><th>regression test</th><th>introduced by</th></tr></thead><tbody>${incidentRows}</tbody></table></div>` : empty('incidents', 'No incident started in this window.')}
${i.without_test.length ? `<h3>Without a regression test</h3><ul>${i.without_test.map((id) => `<li>${esc(incidentTitle.get(id) ?? id)} <span class="muted">${esc(id)} · verigap incident test ${esc(id)} --prove --pr</span></li>`).join('')}</ul>` : ''}
${i.unprotected.length ? `<h2>Regressions of the safety net</h2><ul>${i.unprotected.map((u) => `<li>${esc(u.id)}: ${esc(u.test)} (${esc(u.reason)})</li>`).join('')}</ul>` : ''}
<h2>Definitions</h2><ul class="muted">${definitions.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>
${report.skipped_notes.length ? `<footer data-list="skipped-notes"><h2>Note lines left out of every number (${report.skipped_notes.length})</h2><ul class="muted">${report.skipped_notes.map((note) => `<li>${esc(skippedNoteText(note))}</li>`).join('')}</ul></footer>` : ''}
</body></html>
`;
}
