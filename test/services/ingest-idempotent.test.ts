import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';

let repo: TestRepo;
let origin: string;
let deployed: string;

/** A Playwright JSON report of one run: each test is [file, title, status]. */
function report(
  startTime: string,
  durationMs: number,
  tests: [string, string, 'expected' | 'unexpected' | 'flaky' | 'skipped'][],
): string {
  return JSON.stringify({
    config: { rootDir: repo.dir, metadata: {} },
    suites: tests.map(([file, title, status]) => ({
      title: file,
      file,
      specs: [{ title, file, tags: [], tests: [{ status, projectName: 'chromium' }] }],
    })),
    stats: { startTime, duration: durationMs },
  });
}

const week = ['report', '--week', '2026-W47', '--format', 'json'];
const notesTip = () => repo.git('rev-parse', '--verify', '--quiet', 'refs/notes/verigap').trim();
const noteLines = (sha: string) =>
  repo
    .git('notes', '--ref=verigap', 'show', sha)
    .split('\n')
    .filter((line) => line.startsWith('{'));
const runsIndexed = () => repo.verigapJson(['sync']).runs as number;
const trialRuns = () => repo.verigapJson(['review']).flows.find((f: { id: string }) => f.id === 'trial').runs as number;
const ingest = (...args: string[]) => repo.verigap(['verify', 'ingest', ...args]);

beforeAll(() => {
  origin = tempDir();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  repo = TestRepo.create();
  repo.commit(
    'chore: start',
    { 'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n' },
    '2026-11-16T08:00:00Z',
  );
  repo.commit(
    'feat(billing): trial from pricing (#1)',
    { 'src/billing/trial.ts': 'export {}', 'flows/trial/trial.spec.ts': 'spec' },
    '2026-11-17T09:00:00Z',
  );
  deployed = repo.head();
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');
  // ends 12:00, three hours after the feature merged
  repo.write({
    'results.json': report('2026-11-17T11:59:00.000Z', 60_000, [
      ['flows/trial/trial.spec.ts', 'reaches checkout', 'expected'],
    ]),
    'later.json': report('2026-11-17T14:59:00.000Z', 60_000, [
      ['flows/trial/trial.spec.ts', 'reaches checkout', 'unexpected'],
    ]),
    'shard-1.json': report('2026-11-17T15:59:00.000Z', 30_000, [
      ['flows/trial/trial.spec.ts', 'reaches checkout', 'expected'],
    ]),
    'shard-2.json': report('2026-11-17T15:59:00.000Z', 40_000, [
      ['flows/trial/trial.spec.ts', 'shows the price', 'expected'],
    ]),
  });
}, 60_000);

afterAll(removeTempDirs);

describe('verify ingest is idempotent', () => {
  let once: any;

  it('the same report, commit and env ingested twice is one run: same report numbers, no second note line', () => {
    const first = repo.verigapJson(['verify', 'ingest', 'results.json', '--commit', deployed, '--env', 'production']);
    expect(first).toMatchObject({
      env: 'production',
      at: '2026-11-17T12:00:00.000Z',
      commit: deployed,
      already_recorded: false,
      key: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    once = repo.verigapJson(week);
    expect(once.features).toMatchObject({ total: 1, mapped: 1, verified: 1, verified_share: 1 });
    expect(once.merge_to_verification).toMatchObject({ count: 1, p50_hours: 3, p90_hours: 3, max_hours: 3 });
    expect(runsIndexed()).toBe(1);
    const tip = notesTip();

    const second = ingest('results.json', '--commit', deployed, '--env', 'production');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(
      `already recorded: the run of 2026-11-17T12:00:00.000Z on ${deployed.slice(0, 7)} (production); nothing written\n`,
    );
    expect(notesTip()).toBe(tip);
    expect(noteLines(deployed)).toHaveLength(1);
    expect(repo.verigapJson(week)).toEqual(once);
    expect(runsIndexed()).toBe(1);
    expect(trialRuns()).toBe(1);
  });

  it('a different run URL or --commit spelling is still the same run; --json says it was already recorded', () => {
    const again = repo.verigapJson([
      'verify',
      'ingest',
      'results.json',
      '--commit',
      deployed.slice(0, 10),
      '--env',
      'production',
      '--run-url',
      'https://ci.example.com/runs/2',
    ]);
    expect(again).toMatchObject({ already_recorded: true, run_url: null, commit: deployed });
    expect(noteLines(deployed)).toHaveLength(1);
  });

  it('--push still pushes when nothing new was written', () => {
    const result = ingest('results.json', '--commit', deployed, '--env', 'production', '--push');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('nothing written (notes pushed)');
    expect(
      execFileSync('git', ['--git-dir', origin, 'rev-parse', 'refs/notes/verigap'], { encoding: 'utf8' }).trim(),
    ).toBe(notesTip());
  });

  it('racing ingests of the same run record it once', async () => {
    repo.write({
      'race.json': report('2026-11-17T10:59:00.000Z', 60_000, [
        ['flows/trial/trial.spec.ts', 'reaches checkout', 'skipped'],
      ]),
    });
    const results = await Promise.all(
      [1, 2, 3, 4].map(() =>
        repo.verigapAsync(['verify', 'ingest', 'race.json', '--commit', deployed, '--env', 'staging']),
      ),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(results.filter((r) => r.stdout.startsWith('already recorded')).length).toBe(3);
    expect(noteLines(deployed)).toHaveLength(2);
    expect(runsIndexed()).toBe(2);
  });

  it('another env, or another report, is another run; production numbers only move for production runs', () => {
    const staging = repo.verigapJson(['verify', 'ingest', 'results.json', '--commit', deployed, '--env', 'staging']);
    expect(staging.already_recorded).toBe(false);
    expect(runsIndexed()).toBe(3);
    expect(repo.verigapJson(week)).toEqual(once);

    const later = repo.verigapJson(['verify', 'ingest', 'later.json', '--commit', deployed, '--env', 'production']);
    expect(later).toMatchObject({ already_recorded: false, at: '2026-11-17T15:00:00.000Z' });
    expect(runsIndexed()).toBe(4);
    expect(trialRuns()).toBe(4);
    // a later failing run does not undo the earliest verification
    expect(repo.verigapJson(week).merge_to_verification).toEqual(once.merge_to_verification);
    expect(ingest('later.json', '--commit', deployed, '--env', 'production').stdout).toMatch(/^already recorded/);
    expect(runsIndexed()).toBe(4);
  });

  it('shards given in another order are the same run', () => {
    expect(
      repo.verigapJson([
        'verify',
        'ingest',
        'shard-1.json',
        'shard-2.json',
        '--commit',
        deployed,
        '--env',
        'production',
      ]).already_recorded,
    ).toBe(false);
    expect(
      repo.verigapJson([
        'verify',
        'ingest',
        'shard-2.json',
        'shard-1.json',
        '--commit',
        deployed,
        '--env',
        'production',
      ]).already_recorded,
    ).toBe(true);
    expect(runsIndexed()).toBe(5);
  });

  it('a line written before runs had a key still counts, and the same report is not recorded over it', () => {
    const sha = repo.commit('chore: deploy marker', {}, '2026-11-17T16:30:00Z');
    const legacy = JSON.stringify({
      schema: 'verigap.run/v1',
      env: 'production',
      at: '2026-11-17T12:00:00.000Z',
      commit: sha,
      run_url: null,
      tests: 1,
      duration_ms: 60000,
      flows: { trial: { passed: 1, failed: 0, flaky: 0, skipped: 0 } },
      incidents: {},
    });
    repo.git('notes', '--ref=verigap', 'append', '-m', legacy, sha);
    expect(runsIndexed()).toBe(6);
    const result = ingest('results.json', '--commit', sha, '--env', 'production');
    expect(result.stdout).toMatch(/^already recorded/);
    expect(noteLines(sha)).toEqual([legacy]);
  });

  it('one run written on two machines (merged notes, different run URLs) is indexed once', () => {
    const sha = repo.commit('chore: second deploy', {}, '2026-11-17T17:00:00Z');
    const first = repo.verigapJson([
      'verify',
      'ingest',
      'later.json',
      '--commit',
      sha,
      '--env',
      'production',
      '--run-url',
      'https://ci.example.com/a',
    ]);
    const before = trialRuns();
    // the other machine's line: the same run with its own run URL, as `git notes merge -s cat_sort_uniq` leaves it
    const { pushed: _pushed, already_recorded: _recorded, ...note } = first;
    repo.git(
      'notes',
      '--ref=verigap',
      'append',
      '-m',
      JSON.stringify({ ...note, run_url: 'https://ci.example.com/b' }),
      sha,
    );
    expect(noteLines(sha)).toHaveLength(2);
    expect(trialRuns()).toBe(before);
  });
});
