import {
  closeSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatOwner, judgeLock, type LockFacts, type LockOwner } from '../core/lock-owner.js';
import { InputError, type VerigapError } from '../errors.js';
import { diskError } from './disk-errors.js';
import { notice, shellQuoted, shownPath } from './notice.js';
import { bootId, processAlive, processName, processStart } from './process-identity.js';

export interface LockOptions {
  /** How long to wait quietly before saying what is waited for and how to break it. */
  explainAfterMs?: number;
  /** Where the take-over and wait lines go (default: stderr, "verigap: …"). */
  say?: (line: string) => void;
}

/** A lock being broken by another waiter is released within microseconds; one this old was left by a killed process. */
const BREAK_STALE_MS = 10_000;

/**
 * An exclusive lock file naming its owner (pid, host, boot, process start). The owner is written
 * before the file takes the lock's name (link() fails atomically when the name is taken), so a
 * lock is never seen without its owner. A lock whose owner is gone, whose pid now belongs to
 * another process, that is empty, names no one, is an empty directory or is older than any run,
 * is taken over with a line on stderr; a live owner is waited for, and a wait of more than a few
 * seconds says which process holds the lock and the command that breaks it.
 */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<() => void> {
  const { explainAfterMs = 5_000, say = notice } = options;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    boot: bootId(),
    start: processStart(process.pid),
    at: Date.now(),
    nonce: randomBytes(6).toString('hex'),
  };
  const text = formatOwner(owner);
  const started = Date.now();
  let explained = false;
  let delay = 20;
  for (;;) {
    if (tryTake(file, text)) return () => release(file, text);
    const found = inspect(file);
    if (!found) continue;
    const verdict = judgeLock(found.facts);
    if (verdict.state === 'foreign') {
      throw new InputError(
        `${shownPath(file)} ${verdict.why}`,
        `remove it (rm -r ${shellQuoted(shownPath(file))}); verigap uses that name for its lock file`,
      );
    }
    if (verdict.state === 'stale' && breakStale(file, found.stats)) {
      say(`took over the stale lock ${shownPath(file)} (${verdict.why})`);
      continue;
    }
    // a stale lock another waiter is breaking right now: wait for it like for a held one
    if (verdict.state === 'held' && !explained && Date.now() - started >= explainAfterMs) {
      explained = true;
      const { pid } = verdict.owner;
      const host = 'host' in verdict.owner ? verdict.owner.host : owner.host;
      const what = host !== owner.host ? ` on ${host}` : processName(pid) ? ` (${processName(pid)})` : '';
      say(
        `waiting for ${shownPath(file)}, held by pid ${pid}${what} since ${new Date(found.stats.mtimeMs).toISOString()}; ` +
          `if that is not a verigap run, break the lock with: rm ${shellQuoted(shownPath(file))}`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 250);
  }
}

/** Takes the lock if its name is free: the owner's text is complete before the name exists. */
function tryTake(file: string, text: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, text, { flag: 'wx' });
  } catch (error) {
    // created but not written (a full disk): no empty temporary file is left beside the lock
    unlinkQuietly(temp);
    throw unwritable(file, error);
  }
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // a file system without hard links: exclusive create, then write (a microsecond without owner)
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS')
      return createThenWrite(file, text);
    throw unwritable(file, error);
  } finally {
    unlinkSync(temp);
  }
}

function createThenWrite(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw unwritable(file, error);
  }
  writeSync(fd, text);
  closeSync(fd);
  return true;
}

function unwritable(file: string, error: unknown): VerigapError {
  const disk = diskError(error, file);
  if (disk) return disk;
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new InputError(
    `cannot create the lock file ${shownPath(file)} (${code})`,
    `this command writes to ${shownPath(dirname(file))}: run it where you can write, or as the user who owns it`,
  );
}

function release(file: string, text: string): void {
  // a lock taken over from us (we were presumed gone) is someone else's now: leave it
  if (readText(file) === text) unlinkSync(file);
}

function inspect(file: string): { stats: Stats; facts: LockFacts } | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch {
    return undefined;
  }
  const kind = stats.isFile()
    ? 'file'
    : stats.isDirectory()
      ? isEmptyDir(file)
        ? 'empty-directory'
        : 'directory'
      : 'other';
  const facts: LockFacts = {
    kind,
    text: kind === 'file' ? readText(file) : '',
    ageMs: Date.now() - stats.mtimeMs,
    here: { host: hostname(), boot: bootId() },
    probe: (pid) => ({ alive: processAlive(pid), start: processStart(pid) }),
  };
  return { stats, facts };
}

/**
 * Removes the stale lock unless it changed since it was judged. Waiters break locks one at a
 * time (an exclusive `.break` file), so none removes the fresh lock another has just taken.
 */
function breakStale(file: string, judged: Stats): boolean {
  const breaker = `${file}.break`;
  try {
    closeSync(openSync(breaker, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(breaker, error);
    const age = Date.now() - (statMtime(breaker) ?? Date.now());
    if (age > BREAK_STALE_MS) unlinkQuietly(breaker);
    return false;
  }
  try {
    const now = lstatSync(file, { throwIfNoEntry: false });
    if (!now || now.ino !== judged.ino || now.mtimeMs !== judged.mtimeMs) return false;
    if (now.isDirectory()) rmdirSync(file);
    else unlinkSync(file);
    return true;
  } catch (error) {
    // files appeared in the directory meanwhile: judged again, as a directory that is not ours
    if ((error as NodeJS.ErrnoException).code === 'ENOTEMPTY') return false;
    throw error;
  } finally {
    unlinkQuietly(breaker);
  }
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function statMtime(file: string): number | undefined {
  return lstatSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
