import type { CommandContext } from '../context.js';
import { parseOptions } from '../core/options/parse.js';
import { syncOptions, type SyncFlags } from '../core/options/commands.js';
import { createProgressBar } from '../ui/progress.js';
import { syncQuietly, withRepo } from './with-repo.js';
import { thousands } from '../core/thousands.js';

export async function sync(ctx: CommandContext, raw: SyncFlags): Promise<void> {
  const options = parseOptions(syncOptions, raw);
  const started = ctx.clock.elapsed();
  const { output } = ctx;
  await withRepo(
    ctx,
    async (repo) => {
      const progress =
        output.isTTY && !output.quiet && !output.json ? createProgressBar('Indexing history') : undefined;
      const result = await syncQuietly(ctx, repo, { progress });
      const seconds = (ctx.clock.elapsed() - started) / 1000;
      output.result({ ...result, seconds });
      const count = (n: number, word: string) => `${thousands(n)} ${word}${n === 1 ? '' : 's'}`;
      output.print(
        `${result.added === 0 ? 'Up to date' : `Indexed ${count(result.added, 'new change')}`} on ${result.branch} ` +
          `(${count(result.total, 'change')} in all, head ${result.head.slice(0, 7)}) · ${count(result.flows, 'flow')} · ${count(result.incidents, 'incident')} · ${count(result.runs, 'verification run')} · ${seconds.toFixed(2)} s`,
      );
    },
    { fresh: options.rebuild },
  );
}
