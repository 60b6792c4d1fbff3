/** What one `git push --porcelain` of a ref did. */
export type PushResult =
  | { outcome: 'pushed' }
  /** Another writer pushed first (or holds the remote ref's lock): fetch, merge and push again. */
  | { outcome: 'behind'; reason: string }
  /** The remote said no for good (a hook, a protected ref, permissions): retrying cannot help. */
  | { outcome: 'refused'; reason: string }
  /** No answer about the ref at all: the remote was not reached. */
  | { outcome: 'failed' };

// a rejection that another writer caused: the ref moved, or was being moved at that very moment
const raced =
  /\(fetch first\)|\(non-fast-forward\)|cannot lock ref|failed to update ref|incorrect old value|is at [0-9a-f]+ but expected|stale info/i;

/**
 * Reads the porcelain lines of a push (`<flag>\t<from>:<to>\t<summary>`): `=`, ` `, `*` and `+` are done,
 * `!` is rejected, with why in the summary. The push's own answer, so no `ls-remote` round trip is needed.
 */
export function readPushResult(porcelain: string, ref: string): PushResult {
  const line = porcelain.split('\n').find((text) => text[1] === '\t' && text.slice(2).startsWith(`${ref}:`));
  if (!line) return { outcome: 'failed' };
  const summary = line.split('\t')[2]?.trim() ?? '';
  if (line[0] !== '!') return { outcome: 'pushed' };
  return raced.test(summary) ? { outcome: 'behind', reason: summary } : { outcome: 'refused', reason: summary };
}

/**
 * How long to wait before the next attempt: exponential from 50 ms, capped at 2 s, jittered between half
 * and all of it (`random` in [0, 1)), so writers that collided do not collide again in step.
 */
export function pushBackoffMs(attempt: number, random: number): number {
  const ceiling = Math.min(2_000, 50 * 2 ** Math.min(attempt - 1, 10));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** git's words with any `user:password@` of a URL in them hidden: a token in a remote URL is never printed. */
export function withoutUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1…@');
}
