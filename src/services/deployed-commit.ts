import { fetchVersionEndpoint } from '../adapters/version-endpoint.js';
import { readVersionAnswer, shownVersionUrl } from '../core/version-answer.js';
import { InputError } from '../errors.js';

export interface VersionSource {
  url: string;
  /** Dotted path into a JSON answer (verification.version.field, default commit). */
  field: string;
}

/** The deployed sha a version endpoint publishes, with the URL as it may be printed. */
export async function readDeployedCommit({ url, field }: VersionSource): Promise<{ sha: string; shown: string }> {
  const shown = shownVersionUrl(url);
  if (!shown)
    throw new InputError(
      `--commit-from "${url}" is not an http(s) URL`,
      'pass the version endpoint, e.g. --commit-from https://shop.example.com/version (after the report files, or as --commit-from=URL)',
    );
  if (new URL(url).username || new URL(url).password) {
    throw new InputError(
      `--commit-from ${shown}: the URL holds a user or password, which verigap would print and keep in logs`,
      'serve the version endpoint without credentials, or pass --commit <sha>',
    );
  }
  const answer = await fetchVersionEndpoint(url, { shown });
  const read = readVersionAnswer(answer.body, answer.contentType, shown, field);
  if (!read.ok)
    throw new InputError(
      read.reason,
      'point --commit-from or verification.version.url at the endpoint that answers the deployed sha; set verification.version.field to where the sha is in its JSON',
    );
  return { sha: read.sha, shown };
}
