/**
 * Issue 12: notes are input like any file, and git is an outside party that can be missing, stuck or
 * shallow. Real git in temporary repositories; nothing mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

/** A Playwright JSON report of one passing test of the trial flow, ending at `end`. */
const passingReport = (dir: string, end: string) =>
  JSON.stringify({
    config: { rootDir: dir, metadata: {} },
    suites: [
      {
        title: 'trial.spec.ts',
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
    stats: { startTime: new Date(Date.parse(end) - 60_000).toISOString(), duration: 60_000 },
  });

const validLine = (commit: string, change: Record<string, unknown> = {}) =>
  JSON.stringify({
    schema: 'verigap.run/v1',
    env: 'production',
    at: '2026-11-17T12:00:00.000Z',
    commit,
    run_url: null,
    tests: 1,
    duration_ms: 60_000,
    flows: { trial: { passed: 1, failed: 0, flaky: 0, skipped: 0 } },
    incidents: {},
    ...change,
  });

/** A repository with the trial flow, a feature and one ingested production run on the feature's commit. */
function repoWithOneRun(): { repo: TestRepo; feature: string } {
  const repo = TestRepo.create();
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
  const feature = repo.head();
  repo.write({ 'results.json': passingReport(repo.dir, '2026-11-17T12:00:00.000Z') });
  expect(repo.verigap(['verify', 'ingest', 'results.json', '--commit', feature, '--env', 'production']).code).toBe(0);
  return { repo, feature };
}

const appendNote = (repo: TestRepo, commit: string, line: string) =>
  repo.git('notes', '--ref=verigap', 'append', '-m', line, commit);
const week = ['report', '--week', '2026-W47', '--format', 'json'];

describe('bad note lines are reported and skipped, never a crash', () => {
  it.each([
    ['run_url is an object', (c: string) => validLine(c, { run_url: { href: 'x' } }), /run_url: /],
    ['env is a list', (c: string) => validLine(c, { env: ['production'] }), /env: /],
    [
      'a passed count of 1.5',
      (c: string) => validLine(c, { flows: { trial: { passed: 1.5, failed: 0, flaky: 0, skipped: 0 } } }),
      /flows\.trial\.passed: /,
    ],
    ['a garbage time', (c: string) => validLine(c, { at: 'yesterday-ish' }), /at: an ISO 8601 time/],
    ['not JSON', () => '{"schema": "verigap.run/v1", trailing', /not JSON/],
    [
      'a schema from the future',
      (c: string) => validLine(c, { schema: 'verigap.run/v9' }),
      /schema "verigap\.run\/v9" is not one this verigap reads/,
    ],
    [
      'a flow id that is "__proto__"',
      (c: string) => validLine(c, { flows: JSON.parse('{"__proto__": {"passed": "all"}}') }),
      /holds a key "__proto__", which names no flow or incident/,
    ],
  ])(
    '%s: every syncing command exits 0, names the commit, the line and `git notes … show`, and the good run still counts',
    (name, line, reason) => {
      const { repo, feature } = repoWithOneRun();
      appendNote(repo, feature, line(feature));
      const commands =
        name === 'run_url is an object'
          ? [['flows', 'list'], ['incident', 'list'], ['sync'], ['report', '--week', '2026-W47', '--format', 'md']]
          : [['sync']];
      for (const args of commands) {
        const result = repo.verigap(args);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
        expect(result.stderr).not.toMatch(/unexpected error/);
        // git notes append puts a blank line between the two: the bad line is line 3
        expect(result.stderr).toContain(`the note on ${feature.slice(0, 7)}, line 3, is not a verification run (`);
        expect(result.stderr).toMatch(reason);
        expect(result.stderr).toContain(`git notes --ref verigap show ${feature}`);
      }
      expect(repo.verigapJson(['sync']).runs).toBe(1);
      const report = repo.verigapJson(week);
      expect(report.flows[0].last_verified_at).toBe('2026-11-17T12:00:00.000Z');
      expect(report.skipped_notes).toEqual([{ commit: feature, line: 3, reason: expect.stringMatching(reason) }]);
      const html = repo.verigap(['report', '--week', '2026-W47', '--format', 'html']).stdout;
      expect(html).toMatch(new RegExp(`<footer data-list="skipped-notes">.*note on ${feature.slice(0, 7)}, line 3`));
    },
    120_000,
  );

  it('a notes ref that points at a blob, or at a missing object, is said (exit 0): no run is counted, nothing crashes', () => {
    const { repo } = repoWithOneRun();
    const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, input: 'not a notes tree' })
      .toString()
      .trim();
    repo.git('update-ref', 'refs/notes/verigap', blob);
    let result = repo.verigap(['flows', 'list']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/refs\/notes\/verigap cannot be read \(.*\): no verification run is counted/);
    expect(repo.verigapJson(['sync']).runs).toBe(0);
    writeFileSync(join(repo.dir, '.git/refs/notes/verigap'), `${'0123456789'.repeat(4)}\n`);
    result = repo.verigap(['sync']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/refs\/notes\/verigap cannot be read \(.*0123456789.*\)/);
  });

  it('verify ingest refuses to write a line sync would refuse (a run URL of 2,500 characters), writing nothing', () => {
    const { repo, feature } = repoWithOneRun();
    const before = repo.git('rev-parse', 'refs/notes/verigap');
    repo.write({ 'later.json': passingReport(repo.dir, '2026-11-17T13:00:00.000Z') });
    const result = repo.verigap([
      'verify',
      'ingest',
      'later.json',
      '--commit',
      feature,
      '--env',
      'production',
      '--run-url',
      `https://ci.example/${'x'.repeat(2_500)}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot be recorded: run_url: /);
    expect(repo.git('rev-parse', 'refs/notes/verigap')).toBe(before);
  });
});

describe('an unshallowed clone', () => {
  it('resolves the runs on commits it could not see, on the next incremental sync', () => {
    const { repo, feature } = repoWithOneRun();
    for (let i = 0; i < 5; i++)
      repo.commit(`chore: tidy ${i}`, { [`docs/${i}.md`]: `${i}` }, `2026-11-18T0${i}:00:00Z`);
    const origin = join(tempDir(), 'origin.git');
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, origin]);
    execFileSync('git', ['push', '-q', origin, 'refs/notes/verigap'], { cwd: repo.dir });
    const dir = join(tempDir(), 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '2', `file://${origin}`, dir]);
    const shallow = new TestRepo(dir);
    shallow.git('fetch', '-q', 'origin', 'refs/notes/verigap:refs/notes/verigap');
    const first = shallow.verigap(['--json', 'sync']);
    expect(first.stderr).toMatch(/shallow clone/);
    expect(shallow.verigapJson(week).flows[0].last_verified_at).toBeNull();
    shallow.git('fetch', '-q', '--unshallow');
    const after = shallow.verigapJson(['sync']);
    expect(after.total).toBe(7);
    expect(shallow.verigapJson(week).flows[0].last_verified_at).toBe('2026-11-17T12:00:00.000Z');
    expect(feature).toBeTruthy();
  }, 120_000);
});

describe('git itself: missing, stuck, or writing odd bytes', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.create();
    repo.commit('chore: start', {
      'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/**]\n',
    });
  });

  it('git missing from PATH is an outside failure (exit 3) that says so', () => {
    const empty = tempDir();
    const result = repo.verigap(['flows', 'list'], { PATH: empty });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/git is not installed or not on PATH/);
  });

  it('a git that hangs is stopped at its deadline (exit 3), naming the command', () => {
    const bin = tempDir();
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'git'), '#!/bin/sh\nexec sleep 600\n');
    chmodSync(join(bin, 'git'), 0o755);
    const result = repo.verigap(['flows', 'list'], {
      PATH: `${bin}:${process.env.PATH}`,
      VERIGAP_GIT_TIMEOUT_MS: '1000',
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/git [a-z-]+ .*did not finish within 1 s and was stopped/);
  });

  it('a commit subject or a file name holding the record separator 0x1E (or 0x1F) is indexed as one change', () => {
    const odd = TestRepo.create();
    odd.commit('chore: start', {
      'flows/trial/flow.yaml': 'name: Start free trial\ncriticality: revenue\npaths: [src/**]\n',
    });
    odd.commit('feat: a\x1esplit\x1fsubject', { 'src/a\x1eb\x1fc.ts': 'x' });
    odd.commit('feat: next', { 'src/next.ts': 'y' });
    const synced = odd.verigapJson(['sync']);
    expect(synced.total).toBe(3);
    const report = odd.verigapJson(['report', '--since', '3650d', '--format', 'json']);
    expect(report.features.total).toBe(2);
    expect(report.feature_details.map((d: { subject: string }) => d.subject)).toContain('feat: a\x1esplit\x1fsubject');
    expect(report.flows[0].features).toBe(2);
  });
});
