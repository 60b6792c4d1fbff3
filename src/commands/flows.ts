import type { CommandContext } from '../context.js';
import { InputError } from '../errors.js';
import { summarizeFlows, type FlowSummary } from '../services/flows.js';
import { quietWindow } from '../services/quiet-window.js';
import { parseOptions } from '../core/options/parse.js';
import { addFlowOptions, flowsOptions, type AddFlowFlags, type FlowsFlags } from '../core/options/commands.js';
import { statusIn } from '../core/features.js';
import { globsMatchingNoFileAtHead, writeFlow } from '../services/flow-writer.js';
import { globsMatchingNothing } from '../core/glob.js';
import { formatTable } from '../ui/table.js';
import { paint } from '../output.js';
import { syncQuietly, withRepo } from './with-repo.js';

const DAY = 86_400_000;

/** Each flow's summary, and why the window is empty when it is (no change in it: see quietWindow). */
async function summaries(
  ctx: CommandContext,
  window: number,
): Promise<{ list: FlowSummary[]; quiet: string | undefined }> {
  return withRepo(ctx, async (repo) => {
    await syncQuietly(ctx, repo);
    const now = ctx.clock.now();
    const since = now - window * DAY;
    return {
      list: summarizeFlows(repo, since, now),
      quiet: await quietWindow(repo, { since, until: now, now, flag: '--days' }),
    };
  });
}

function toJson(summary: FlowSummary) {
  const { flow, tests, counts, lastVerifiedAt } = summary;
  return {
    id: flow.id,
    name: flow.name,
    criticality: flow.criticality,
    owner: flow.owner ?? null,
    paths: flow.paths,
    tests,
    features: summary.features.length,
    ...counts,
    last_verified_at: lastVerifiedAt === null ? null : new Date(lastVerifiedAt).toISOString(),
  };
}

export async function listFlows(ctx: CommandContext, raw: FlowsFlags): Promise<void> {
  const options = parseOptions(flowsOptions, raw);
  const { list, quiet } = await summaries(ctx, options.days);
  const { output } = ctx;
  output.result({ days: options.days, flows: list.map(toJson) });
  if (list.length === 0) {
    output.print('No flows yet. Add one: verigap flows add checkout --name "Check out" --paths "src/checkout/**"');
    return;
  }
  const rows = list.map(({ flow, tests, features, counts, lastVerifiedAt }) => [
    flow.id,
    flow.name,
    flow.criticality,
    flow.owner ?? '—',
    String(tests.length),
    String(features.length),
    String(counts.verified),
    String(counts.covered),
    counts.uncovered > 0 ? paint(output, 'red', String(counts.uncovered)) : '0',
    String(counts.waived),
    lastVerifiedAt === null ? 'never' : new Date(lastVerifiedAt).toISOString().slice(0, 16).replace('T', ' '),
  ]);
  output.print(
    formatTable(
      [
        'FLOW',
        'NAME',
        'CRITICALITY',
        'OWNER',
        'TESTS',
        `FEATURES ${options.days}D`,
        'VERIFIED',
        'COVERED',
        'UNCOVERED',
        'WAIVED',
        'LAST VERIFIED',
      ],
      rows,
    ),
  );
  if (quiet) output.print(`\n${quiet}`);
}

export async function showFlow(ctx: CommandContext, id: string, raw: FlowsFlags): Promise<void> {
  const options = parseOptions(flowsOptions, raw);
  const { list, quiet } = await summaries(ctx, options.days);
  const summary = list.find((s) => s.flow.id === id);
  if (!summary)
    throw new InputError(`no flow "${id}" (flows/${id}/flow.yaml does not exist)`, 'see `verigap flows list`');
  const { output } = ctx;
  output.result({
    ...toJson(summary),
    features: summary.features.map((v) => ({
      sha: v.change.sha,
      subject: v.change.subject,
      pr: v.change.pr,
      status: statusIn(v, id),
      feature_status: v.status,
      flows: v.change.flows,
    })),
  });
  const { flow } = summary;
  output.print(
    [
      `${paint(output, 'bold', flow.name)} (${flow.id}) · ${flow.criticality}${flow.owner ? ` · ${flow.owner}` : ''}`,
      flow.description ?? '',
      `paths: ${flow.paths.join(', ') || '—'}`,
      `tests (${summary.tests.length}):${summary.tests.map((t) => `\n  ${t}`).join('') || ' none'}`,
      `features in the last ${options.days} days (${summary.features.length}), each by this flow's own evidence:`,
      summary.features.length === 0
        ? // an empty window says why: no change on the branch in it at all
          `  none${quiet ? `\n\n${quiet}` : ''}`
        : formatTable(
            ['  SHA', 'STATUS', 'PR', 'SUBJECT'],
            summary.features.map((v) => [
              `  ${v.change.sha.slice(0, 7)}`,
              statusIn(v, id),
              v.change.pr ? `#${v.change.pr}` : '—',
              v.change.subject,
            ]),
          ),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export async function addFlow(ctx: CommandContext, id: string, raw: AddFlowFlags): Promise<void> {
  const options = parseOptions(addFlowOptions, raw);
  const { paths, tests, production } = options;
  await withRepo(ctx, async (repo) => {
    const file = writeFlow(repo.root, id, {
      name: options.name,
      description: options.description,
      criticality: options.criticality,
      owner: options.owner,
      paths,
      tests,
      start: options.start,
      within: options.within,
      production,
      schedule: options.schedule,
    });
    // a tag names tests, not files: only the globs can match nothing
    const productionGlobs = (production ?? []).filter((entry) => !entry.startsWith('@'));
    const unmatched = await globsMatchingNoFileAtHead(repo.git, {
      '--paths': paths,
      '--tests': tests,
      '--production': productionGlobs,
    });
    // files deleted since still count for the past: say so, so that a typo stands out
    const everIndexed = unmatched.length > 0 ? repo.store.queries.allPaths() : [];
    for (const { option, glob } of unmatched) {
      const earlier = globsMatchingNothing([glob], everIndexed).length === 0;
      ctx.output.warn(
        earlier
          ? `${option} glob "${glob}" matches no file at HEAD, only files deleted earlier in the history (they still count for the weeks they existed)`
          : `${option} glob "${glob}" matches no file at HEAD${everIndexed.length > 0 ? ' nor in the indexed history' : ''}; check the spelling (globs are relative to the repository root)`,
      );
    }
    ctx.output.result({ id, file, unmatched_globs: unmatched.map((u) => u.glob) });
    ctx.output.print(
      `Wrote ${file}. ${tests.length > 0 ? 'Its E2E tests are the files --tests names and any spec in' : 'Put its Playwright specs in'} flows/${id}/ (*.spec.ts); commit it.`,
    );
  });
}
