import { afterAll, describe, expect, it } from 'vitest';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

/** What Playwright 1.21's JSON reporter writes (seen on a public repository's e2e package): no `stats`, tags without @. */
const olderReport = (rootDir: string) =>
  JSON.stringify({
    config: { rootDir, version: '1.21.1', projects: [{ name: '', testDir: rootDir }] },
    suites: [
      {
        title: 'tests/app.test.ts',
        file: 'tests/app.test.ts',
        specs: [
          {
            title: 'the page loads @production',
            ok: true,
            tags: ['production'],
            file: 'tests/app.test.ts',
            tests: [
              {
                expectedStatus: 'passed',
                projectName: '',
                status: 'expected',
                results: [{ status: 'passed', duration: 5051, retry: 0 }],
              },
            ],
          },
          {
            title: 'searches',
            ok: true,
            tags: [],
            file: 'tests/app.test.ts',
            tests: [{ projectName: '', status: 'flaky', results: [{ duration: 1200 }, { duration: 949 }] }],
          },
        ],
      },
    ],
    errors: [],
  });

describe('verify ingest of a report from an older Playwright (no stats)', () => {
  it('records the run at the time the file was written, as long as its attempts together, and only once', () => {
    const repo = TestRepo.create();
    repo.commit(
      'chore: start',
      { 'flows/home/flow.yaml': 'name: Home page\ncriticality: revenue\npaths: [app/**]\ntests: [e2e/tests/**]\n' },
      '2026-11-16T08:00:00Z',
    );
    const deployed = repo.commit(
      'feat: home (#1)',
      { 'app/home.ts': 'x', 'e2e/tests/app.test.ts': 'spec' },
      '2026-11-17T09:00:00Z',
    );
    repo.write({ 'results.json': olderReport(join(repo.dir, 'e2e')) });
    const written = new Date('2026-11-17T12:00:00.000Z');
    utimesSync(join(repo.dir, 'results.json'), written, written);

    const first = repo.verigapJson(['verify', 'ingest', 'results.json', '--commit', deployed, '--env', 'production']);
    expect(first).toMatchObject({
      at: '2026-11-17T12:00:00.000Z',
      duration_ms: 5051 + 1200 + 949,
      tests: 2,
      already_recorded: false,
    });
    expect(first.flows.home).toEqual({ passed: 1, failed: 0, flaky: 1, skipped: 0 });

    const again = repo.verigapJson(['verify', 'ingest', 'results.json', '--commit', deployed, '--env', 'production']);
    expect(again.already_recorded).toBe(true);
  });
});
