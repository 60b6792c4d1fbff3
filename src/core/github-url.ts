/** owner/name from an origin URL (https, ssh, scp-like), or undefined. */
export function repoFromRemote(url: string): string | undefined {
  const match = /[:/]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/**
 * The repository's web page, where commits and pull requests can be linked: from `github.repo`
 * (on the host of `github.apiURL`) or from an origin on that host; null for any other origin.
 */
export function repositoryWebUrl(
  origin: string | undefined,
  github: { repo: string | undefined; apiURL: string },
): string | null {
  const api = new URL(github.apiURL);
  const host = api.hostname === 'api.github.com' ? 'github.com' : api.host;
  const onHost = origin !== undefined && new RegExp(`(^|[@/])${host.replace(/[.]/g, '\\.')}[:/]`).test(origin);
  const repo = github.repo ?? (onHost ? repoFromRemote(origin) : undefined);
  return repo ? `${api.protocol}//${host}/${repo}` : null;
}
