import { readText } from '../adapters/fs.js';
import type { Git } from '../adapters/git.js';
import type { GitHub } from '../adapters/github.js';
import { repoFromRemote } from '../core/github-url.js';
import type { Config } from '../config.js';
import { InputError, OutsideError } from '../errors.js';

export interface CommentTarget {
  git: Git;
  github: GitHub;
  config: Config;
  env: NodeJS.ProcessEnv;
  pr: number | undefined;
}

/** The pull request's number: --pr, else the event GitHub Actions describes in GITHUB_EVENT_PATH. */
function prNumber(pr: number | undefined, env: NodeJS.ProcessEnv): number {
  if (pr !== undefined) return pr;
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    let event: { pull_request?: { number?: unknown }; number?: unknown } = {};
    try {
      event = JSON.parse(readText(eventPath)) as typeof event;
    } catch (error) {
      throw new InputError(
        `GITHUB_EVENT_PATH ${eventPath} cannot be read as JSON: ${(error as Error).message}`,
        'pass the pull request as --pr N',
      );
    }
    const number = event.pull_request?.number ?? event.number;
    if (typeof number === 'number' && Number.isInteger(number) && number > 0) return number;
  }
  throw new InputError(
    '--comment needs the pull request: this is not a pull_request event',
    'pass --pr N, or run the check on `pull_request` events',
  );
}

/** Writes the check as the pull request's one sticky comment (created once, updated afterwards). */
export async function commentAffected(
  target: CommentTarget,
  body: string,
  marker: string,
): Promise<{ url: string; created: boolean }> {
  const number = prNumber(target.pr, target.env);
  const origin = (await target.git.run(['remote', 'get-url', 'origin'], { allowFail: true })).trim();
  const repo =
    target.config.github.repo ?? (origin ? repoFromRemote(origin) : undefined) ?? target.env.GITHUB_REPOSITORY;
  if (!repo)
    throw new InputError(
      'cannot tell the GitHub repository to comment on',
      'set github.repo: owner/name in verigap.yaml',
    );
  const token = target.env.GITHUB_TOKEN || target.env.GH_TOKEN;
  if (!token)
    throw new OutsideError(
      'no GITHUB_TOKEN (or GH_TOKEN) is set, so no comment was written',
      'in a workflow: `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` with `permissions: pull-requests: write`',
    );
  return target.github.upsertMarkedComment({ token, apiURL: target.config.github.apiURL, repo }, number, marker, body);
}
