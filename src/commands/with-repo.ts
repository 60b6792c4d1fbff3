import type { CommandContext } from '../context.js';
import type { ConfigFlags } from '../config.js';
import { openRepo, type Repo } from '../services/repo.js';
import { syncRepo, type SyncOptions, type SyncResult } from '../services/sync.js';
import type { SkippedNote } from '../core/run.js';
import { thousands } from '../core/thousands.js';

/** Opens the repository for one command and always closes the store again. */
export async function withRepo<T>(
  ctx: CommandContext,
  work: (repo: Repo) => Promise<T>,
  options: { flags?: ConfigFlags; fresh?: boolean } = {},
): Promise<T> {
  const repo = await openRepo({ dir: ctx.repoDir, env: ctx.env, ...options });
  try {
    if (repo.recovered === 'corrupted')
      ctx.output.warn('.verigap/index.db was corrupted; it was deleted and is being rebuilt from Git');
    if (repo.recovered === 'other-schema')
      ctx.output.warn('.verigap/index.db was written by another verigap version; it is being rebuilt from Git');
    return await work(repo);
  } finally {
    repo.close();
  }
}

/** Brings the index up to date before a command reads it, saying what is worth knowing. */
export async function syncQuietly(ctx: CommandContext, repo: Repo, options: SyncOptions = {}): Promise<SyncResult> {
  const result = await syncRepo(repo, options);
  if (result.rewritten) {
    ctx.output.warn(
      `the history of ${result.branch} was rewritten (force push?): kept the first ${thousands(result.rewritten.keptUpTo)} changes and re-indexed the rest`,
    );
  }
  if (result.shallow) {
    ctx.output.warn(
      `this is a shallow clone: only ${thousands(result.shallow.visible)} commits of ${result.branch} are visible, so older changes are missing from every metric. ` +
        'Run `git fetch --unshallow` (or `git fetch --deepen=<n>`), then `verigap sync`.',
    );
  }
  for (const line of skippedNoteWarnings(result.skippedNotes)) ctx.output.warn(line);
  for (const { file, field, glob } of result.unmatchedGlobs) {
    ctx.output.warn(
      `${file}: ${field} glob "${glob}" matches no file in the history of ${result.branch}; check the spelling (globs are relative to the repository root)`,
    );
  }
  return result;
}

const shownSkippedNotes = 5;

/** One line per note line that was skipped (the first few), naming the commit, the line and how to see and fix it. */
export function skippedNoteWarnings(skippedNotes: readonly SkippedNote[]): string[] {
  const lines = skippedNotes
    .slice(0, shownSkippedNotes)
    .map(({ commit, line, reason }) =>
      commit === null
        ? `refs/notes/verigap cannot be read (${reason}): no verification run is counted. Replace it with the remote's (git fetch origin +refs/notes/verigap:refs/notes/verigap) or delete it (git update-ref -d refs/notes/verigap)`
        : `the note on ${commit.slice(0, 7)}, line ${line}, is not a verification run (${reason}): skipped from every number. See it with \`git notes --ref verigap show ${commit}\`, fix or remove the line with \`git notes --ref verigap edit ${commit}\``,
    );
  if (skippedNotes.length > shownSkippedNotes)
    lines.push(
      `… and ${skippedNotes.length - shownSkippedNotes} more note line(s) skipped: \`verigap sync --json\` lists them all`,
    );
  return lines;
}
