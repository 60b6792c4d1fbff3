import type { CommandContext } from '../cli.js';
import { InputError } from '../errors.js';
import { paint, type Output } from '../output.js';
import type { StageEvent } from '../services/stages.js';
import { testIncident } from '../services/incident-test.js';
import { syncQuietly, withRepo } from './with-repo.js';

export interface IncidentTestFlags {
  provider?: 'openai' | 'steps';
  baseUrl?: string;
  prove: boolean;
  pr: boolean;
  attempts: string;
  repeat: string;
}

/** One line per stage as it ends: the live progress of the pipeline. */
export function stagePrinter(output: Output) {
  return (event: StageEvent) => {
    if (event.status === 'start') return;
    const mark = { done: paint(output, 'green', '✔'), skipped: paint(output, 'dim', '–'), failed: paint(output, 'red', '✘') }[event.status];
    const ms = event.ms === undefined ? '' : paint(output, 'dim', ` ${(event.ms / 1000).toFixed(1)} s`);
    output.note(`${mark} ${event.stage.padEnd(8)}${ms}${event.detail ? `  ${event.detail}` : ''}`);
  };
}

const count = (text: string, flag: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new InputError(`${flag} must be a whole number from 1 to 20, got "${text}"`);
  return n;
};

export async function runIncidentTest(ctx: CommandContext, id: string, flags: IncidentTestFlags): Promise<void> {
  const attempts = count(flags.attempts, '--attempts');
  const repeat = count(flags.repeat, '--repeat');
  await withRepo(ctx, async (repo) => {
    await syncQuietly(ctx, repo);
    const result = await testIncident(repo, { incidentId: id, prove: flags.prove, pr: flags.pr, attempts, repeat, env: ctx.env, listener: stagePrinter(ctx.output), now: Date.now });
    ctx.output.result(result);
    ctx.output.print([
      `Regression test ${result.spec} ${result.proof ? 'is proven' : 'passes on the working tree'}.`,
      result.proof ? `It fails on ${result.proof.fails_on.slice(0, 7)} (before the fix) at the incident assertion and passes on ${result.proof.passes_on.slice(0, 7)} (the fix), ${result.proof.repeat}× each.` : '',
      result.pr ? `Pull request: ${result.pr.pr.url}` : '',
    ].filter(Boolean).join('\n'));
  }, { flags: { baseURL: flags.baseUrl, provider: flags.provider } });
}
