import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { pushBackoffMs, readPushResult } from '../../src/core/push-result.js';

const writers = 10;
let origin: string;
let deployed: string;
const clones: TestRepo[] = [];

/** A one-test Playwright JSON report; each writer's starts at another minute, so each is another run. */
function report(rootDir: string, minute: number): string {
  return JSON.stringify({
    config: { rootDir, metadata: {} },
    suites: [
      {
        title: 'flows/trial/trial.spec.ts',
        file: 'flows/trial/trial.spec.ts',
        specs: [
          {
            title: 'reaches checkout',
            file: 'flows/trial/trial.spec.ts',
            tags: [],
            tests: [{ status: 'expected', projectName: 'chromium' }],
          },
        ],
      },
    ],
    stats: { startTime: `2026-11-17T12:${String(minute).padStart(2, '0')}:00.000Z`, duration: 1_000 },
  });
}

beforeAll(() => {
  origin = tempDir();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  const seed = TestRepo.create();
  seed.commit(
    'chore: start',
    { 'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n' },
    '2026-11-16T08:00:00Z',
  );
  deployed = seed.commit(
    'feat(billing): trial (#1)',
    { 'src/billing/trial.ts': 'export {}', 'flows/trial/trial.spec.ts': 'spec' },
    '2026-11-17T09:00:00Z',
  );
  seed.git('remote', 'add', 'origin', origin);
  seed.git('push', '-q', 'origin', 'main');
  for (let i = 0; i < writers; i++) {
    const dir = join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', origin, dir]);
    const clone = new TestRepo(dir);
    clone.git('config', 'user.email', `ci-${i}@example.com`);
    clone.git('config', 'user.name', `CI ${i}`);
    clone.write({ 'results.json': report(dir, i) });
    clones.push(clone);
  }
}, 120_000);

afterAll(removeTempDirs);

describe('verify ingest --push from several writers at once', () => {
  it(`${writers} clones of one origin ingest and push at the same moment: every one exits 0 and the origin holds all ${writers} runs`, async () => {
    const results = await Promise.all(
      clones.map((clone) =>
        clone.verigapAsync(['verify', 'ingest', 'results.json', '--commit', deployed, '--env', 'production', '--push']),
      ),
    );
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    expect(results.every((result) => result.stdout.includes('(notes pushed)'))).toBe(true);

    const reader = tempDir();
    execFileSync('git', ['init', '-q', '--bare', reader]);
    execFileSync('git', [
      '--git-dir',
      reader,
      'fetch',
      '-q',
      origin,
      'refs/notes/verigap:refs/notes/verigap',
      'main:main',
    ]);
    const lines = execFileSync('git', ['--git-dir', reader, 'notes', '--ref=verigap', 'show', deployed], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(lines).toHaveLength(writers);
    expect(new Set(lines.map((line) => JSON.parse(line).at)).size).toBe(writers);
  }, 180_000);

  it('a writer that pushes again after the race adds nothing twice: the merged notes keep one line per run', async () => {
    const again = await clones[0]!.verigapAsync([
      'verify',
      'ingest',
      'results.json',
      '--commit',
      deployed,
      '--env',
      'production',
      '--push',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^already recorded/);
    const remote = execFileSync('git', ['--git-dir', origin, 'notes', '--ref=verigap', 'show', deployed], {
      encoding: 'utf8',
    });
    expect(remote.split('\n').filter((line) => line.startsWith('{'))).toHaveLength(writers);
  }, 60_000);

  it('a remote that cannot be reached is exit 3 naming it, with the run kept locally', async () => {
    const clone = clones[1]!;
    clone.git('remote', 'set-url', 'origin', join(origin, 'gone'));
    clone.write({ 'other.json': report(clone.dir, 59) });
    const result = await clone.verigapAsync([
      'verify',
      'ingest',
      'other.json',
      '--commit',
      deployed,
      '--env',
      'production',
      '--push',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/could not fetch refs\/notes\/verigap from origin/);
    expect(clone.git('notes', '--ref=verigap', 'show', deployed)).toContain('"at":"2026-11-17T12:59:01.000Z"');
  }, 60_000);
});

describe('reading a push', () => {
  const ref = 'refs/notes/verigap';
  it('tells a landed push, a writer that pushed first, a refusal and no answer apart', () => {
    expect(readPushResult(`To ../o.git\n*\t${ref}:${ref}\t[new reference]\nDone\n`, ref)).toEqual({
      outcome: 'pushed',
    });
    expect(readPushResult(`To ../o.git\n \t${ref}:${ref}\t1a2b..3c4d\nDone\n`, ref)).toEqual({ outcome: 'pushed' });
    expect(readPushResult(`=\t${ref}:${ref}\t[up to date]\n`, ref)).toEqual({ outcome: 'pushed' });
    expect(readPushResult(`!\t${ref}:${ref}\t[rejected] (fetch first)\n`, ref)).toMatchObject({ outcome: 'behind' });
    expect(
      readPushResult(
        `!\t${ref}:${ref}\t[remote rejected] (cannot lock ref '${ref}': is at 1a2b but expected 3c4d)\n`,
        ref,
      ),
    ).toMatchObject({ outcome: 'behind' });
    expect(readPushResult(`!\t${ref}:${ref}\t[remote rejected] (pre-receive hook declined)\n`, ref)).toEqual({
      outcome: 'refused',
      reason: '[remote rejected] (pre-receive hook declined)',
    });
    expect(readPushResult('', ref)).toEqual({ outcome: 'failed' });
  });

  it('backs off exponentially, jittered, and never longer than 2 s', () => {
    expect(pushBackoffMs(1, 0)).toBe(25);
    expect(pushBackoffMs(1, 0.999)).toBeLessThanOrEqual(50);
    expect(pushBackoffMs(4, 0)).toBe(200);
    expect(pushBackoffMs(30, 0.999)).toBeLessThanOrEqual(2_000);
  });
});
