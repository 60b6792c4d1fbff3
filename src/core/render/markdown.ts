import type { Report } from '../report-model.js';
import { day, definitions, hours, percent, productionMarks, short, skippedNoteText } from './format.js';

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** The report as GitHub-flavoured Markdown, for a job summary or a PR comment. */
export function renderMarkdown(report: Report, title: string): string {
  const { features: f, merge_to_verification: m, incidents: i } = report;
  const lines = [
    `# verigap gap report · ${title}`,
    '',
    `${report.window.since} → ${report.window.until} · \`${report.repo.branch}\` @ \`${short(report.repo.head)}\` · ${report.changes.total} changes`,
    '',
    row(['metric', 'value']),
    row(['---', '---']),
    row(['Features shipped', `${f.total} (${f.mapped} mapped, ${f.unmapped} unmapped, ${f.waived} waived)`]),
    row([
      '**Coverage share**',
      `**${percent(f.coverage_share)}** (${f.verified} verified + ${f.covered} covered, ${f.uncovered} uncovered)`,
    ]),
    row(['**Verified share**', `**${percent(f.verified_share)}**`]),
    row(['Shipped with its own test', `${f.with_own_test} of ${f.mapped}`]),
    row([
      'Merge → verification',
      `p50 ${hours(m.p50_hours)} · p90 ${hours(m.p90_hours)} · max ${hours(m.max_hours)} (n = ${m.count}) · ${m.unverified_past_sla} unverified past SLA`,
    ]),
    row([
      'Incidents',
      `${i.total} (${i.with_test} with a test, ${i.proven} proven, ${i.repeats} repeats) · detect p50 ${hours(i.ttd_p50_hours)} · restore p50 ${hours(i.ttr_p50_hours)}`,
    ]),
    '',
  ];
  if (report.gates.length > 0) {
    lines.push('## Gates', '');
    for (const gate of report.gates) {
      const actual =
        gate.actual === null ? 'no data' : gate.name.endsWith('hours') ? hours(gate.actual) : percent(gate.actual);
      const threshold = gate.name.endsWith('hours') ? hours(gate.threshold) : percent(gate.threshold);
      lines.push(
        `- ${gate.passed ? '✅' : '❌'} **${gate.name}**: ${actual} (threshold ${gate.name.endsWith('hours') ? '≤' : '≥'} ${threshold})`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## Flows',
    '',
    row([
      'flow',
      'criticality',
      'tests',
      'features',
      'verified',
      'covered',
      'uncovered',
      'waived',
      'incidents',
      'last verified',
      'schedule',
      'production',
    ]),
    row(Array(12).fill('---')),
  );
  for (const flow of report.flows) {
    const marks = productionMarks(flow);
    lines.push(
      row([
        `${flow.name} (\`${flow.id}\`)`,
        flow.criticality,
        flow.tests,
        flow.features,
        flow.verified,
        flow.covered,
        flow.uncovered,
        flow.waived,
        flow.incidents,
        day(flow.last_verified_at),
        flow.schedule ?? '—',
        marks === '—' ? marks : `**${marks}**`,
      ]),
    );
  }
  lines.push('');
  if (report.uncovered_features.length > 0) {
    lines.push(`## Uncovered features (${report.uncovered_features.length})`, '');
    for (const feature of report.uncovered_features.slice(0, 50)) {
      lines.push(
        `- \`${short(feature.sha)}\` ${feature.subject}${feature.pr && !feature.subject.includes(`#${feature.pr}`) ? ` (#${feature.pr})` : ''} — no E2E test or passing run in ${feature.uncovered_flows.join(', ')}${feature.flows.length > feature.uncovered_flows.length ? ` (of ${feature.flows.join(', ')})` : ''}`,
      );
    }
    if (report.uncovered_features.length > 50)
      lines.push(`- … and ${report.uncovered_features.length - 50} more (see the JSON report)`);
    lines.push('');
  }
  if (i.without_test.length > 0)
    lines.push(
      '## Incidents without a regression test',
      '',
      ...i.items.filter((item) => item.regression_state === 'none').map((item) => `- ${item.title} (\`${item.id}\`)`),
      '',
    );
  if (i.unprotected.length > 0) {
    lines.push(
      '## Regressions of the safety net',
      '',
      ...i.unprotected.map(
        (u) =>
          `- ${u.id}: regression test \`${u.test}\` ${u.reason === 'deleted' ? 'was deleted' : u.reason === 'skipped' ? 'is skipped' : 'lost its incident assertion'}`,
      ),
      '',
    );
  }
  if (report.skipped_notes.length > 0) {
    lines.push(
      `## Note lines left out of every number (${report.skipped_notes.length})`,
      '',
      ...report.skipped_notes.slice(0, 50).map((note) => `- ${skippedNoteText(note)}`),
      '',
    );
  }
  lines.push('<details><summary>Definitions</summary>', '', ...definitions.map((d) => `- ${d}`), '', '</details>', '');
  return lines.join('\n');
}
