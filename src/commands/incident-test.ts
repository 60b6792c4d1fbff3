import { resolve } from 'node:path';
import { world } from '../adapters/world.js';
import type { CommandContext } from '../context.js';
import { parseOptions } from '../core/options/parse.js';
import { incidentTestOptions, type IncidentTestFlags, type IncidentTestOptions } from '../core/options/incident.js';
import { paint, type Output } from '../output.js';
import type { StageEvent } from '../services/stages.js';
import { testIncident } from '../services/incident-test.js';
import { syncQuietly, withRepo } from './with-repo.js';

/** One line per stage as it ends: the live progress of the pipeline. */
export function stagePrinter(output: Output) {
  return (event: StageEvent) => {
    if (event.status === 'start') return;
    const mark = {
      done: paint(output, 'green', '✔'),
      skipped: paint(output, 'dim', '–'),
      failed: paint(output, 'red', '✘'),
    }[event.status];
    const ms = event.ms === undefined ? '' : paint(output, 'dim', ` ${(event.ms / 1000).toFixed(1)} s`);
    output.note(`${mark} ${event.stage.padEnd(8)}${ms}${event.detail ? `  ${event.detail}` : ''}`);
  };
}

export async function runIncidentTest(ctx: CommandContext, id: string, raw: IncidentTestFlags): Promise<void> {
  const flags = parseOptions(incidentTestOptions, raw);
  const { attempts, repeat, deployments } = flags;
  if (flags.spec !== undefined) return runHandWritten(ctx, id, flags, flags.spec);
  await withRepo(
    ctx,
    async (repo) => {
      await syncQuietly(ctx, repo);
      const result = await testIncident(repo, {
        incidentId: id,
        prove: flags.prove,
        pr: flags.pr,
        attempts,
        repeat,
        deployments,
        env: ctx.env,
        listener: stagePrinter(ctx.output),
        ...world(ctx.clock),
      });
      ctx.output.result(result);
      const proof = result.proof;
      ctx.output.print(
        [
          `Regression test ${result.spec} ${proof ? 'is proven' : 'passes on the working tree'}.`,
          proof
            ? `It fails on ${proof.fails_on.slice(0, 7)} (before the fix${proof.before_url ? `, ${proof.before_url}` : ''}) at the incident assertion and passes on ${proof.passes_on.slice(0, 7)} (the fix${proof.after_url ? `, ${proof.after_url}` : ''}), ${proof.repeat}× each.`
            : '',
          result.pr ? `Pull request: ${result.pr.pr.url}` : '',
          ...result.notes,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    },
    { flags: { baseURL: flags.baseUrl ?? deployments?.after, provider: flags.provider } },
  );
}

/** `--spec FILE`: prove a test a person wrote; it is recorded only once proven. */
async function runHandWritten(
  ctx: CommandContext,
  id: string,
  flags: IncidentTestOptions,
  spec: string,
): Promise<void> {
  const { testHandWritten } = await import('../services/hand-written-test.js');
  await withRepo(
    ctx,
    async (repo) => {
      await syncQuietly(ctx, repo);
      const result = await testHandWritten(repo, {
        incidentId: id,
        file: resolve(spec),
        prove: flags.prove,
        pr: flags.pr,
        repeat: flags.repeat,
        deployments: flags.deployments,
        env: ctx.env,
        listener: stagePrinter(ctx.output),
        ...world(ctx.clock),
      });
      ctx.output.result(result);
      const proof = result.proof;
      ctx.output.print(
        [
          proof
            ? `Regression test ${result.spec} is proven: it fails on ${proof.fails_on.slice(0, 7)} (before the fix) at the incident assertion and passes on ${proof.passes_on.slice(0, 7)} (the fix), ${proof.repeat}× each.`
            : '',
          result.pr ? `Pull request: ${result.pr.pr.url}` : '',
          ...result.blocked,
          ...result.notes,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    },
    { flags: { baseURL: flags.baseUrl ?? flags.deployments?.after } },
  );
}
