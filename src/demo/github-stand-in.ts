import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface PullRequest {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open';
}

interface IssueComment {
  id: number;
  issue: number;
  body: string;
}

export interface GitHubStandIn {
  url: string;
  requests: RecordedRequest[];
  pulls: PullRequest[];
  comments: IssueComment[];
  /** Answer every request with this status instead (401, 403, 422 …), to test refusals. */
  refuseWith: number | null;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for the GitHub REST endpoints verigap uses (list, create, update pull
 * requests; list, create, update issue comments). The demo opens its PR here when no token is set; tests use it to see what was sent.
 */
export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const standIn: GitHubStandIn = {
    url: '',
    requests: [],
    pulls: [],
    comments: [],
    refuseWith: null,
    close: async () => {},
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => {
      standIn.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const send = (status: number, value: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (standIn.refuseWith) return send(standIn.refuseWith, { message: `refused (${standIn.refuseWith})` });
      const url = new URL(request.url ?? '/', 'http://x');
      if (/^\/repos\/[^/]+\/[^/]+\/issues\//.test(url.pathname))
        return answerComments(standIn, request.method ?? '', url.pathname, body, send);
      const match = /^\/repos\/([^/]+)\/([^/]+)\/pulls(?:\/(\d+))?$/.exec(url.pathname);
      if (!match) return send(404, { message: 'Not Found' });
      const [, owner, repo, number] = match;
      const view = (pr: PullRequest) => ({
        number: pr.number,
        state: pr.state,
        title: pr.title,
        body: pr.body,
        head: { ref: pr.head },
        base: { ref: pr.base },
        html_url: `${standIn.url}/${owner}/${repo}/pull/${pr.number}`,
      });
      if (request.method === 'GET') {
        const head = url.searchParams.get('head')?.split(':').pop();
        return send(200, standIn.pulls.filter((pr) => !head || pr.head === head).map(view));
      }
      const input = JSON.parse(body || '{}') as Partial<PullRequest>;
      if (request.method === 'POST' && !number) {
        if (standIn.pulls.some((pr) => pr.head === input.head))
          return send(422, { message: 'A pull request already exists' });
        const pr: PullRequest = {
          number: standIn.pulls.length + 1,
          head: input.head ?? '',
          base: input.base ?? '',
          title: input.title ?? '',
          body: input.body ?? '',
          state: 'open',
        };
        standIn.pulls.push(pr);
        return send(201, view(pr));
      }
      const pr = standIn.pulls.find((p) => p.number === Number(number));
      if (request.method === 'PATCH' && pr) {
        Object.assign(pr, { title: input.title ?? pr.title, body: input.body ?? pr.body });
        return send(200, view(pr));
      }
      send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () => new Promise((resolve) => server.close(() => resolve()));
  return standIn;
}

/** GET/POST /repos/{o}/{r}/issues/{n}/comments and PATCH /repos/{o}/{r}/issues/comments/{id}. */
function answerComments(
  standIn: GitHubStandIn,
  method: string,
  path: string,
  body: string,
  send: (status: number, value: unknown) => void,
): void {
  const view = (comment: IssueComment) => ({
    id: comment.id,
    body: comment.body,
    html_url: `${standIn.url}/pull/${comment.issue}#issuecomment-${comment.id}`,
  });
  const input = JSON.parse(body || '{}') as { body?: string };
  const onIssue = /\/issues\/(\d+)\/comments$/.exec(path);
  if (onIssue && method === 'GET')
    return send(200, standIn.comments.filter((c) => c.issue === Number(onIssue[1])).map(view));
  if (onIssue && method === 'POST') {
    const comment = { id: 1000 + standIn.comments.length, issue: Number(onIssue[1]), body: input.body ?? '' };
    standIn.comments.push(comment);
    return send(201, view(comment));
  }
  const one = /\/issues\/comments\/(\d+)$/.exec(path);
  const comment = one ? standIn.comments.find((c) => c.id === Number(one[1])) : undefined;
  if (comment && method === 'PATCH') {
    comment.body = input.body ?? comment.body;
    return send(200, view(comment));
  }
  send(404, { message: 'Not Found' });
}
