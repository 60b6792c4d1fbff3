/** Who holds a lock file: written into it in the same step that takes the lock. */
export interface LockOwner {
  pid: number;
  host: string;
  /** The kernel's boot id, when the system has one: a pid means nothing across a restart. */
  boot?: string | undefined;
  /** The process's start time as the kernel counts it (/proc/<pid>/stat): a reused pid has another. */
  start?: string | undefined;
  /** When the lock was taken (ms since the epoch), with a nonce this owner recognises on release. */
  at: number;
  nonce: string;
}

/** What a lock file is on disk, and what probing its owner found. */
export interface LockFacts {
  kind: 'file' | 'directory' | 'empty-directory' | 'other';
  /** The file's text ('' for anything that is not a file). */
  text: string;
  ageMs: number;
  here: { host: string; boot?: string | undefined };
  /** Only asked for an owner on this host: is its pid alive, and when did that process start. */
  probe: (pid: number) => { alive: boolean; start?: string | undefined };
}

export type LockVerdict =
  | { state: 'held'; owner: LockOwner | { pid: number } }
  | { state: 'stale'; why: string }
  | { state: 'foreign'; why: string };

/** No verigap run holds a lock this long: an owner that cannot be checked is presumed gone after it. */
export const LOCK_MAX_AGE_MS = 6 * 3_600_000;

export function formatOwner(owner: LockOwner): string {
  return `${JSON.stringify(owner)}\n`;
}

/** The owner written by this version (JSON) or by an older one (just a pid); undefined when neither. */
export function parseOwner(text: string): LockOwner | { pid: number } | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return validPid(Number(trimmed)) ? { pid: Number(trimmed) } : undefined;
  try {
    const value = JSON.parse(trimmed) as Partial<LockOwner>;
    if (
      typeof value.pid === 'number' &&
      validPid(value.pid) &&
      typeof value.host === 'string' &&
      typeof value.at === 'number' &&
      typeof value.nonce === 'string'
    ) {
      return value as LockOwner;
    }
  } catch {
    // not JSON: judged below as a lock that names no owner
  }
  return undefined;
}

function validPid(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 0;
}

/**
 * Whether a lock is still held, stale (safe to take over, and why), or a thing verigap never
 * creates there that only the user should remove. Pure: every fact comes in `facts`.
 */
export function judgeLock(facts: LockFacts): LockVerdict {
  if (facts.kind === 'empty-directory')
    return { state: 'stale', why: 'it is an empty directory, which verigap never creates' };
  if (facts.kind === 'directory')
    return { state: 'foreign', why: 'is a directory with files in it, not a lock verigap wrote' };
  if (facts.kind === 'other') return { state: 'foreign', why: 'is neither a file nor a directory' };
  const owner = parseOwner(facts.text);
  if (!owner)
    return {
      state: 'stale',
      why: facts.text.trim() === '' ? 'it is empty: its owner stopped before writing its pid' : 'it names no owner',
    };
  const old =
    facts.ageMs > LOCK_MAX_AGE_MS
      ? `it is ${Math.round(facts.ageMs / 3_600_000)} h old, older than any run`
      : undefined;
  if ('host' in owner && owner.host !== facts.here.host) {
    return old ? { state: 'stale', why: `${old} (pid ${owner.pid} on ${owner.host})` } : { state: 'held', owner };
  }
  if ('boot' in owner && owner.boot && facts.here.boot && owner.boot !== facts.here.boot) {
    return { state: 'stale', why: `it was taken by pid ${owner.pid} before this machine restarted` };
  }
  const now = facts.probe(owner.pid);
  if (!now.alive) return { state: 'stale', why: `its owner, pid ${owner.pid}, is gone` };
  if ('start' in owner && owner.start && now.start && owner.start !== now.start) {
    return { state: 'stale', why: `pid ${owner.pid} is now another process` };
  }
  // an owner whose start time cannot be compared (an older verigap, no /proc) is trusted until too old
  const unverified = !('start' in owner && owner.start && now.start);
  return unverified && old ? { state: 'stale', why: `${old} (pid ${owner.pid})` } : { state: 'held', owner };
}
