import type { CommandContext } from '../cli.js';
import { verifies } from '../core/playwright-report.js';
import { ingestRun } from '../services/verify.js';
import { paint } from '../output.js';
import { resolveEnv } from './verify-env.js';
import { withRepo } from './with-repo.js';

export interface IngestFlags {
  commit?: string;
  env?: string;
  at?: string;
  runUrl?: string;
  push: boolean;
}

export async function verifyIngest(ctx: CommandContext, files: string[], flags: IngestFlags): Promise<void> {
  await withRepo(ctx, async (repo) => {
    const env = resolveEnv(repo.config, flags.env);
    const { run, pushed, written } = await ingestRun(repo, {
      files, env, commit: flags.commit, at: flags.at, runUrl: flags.runUrl, push: flags.push,
      onCommitFromReport: (sha) => ctx.output.warn(`no --commit: using the report's metadata.gitCommit ${sha.slice(0, 7)}, the commit the tests were checked out at; pass --commit with the deployed commit if they differ`),
    }, process.cwd());
    ctx.output.result({ ...run, pushed, already_recorded: !written });
    if (!written) {
      ctx.output.print(`already recorded: the run of ${run.at} on ${run.commit.slice(0, 7)} (${run.env}); nothing written${pushed ? ' (notes pushed)' : ''}`);
      return;
    }
    // only runs of verification.env verify; another env's passing run is reported as passed, nothing more
    const counts = run.env === repo.config.verification.env;
    const lines = Object.entries(run.flows).sort().map(([flow, c]) => {
      const ok = verifies(c);
      const verdict = counts ? (ok ? 'verified' : 'not verified') : ok ? 'passed' : 'failed';
      return `  ${paint(ctx.output, ok ? 'green' : 'red', verdict)}  ${flow}: ${c.passed} passed, ${c.failed} failed, ${c.flaky} flaky, ${c.skipped} skipped`;
    });
    ctx.output.print([
      `Recorded a ${run.env} run of ${run.tests} test${run.tests === 1 ? '' : 's'}${counts ? '' : ` (not ${repo.config.verification.env}: it does not count as verification)`} on ${run.commit.slice(0, 7)} at ${run.at}${pushed ? ' (notes pushed)' : ''}`,
      ...(lines.length > 0 ? lines : ['  no test belongs to a flow (by folder, `tests` globs or @flow:<id> tags)']),
    ].join('\n'));
  });
}
