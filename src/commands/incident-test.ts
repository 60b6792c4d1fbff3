import { resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { InputError } from '../errors.js';
import { paint, type Output } from '../output.js';
import type { StageEvent } from '../services/stages.js';
import { testIncident } from '../services/incident-test.js';
import { syncQuietly, withRepo } from './with-repo.js';

export interface IncidentTestFlags {
  provider?: 'openai' | 'steps';
  baseUrl?: string;
  prove: boolean;
  beforeUrl?: string;
  afterUrl?: string;
  pr: boolean;
  attempts: string;
  repeat: string;
  spec?: string;
}

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

const count = (text: string, flag: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 20)
    throw new InputError(`${flag} must be a whole number from 1 to 20, got "${text}"`);
  return n;
};

/** --before-url/--after-url: both, absolute http(s) URLs, and only with --prove. */
function deploymentsOf(flags: IncidentTestFlags): { before: string; after: string } | undefined {
  if (!flags.beforeUrl && !flags.afterUrl) return undefined;
  if (!flags.beforeUrl || !flags.afterUrl)
    throw new InputError(
      '--before-url and --after-url go together: the deployed revision before the fix, and the deployed fix',
    );
  if (!flags.prove) throw new InputError('--before-url and --after-url are for --prove', 'add --prove');
  for (const [flag, url] of [
    ['--before-url', flags.beforeUrl],
    ['--after-url', flags.afterUrl],
  ] as const) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      throw new InputError(
        `${flag} "${url}" is not an http(s) URL`,
        'e.g. --before-url https://pr-41.preview.example.com',
      );
  }
  return { before: flags.beforeUrl, after: flags.afterUrl };
}

export async function runIncidentTest(ctx: CommandContext, id: string, flags: IncidentTestFlags): Promise<void> {
  const attempts = count(flags.attempts, '--attempts');
  const repeat = count(flags.repeat, '--repeat');
  const deployments = deploymentsOf(flags);
  if (flags.spec !== undefined) return runHandWritten(ctx, id, flags, { repeat, deployments });
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
        now: Date.now,
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
  flags: IncidentTestFlags,
  parsed: { repeat: number; deployments: { before: string; after: string } | undefined },
): Promise<void> {
  if (flags.pr && !flags.prove)
    throw new InputError(
      "--pr with --spec needs --prove: a test you wrote is recorded as the incident's regression test once it is proven",
      'add --prove',
    );
  const { testHandWritten } = await import('../services/hand-written-test.js');
  await withRepo(
    ctx,
    async (repo) => {
      await syncQuietly(ctx, repo);
      const result = await testHandWritten(repo, {
        incidentId: id,
        file: resolve(flags.spec!),
        prove: flags.prove,
        pr: flags.pr,
        repeat: parsed.repeat,
        deployments: parsed.deployments,
        env: ctx.env,
        listener: stagePrinter(ctx.output),
        now: Date.now,
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
    { flags: { baseURL: flags.baseUrl ?? parsed.deployments?.after } },
  );
}
