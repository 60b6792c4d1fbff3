import type { Report } from '../report-model.js';
import { esc, flowBars, histogram, trendChart, type TrendPoint } from './charts.js';
import { day, definitions, hours, percent, short } from './format.js';

const style = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--verified:#1a7f37;--covered:#4c8df6;--uncovered:#cf222e;--waived:#9a6700}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--verified:#3fb950;--covered:#58a6ff;--uncovered:#f85149;--waived:#d29922}}
body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:960px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}.muted{color:var(--muted)}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.75rem}
.tile{border:1px solid var(--line);border-radius:8px;padding:.75rem}.tile b{display:block;font-size:1.6rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line)}
svg{width:100%;height:auto;font-size:11px;fill:var(--fg)}svg text{fill:var(--muted)}.grid{stroke:var(--line)}
polyline{stroke-width:2}polyline.coverage{stroke:var(--covered)}polyline.verified{stroke:var(--verified)}
circle.coverage{fill:var(--covered)}circle.verified{fill:var(--verified)}.bar{fill:var(--covered)}
rect.verified{fill:var(--verified)}rect.covered{fill:var(--covered)}rect.uncovered{fill:var(--uncovered)}rect.waived{fill:var(--waived)}
.legend span::before{content:"";display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em;background:var(--c)}
.fail{color:var(--uncovered)}.pass{color:var(--verified)}`;

const tile = (label: string, metric: string, value: string, detail = '') =>
  `<div class="tile"><span class="muted">${esc(label)}</span><b data-metric="${metric}">${esc(value)}</b><span class="muted">${esc(detail)}</span></div>`;

/** The report as one self-contained HTML file: inline CSS and SVG, no script, no network. */
export function renderHtml(report: Report, title: string, trend: readonly TrendPoint[]): string {
  const { features: f, merge_to_verification: m, incidents: i } = report;
  const legend = (keys: string[]) => `<p class="legend muted">${keys.map((k) => `<span style="--c:var(--${k})">${k}</span>`).join('')}</p>`;
  const gates = report.gates.map((g) => `<li class="${g.passed ? 'pass' : 'fail'}" data-gate="${g.name}">${g.passed ? '✔' : '✘'} ${esc(g.name)}: ${g.actual === null ? 'no data' : g.name.endsWith('hours') ? hours(g.actual) : percent(g.actual)} (threshold ${g.name.endsWith('hours') ? hours(g.threshold) : percent(g.threshold)})</li>`).join('');
  const flowRows = report.flows.map((flow) => `<tr data-flow="${esc(flow.id)}"><td>${esc(flow.name)} <span class="muted">${esc(flow.id)}</span></td><td>${esc(flow.criticality)}</td><td>${flow.tests}</td><td>${flow.features}</td><td>${flow.verified}</td><td>${flow.covered}</td><td>${flow.uncovered}</td><td>${flow.waived}</td><td>${esc(day(flow.last_verified_at))}</td></tr>`).join('');
  const uncovered = report.uncovered_features.slice(0, 200).map((u) => `<tr><td><code>${short(u.sha)}</code></td><td>${esc(u.subject)}</td><td>${esc(u.flows.join(', '))}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>verigap gap report · ${esc(title)}</title><style>${style}</style></head>
<body>
<h1>verigap gap report · ${esc(title)}</h1>
<p class="muted">${esc(report.window.since)} → ${esc(report.window.until)} · ${esc(report.repo.branch)} @ ${short(report.repo.head)} · <span data-metric="changes">${report.changes.total}</span> changes</p>
<section class="tiles">
${tile('Coverage share', 'coverage_share', percent(f.coverage_share), `${f.verified} verified + ${f.covered} covered`)}
${tile('Verified share', 'verified_share', percent(f.verified_share), `of ${f.mapped - f.waived} mapped features`)}
${tile('Features', 'features_total', String(f.total), `${f.uncovered} uncovered · ${f.unmapped} unmapped`)}
${tile('Merge → verification p90', 'p90_hours', hours(m.p90_hours), `p50 ${hours(m.p50_hours)} · n = ${m.count}`)}
${tile('Incidents', 'incidents_total', String(i.total), `${i.without_test.length} without a test`)}
</section>
${gates ? `<h2>Gates</h2><ul>${gates}</ul>` : ''}
<h2>Coverage trend</h2>${trendChart(trend)}${legend(['covered', 'verified'])}
<p class="muted">coverage share (blue) and verified share (green), week by week from earlier reports</p>
<h2>Merge → verification</h2>${histogram(m.hours)}
<h2>Flows</h2>${flowBars(report.flows)}${legend(['verified', 'covered', 'uncovered', 'waived'])}
<table><thead><tr><th>flow</th><th>criticality</th><th>tests</th><th>features</th><th>verified</th><th>covered</th><th>uncovered</th><th>waived</th><th>last verified</th></tr></thead><tbody>${flowRows}</tbody></table>
${uncovered ? `<h2>Uncovered features</h2><table><thead><tr><th>sha</th><th>subject</th><th>flows</th></tr></thead><tbody>${uncovered}</tbody></table>` : ''}
${i.without_test.length ? `<h2>Incidents without a regression test</h2><ul>${i.without_test.map((id) => `<li>${esc(id)}</li>`).join('')}</ul>` : ''}
${i.unprotected.length ? `<h2>Regressions of the safety net</h2><ul>${i.unprotected.map((u) => `<li>${esc(u.id)}: ${esc(u.test)} (${esc(u.reason)})</li>`).join('')}</ul>` : ''}
<h2>Definitions</h2><ul class="muted">${definitions.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>
</body></html>
`;
}
