import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { insideRoot, mkdirInside, writeInside } from '../adapters/inside-root.js';
import { GateError, InputError } from '../errors.js';
import { parseOptions } from '../core/options/parse.js';
import { reportOptions, type Format, type ReportFlags } from '../core/options/report.js';
import { resolveWindow } from '../core/window.js';
import { quietWindow } from '../services/quiet-window.js';
import { computeReport } from '../services/report.js';
import { syncQuietly, withRepo } from './with-repo.js';

const noDataReason: Record<string, string> = {
  coverage: 'no mapped feature shipped',
  verified: 'no mapped feature shipped',
  verify_p90_hours: 'no feature verified yet: record production runs with verigap verify ingest',
  untested_incident_age_hours: 'no incident without a regression test',
};

export async function report(ctx: CommandContext, raw: ReportFlags): Promise<void> {
  const now = ctx.clock.now();
  // the window reads the clock, so it is resolved here, first: its problem is named before the other flags'
  const resolved = resolveWindow(raw, now);
  if (!resolved.ok) throw new InputError(resolved.reason);
  const { window } = resolved;
  const flags = parseOptions(reportOptions, raw);
  const { format: wanted, gates } = flags;

  const { output } = ctx;
  const rendered = await withRepo(ctx, async (repo) => {
    // refused before the work: a folder a symbolic link leads out of the repository
    if (flags.out) insideRoot(repo.root, resolve(process.cwd(), flags.out));
    await syncQuietly(ctx, repo);
    const { report: result, trend } = await computeReport(repo, window, gates, now);
    const outDir = flags.out ? resolve(process.cwd(), flags.out) : join(repo.root, 'reports');
    const { renderMarkdown } = await import('../core/render/markdown.js');
    const { renderHtml } = await import('../core/render/html.js');
    const files: Record<Format, () => string> = {
      md: () => renderMarkdown(result, window.title),
      json: () => `${JSON.stringify(result, null, 2)}\n`,
      html: () => renderHtml(result, window.title, trend(outDir)),
    };
    const written: string[] = [];
    if (flags.out) {
      mkdirInside(repo.root, outDir);
      for (const format of wanted) {
        const file = writeInside(repo.root, join(outDir, `${window.name}.${format}`), files[format]());
        written.push(file);
      }
    }
    const quiet = await quietWindow(repo, { since: window.since, until: window.until, now, flag: '--since' });
    return { result, markdown: files.md(), printed: flags.out ? '' : files[wanted[0]!](), written, quiet };
  });

  if (ctx.env.GITHUB_STEP_SUMMARY) appendFileSync(ctx.env.GITHUB_STEP_SUMMARY, rendered.markdown);
  output.result(rendered.result);
  if (flags.out) for (const file of rendered.written) output.note(`wrote ${file}`);
  else output.print(rendered.printed);
  // on stderr: stdout is the report itself, often redirected to a file
  if (rendered.quiet && !output.json) output.note(rendered.quiet);
  for (const gate of rendered.result.gates.filter((g) => g.no_data))
    output.note(
      `gate ${gate.name}: no data in this window (${noDataReason[gate.name] ?? 'nothing to measure'}); not checked`,
    );
  const failed = rendered.result.gates.filter((gate) => !gate.passed);
  if (failed.length > 0) {
    // 0.895, not 0.8947368421052632
    const shown = (value: unknown) => (typeof value === 'number' ? String(Number(value.toFixed(3))) : String(value));
    throw new GateError(
      failed
        .map((g) => `gate ${g.name} failed: actual ${shown(g.actual)} vs threshold ${shown(g.threshold)}`)
        .join('\n'),
    );
  }
}
