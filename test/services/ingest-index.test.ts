import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

let repo: TestRepo;
let deployed: string;
let sideCommit: string;

function report(minute: number, status: 'expected' | 'unexpected'): string {
  return JSON.stringify({
    config: { rootDir: repo.dir, metadata: {} },
    suites: [
      {
        title: 'flows/trial/trial.spec.ts',
        file: 'flows/trial/trial.spec.ts',
        specs: [
          {
            title: 'reaches checkout',
            file: 'flows/trial/trial.spec.ts',
            tags: [],
            tests: [{ status, projectName: 'chromium' }],
          },
        ],
      },
    ],
    stats: { startTime: `2026-11-17T12:${String(minute).padStart(2, '0')}:00.000Z`, duration: 1_000 },
  });
}

/** The indexed runs and their keys, straight from .verigap/index.db. */
function indexed() {
  const db = new Database(join(repo.dir, '.verigap', 'index.db'), { readonly: true });
  try {
    const meta = Object.fromEntries(
      (
        db.prepare("SELECT key, value FROM meta WHERE key IN ('runs_key', 'runs_count')").all() as {
          key: string;
          value: string;
        }[]
      ).map((row) => [row.key, row.value]),
    );
    return {
      meta,
      runs: db.prepare('SELECT id, commit_sha, env, at, run_url, reach_seq, data FROM runs ORDER BY id').all(),
      flows: db.prepare('SELECT * FROM run_flows ORDER BY run_id, flow_id').all(),
    };
  } finally {
    db.close();
  }
}

beforeAll(() => {
  repo = TestRepo.create();
  repo.commit(
    'chore: start',
    { 'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n' },
    '2026-11-16T08:00:00Z',
  );
  // a preview deployment of a branch that was never merged: its runs reach the change it forked from
  repo.git('checkout', '-q', '-b', 'preview');
  sideCommit = repo.commit(
    'feat(billing): an experiment',
    { 'src/billing/experiment.ts': 'export {}' },
    '2026-11-16T10:00:00Z',
  );
  repo.git('checkout', '-q', 'main');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit(
    'feat(billing): trial (#1)',
    { 'src/billing/trial.ts': 'export {}', 'flows/trial/trial.spec.ts': 'spec' },
    '2026-11-17T09:00:00Z',
  );
  repo.git('checkout', '-q', 'main');
  repo.git('merge', '-q', '--no-ff', '-m', 'Merge pull request #1 from feature', 'feature');
  deployed = repo.head();
  repo.write({
    'a.json': report(1, 'expected'),
    'b.json': report(2, 'unexpected'),
    'c.json': report(3, 'expected'),
    'd.json': report(4, 'expected'),
  });
}, 60_000);

afterAll(removeTempDirs);

describe('verify ingest indexes the new run alone', () => {
  it('on an index current with the notes, the runs it adds are exactly what a rebuild reads from Git', async () => {
    repo.verigapJson(['sync']);
    for (const [file, commit] of [
      ['a.json', deployed],
      ['b.json', deployed],
      ['c.json', sideCommit],
    ] as const) {
      const result = await repo.verigapAsync([
        'verify',
        'ingest',
        file,
        '--commit',
        commit,
        '--env',
        'production',
        '--run-url',
        `https://ci.example.com/${file}`,
      ]);
      expect(result.code, result.stderr).toBe(0);
    }
    const incremental = indexed();
    expect(incremental.runs).toHaveLength(3);
    // the runs key names the notes tip the last ingest left: a sync finds nothing to re-read
    expect(incremental.meta.runs_key).toContain(`:${repo.head('refs/notes/verigap')}@${deployed}:`);
    expect(incremental.meta.runs_count).toBe('3');
    // the run on the unmerged branch reaches the change it forked from (its merge base), as sync decides
    expect(incremental.runs.find((run: any) => run.commit_sha === sideCommit)).toMatchObject({ reach_seq: 1 });

    repo.verigapJson(['sync', '--rebuild']);
    expect(indexed()).toEqual(incremental);
  });

  it('on an index behind the notes, ingest syncs it as it always did: every run counted, as a rebuild counts them', async () => {
    // a line another tool (or a pull of the notes) wrote behind the index's back
    const written = JSON.stringify({
      schema: 'verigap.run/v1',
      env: 'staging',
      at: '2026-11-17T13:00:00.000Z',
      commit: deployed,
      run_url: null,
      tests: 1,
      duration_ms: 1000,
      flows: { trial: { passed: 1, failed: 0, flaky: 0, skipped: 0 } },
      incidents: {},
    });
    repo.git('notes', '--ref=verigap', 'append', '-m', written, deployed);
    const ingested = await repo.verigapAsync(['verify', 'ingest', 'd.json', '--commit', deployed, '--env', 'staging']);
    expect(ingested.code, ingested.stderr).toBe(0);
    const synced = indexed();
    expect(synced.runs).toHaveLength(5);
    expect(synced.meta.runs_count).toBe('5');
    repo.verigapJson(['sync', '--rebuild']);
    expect(indexed()).toEqual(synced);
  });
});
