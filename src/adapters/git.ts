import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutsideError, InputError } from '../errors.js';
import { untilDone } from './cleanup.js';
import { findGitLocation } from './git-dir.js';

/** One first-parent commit as `git log` reports it, with the paths it touched. */
export interface LoggedChange {
  sha: string;
  parents: string[];
  committedAt: number;
  author: string;
  subject: string;
  touched: { status: string; path: string }[];
}

export interface Git {
  readonly dir: string;
  run(args: string[], options?: { input?: string; allowFail?: boolean; env?: Record<string, string> }): Promise<string>;
  /** Like run, with git's "no" read rather than thrown (`push --porcelain` says per ref why); git missing or stuck still throws. */
  attempt(args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }>;
  /** Like run, for output whose byte counts matter (`cat-file --batch`). */
  runBytes(args: string[], input: string): Promise<Buffer>;
  topLevel(): Promise<string>;
  /** The Git directory all worktrees share (absolute); read with the top level when that was asked first. */
  commonDir(): Promise<string>;
  headBranch(): Promise<string | undefined>;
  resolve(ref: string): Promise<string | undefined>;
  firstParentChain(tip: string): Promise<string[]>;
  isShallow(): Promise<boolean>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  streamFirstParentLog(range: string, onChange: (change: LoggedChange) => void): Promise<void>;
}

const gitEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };

const networkCommands = new Set(['fetch', 'push', 'ls-remote', 'clone', 'pull']);

/**
 * How long one git call may run: VERIGAP_GIT_TIMEOUT_MS, else 2 minutes for local commands and 5 for those that
 * reach a remote. The log stream counts the time since git last wrote, so a long history is not cut short.
 */
function deadlineOf(args: readonly string[]): number {
  const configured = Number(process.env.VERIGAP_GIT_TIMEOUT_MS);
  if (Number.isFinite(configured) && configured > 0) return configured;
  return networkCommands.has(args[0] ?? '') ? 300_000 : 120_000;
}

const notInstalled = () =>
  new OutsideError(
    'git is not installed or not on PATH',
    'install git (https://git-scm.com/downloads) and run verigap again',
  );

/** What a failed git call says: not installed, past its deadline, or git's own words. */
function gitFailure(
  args: readonly string[],
  error: Error & { code?: unknown; killed?: boolean | undefined },
  stderr: string,
): OutsideError {
  if (error.code === 'ENOENT') return notInstalled();
  if (error.killed) {
    return new OutsideError(
      `git ${args.slice(0, 3).join(' ')} did not finish within ${Math.round(deadlineOf(args) / 1000)} s and was stopped`,
      'check that git works in this repository (a hook, a lock, a remote that does not answer); VERIGAP_GIT_TIMEOUT_MS allows longer',
    );
  }
  return new OutsideError(`git ${args[0]} failed: ${stderr.trim() || error.message}`);
}

/**
 * Plain `git` through child_process. The hot paths (the log stream, rev-list) need streaming and
 * a fast start, which is why this adapter does not go through simple-git. Every call has a deadline.
 */
export function createGit(dir: string): Git {
  const run: Git['run'] = (args, options = {}) =>
    new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        {
          cwd: dir,
          env: { ...gitEnv, ...options.env },
          maxBuffer: 1 << 30,
          encoding: 'utf8',
          timeout: deadlineOf(args),
        },
        (error, stdout, stderr) => {
          // allowFail is for git's own "no": git missing or stuck is never an answer
          const gitItselfFailed = error && (error.code === 'ENOENT' || error.killed);
          if (error && (!options.allowFail || gitItselfFailed)) reject(gitFailure(args, error, stderr));
          else resolve(error ? '' : stdout);
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
    });

  const attempt: Git['attempt'] = (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        args,
        { cwd: dir, env: gitEnv, maxBuffer: 1 << 30, encoding: 'utf8', timeout: deadlineOf(args) },
        (error, stdout, stderr) => {
          if (error && (error.code === 'ENOENT' || error.killed)) reject(gitFailure(args, error, stderr));
          else resolve({ ok: !error, stdout, stderr });
        },
      );
    });

  const runBytes: Git['runBytes'] = (args, input) =>
    new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        { cwd: dir, env: gitEnv, maxBuffer: 1 << 30, encoding: 'buffer', timeout: deadlineOf(args) },
        (error, stdout, stderr) => {
          if (error) reject(gitFailure(args, error, stderr.toString()));
          else resolve(stdout);
        },
      );
      child.stdin?.end(input);
    });

  let commonDir: Promise<string> | undefined;
  const git: Git = {
    dir,
    run,
    attempt,
    runBytes,
    async topLevel() {
      const found = findGitLocation(dir);
      if (found) {
        commonDir ??= Promise.resolve(found.commonDir);
        return found.top;
      }
      // one call for both: every git process costs a fork and an exec, which a short command feels
      const [top = '', common = ''] = (
        await run(['rev-parse', '--show-toplevel', '--git-common-dir'], { allowFail: true })
      ).split('\n');
      if (!top.trim())
        throw new InputError(
          `${dir} is not inside a Git repository`,
          'run verigap inside a Git working tree, or pass --repo DIR',
        );
      commonDir ??= Promise.resolve(resolvePath(dir, common.trim()));
      return top.trim();
    },
    commonDir: () => (commonDir ??= run(['rev-parse', '--git-common-dir']).then((out) => resolvePath(dir, out.trim()))),
    async headBranch() {
      const remote = (
        await run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { allowFail: true })
      ).trim();
      if (remote) return remote.replace(/^origin\//, '');
      const local = (await run(['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFail: true })).trim();
      return local || undefined;
    },
    async resolve(ref) {
      const out = await run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFail: true });
      return out.trim() || undefined;
    },
    async firstParentChain(tip) {
      const out = await run(['rev-list', '--first-parent', '--reverse', tip]);
      return out.split('\n').filter(Boolean);
    },
    async isShallow() {
      return (await run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    },
    isAncestor: (ancestor, descendant) => exitsZero(dir, ['merge-base', '--is-ancestor', ancestor, descendant]),
    streamFirstParentLog: (range, onChange) => streamLog(dir, range, onChange),
  };
  return git;
}

function exitsZero(dir: string, args: string[]): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: dir, env: gitEnv, stdio: 'ignore', timeout: deadlineOf(args) });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? notInstalled() : gitFailure(args, error, '')),
    );
    child.on('close', (code, signal) =>
      signal
        ? reject(gitFailure(args, Object.assign(new Error('stopped'), { killed: true }), ''))
        : resolve(code === 0),
    );
  });
}

/**
 * Separators of the log's records and fields: a control character and a nonce fresh for each call, so a
 * subject, an author or a file name that holds the character (or anything else) cannot split a record.
 */
const separators = () => {
  const nonce = randomBytes(8).toString('hex');
  return { record: `\x1e${nonce}`, field: `\x1f${nonce}` };
};

/**
 * git maps pack windows of up to 1 GiB and keeps up to 8 GiB of them (64-bit defaults), all counted as its
 * memory: on a 1,000,000-commit history the log grew past 1 GB. Smaller windows and caches bound that part
 * (and measured no slower); what is left grows with the history, as `--reverse` holds every commit first.
 */
const boundedPackMemory = [
  '-c',
  'core.packedGitWindowSize=32m',
  '-c',
  'core.packedGitLimit=128m',
  '-c',
  'core.deltaBaseCacheLimit=32m',
];

/**
 * Streams `git log --first-parent` oldest first, parsing while git still writes. Renames are
 * off, so a move touches both paths and no blob is ever read (partial clones keep working).
 * git writes into a temporary file rather than a pipe: a pipe would stall git whenever a batch
 * of inserts keeps Node busy, and the two would take turns instead of running side by side.
 */
async function streamLog(dir: string, range: string, onChange: (change: LoggedChange) => void): Promise<void> {
  const separator = separators();
  const args = [
    'log',
    '--reverse',
    '--first-parent',
    '--diff-merges=first-parent',
    '--no-renames',
    '--name-status',
    '-z',
    `--format=${separator.record}%H${separator.field}%P${separator.field}%ct${separator.field}%an${separator.field}%s`,
    range,
    '--',
  ];
  const tempDir = await mkdtemp(join(tmpdir(), 'verigap-log-'));
  const file = join(tempDir, 'log');
  const output = await open(file, 'w+');
  let stderr = '';
  const child = spawn('git', [...boundedPackMemory, ...args], {
    cwd: dir,
    env: gitEnv,
    stdio: ['ignore', output.fd, 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (error) => reject(gitFailure(args, error, '')));
    child.on('close', (code) => resolve(code ?? 1));
  });
  let finished = false;
  void exited.then(
    () => (finished = true),
    () => (finished = true),
  );
  // Ctrl-C: git is stopped and its output removed before the process exits
  const stop = () => {
    child.kill();
    rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    await untilDone(stop, async () => {
      const decoder = new StringDecoder('utf8');
      let wroteAt = performance.now();
      const buffer = Buffer.allocUnsafe(1 << 20);
      let position = 0;
      let pending = '';
      for (;;) {
        const wasFinished = finished;
        const { bytesRead } = await output.read(buffer, 0, buffer.length, position);
        if (bytesRead > 0) {
          wroteAt = performance.now();
          position += bytesRead;
          const records = (pending + decoder.write(buffer.subarray(0, bytesRead))).split(separator.record);
          pending = records.pop()!;
          for (const record of records) if (record) onChange(parseRecord(record, separator.field));
        } else if (wasFinished) break;
        else if (performance.now() - wroteAt > deadlineOf(args))
          throw gitFailure(args, Object.assign(new Error('stopped'), { killed: true }), stderr);
        else await sleep(5);
      }
      const code = await exited;
      if (code !== 0) throw new OutsideError(`git log failed: ${stderr.trim()}`);
      pending += decoder.end();
      if (pending) onChange(parseRecord(pending, separator.field));
    });
  } finally {
    if (!finished) child.kill();
    await output.close();
    await rm(tempDir, { recursive: true, force: true });
  }
}

function parseRecord(record: string, field: string): LoggedChange {
  const headerEnd = record.indexOf('\0');
  const header = headerEnd < 0 ? record : record.slice(0, headerEnd);
  const [sha = '', parents = '', committedAt = '0', author = '', subject = ''] = header.split(field);
  const touched: LoggedChange['touched'] = [];
  if (headerEnd >= 0) {
    const fields = record
      .slice(headerEnd + 1)
      .replace(/^\n/, '')
      .split('\0');
    for (let index = 0; index + 1 < fields.length; index += 2) {
      touched.push({ status: fields[index]!.charAt(0), path: fields[index + 1]! });
    }
  }
  return {
    sha,
    parents: parents ? parents.split(' ') : [],
    committedAt: Number(committedAt),
    author,
    subject,
    touched,
  };
}

/**
 * Blobs by name (a sha, or `<rev>:<path>`; no newline in them) in one `git cat-file --batch`, as UTF-8 text:
 * undefined where there is no such blob.
 */
export async function readBlobs(git: Git, names: readonly string[]): Promise<(string | undefined)[]> {
  if (names.length === 0) return [];
  const batch = await git.runBytes(['cat-file', '--batch'], `${names.join('\n')}\n`);
  let offset = 0;
  return names.map(() => {
    const headerEnd = batch.indexOf(10, offset);
    const [, type, size] = batch.subarray(offset, headerEnd).toString('utf8').split(' ');
    offset = headerEnd + 1;
    // "<name> missing" (or a tree, a submodule): no file there
    if (size === undefined) return undefined;
    const text = batch.subarray(offset, offset + Number(size)).toString('utf8');
    offset += Number(size) + 1;
    return type === 'blob' ? text : undefined;
  });
}
