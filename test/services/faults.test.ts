import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { generateHistory } from '../../scripts/synthetic-history.mjs';
import { acquireLock } from '../../src/adapters/lock.js';
import { TestRepo, cliPath, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { gitFirstParentHistory, indexedSeq, readIndex, readRuns } from '../helpers/index-reader.js';

// Big enough that a sync writes its first batches (5,000 changes each) well before it ends; the small one keeps the rest fast.
const COMMITS = 12_000;
const SMALL = 200;

interface Template {
  dir: string;
  origin: string;
  history: ReturnType<typeof gitFirstParentHistory>;
}

let big: Template;
let small: Template;
/** tmpfs mounts of the disk-full tests, unmounted at the end. */
const mounted: string[] = [];

/** A synthetic repository, indexed, and a bare clone of it to copy as origin. */
async function makeTemplate(commits: number): Promise<Template> {
  const dir = join(tempDir(), 'repo');
  await generateHistory(dir, { commits });
  const repo = new TestRepo(dir);
  repo.git('config', 'user.email', 'dev@example.com');
  repo.git('config', 'user.name', 'Dev');
  const origin = join(tempDir(), 'origin.git');
  execFileSync('git', ['clone', '-q', '--bare', dir, origin]);
  expect(repo.verigap(['sync']).code).toBe(0);
  return { dir, origin, history: gitFirstParentHistory(dir) };
}

beforeAll(async () => {
  big = await makeTemplate(COMMITS);
  small = await makeTemplate(SMALL);
}, 300_000);

afterAll(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', ['-l', dir]);
  removeTempDirs();
}, 120_000);

/** A copy of a synthetic repository, indexed (or not), with `origin` a copy of its bare clone. */
function freshCopy(
  from: Template,
  { indexed = true } = {},
): { repo: TestRepo; origin: string; history: Template['history'] } {
  const root = tempDir();
  const dir = join(root, 'repo');
  const origin = join(root, 'origin.git');
  cpSync(from.dir, dir, { recursive: true });
  cpSync(from.origin, origin, { recursive: true });
  if (!indexed) rmSync(join(dir, '.verigap'), { recursive: true, force: true });
  const repo = new TestRepo(dir);
  repo.git('remote', 'add', 'origin', origin);
  return { repo, origin, history: from.history };
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as its own process group (a terminal's Ctrl-C, or a CI cancel, reaches git and the hooks it runs too). */
function start(repo: TestRepo, args: string[]) {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: repo.dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1', NO_COLOR: '1', BASE_URL: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exit = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    exit,
    output: () => stderr,
    /** `group`: the CLI and every process it started; else the CLI alone (its git children carry on). */
    kill: (signal: NodeJS.Signals, group: boolean) => process.kill(group ? -child.pid! : child.pid!, signal),
  };
}

async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await sleep(5);
}

/**
 * The run as it ends after a signal: 130 with a line saying it stopped for SIGINT (once it holds a lock or
 * writes; before, SIGINT ends it as it ends any program); SIGKILL gives no chance to say anything.
 */
function expectStopped(result: Finished, signal: NodeJS.Signals, holding = true): void {
  expect(result.stderr).not.toMatch(/unexpected error/);
  if (signal === 'SIGINT' && !holding && result.signal === 'SIGINT') return;
  if (signal === 'SIGINT') {
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/verigap: stopped \(SIGINT\)/);
  } else expect(result.signal).toBe('SIGKILL');
}

/** `sync` succeeds, and what it leaves equals a rebuild from nothing: history and runs. */
function expectIndexEqualsRebuild(repo: TestRepo, history: Template['history']): void {
  const synced = repo.verigap(['sync']);
  expect(synced.code, synced.stderr).toBe(0);
  expect(synced.stderr).not.toMatch(/unexpected error/);
  const incremental = { history: readIndex(repo.dir), runs: readRuns(repo.dir) };
  const rebuilt = repo.verigap(['sync', '--rebuild']);
  expect(rebuilt.code, rebuilt.stderr).toBe(0);
  expect(incremental).toEqual({ history: readIndex(repo.dir), runs: readRuns(repo.dir) });
  expect(incremental.history).toEqual(history);
}

/** A Playwright JSON report of one run of `tests` (flows/<area>/… spec files). */
function report(repo: TestRepo, startTime: string, tests: [string, 'expected' | 'unexpected'][]): string {
  return JSON.stringify({
    config: { rootDir: repo.dir, metadata: {} },
    suites: tests.map(([file, status]) => ({
      title: file,
      file,
      specs: [{ title: `${file} works`, file, tags: [], tests: [{ status, projectName: 'chromium' }] }],
    })),
    stats: { startTime, duration: 60_000 },
  });
}

const noteLines = (gitDir: string[], commit: string) =>
  execFileSync('git', [...gitDir, 'notes', '--ref=verigap', 'show', commit], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.startsWith('{'));

/** The notes ref of a repository (`--git-dir X` or `-C X`) resolves to a commit, lists, and the object store checks out. */
function expectNotesIntact(gitDir: string[]): void {
  execFileSync('git', [...gitDir, 'fsck', '--no-progress', '--no-dangling'], { stdio: 'pipe' });
  if (execFileSync('git', [...gitDir, 'for-each-ref', 'refs/notes/verigap'], { encoding: 'utf8' }).trim() === '')
    return;
  expect(execFileSync('git', [...gitDir, 'cat-file', '-t', 'refs/notes/verigap'], { encoding: 'utf8' }).trim()).toBe(
    'commit',
  );
  execFileSync('git', [...gitDir, 'notes', '--ref', 'verigap', 'list'], { stdio: 'pipe' });
}

/** Runs a hook script once: it touches `<mark>.started`, waits, then `<mark>.done`; later runs pass straight through. */
function oneShotHook(file: string, mark: string, seconds: number, when = 'true'): void {
  writeFileSync(
    file,
    `#!/bin/sh\ninput=$(cat)\n[ -e '${mark}.started' ] && exit 0\nif ${when}; then touch '${mark}.started'; sleep ${seconds}; touch '${mark}.done'; fi\nexit 0\n`,
  );
  chmodSync(file, 0o755);
}

describe('sync stopped part-way', () => {
  it.each([
    ['SIGINT', 'stops at once with exit 130, releases the lock'],
    ['SIGKILL', 'leaves a stale lock that the next run takes over'],
  ] as const)('%s (%s); the next sync completes and equals a rebuild', async (signal, _what) => {
    const { repo, history } = freshCopy(big, { indexed: false });
    const sync = start(repo, ['sync']);
    let seen = 0;
    await until(() => (seen = indexedSeq(repo)) > 0);
    sync.kill(signal, signal === 'SIGKILL');
    const stopped = await sync.exit;
    expect(seen).toBeLessThan(COMMITS);
    expectStopped(stopped, signal);
    expect(existsSync(join(repo.dir, '.verigap', 'sync.lock'))).toBe(signal === 'SIGKILL');
    const next = repo.verigap(['sync']);
    expect(next.code, next.stderr).toBe(0);
    if (signal === 'SIGINT') expect(next.stderr).not.toMatch(/took over/);
    else expect(next.stderr).toMatch(/took over the stale lock \.verigap\/sync\.lock/);
    expectIndexEqualsRebuild(repo, history);
  });
});

describe('verify ingest --push stopped part-way', () => {
  /** Ingests results.json with --push, stops it at `point`, then checks what is left and that the next run completes. */
  async function stopIngest(
    point: 'notes lock' | 'append' | 'push' | 'indexing',
    signal: NodeJS.Signals,
    group: boolean,
  ) {
    // only the indexing after the push needs a history long enough to be stopped in
    const { repo, origin, history } = point === 'indexing' ? freshCopy(big, { indexed: false }) : freshCopy(small);
    const gitDir = execFileSync('git', ['-C', repo.dir, 'rev-parse', '--absolute-git-dir'], {
      encoding: 'utf8',
    }).trim();
    const sha = repo.head('HEAD~10');
    repo.write({
      'results.json': report(repo, '2026-11-17T11:59:00.000Z', [
        ['flows/billing/case-1.spec.ts', 'expected'],
        ['flows/auth/case-2.spec.ts', 'unexpected'],
      ]),
    });
    const mark = join(tempDir(), 'hook');
    if (point === 'append')
      oneShotHook(
        join(gitDir, 'hooks', 'reference-transaction'),
        mark,
        2,
        `[ "$1" = prepared ] && echo "$input" | grep -q refs/notes/verigap`,
      );
    if (point === 'push') oneShotHook(join(origin, 'hooks', 'pre-receive'), mark, 2);
    const held =
      point === 'notes lock' ? await acquireLock(join(gitDir, 'verigap-notes.lock'), { say: () => {} }) : undefined;

    const ingest = start(repo, ['verify', 'ingest', 'results.json', '--commit', sha, '--env', 'production', '--push']);
    if (point === 'notes lock') await until(() => /waiting for .*verigap-notes\.lock/.test(ingest.output()));
    else if (point === 'indexing') await until(() => indexedSeq(repo) > 0);
    else await until(() => existsSync(`${mark}.started`));
    ingest.kill(signal, group);
    const stopped = await ingest.exit;
    held?.();
    expectStopped(stopped, signal, point !== 'notes lock');
    // a git the CLI left running (killed alone) finishes what it was doing first
    if (!group && (point === 'append' || point === 'push')) await until(() => existsSync(`${mark}.done`));
    return { repo, origin, sha, gitDir, history };
  }

  /** The notes ref is whole here and on origin; the next ingest completes; the run is recorded once; the index equals a rebuild. */
  function expectRecoverable({
    repo,
    origin,
    sha,
    history,
  }: {
    repo: TestRepo;
    origin: string;
    sha: string;
    history: Template['history'];
  }): void {
    expectNotesIntact(['-C', repo.dir]);
    expectNotesIntact(['--git-dir', origin]);
    const next = repo.verigap(['verify', 'ingest', 'results.json', '--commit', sha, '--env', 'production', '--push']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/unexpected error/);
    expect(noteLines(['-C', repo.dir], sha)).toHaveLength(1);
    expect(noteLines(['--git-dir', origin], sha)).toHaveLength(1);
    expect(execFileSync('git', ['--git-dir', origin, 'rev-parse', 'refs/notes/verigap'], { encoding: 'utf8' })).toBe(
      repo.git('rev-parse', 'refs/notes/verigap'),
    );
    expectNotesIntact(['-C', repo.dir]);
    expectNotesIntact(['--git-dir', origin]);
    expectIndexEqualsRebuild(repo, history);
    expect(readRuns(repo.dir)).toHaveLength(1);
  }

  it.each([
    ['append', 'SIGINT', true],
    ['append', 'SIGKILL', false],
    ['push', 'SIGINT', true],
    ['push', 'SIGKILL', false],
    ['push', 'SIGKILL', true],
    ['indexing', 'SIGINT', true],
    ['indexing', 'SIGKILL', true],
    ['notes lock', 'SIGINT', true],
  ] as const)('while %s: %s (process group: %s)', async (point, signal, group) => {
    expectRecoverable(await stopIngest(point, signal, group));
  });

  it('SIGKILL of git itself while it holds the notes ref lock: the next run says which lock file is left and how to remove it', async () => {
    const stopped = await stopIngest('append', 'SIGKILL', true);
    const refLock = join(stopped.gitDir, 'refs', 'notes', 'verigap.lock');
    expect(existsSync(refLock)).toBe(true);
    const blocked = stopped.repo.verigap([
      'verify',
      'ingest',
      'results.json',
      '--commit',
      stopped.sha,
      '--env',
      'production',
      '--push',
    ]);
    expect(blocked.code, blocked.stderr).toBe(3);
    expect(blocked.stderr).not.toMatch(/unexpected error/);
    expect(blocked.stderr).toContain('refs/notes/verigap.lock');
    expect(blocked.stderr).toMatch(/remove the file/);
    rmSync(refLock);
    expectRecoverable(stopped);
  });
});

describe('ingests racing into one commit', () => {
  it('different reports at once, several rounds: every line is kept, all exit 0; the same report twice at once is recorded once', async () => {
    const { repo, history } = freshCopy(small);
    const sha = repo.head('HEAD~20');
    const rounds = 4;
    for (let round = 0; round < rounds; round++) {
      const files = ['a', 'b'].map((side, index) => {
        const file = `r${round}${side}.json`;
        repo.write({
          [file]: report(repo, `2026-11-17T1${round}:0${index}:00.000Z`, [
            ['flows/billing/case-1.spec.ts', 'expected'],
          ]),
        });
        return file;
      });
      const results = await Promise.all(
        files.map((file) => repo.verigapAsync(['verify', 'ingest', file, '--commit', sha, '--env', 'production'])),
      );
      for (const result of results) {
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toMatch(/^Recorded a production run/);
      }
      expect(noteLines(['-C', repo.dir], sha)).toHaveLength(2 * (round + 1));
    }
    repo.write({ 'twice.json': report(repo, '2026-11-18T09:00:00.000Z', [['flows/auth/case-3.spec.ts', 'expected']]) });
    const twice = await Promise.all(
      [1, 2].map(() => repo.verigapAsync(['verify', 'ingest', 'twice.json', '--commit', sha, '--env', 'production'])),
    );
    expect(twice.map((result) => result.code)).toEqual([0, 0]);
    expect(twice.filter((result) => result.stdout.startsWith('already recorded')).length).toBe(1);
    expect(noteLines(['-C', repo.dir], sha)).toHaveLength(2 * rounds + 1);
    expectNotesIntact(['-C', repo.dir]);
    expectIndexEqualsRebuild(repo, history);
    expect(readRuns(repo.dir)).toHaveLength(2 * rounds + 1);
  });
});

/** Why a tmpfs cannot be mounted here (not root, no permission), or undefined when it can. */
function cannotMount(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe]);
    return undefined;
  } catch (error) {
    return `mount -t tmpfs failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

const noMount = cannotMount();
if (noMount) console.warn(`disk-full tests skipped: ${noMount}`);

function mountTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounted.push(dir);
}

function resizeTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-o', `remount,size=${size}`, dir]);
}

/** Fills the file system of `dir` with one file, up to its last byte. */
function fill(dir: string): string {
  const file = join(dir, 'filler.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
  return file;
}

function expectDiskFullMessage(result: { code: number | null; stderr: string }, file: RegExp): void {
  expect(result.code, result.stderr).toBe(3);
  expect(result.stderr).not.toMatch(/unexpected error/);
  expect(result.stderr).toMatch(/verigap: the disk is full \((ENOSPC|SQLITE_FULL)\) while writing /);
  expect(result.stderr).toMatch(file);
  expect(result.stderr).toMatch(/hint: free space on the disk that holds .*df -h/);
}

describe.skipIf(noMount !== undefined)('a full disk', () => {
  it('sync into a .verigap that fills up: exit 3 naming the full disk; the index left is sound, and once there is room the next sync equals a rebuild', () => {
    const { repo, history } = freshCopy(big, { indexed: false });
    const store = join(repo.dir, '.verigap');
    mkdirSync(store);
    mountTmpfs(store, '400k');
    const full = repo.verigap(['sync']);
    expectDiskFullMessage(full, /\.verigap/);
    if (existsSync(join(store, 'index.db'))) {
      const db = new Database(join(store, 'index.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    expect(readdirSync(store).filter((name) => name.endsWith('.tmp') || name === 'sync.lock')).toEqual([]);
    resizeTmpfs(store, '64m');
    expectIndexEqualsRebuild(repo, history);
  });

  it('incident new --no-test and flows add on a full disk: exit 3 naming the file, no half-written file; written once there is room', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', {
      'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n',
      'incidents/README.md': 'incidents\n',
    });
    for (const folder of ['incidents', 'flows']) mountTmpfs(join(repo.dir, folder), '64k');
    // the files verigap reads are back in place on the new mounts
    repo.write({ 'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n' });
    const fillers = ['incidents', 'flows'].map((folder) => fill(join(repo.dir, folder)));

    const incident = [
      'incident',
      'new',
      '--no-test',
      '--title',
      'Trial signup never reaches checkout',
      '--flow',
      'trial',
      '--severity',
      'SEV2',
      '--started',
      '2026-11-20T17:00:00Z',
      '--detected',
      '2026-11-20T18:00:00Z',
    ];
    expectDiskFullMessage(repo.verigap(incident), /incidents\//);
    expect(readdirSync(join(repo.dir, 'incidents'))).toEqual(['filler.bin']);
    const flow = ['flows', 'add', 'checkout', '--name', 'Checkout', '--paths', 'src/checkout/**'];
    expectDiskFullMessage(repo.verigap(flow), /flows\//);
    expect(existsSync(join(repo.dir, 'flows', 'checkout', 'flow.yaml'))).toBe(false);
    expect(readdirSync(join(repo.dir, 'flows')).flatMap((entry) => (entry.endsWith('.tmp') ? [entry] : []))).toEqual(
      [],
    );
    expect(repo.verigap(['sync']).code).toBe(0);

    for (const filler of fillers) rmSync(filler);
    const written = repo.verigap(incident);
    expect(written.code, written.stderr).toBe(0);
    expect(repo.verigap(flow).code).toBe(0);
    const listed = repo.verigapJson(['incident', 'list']);
    expect(JSON.stringify(listed)).toContain('2026-11-20-trial-signup-never-reaches-checkout');
    expect(repo.read('flows/checkout/flow.yaml')).toMatch(/^# yaml-language-server: \$schema=\S+\nname: Checkout\n/);
    expect(repo.verigap(['sync']).code).toBe(0);
  });
});
