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

/** Opens or updates (never duplicates) the pull request of a branch, through octokit. */
export async function upsertPullRequest(
  options: { token: string; apiURL: string; repo: string },
  input: PullRequestInput,
): Promise<PullRequestResult> {
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiURL.replace(/\/$/, ''),
    userAgent: 'verigap',
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const [owner, repo] = options.repo.split('/') as [string, string];
  try {
    const open = await octokit.pulls.list({
      owner,
      repo,
      head: `${owner}:${input.head}`,
      base: input.base,
      state: 'open',
      per_page: 1,
    });
    const existing = open.data[0];
    if (existing) {
      await octokit.pulls.update({ owner, repo, pull_number: existing.number, title: input.title, body: input.body });
      return { url: existing.html_url, number: existing.number, created: false };
    }
    const created = await octokit.pulls.create({
      owner,
      repo,
      head: input.head,
      base: input.base,
      title: input.title,
      body: input.body,
    });
    return { url: created.data.html_url, number: created.data.number, created: true };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const reason =
      status === 401
        ? 'the token was refused (401)'
        : status === 403
          ? 'the token may not open pull requests here (403)'
          : status === 422
            ? 'GitHub rejected the pull request (422)'
            : `${(error as Error).message}`;
    throw new OutsideError(`GitHub: ${reason}`);
  }
}

/** Keeps one comment on a pull request: the one whose body holds `marker` is updated, else one is created. */
export async function upsertMarkedComment(
  options: { token: string; apiURL: string; repo: string },
  issue: number,
  marker: string,
  body: string,
): Promise<{ url: string; id: number; created: boolean }> {
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiURL.replace(/\/$/, ''),
    userAgent: 'verigap',
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const [owner, repo] = options.repo.split('/') as [string, string];
  try {
    const comments = await octokit.paginate(octokit.issues.listComments, {
      owner,
      repo,
      issue_number: issue,
      per_page: 100,
    });
    const existing = comments.find((comment) => comment.body?.includes(marker));
    if (existing) {
      const updated = await octokit.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { url: updated.data.html_url, id: existing.id, created: false };
    }
    const created = await octokit.issues.createComment({ owner, repo, issue_number: issue, body });
    return { url: created.data.html_url, id: created.data.id, created: true };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const reason =
      status === 401
        ? 'the token was refused (401)'
        : status === 403
          ? 'the token may not comment on pull requests here (403)'
          : status === 404
            ? `pull request #${issue} of ${options.repo} was not found (404)`
            : (error as Error).message;
    const hint =
      status === 401 || status === 403
        ? 'give the token permission to write pull-request comments (in a workflow: `permissions: pull-requests: write`), or drop --comment; the Markdown is printed and in the job summary either way'
        : undefined;
    throw new OutsideError(`GitHub: ${reason}; no comment was written`, hint);
  }
}

/** GitHub as verigap writes to it: a branch's pull request and a pull request's one sticky comment. */
export interface GitHub {
  upsertPullRequest: typeof upsertPullRequest;
  upsertMarkedComment: typeof upsertMarkedComment;
}

export const github: GitHub = { upsertPullRequest, upsertMarkedComment };
