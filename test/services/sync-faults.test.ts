import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, openSync, writeSync, closeSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { generateHistory } from '../../scripts/synthetic-history.mjs';
import { TestRepo, cliPath, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { gitFirstParentHistory, indexedSeq, readIndex } from '../helpers/index-reader.js';

afterAll(removeTempDirs);

let template: string;
let expected: ReturnType<typeof gitFirstParentHistory>;

beforeAll(async () => {
  template = join(tempDir(), 'repo');
  await generateHistory(template, { commits: 12_000 });
  expected = gitFirstParentHistory(template);
}, 120_000);

function freshCopy(): TestRepo {
  const dir = join(tempDir(), 'repo');
  cpSync(template, dir, { recursive: true });
  return new TestRepo(dir);
}

function startSync(repo: TestRepo) {
  const child = spawn(process.execPath, [cliPath, 'sync'], {
    cwd: repo.dir,
    env: { ...process.env, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { child, exit };
}

/** The history tables' own indexes (not SQLite's automatic ones), by name. */
function secondaryIndexes(repo: TestRepo): string[] {
  const db = new Database(join(repo.dir, '.verigap', 'index.db'), { readonly: true });
  try {
    return db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('changes', 'change_paths') AND sql IS NOT NULL ORDER BY name",
      )
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

describe('sync under faults', () => {
  it('a sync killed with kill -9 part-way, then run again, equals a clean rebuild', async () => {
    const repo = freshCopy();
    const { child, exit } = startSync(repo);
    let seen = 0;
    while (seen === 0) {
      await sleep(10);
      seen = indexedSeq(repo);
    }
    child.kill('SIGKILL');
    await exit;
    // what the killed sync committed before it died: part of the history, not all of it
    const kept = indexedSeq(repo);
    expect(kept).toBeLessThan(12_000);
    const resumed = repo.verigap(['--json', 'sync']);
    expect(resumed.code, resumed.stderr).toBe(0);
    // it resumes: only the commits the killed sync did not reach are indexed again
    expect(JSON.parse(resumed.stdout)).toMatchObject({ added: 12_000 - kept, total: 12_000 });
    const afterResume = readIndex(repo.dir);
    // a first sync builds these at its end: the resumed one must still build them
    expect(secondaryIndexes(repo)).toEqual(['change_paths_path', 'changes_committed_at']);
    expect(repo.verigap(['sync', '--rebuild']).code).toBe(0);
    expect(afterResume).toEqual(readIndex(repo.dir));
    expect(afterResume).toEqual(expected);
    expect(secondaryIndexes(repo)).toEqual(['change_paths_path', 'changes_committed_at']);
  });

  it('two syncs at once both succeed, without SQLITE_BUSY, and index once', async () => {
    const repo = freshCopy();
    const [first, second] = await Promise.all([startSync(repo).exit, startSync(repo).exit]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(first.stderr + second.stderr).not.toMatch(/SQLITE_BUSY|locked/);
    expect(readIndex(repo.dir)).toEqual(expected);
  });

  it('a store file overwritten with garbage is detected and rebuilt from Git', () => {
    const repo = freshCopy();
    expect(repo.verigap(['sync']).code).toBe(0);
    const file = join(repo.dir, '.verigap', 'index.db');
    for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
    closeSync(fd);
    expect(statSync(file).size).toBeGreaterThan(4096);
    const recovered = repo.verigap(['sync']);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stderr).toMatch(/corrupted; it was deleted and is being rebuilt/);
    expect(readIndex(repo.dir)).toEqual(expected);
  });
});

describe('a store from another schema', () => {
  it('is rebuilt rather than misread', () => {
    const repo = TestRepo.create();
    repo.commit('feat: one', { 'a.ts': 'a' });
    expect(repo.verigap(['sync']).code).toBe(0);
    const db = new Database(join(repo.dir, '.verigap', 'index.db'));
    db.prepare("UPDATE migrations SET checksum = 'from-elsewhere' WHERE id = 1").run();
    db.close();
    const result = repo.verigap(['sync']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/written by another verigap version; it is being rebuilt/);
    expect(readIndex(repo.dir)).toEqual(gitFirstParentHistory(repo.dir));
  });
});
