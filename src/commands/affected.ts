import { appendFileSync } from 'node:fs';
import type { CommandContext } from '../context.js';
import { GateError } from '../errors.js';
import { parseOptions } from '../core/options/parse.js';
import { affectedOptions, type AffectedFlags } from '../core/options/commands.js';
import { checkAffected } from '../services/affected.js';

export async function affected(ctx: CommandContext, raw: AffectedFlags): Promise<void> {
  const flags = parseOptions(affectedOptions, raw);
  const { pr } = flags;
  const { output } = ctx;
  const check = await checkAffected({ dir: ctx.repoDir, base: flags.base, head: flags.head, env: ctx.env });
  const { result } = check;
  const { renderAffectedMarkdown, affectedMarker } = await import('../core/render/affected-markdown.js');
  const markdown = renderAffectedMarkdown(result);
  if (ctx.env.GITHUB_STEP_SUMMARY) appendFileSync(ctx.env.GITHUB_STEP_SUMMARY, markdown);
  output.result(result);
  output.print(markdown);
  if (flags.comment) {
    const { commentAffected } = await import('../services/affected-comment.js');
    const { github } = await import('../adapters/github.js');
    const comment = await commentAffected(
      { git: check.git, github, config: check.config, env: ctx.env, pr },
      markdown,
      affectedMarker,
    );
    output.note(`${comment.created ? 'commented on' : 'updated the comment on'} the pull request: ${comment.url}`);
  }
  const failed: string[] = [];
  if (flags.failOn === 'untested-flow') {
    for (const problem of result.problems.filter((p) => p.kind === 'untested-flow'))
      failed.push(`gate untested-flow failed: ${problem.message}`);
  }
  if (flags.requireOwnTest) {
    for (const problem of result.problems) failed.push(`gate require-own-test failed: ${problem.message}`);
  }
  if (failed.length > 0) throw new GateError(failed.join('\n'));
}
