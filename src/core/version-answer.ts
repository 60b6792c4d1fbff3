/** What a version endpoint answered: the deployed commit, or why it is not one. */
export type VersionAnswer = { ok: true; sha: string } | { ok: false; reason: string };

const commitSha = /^[0-9a-f]{7,64}$/i;
const shown = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

/**
 * Reads the deployed sha from a version endpoint's body: plain text (the sha, whitespace trimmed)
 * or JSON (the dotted `field`, e.g. `build.sha`). JSON is told by its content type or by its first
 * character, since many endpoints answer JSON as text/plain. `where` names the URL in every reason.
 */
export function readVersionAnswer(
  body: string,
  contentType: string | undefined,
  where: string,
  field: string,
): VersionAnswer {
  const text = body.trim();
  const looksJson = /\bjson\b/i.test(contentType ?? '') || text.startsWith('{') || text.startsWith('[');
  if (!looksJson) {
    if (!text) return { ok: false, reason: `${where} answered an empty body, not a commit sha` };
    return commitSha.test(text)
      ? { ok: true, sha: text.toLowerCase() }
      : { ok: false, reason: `${where} answered ${shown(text)}, not a commit sha (7 to 64 hex digits)` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${where} answered JSON that does not parse (${(error as Error).message})` };
  }
  const value = valueAt(json, field);
  if (value === undefined) {
    const keys =
      json !== null && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json).slice(0, 10) : [];
    return {
      ok: false,
      reason: `${where} answered JSON without the field "${field}"${keys.length > 0 ? ` (its fields: ${keys.join(', ')})` : ''}`,
    };
  }
  if (typeof value !== 'string' || !commitSha.test(value.trim())) {
    return {
      ok: false,
      reason: `${where} answered "${field}": ${shown(JSON.stringify(value) ?? String(value))}, not a commit sha (7 to 64 hex digits)`,
    };
  }
  return { ok: true, sha: value.trim().toLowerCase() };
}

/** The value at a dotted path such as `build.sha`; own properties only, so `constructor` finds nothing. */
function valueAt(json: unknown, field: string): unknown {
  let value = json;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A URL as it may be printed: no user or password, and query values hidden (a token may ride there).
 * Undefined when it is not an http(s) URL.
 */
export function shownVersionUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const query = [...url.searchParams.keys()].map((key) => `${key}=…`).join('&');
  return `${url.protocol}//${url.host}${url.pathname}${query ? `?${query}` : ''}`;
}
