import type { CommandContext } from '../context.js';
import { GateError } from '../errors.js';
import { parseDuration } from '../core/duration.js';
import { parseOptions } from '../core/options/parse.js';
import { statusOptions, type StatusFlags } from '../core/options/verify.js';
import type { ProductionStatus } from '../core/production-status.js';
import { day, short } from '../core/render/format.js';
import { paint, type Output } from '../output.js';
import { productionStatus } from '../services/status.js';
import { formatTable } from '../ui/table.js';
import { resolveEnv } from './verify-env.js';
import { syncQuietly, withRepo } from './with-repo.js';

/** How long ago, in the unit a person reads best. */
function ago(ms: number): string {
  const minutes = Math.max(0, ms) / 60_000;
  if (minutes < 90) return `${Math.round(minutes)} min ago`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h ago` : `${(hours / 24).toFixed(1)} d ago`;
}

const shownFeatures = 20;

/** The newest few flaky commits; the JSON has them all. */
const flakyList = (commits: readonly string[]) =>
  `${commits.slice(-3).reverse().map(short).join(', ')}${commits.length > 3 ? ` (+${commits.length - 3} older)` : ''}`;

function render(status: ProductionStatus, output: Pick<Output, 'color'>): string {
  const now = Date.parse(status.now);
  const rows = status.flows.map((flow) => [
    flow.id,
    flow.schedule ?? '—',
    flow.last_pass ? `${day(flow.last_pass.at)} (${ago(now - Date.parse(flow.last_pass.at))})` : 'never',
    flow.last_pass ? short(flow.last_pass.commit) : '—',
    [
      flow.stale ? paint(output, 'red', 'STALE') : '',
      flow.flaky_commits.length ? paint(output, 'yellow', `FLAKY on ${flakyList(flow.flaky_commits)}`) : '',
    ]
      .filter(Boolean)
      .join(' ') || (flow.last_pass ? 'ok' : ''),
  ]);
  const lines = [
    `${status.env} at ${day(status.now)} UTC`,
    '',
    status.flows.length
      ? formatTable(['flow', 'schedule', 'last pass', 'commit', ''], rows)
      : 'no flows yet: describe one with verigap flows add <id> --name … --paths …',
    '',
  ];
  const waiting = status.unverified_features;
  lines.push(
    waiting.length === 0
      ? 'Every merged feature that touches a flow is in a verified deployment.'
      : `Merged, not yet in a verified deployment (${waiting.length}):`,
  );
  for (const feature of waiting.slice(-shownFeatures).reverse()) {
    lines.push(
      `  ${short(feature.sha)}  ${feature.subject}  merged ${ago(now - Date.parse(feature.merged_at))}  flows: ${feature.flows.join(', ')}`,
    );
  }
  if (waiting.length > shownFeatures)
    lines.push(`  … and ${waiting.length - shownFeatures} older (verigap --json verify status lists them all)`);
  return lines.join('\n');
}

/** Why a flow is stale, in one line: since when, and what its schedule allows. */
function staleReason(flow: ProductionStatus['flows'][number], env: string, now: number): string {
  const twice = 2 * (parseDuration(flow.schedule ?? '') ?? 0);
  const allowed = `schedule ${flow.schedule}, stale after ${twice % 3_600_000 === 0 ? `${twice / 3_600_000}h` : `${twice / 60_000}m`}`;
  return flow.last_pass
    ? `${flow.id}: last passed in ${env} ${ago(now - Date.parse(flow.last_pass.at))} on ${short(flow.last_pass.commit)} (${allowed})`
    : `${flow.id}: never passed in ${env} (${allowed})`;
}

export async function verifyStatus(ctx: CommandContext, raw: StatusFlags): Promise<void> {
  const flags = parseOptions(statusOptions, raw);
  const now = ctx.clock.now();
  const status = await withRepo(ctx, async (repo) => {
    const env = resolveEnv(repo.config, flags.env);
    await syncQuietly(ctx, repo);
    return productionStatus(repo, env, now);
  });
  ctx.output.result(status);
  ctx.output.print(render(status, ctx.output));
  const stale = status.flows.filter((flow) => flow.stale);
  if (flags.failOn === 'stale' && stale.length > 0) {
    throw new GateError(
      `${stale.length} stale flow${stale.length === 1 ? '' : 's'}: no passing ${status.env} run within twice the schedule\n${stale.map((flow) => `  ${staleReason(flow, status.env, now)}`).join('\n')}`,
    );
  }
}
