import type { CommandContext } from '../context.js';
import { InputError } from '../errors.js';
import { parseOptions } from '../core/options/parse.js';
import { ingestOptions, type IngestFlags } from '../core/options/verify.js';
import { verifies } from '../core/playwright-report.js';
import { ingestRun } from '../services/verify.js';
import type { VersionSource } from '../services/deployed-commit.js';
import { paint } from '../output.js';
import { resolveEnv } from './verify-env.js';
import { withRepo } from './with-repo.js';

/** `--commit-from [URL]`: the URL given, else verification.version.url; the JSON field always from the config. */
function versionSource(
  flag: string | boolean | undefined,
  configured: { url: string; field: string } | undefined,
): VersionSource | undefined {
  if (flag === undefined || flag === false) return undefined;
  const field = configured?.field ?? 'commit';
  if (typeof flag === 'string') return { url: flag, field };
  if (!configured) {
    throw new InputError(
      '--commit-from: no URL given and verigap.yaml has no verification.version.url',
      'pass it (--commit-from https://shop.example.com/version), or set verification.version.url in verigap.yaml',
    );
  }
  return configured;
}

export async function verifyIngest(ctx: CommandContext, files: string[], raw: IngestFlags): Promise<void> {
  const flags = parseOptions(ingestOptions, raw);
  await withRepo(ctx, async (repo) => {
    const env = resolveEnv(repo.config, flags.env);
    const asked = flags.commitFrom !== undefined && flags.commitFrom !== false;
    if (asked && flags.commit !== undefined)
      ctx.output.note(`note: --commit ${flags.commit} wins over --commit-from; the version endpoint is not asked`);
    const commitFrom =
      flags.commit === undefined ? versionSource(flags.commitFrom, repo.config.verification.version) : undefined;
    const { run, pushed, written } = await ingestRun(
      repo,
      {
        files,
        env,
        commit: flags.commit,
        at: flags.at,
        now: ctx.clock.now(),
        runUrl: flags.runUrl,
        push: flags.push,
        commitFrom,
        onCommitFromReport: (sha) =>
          ctx.output.warn(
            `no --commit: using the report's metadata.gitCommit ${sha.slice(0, 7)}, the commit the tests were checked out at; pass --commit with the deployed commit if they differ`,
          ),
      },
      process.cwd(),
    );
    ctx.output.result({ ...run, pushed, already_recorded: !written });
    if (!written) {
      ctx.output.print(
        `already recorded: the run of ${run.at} on ${run.commit.slice(0, 7)} (${run.env}); nothing written${pushed ? ' (notes pushed)' : ''}`,
      );
      return;
    }
    // only runs of verification.env verify; another env's passing run is reported as passed, nothing more
    const counts = run.env === repo.config.verification.env;
    const lines = Object.entries(run.flows)
      .sort()
      .map(([flow, c]) => {
        const ok = verifies(c);
        const verdict = counts ? (ok ? 'verified' : 'not verified') : ok ? 'passed' : 'failed';
        return `  ${paint(ctx.output, ok ? 'green' : 'red', verdict)}  ${flow}: ${c.passed} passed, ${c.failed} failed, ${c.flaky} flaky, ${c.skipped} skipped`;
      });
    ctx.output.print(
      [
        `Recorded a ${run.env} run of ${run.tests} test${run.tests === 1 ? '' : 's'}${counts ? '' : ` (not ${repo.config.verification.env}: it does not count as verification)`} on ${run.commit.slice(0, 7)} at ${run.at}${pushed ? ' (notes pushed)' : ''}`,
        ...(lines.length > 0 ? lines : ['  no test belongs to a flow (by folder, `tests` globs or @flow:<id> tags)']),
      ].join('\n'),
    );
  });
}
