import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { testsAt } from '../../src/core/features.js';
import { openRepo } from '../../src/services/repo.js';
import { loadReview, mapChangePaths, waiveFeature, type ReviewData } from '../../src/services/review.js';
import { syncRepo } from '../../src/services/sync.js';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const flowYaml = `# The trial journey: pricing page to checkout.
name: Start free trial
criticality: revenue
paths:
  - src/billing/** # the billing code
start: /pricing
`;

function shop() {
  const repo = TestRepo.create();
  repo.commit('chore: start', { 'flows/trial/flow.yaml': flowYaml, 'src/app.ts': 'app' });
  const uncovered = repo.commit('feat(billing): annual plans (#14)', { 'src/billing/annual.ts': 'x' });
  const unmapped = repo.commit('feat(search): instant search (#15)', {
    'src/search/index.ts': 'x',
    'src/search/[id].ts': 'x',
  });
  return { repo, uncovered, unmapped };
}

async function withOpenRepo<T>(
  dir: string,
  work: (repo: Awaited<ReturnType<typeof openRepo>>) => Promise<T>,
): Promise<T> {
  const repo = await openRepo({ dir, env: {} });
  try {
    await syncRepo(repo);
    return await work(repo);
  } finally {
    repo.close();
  }
}

describe('verigap review without a terminal', () => {
  it('prints the flows, the unmapped changes and the incidents as plain tables, and exits', () => {
    const { repo, unmapped } = shop();
    // the shop's commits are dated from 2026-11-02 on: a window that holds them whatever today is
    const result = repo.verigap(['review', '--days', '3650']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/trial\s+Start free trial\s+revenue\s+1\s+0\s+0\s+1\s+0\s+0\s+0/);
    expect(result.stdout).toContain(`1 feature(s) touch no flow's paths: ${unmapped.slice(0, 7)}`);
    expect(result.stdout).toContain('No incidents recorded.');
    expect(result.stdout).toContain('run `verigap review` in a terminal');
    const json = repo.verigapJson(['review', '--days', '3650']);
    expect(json.flows).toEqual([expect.objectContaining({ id: 'trial', features: 1, uncovered: 1 })]);
    expect(json.unmapped).toEqual([{ sha: unmapped, subject: 'feat(search): instant search (#15)', pr: 15 }]);
  });

  it('with --base, leads with what the branch changes against it: the verdict and the flows it touches (as `affected` says)', () => {
    const { repo } = shop();
    repo.git('checkout', '-q', '-b', 'annual-discount');
    repo.commit('feat(billing): annual discount (#16)', { 'src/billing/discount.ts': 'x', 'docs/discount.md': 'y' });
    const result = repo.verigap(['review', '--base', 'main']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^This branch against main: red: critical flow trial has no E2E test at all/);
    expect(result.stdout).toContain('  trial (Start free trial): 0 E2E test file(s), none changed here');
    expect(result.stdout).toContain('  1 changed file(s) outside every flow');
    expect(repo.verigapJson(['review', '--base', 'main']).affected).toMatchObject({
      verdict: 'red',
      flows: [{ id: 'trial' }],
      unmapped_files: ['docs/discount.md'],
    });
  });

  it('refuses a bad --days with exit 2', () => {
    const { repo } = shop();
    const result = repo.verigap(['review', '--days', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--days must be a whole number of days');
  });
});

describe('review actions write Git-tracked files', () => {
  it("w: a waiver is appended to flows/<id>/waivers.yaml, comments kept, not staged (the index keeps the person's own work), and the feature counts as waived", async () => {
    const { repo, uncovered } = shop();
    repo.commit('chore: waivers', {
      'flows/trial/waivers.yaml': "# decisions of the weekly review\n- sha: '0000000'\n  reason: older decision\n",
    });
    // the person's own partly staged work: one line staged, one not
    repo.write({ 'src/app.ts': 'app\nstaged line\n' });
    repo.git('add', 'src/app.ts');
    repo.write({ 'src/app.ts': 'app\nstaged line\nunstaged line\n' });
    const indexBefore = repo.git('diff', '--cached');
    const file = await withOpenRepo(repo.dir, (r) =>
      waiveFeature(r, {
        flowId: 'trial',
        sha: uncovered,
        reason: 'Copy change only',
        now: Date.parse('2026-11-22T10:00:00Z'),
      }),
    );
    expect(file).toBe('flows/trial/waivers.yaml');
    expect(repo.read(file)).toBe(
      `# decisions of the weekly review\n- sha: '0000000'\n  reason: older decision\n- sha: ${stringify(uncovered.slice(0, 12)).trim()}\n  reason: Copy change only\n  by: dev@example.com\n  at: 2026-11-22T10:00:00.000Z\n`,
    );
    expect(repo.git('diff', '--cached')).toBe(indexBefore);
    expect(repo.git('status', '--porcelain')).toBe(' M flows/trial/waivers.yaml\nMM src/app.ts\n');
    expect(repo.verigapJson(['review', '--days', '3650']).flows[0]).toEqual(
      expect.objectContaining({ uncovered: 0, waived: 1 }),
    );
  });

  it('w and m with review.stage: true in verigap.yaml stage the file they write, and only that file', async () => {
    const { repo, uncovered, unmapped } = shop();
    repo.commit('chore: stage review decisions', { 'verigap.yaml': 'review:\n  stage: true\n' });
    await withOpenRepo(repo.dir, (r) =>
      waiveFeature(r, { flowId: 'trial', sha: uncovered, reason: 'Copy change only', now: 0 }),
    );
    expect(repo.git('diff', '--cached', '--name-only').trim()).toBe('flows/trial/waivers.yaml');
    // a new waivers.yaml names its JSON Schema on its first line, as verigap.yaml and flow.yaml do
    expect(repo.read('flows/trial/waivers.yaml')).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/\.\.\/node_modules\/verigap\/dist\/schemas\/waivers\.schema\.json\n- sha: /,
    );
    await withOpenRepo(repo.dir, (r) => mapChangePaths(r, { flowId: 'trial', sha: unmapped }));
    expect(repo.git('diff', '--cached', '--name-only').trim().split('\n')).toEqual([
      'flows/trial/flow.yaml',
      'flows/trial/waivers.yaml',
    ]);
  });

  it('review.stage must be true or false: anything else is refused at its line', () => {
    const { repo } = shop();
    repo.commit('chore: config', { 'verigap.yaml': 'review:\n  stage: yes please\n' });
    const result = repo.verigap(['review']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/verigap\.yaml:2: review\.stage: review\.stage is true or false/);
  });

  it('w: an empty reason or a waivers.yaml that is not a list is refused and nothing is written', async () => {
    const { repo, uncovered } = shop();
    await expect(
      withOpenRepo(repo.dir, (r) => waiveFeature(r, { flowId: 'trial', sha: uncovered, reason: '  ', now: 0 })),
    ).rejects.toThrow('a waiver needs a reason');
    // the file turns into a map while review is open (edited by hand): the waiver's own check refuses it
    await expect(
      withOpenRepo(repo.dir, (r) => {
        repo.write({ 'flows/trial/waivers.yaml': 'sha: 1234567\n' });
        return waiveFeature(r, { flowId: 'trial', sha: uncovered, reason: 'ok', now: 0 });
      }),
    ).rejects.toThrow('flows/trial/waivers.yaml: expected a list of { sha, reason, by, at }');
    expect(repo.read('flows/trial/waivers.yaml')).toBe('sha: 1234567\n');
    // and a repository that already holds such a file is refused as it opens
    await expect(
      withOpenRepo(repo.dir, (r) => waiveFeature(r, { flowId: 'trial', sha: uncovered, reason: 'ok', now: 0 })),
    ).rejects.toThrow('flows/trial/waivers.yaml:1: waivers.yaml is a list of { sha, reason, by, at }');
    expect(repo.read('flows/trial/waivers.yaml')).toBe('sha: 1234567\n');
  });

  it('w for one flow of a change that touches two: that flow counts it waived, the other keeps its own status, the change is judged on the other', async () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', {
      'flows/trial/flow.yaml': flowYaml,
      'flows/trial/signup.spec.ts': 'spec',
      'flows/checkout/flow.yaml': 'name: Check out\ncriticality: revenue\npaths: [src/cart/**]\n',
    });
    const both = repo.commit('feat(cart): one cart for trial and checkout (#16)', {
      'src/billing/plan.ts': 'x',
      'src/cart/cart.ts': 'x',
    });
    repo.commit('test: trial redirect (#17)', { 'flows/trial/redirect.spec.ts': 'spec' });
    const review = () => withOpenRepo(repo.dir, (r) => loadReview(r, 0, Date.now() + 60_000));
    const counts = (data: ReviewData) => Object.fromEntries(data.flows.map((f) => [f.flow.id, f.counts]));
    const feature = (data: ReviewData) =>
      data.flows.find((f) => f.flow.id === 'trial')!.features.find((v) => v.change.sha === both)!;

    const before = await review();
    expect(counts(before)).toEqual({
      trial: { verified: 0, covered: 1, uncovered: 0, waived: 0 },
      checkout: { verified: 0, covered: 0, uncovered: 1, waived: 0 },
    });
    expect(feature(before).status).toBe('uncovered');
    // what the feature's screen lists: the tests at its commit, not the one added after
    expect(testsAt(before.specs, 'trial', feature(before).change.seq)).toEqual(['flows/trial/signup.spec.ts']);

    await withOpenRepo(repo.dir, (r) =>
      waiveFeature(r, {
        flowId: 'checkout',
        sha: both,
        reason: 'Cart copy only',
        now: Date.parse('2026-11-22T10:00:00Z'),
      }),
    );
    const after = await review();
    expect(counts(after)).toEqual({
      trial: { verified: 0, covered: 1, uncovered: 0, waived: 0 },
      checkout: { verified: 0, covered: 0, uncovered: 0, waived: 1 },
    });
    expect(feature(after).status).toBe('covered');
    expect(
      feature(after)
        .flows.map((f) => [f.flowId, f.status, f.waiver?.reason ?? null])
        .sort(),
    ).toEqual([
      ['checkout', 'waived', 'Cart copy only'],
      ['trial', 'covered', null],
    ]);
    expect(after.waivers).toEqual([
      expect.objectContaining({
        flowId: 'checkout',
        sha: both.slice(0, 12),
        reason: 'Cart copy only',
        by: 'dev@example.com',
      }),
    ]);
  });

  it('m: the paths of an unmapped change are appended to flow.yaml as literal globs, comments kept, not staged, and the change is mapped', async () => {
    const { repo, unmapped } = shop();
    const mapped = await withOpenRepo(repo.dir, (r) => mapChangePaths(r, { flowId: 'trial', sha: unmapped }));
    expect(mapped).toEqual({ file: 'flows/trial/flow.yaml', added: ['src/search/\\[id\\].ts', 'src/search/index.ts'] });
    expect(repo.read('flows/trial/flow.yaml')).toBe(`# The trial journey: pricing page to checkout.
name: Start free trial
criticality: revenue
paths:
  - src/billing/** # the billing code
  - src/search/\\[id\\].ts
  - src/search/index.ts
start: /pricing
`);
    expect(repo.git('diff', '--cached', '--name-only').trim()).toBe('');
    expect(repo.git('status', '--porcelain')).toBe(' M flows/trial/flow.yaml\n');
    const after = repo.verigapJson(['review', '--days', '3650']);
    expect(after.unmapped).toEqual([]);
    expect(after.flows[0]).toEqual(expect.objectContaining({ features: 2 }));
    const again = await withOpenRepo(repo.dir, (r) => mapChangePaths(r, { flowId: 'trial', sha: unmapped }));
    expect(again.added).toEqual([]);
  });
});

describe('verigap incident new without a terminal', () => {
  it('asks for flags instead of opening the form', () => {
    const { repo } = shop();
    const result = repo.verigap(['incident', 'new']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--title is required');
    expect(result.stderr).toContain('the form opens only on a terminal');
  });
});
