import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

/**
 * Hand-computed histories for the audit's rules (SPEC §1, §5), on real git: a feature over a
 * tested and an untested flow, a waiver for one of two flows, Cucumber and `*.e2e.ts` files
 * named by `tests:`, a spec added after a window, an index written by the previous rules.
 *
 * 2026-W45 (Mon 2026-11-02):
 *   #1 header     src/checkout + src/profile      checkout: covered (pay.spec.ts) · profile: uncovered (no test) → uncovered
 *   #2 filters    src/search + a .feature file    search: covered (its Cucumber file)                             → covered, own test
 *   #3 ranking    src/search + an .e2e.ts file    search: covered                                                  → covered, own test
 *   #4 avatar     src/profile + src/checkout      profile: waived · checkout: covered                              → covered
 * 2026-W46: flows/profile/avatar.spec.ts added.
 */
let repo: TestRepo;
const sha: Record<string, string> = {};

type Json = any;
const flowRow = (report: Json, id: string) => report.flows.find((flow: Json) => flow.id === id);

beforeAll(() => {
  repo = TestRepo.create();
  repo.commit(
    'chore: flows',
    {
      'flows/checkout/flow.yaml': 'name: Checkout\ncriticality: revenue\npaths: [src/checkout/**]\n',
      'flows/checkout/pay.spec.ts': "import { test } from '@playwright/test';\ntest('pays', async () => {});\n",
      'flows/search/flow.yaml':
        "name: Search\ncriticality: activation\npaths: [src/search/**]\ntests: ['features/search/**/*.feature', 'e2e/**/*.e2e.ts']\n",
      'flows/profile/flow.yaml': 'name: Profile\ncriticality: retention\npaths: [src/profile/**]\n',
    },
    '2026-11-02T08:00:00Z',
  );
  sha.header = repo.commit(
    'feat: shared header (#1)',
    { 'src/checkout/header.ts': 'export {}', 'src/profile/header.ts': 'export {}' },
    '2026-11-02T10:00:00Z',
  );
  sha.filters = repo.commit(
    'feat(search): filters (#2)',
    {
      'src/search/filters.ts': 'export {}',
      'features/search/filters.feature': 'Feature: filters\n  Scenario: narrow\n',
    },
    '2026-11-03T10:00:00Z',
  );
  sha.ranking = repo.commit(
    'feat(search): ranking (#3)',
    { 'src/search/rank.ts': 'export {}', 'e2e/search/rank.e2e.ts': 'export {}' },
    '2026-11-04T10:00:00Z',
  );
  sha.avatar = repo.commit(
    'feat(profile): avatar in the checkout too (#4)',
    { 'src/profile/avatar.ts': 'export {}', 'src/checkout/avatar.ts': 'export {}' },
    '2026-11-05T10:00:00Z',
  );
  repo.commit(
    'test(profile): avatar spec',
    { 'flows/profile/avatar.spec.ts': "import { test } from '@playwright/test';\ntest('avatar', async () => {});\n" },
    '2026-11-10T10:00:00Z',
  );
  repo.commit(
    'chore: waive the avatar for the profile flow',
    {
      'flows/profile/waivers.yaml': `- sha: ${sha.avatar!.slice(0, 12)}\n  reason: the profile page shows the same avatar component, covered by checkout\n`,
    },
    '2026-11-10T11:00:00Z',
  );
}, 60_000);

afterAll(() => removeTempDirs());

describe('the audit judges each flow on its own evidence (SPEC §5)', () => {
  it('a feature over a tested and an untested flow: uncovered as a feature, covered in one row, uncovered in the other', () => {
    const report = repo.verigapJson(['report', '--week', '2026-W45']);
    expect(report.features).toMatchObject({
      total: 4,
      mapped: 4,
      verified: 0,
      covered: 3,
      uncovered: 1,
      waived: 0,
      coverage_share: 0.75,
      with_own_test: 2,
    });
    expect(report.uncovered_features).toEqual([
      {
        sha: sha.header,
        subject: 'feat: shared header (#1)',
        pr: 1,
        flows: ['checkout', 'profile'],
        uncovered_flows: ['profile'],
      },
    ]);
    expect(flowRow(report, 'checkout')).toMatchObject({ tests: 1, features: 2, covered: 2, uncovered: 0, waived: 0 });
    expect(flowRow(report, 'profile')).toMatchObject({ features: 2, covered: 0, uncovered: 1, waived: 1 });
  });

  it("a waiver for one of two flows: that flow's row counts it waived, the feature is judged on the other flow", () => {
    const report = repo.verigapJson(['report', '--week', '2026-W45']);
    const avatar = report.feature_details.find((f: Json) => f.sha === sha.avatar);
    expect(avatar).toMatchObject({
      status: 'covered',
      flows: [
        { id: 'checkout', status: 'covered', tests_at_commit: 1 },
        { id: 'profile', status: 'waived', waiver: { reason: expect.stringContaining('same avatar') } },
      ],
    });
  });

  it("Cucumber .feature and *.e2e.ts files named by `tests:` are the flow's E2E tests, whatever their runner", () => {
    const report = repo.verigapJson(['report', '--week', '2026-W45']);
    expect(flowRow(report, 'search')).toMatchObject({ tests: 2, features: 2, covered: 2, uncovered: 0 });
    expect(repo.verigapJson(['flows', 'show', 'search', '--days', '60']).tests).toEqual([
      'e2e/search/rank.e2e.ts',
      'features/search/filters.feature',
    ]);
  });

  it("`tests` is counted in the tree at the window's end: a spec added the week after is not in the earlier week", () => {
    expect(flowRow(repo.verigapJson(['report', '--week', '2026-W45']), 'profile').tests).toBe(0);
    expect(flowRow(repo.verigapJson(['report', '--week', '2026-W46']), 'profile').tests).toBe(1);
  });

  it('an index written by the previous rules is re-derived on the next sync, without --rebuild', () => {
    const expected = repo.verigapJson(['report', '--week', '2026-W45']);
    const db = new Database(join(repo.dir, '.verigap', 'index.db'));
    try {
      // what the previous version stored: lifetimes of *.spec|test.* files only, paths mapped by its rule
      db.exec(`DELETE FROM file_lifetimes WHERE path_id IN (SELECT id FROM paths WHERE path NOT LIKE '%.spec.ts');
        DELETE FROM path_flows WHERE role = 'test' AND path_id IN (SELECT id FROM paths WHERE path NOT LIKE '%.spec.ts');
        UPDATE meta SET value = '1' WHERE key = 'lifetimes_rule'; UPDATE meta SET value = 'hash-of-the-previous-rule' WHERE key = 'flows_hash';
        INSERT INTO meta (key, value) VALUES ('marker', 'kept');`);
    } finally {
      db.close();
    }
    const sync = repo.verigapJson(['sync']);
    expect(sync.added).toBe(0);
    expect(repo.verigapJson(['report', '--week', '2026-W45']).flows).toEqual(expected.flows);
    const after = new Database(join(repo.dir, '.verigap', 'index.db'), { readonly: true });
    try {
      expect(after.prepare("SELECT value FROM meta WHERE key = 'marker'").pluck().get()).toBe('kept'); // the same store: nothing rebuilt
    } finally {
      after.close();
    }
  });
});
