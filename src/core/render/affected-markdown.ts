import { verdictReason, type AffectedResult } from '../affected.js';
import { thousands } from '../thousands.js';

/** Finds verigap's own comment among a pull request's comments, so one comment is kept and updated. */
export const affectedMarker = '<!-- verigap:affected -->';

/** GitHub refuses comments over 65,536 characters and job summaries over 1 MiB: stay well under both. */
export const maxAffectedMarkdownBytes = 60_000;

const badge = { green: '🟢', yellow: '🟡', red: '🔴' } as const;

/** Inline code that a backtick or a line break in a path cannot break out of. */
function code(text: string): string {
  const clean = text.replace(/[\r\n]/g, ' ');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${clean}${fence === '``' ? ' ' : ''}${fence}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/[\r\n]/g, ' ');

function listed(items: readonly string[], limit: number, render: (item: string) => string): string[] {
  const shown = items.slice(0, limit).map((item) => `- ${render(item)}`);
  if (items.length > limit)
    shown.push(`- … and ${thousands(items.length - limit)} more (\`verigap affected --json\` lists them all)`);
  return shown;
}

function render(result: AffectedResult, limit: number): string {
  const lines = [
    affectedMarker,
    `### ${badge[result.verdict]} verigap affected: **${result.verdict}**`,
    '',
    verdictReason(result),
    '',
  ];
  for (const problem of result.problems.slice(0, limit)) lines.push(`- ${problem.message}`);
  if (result.problems.length > limit) lines.push(`- … and ${result.problems.length - limit} more`);
  if (result.problems.length > 0) lines.push('');
  const flowCount = `${result.flows.length} critical flow(s) affected`;
  lines.push(
    `<details><summary>${flowCount}, ${thousands(result.changed_files)} changed file(s), ${thousands(result.unmapped_files.length)} outside every flow</summary>`,
    '',
  );
  if (result.flows.length > 0) {
    lines.push(
      '| flow | criticality | E2E tests | own test changed | last verified |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const flow of result.flows.slice(0, limit)) {
      lines.push(
        `| ${code(flow.id)} ${cell(flow.name)} | ${flow.criticality} | ${flow.tests.length === 0 ? '**none**' : flow.tests.length} | ${flow.own_test_changed ? 'yes' : 'no'} | ${flow.last_verified_at ?? '—'} |`,
      );
    }
    if (result.flows.length > limit) lines.push(`| … ${result.flows.length - limit} more | | | | |`);
    lines.push('');
  }
  if (result.selection.files.length > 0 || result.selection.grep) {
    lines.push('**Selection** for Playwright:', '');
    if (result.selection.grep) lines.push(`- grep: ${code(result.selection.grep)}`);
    lines.push(...listed(result.selection.files, limit, code), '');
  }
  if (result.unmapped_files.length > 0) {
    lines.push('**Changed outside every flow:**', '', ...listed(result.unmapped_files, limit, code), '');
  }
  lines.push(
    `<sub>base ${code(result.base.slice(0, 7))} · head ${code(result.head.slice(0, 7))}</sub>`,
    '',
    '</details>',
    '',
  );
  return lines.join('\n');
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * The PR-time check as Markdown (SPEC §8): verdict and one-line reason first, details folded,
 * lists shortened until the whole stays under 60 KB whatever the size of the change.
 */
export function renderAffectedMarkdown(result: AffectedResult): string {
  for (let limit = 200; limit >= 1; limit = Math.floor(limit / 2)) {
    const text = render(result, limit);
    if (bytes(text) <= maxAffectedMarkdownBytes) return text;
  }
  // single entries that are themselves huge (very long paths): cut the text, then close the fold
  const text = render(result, 1);
  const closing = '\n\n… (shortened)\n\n</details>\n';
  let cut = text.slice(0, maxAffectedMarkdownBytes - bytes(closing) - 4096);
  while (bytes(cut) > maxAffectedMarkdownBytes - bytes(closing)) cut = cut.slice(0, -1024);
  return cut + closing;
}
