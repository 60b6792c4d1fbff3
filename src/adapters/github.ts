import { OutsideError } from '../errors.js';

export interface PullRequestInput {
  head: string;
  base: string;
  title: string;
  body: string;
}

export interface PullRequestResult {
  url: string;
  number: number;
  created: boolean;
}

export { repoFromRemote } from '../core/github-url.js';

/** Opens or updates (never duplicates) the pull request of a branch, through octokit. */
export async function upsertPullRequest(options: { token: string; apiURL: string; repo: string }, input: PullRequestInput): Promise<PullRequestResult> {
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({ auth: options.token, baseUrl: options.apiURL.replace(/\/$/, ''), userAgent: 'verigap', log: { debug() {}, info() {}, warn() {}, error() {} } });
  const [owner, repo] = options.repo.split('/') as [string, string];
  try {
    const open = await octokit.pulls.list({ owner, repo, head: `${owner}:${input.head}`, base: input.base, state: 'open', per_page: 1 });
    const existing = open.data[0];
    if (existing) {
      await octokit.pulls.update({ owner, repo, pull_number: existing.number, title: input.title, body: input.body });
      return { url: existing.html_url, number: existing.number, created: false };
    }
    const created = await octokit.pulls.create({ owner, repo, head: input.head, base: input.base, title: input.title, body: input.body });
    return { url: created.data.html_url, number: created.data.number, created: true };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const reason = status === 401 ? 'the token was refused (401)' : status === 403 ? 'the token may not open pull requests here (403)' : status === 422 ? 'GitHub rejected the pull request (422)' : `${(error as Error).message}`;
    throw new OutsideError(`GitHub: ${reason}`);
  }
}
