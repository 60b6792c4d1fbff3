import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireLock } from '../../src/adapters/lock.js';
import { processStart } from '../../src/adapters/process-identity.js';
import { InputError } from '../../src/errors.js';
import { removeTempDirs, tempDir } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A live process that is not verigap: `sleep`, killed after the test. */
function liveStranger(): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

function ownerText(pid: number, start: string | undefined): string {
  return JSON.stringify({ pid, host: hostname(), start, at: Date.now(), nonce: 'test' });
}

async function takeWith(file: string, explainAfterMs = 5_000) {
  const said: string[] = [];
  const release = await acquireLock(file, { explainAfterMs, say: (line) => said.push(line) });
  const held = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; host: string };
  return { said, release, held };
}

describe('acquireLock', () => {
  it('takes a free lock with its owner already written, and releases it', async () => {
    const file = join(tempDir(), 'sync.lock');
    const { said, release, held } = await takeWith(file);
    expect(held).toMatchObject({ pid: process.pid, host: hostname() });
    expect(said).toEqual([]);
    release();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over an empty lock file (its owner died before writing its pid)', async () => {
    const file = join(tempDir(), 'sync.lock');
    writeFileSync(file, '');
    const { said, release, held } = await takeWith(file);
    expect(held.pid).toBe(process.pid);
    expect(said).toEqual([`took over the stale lock ${file} (it is empty: its owner stopped before writing its pid)`]);
    release();
  });

  it('takes over a lock that is an empty directory, and refuses one with files in it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sync.lock'));
    const { said, release } = await takeWith(join(dir, 'sync.lock'));
    expect(said).toEqual([
      `took over the stale lock ${join(dir, 'sync.lock')} (it is an empty directory, which verigap never creates)`,
    ]);
    release();

    mkdirSync(join(dir, 'busy.lock'));
    writeFileSync(join(dir, 'busy.lock', 'keep.txt'), 'mine');
    const refused = acquireLock(join(dir, 'busy.lock'));
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toThrow(
      `${join(dir, 'busy.lock')} is a directory with files in it, not a lock verigap wrote`,
    );
    expect(readFileSync(join(dir, 'busy.lock', 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('takes over the lock of a dead pid, written by this version or an older one (just the pid)', async () => {
    const file = join(tempDir(), 'sync.lock');
    for (const text of [ownerText(deadPid(), '1'), String(deadPid())]) {
      writeFileSync(file, text);
      const pid = Number.parseInt(text.replace(/^\{"pid":/, ''), 10);
      const { said, release } = await takeWith(file);
      expect(said).toEqual([`took over the stale lock ${file} (its owner, pid ${pid}, is gone)`]);
      release();
    }
  });

  it.skipIf(processStart(process.pid) === undefined)(
    'takes over a lock whose pid now belongs to another live process (pid reused)',
    async () => {
      const file = join(tempDir(), 'sync.lock');
      const stranger = liveStranger();
      writeFileSync(file, ownerText(stranger, 'started-at-another-time'));
      const { said, release, held } = await takeWith(file);
      expect(held.pid).toBe(process.pid);
      expect(said).toEqual([`took over the stale lock ${file} (pid ${stranger} is now another process)`]);
      release();
    },
  );

  it('waits for a live owner, says after the threshold what it waits for and how to break it, and proceeds on release', async () => {
    const file = join(tempDir(), 'sync.lock');
    const owner = liveStranger();
    writeFileSync(file, ownerText(owner, processStart(owner)));
    const said: string[] = [];
    let acquired = false;
    const waiting = acquireLock(file, { explainAfterMs: 50, say: (line) => said.push(line) }).then((release) => {
      acquired = true;
      return release;
    });
    await vi.waitFor(() => expect(said).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(acquired).toBe(false);
    expect(said[0]).toMatch(
      new RegExp(
        `^waiting for ${file}, held by pid ${owner}( \\(sleep\\))? since \\S+; if that is not a verigap run, break the lock with: rm ${file}$`,
      ),
    );
    rmSync(file);
    const release = await waiting;
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    expect(said).toHaveLength(1);
    release();
  });

  it('does not remove a lock that is no longer its own on release', async () => {
    const file = join(tempDir(), 'sync.lock');
    const { release } = await takeWith(file);
    writeFileSync(file, ownerText(process.pid, 'someone who took it over'));
    release();
    expect(existsSync(file)).toBe(true);
  });

  it('gives the lock to one process at a time when several find the same stale lock', async () => {
    const dir = tempDir();
    const file = join(dir, 'sync.lock');
    const log = join(dir, 'log');
    writeFileSync(file, '');
    writeFileSync(log, '');
    const lockModule = resolve('dist/adapters/lock.js');
    const script = `
      const { appendFileSync } = await import('node:fs');
      const { acquireLock } = await import(${JSON.stringify(lockModule)});
      for (let i = 0; i < 5; i++) {
        const release = await acquireLock(${JSON.stringify(file)}, { say: () => {} });
        appendFileSync(${JSON.stringify(log)}, 'in ' + process.pid + '\\n');
        await new Promise((r) => setTimeout(r, 5));
        appendFileSync(${JSON.stringify(log)}, 'out ' + process.pid + '\\n');
        release();
      }`;
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<number | null>((done) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
          child.on('close', done);
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(40);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^in /);
      expect(lines[i + 1]).toBe(lines[i]!.replace('in', 'out'));
    }
    expect(existsSync(file)).toBe(false);
  });
});
