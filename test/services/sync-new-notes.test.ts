import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { notedBlobs } from '../../src/adapters/notes.js';

afterAll(removeTempDirs);

const NOTES = 'refs/notes/verigap';

/** A run line as `verify ingest` writes it. */
function runLine(
  commit: string,
  minute: number,
  checkout: { passed: number; failed: number },
  key = `run-${commit.slice(0, 7)}-${minute}`,
): string {
  return JSON.stringify({
    schema: 'verigap.run/v1',
    env: 'production',
    at: `2026-11-20T12:${String(minute).padStart(2, '0')}:00.000Z`,
    commit,
    run_url: `https://ci.example/${key}`,
    tests: 1,
    duration_ms: 1_000,
    flows: { checkout: { ...checkout, flaky: 0, skipped: 0 } },
    incidents: {},
    key,
  });
}

/** Everything sync derives from the notes, straight from .verigap/index.db, in a stable order. */
function indexedRuns(repo: TestRepo) {
  const db = new Database(join(repo.dir, '.verigap', 'index.db'), { readonly: true });
  try {
    return {
      runs: db.prepare('SELECT * FROM runs ORDER BY id').all(),
      flows: db.prepare('SELECT * FROM run_flows ORDER BY run_id, flow_id').all(),
      meta: db
        .prepare("SELECT key, value FROM meta WHERE key IN ('runs_key', 'runs_count', 'skipped_notes') ORDER BY key")
        .all(),
    };
  } finally {
    db.close();
  }
}

/** An origin, the machine that records runs and a second clone that only fetches them; both have synced. */
function twoClones() {
  const origin = tempDir();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  const recorder = TestRepo.create();
  recorder.commit(
    'chore: start',
    { 'flows/checkout/flow.yaml': 'name: Check out\ncriticality: revenue\npaths: [src/checkout/**]\nschedule: 15m\n' },
    '2026-11-19T08:00:00Z',
  );
  const first = recorder.commit(
    'feat(checkout): total (#1)',
    { 'src/checkout/total.ts': 'export {}' },
    '2026-11-19T09:00:00Z',
  );
  const second = recorder.commit(
    'feat(checkout): coupons (#2)',
    { 'src/checkout/coupons.ts': 'export {}' },
    '2026-11-19T10:00:00Z',
  );
  recorder.git('remote', 'add', 'origin', origin);
  recorder.git('push', '-q', 'origin', 'main');
  recorder.git('notes', `--ref=${NOTES}`, 'append', '-m', runLine(first, 1, { passed: 1, failed: 0 }), first);
  recorder.git('notes', `--ref=${NOTES}`, 'append', '-m', runLine(first, 2, { passed: 0, failed: 1 }), first);
  recorder.git('notes', `--ref=${NOTES}`, 'append', '-m', 'not a run', first);
  recorder.git('push', '-q', 'origin', NOTES);

  const reader = new TestRepo(tempDir());
  execFileSync('git', ['clone', '-q', origin, reader.dir]);
  const fetchNotes = () => reader.git('fetch', '-q', 'origin', `+${NOTES}:${NOTES}`);
  fetchNotes();
  expect(reader.verigapJson(['sync']).runs).toBe(2);
  return { recorder, reader, first, second, fetchNotes };
}

/** `verify status --json`, but the moment it was asked. */
function statusWithoutNow(repo: TestRepo) {
  const { now: _, ...status } = repo.verigapJson(['verify', 'status']);
  return status;
}

/** The reader's index after `sync`, then the same repository rebuilt from scratch: both, to compare. */
function syncedAndRebuilt(reader: TestRepo) {
  const synced = reader.verigapJson(['sync']);
  const incremental = { ...indexedRuns(reader), status: statusWithoutNow(reader) };
  const rebuilt = reader.verigapJson(['sync', '--rebuild']);
  const full = { ...indexedRuns(reader), status: statusWithoutNow(reader) };
  return { synced, rebuilt, incremental, full };
}

describe('sync after runs arrived from another machine', () => {
  it('indexes a run appended on another clone and fetched, as a rebuild does', () => {
    const { recorder, reader, second, fetchNotes } = twoClones();
    recorder.git('notes', `--ref=${NOTES}`, 'append', '-m', runLine(second, 3, { passed: 1, failed: 0 }), second);
    recorder.git('push', '-q', 'origin', NOTES);
    fetchNotes();
    const { synced, rebuilt, incremental, full } = syncedAndRebuilt(reader);
    expect(synced.runs).toBe(3);
    expect(synced.skippedNotes).toEqual(rebuilt.skippedNotes);
    expect(synced.skippedNotes).toHaveLength(1);
    expect(incremental.flows.map((flow: any) => flow.commit_sha)).toContain(second);
    expect(incremental.status.flows[0]).toMatchObject({ id: 'checkout', last_pass: { commit: second } });
    expect(incremental).toEqual(full);
  });

  it('reflects a note edited and a note deleted on another clone, as a rebuild does', () => {
    const { recorder, reader, first, second, fetchNotes } = twoClones();
    recorder.git('notes', `--ref=${NOTES}`, 'append', '-m', runLine(second, 3, { passed: 1, failed: 0 }), second);
    recorder.git('push', '-q', 'origin', NOTES);
    fetchNotes();
    reader.verigap(['sync']);
    // the first commit's note loses its failing run and its bad line; the second commit's note goes
    recorder.git('notes', `--ref=${NOTES}`, 'add', '-f', '-m', runLine(first, 1, { passed: 1, failed: 0 }), first);
    recorder.git('notes', `--ref=${NOTES}`, 'remove', second);
    recorder.git('push', '-q', 'origin', NOTES);
    fetchNotes();
    const { synced, incremental, full } = syncedAndRebuilt(reader);
    expect(synced).toMatchObject({ runs: 1, skippedNotes: [] });
    expect(incremental.flows).toEqual([expect.objectContaining({ commit_sha: first, passed: 1, failed: 0 })]);
    expect(incremental).toEqual(full);
  });

  it('reads only the notes that changed: the runs of a note that did not change are not read again', () => {
    const { recorder, reader, first, second, fetchNotes } = twoClones();
    // the index loses a run of the first commit behind sync's back; only a full re-read would bring it back
    const db = new Database(join(reader.dir, '.verigap', 'index.db'));
    const lost = db
      .prepare('SELECT run_id FROM run_flows WHERE commit_sha = ? AND failed > 0')
      .pluck()
      .get(first) as string;
    db.prepare('DELETE FROM run_flows WHERE run_id = ?').run(lost);
    db.close();
    recorder.git('notes', `--ref=${NOTES}`, 'append', '-m', runLine(second, 3, { passed: 1, failed: 0 }), second);
    recorder.git('push', '-q', 'origin', NOTES);
    fetchNotes();
    reader.verigap(['sync']);
    expect(indexedRuns(reader).flows.filter((flow: any) => flow.commit_sha === first)).toHaveLength(1);
    reader.verigap(['sync', '--rebuild']);
    expect(indexedRuns(reader).flows.filter((flow: any) => flow.commit_sha === first)).toHaveLength(2);
  });

  it('reads every note again when the notes were rewritten rather than added to', () => {
    const { recorder, reader, first, fetchNotes } = twoClones();
    // a notes history that does not descend from the one the index read: nothing to diff against
    recorder.git('update-ref', '-d', NOTES);
    recorder.git('notes', `--ref=${NOTES}`, 'add', '-m', runLine(first, 5, { passed: 2, failed: 0 }), first);
    recorder.git('push', '-q', '-f', 'origin', NOTES);
    fetchNotes();
    const { synced, incremental, full } = syncedAndRebuilt(reader);
    expect(synced).toMatchObject({ runs: 1, skippedNotes: [] });
    expect(incremental).toEqual(full);
  });
});

describe('notedBlobs', () => {
  it('names each annotated commit a notes diff touches, across fan-out levels', () => {
    const commit = 'ab'.repeat(20);
    const other = 'cd'.repeat(20);
    const diff = [
      `:100644 000000 ${'1'.repeat(40)} ${'0'.repeat(40)} D\t${commit}`,
      `:000000 100644 ${'0'.repeat(40)} ${'2'.repeat(40)} A\tab/${commit.slice(2)}`,
      `:100644 000000 ${'3'.repeat(40)} ${'0'.repeat(40)} D\tcd/${other.slice(2)}`,
      `:100644 100644 ${'4'.repeat(40)} ${'5'.repeat(40)} M\tREADME`,
    ].join('\n');
    expect([...notedBlobs(diff)]).toEqual([
      [commit, '2'.repeat(40)],
      [other, undefined],
    ]);
  });
});
