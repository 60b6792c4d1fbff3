import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { startGitHubStandIn, type GitHubStandIn } from '../../src/demo/github-stand-in.js';

afterAll(removeTempDirs);

const flowYaml = (name: string, paths: string[], extra = '') =>
  `name: ${name}\ncriticality: revenue\npaths: [${paths.join(', ')}]\n${extra}`;

/** main with two flows (checkout: code only; signup: a spec in its folder), pushed to a bare origin, and a branch `change`. */
function shop(): TestRepo {
  const origin = tempDir('verigap-origin-');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  const repo = TestRepo.create('main');
  repo.commit('chore: shop', {
    'verigap.yaml': 'branch: main\n',
    'flows/checkout/flow.yaml': flowYaml('Checkout', ['src/checkout/**']),
    'flows/signup/flow.yaml': flowYaml('Signup', ['src/signup/**']),
    'flows/signup/signup.spec.ts': "test('signs up @flow:signup', async () => {});\n",
    'flows/search/flow.yaml': flowYaml('Search', ['src/search/**']),
    'e2e/search.spec.ts': "test('finds a product @flow:search', async () => {});\n",
    'src/checkout/pay.ts': 'export const pay = 1;\n',
    'src/signup/form.ts': 'export const form = 1;\n',
    'src/search/query.ts': 'export const query = 1;\n',
    'README.md': 'shop\n',
  });
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');
  repo.git('fetch', '-q', 'origin');
  repo.git('checkout', '-q', '-b', 'change');
  return repo;
}

interface AffectedJson {
  schema: string;
  base: string;
  head: string;
  changed_files: number;
  flows: {
    id: string;
    name: string;
    criticality: string;
    paths: string[];
    tests: string[];
    own_test_changed: boolean;
    last_verified_at: string | null;
  }[];
  unmapped_files: string[];
  selection: { files: string[]; grep: string };
  verdict: string;
  problems: { kind: string; flow: string; message: string }[];
}

function affectedJson(repo: TestRepo, args: string[] = [], env: Record<string, string> = {}): AffectedJson {
  const run = repo.verigap(['--json', 'affected', ...args], env);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as AffectedJson;
}

describe('verigap affected', () => {
  it('names both flows a branch touches, calls out the one without any E2E test (red), and gates on it', () => {
    const repo = shop();
    repo.commit('feat: pay and sign up faster', {
      'src/checkout/pay.ts': 'export const pay = 2;\n',
      'src/signup/form.ts': 'export const form = 2;\n',
    });
    const run = repo.verigap(['affected']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('<!-- verigap:affected -->');
    expect(lines[1]).toContain('red');
    expect(lines[3]).toBe('critical flow `checkout` has no E2E test at all');
    expect(run.stdout).toContain('`signup` Signup');
    expect(run.stdout).toMatch(/<details>[\s\S]*<\/details>/);

    const result = affectedJson(repo);
    expect(result.flows.map((f) => f.id)).toEqual(['checkout', 'signup']);
    expect(result.verdict).toBe('red');
    expect(result.flows.find((f) => f.id === 'checkout')!.tests).toEqual([]);
    expect(result.selection).toEqual({ files: ['flows/signup/signup.spec.ts'], grep: '@flow:checkout|@flow:signup' });

    const gated = repo.verigap(['affected', '--fail-on', 'untested-flow']);
    expect(gated.code).toBe(1);
    expect(gated.stderr).toContain('gate untested-flow failed: flow checkout');
    expect(repo.verigap(['affected', '--require-own-test']).code).toBe(1);
  });

  it("is green when a flow's code and its own test change together", () => {
    const repo = shop();
    repo.commit('feat: a better form', {
      'src/signup/form.ts': 'export const form = 3;\n',
      'flows/signup/signup.spec.ts': "test('signs up again @flow:signup', async () => {});\n",
    });
    const result = affectedJson(repo, ['--require-own-test']);
    expect(result.verdict).toBe('green');
    expect(result.flows).toMatchObject([
      { id: 'signup', own_test_changed: true, tests: ['flows/signup/signup.spec.ts'] },
    ]);
  });

  it("is yellow when a flow's code changes without its tests, and --require-own-test exits 1", () => {
    const repo = shop();
    repo.commit('feat: a new form', { 'src/signup/form.ts': 'export const form = 4;\n' });
    expect(affectedJson(repo).verdict).toBe('yellow');
    const gated = repo.verigap(['affected', '--require-own-test']);
    expect(gated.code).toBe(1);
    expect(gated.stderr).toContain('gate require-own-test failed: flow signup');
  });

  it("counts a rename out of a flow's paths on its old path", () => {
    const repo = shop();
    repo.commit('refactor: move pay', { 'src/checkout/pay.ts': null, 'lib/pay.ts': 'export const pay = 1;\n' });
    const result = affectedJson(repo);
    expect(result.flows.map((f) => f.id)).toEqual(['checkout']);
    expect(result.unmapped_files).toEqual([]);
  });

  it('counts a deleted spec: the flow is affected, and red once it has no test left', () => {
    const repo = shop();
    repo.commit('test: drop the signup spec', { 'flows/signup/signup.spec.ts': null });
    const result = affectedJson(repo);
    expect(result.flows).toMatchObject([{ id: 'signup', tests: [], own_test_changed: false }]);
    expect(result.verdict).toBe('red');
  });

  it('finds the tests of a flow known only by its tags, and selects them by grep', () => {
    const repo = shop();
    repo.commit('feat: fuzzy search', { 'src/search/query.ts': 'export const query = 2;\n' });
    const result = affectedJson(repo);
    expect(result.flows).toMatchObject([{ id: 'search', tests: ['e2e/search.spec.ts'], own_test_changed: false }]);
    expect(result.selection.grep).toBe('@flow:search');
    expect(result.verdict).toBe('yellow');
  });

  it('is green when nothing critical changes', () => {
    const repo = shop();
    repo.commit('docs: readme', { 'README.md': 'the shop\n' });
    const run = repo.verigap(['affected']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[3]).toBe('no critical flow touched');
    const result = affectedJson(repo);
    expect(result).toMatchObject({
      verdict: 'green',
      flows: [],
      unmapped_files: ['README.md'],
      selection: { files: [], grep: '' },
    });
  });

  it('prints exactly the keys of SPEC §8 under --json, and writes the job summary', () => {
    const repo = shop();
    repo.commit('feat: pay', { 'src/checkout/pay.ts': 'export const pay = 5;\n' });
    const summary = join(tempDir(), 'summary.md');
    writeFileSync(summary, '');
    const result = affectedJson(repo, [], { GITHUB_STEP_SUMMARY: summary });
    expect(Object.keys(result)).toEqual([
      'schema',
      'base',
      'head',
      'changed_files',
      'flows',
      'unmapped_files',
      'selection',
      'verdict',
      'problems',
    ]);
    expect(Object.keys(result.flows[0]!)).toEqual([
      'id',
      'name',
      'criticality',
      'paths',
      'tests',
      'own_test_changed',
      'last_verified_at',
    ]);
    expect(result.schema).toBe('verigap.affected/v1');
    expect(result.base).toBe(repo.head('origin/main'));
    expect(result.head).toBe(repo.head());
    expect(readFileSync(summary, 'utf8')).toContain('<!-- verigap:affected -->');
  });

  it("shows each flow's last production pass once the index knows it, and never creates the index itself", () => {
    const repo = shop();
    repo.commit('feat: pay and sign up', {
      'src/checkout/pay.ts': 'export const pay = 7;\n',
      'src/signup/form.ts': 'export const form = 7;\n',
    });
    expect(affectedJson(repo).flows.map((f) => f.last_verified_at)).toEqual([null, null]);
    expect(existsSync(join(repo.dir, '.verigap', 'index.db'))).toBe(false);

    // a Playwright JSON report of one passing signup run on main, ending 2026-11-17T12:00:00Z
    const spec = 'flows/signup/signup.spec.ts';
    writeFileSync(
      join(repo.dir, 'results.json'),
      JSON.stringify({
        config: { rootDir: repo.dir, metadata: {} },
        suites: [
          {
            title: spec,
            file: spec,
            specs: [
              { title: 'signs up', file: spec, tags: [], tests: [{ status: 'expected', projectName: 'chromium' }] },
            ],
          },
        ],
        stats: { startTime: '2026-11-17T11:59:00.000Z', duration: 60_000 },
      }),
    );
    const ingest = repo.verigap([
      'verify',
      'ingest',
      'results.json',
      '--commit',
      repo.head('main'),
      '--env',
      'production',
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const flows = affectedJson(repo).flows;
    expect(flows.map((f) => [f.id, f.last_verified_at])).toEqual([
      ['checkout', null],
      ['signup', '2026-11-17T12:00:00.000Z'],
    ]);
    expect(repo.verigap(['affected']).stdout).toContain('| 2026-11-17T12:00:00.000Z |');
  });

  it('names the fetch to run in a shallow clone without the merge base', () => {
    const repo = shop();
    repo.commit('feat: one', { 'src/checkout/pay.ts': 'export const pay = 6;\n' });
    repo.git('push', '-q', 'origin', 'change');
    repo.git('checkout', '-q', 'main');
    repo.commit('chore: main moves on', { 'README.md': 'moved\n' });
    repo.git('push', '-q', 'origin', 'main');
    const origin = repo.git('remote', 'get-url', 'origin').trim();
    const clone = new TestRepo(tempDir());
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${origin}`, clone.dir]);
    clone.git('checkout', '-q', 'change');
    const run = clone.verigap(['affected', '--base', 'origin/main']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not in this clone');
    expect(run.stderr).toContain('git fetch --deepen=100 origin main');
    expect(run.stderr).toContain('--unshallow');
    const unfetched = clone.verigap(['affected'], { GITHUB_BASE_REF: 'release' });
    expect(unfetched.code).toBe(2);
    expect(unfetched.stderr).toContain('--base origin/release is not a commit here');
  });

  it('stays under 60 KB for a change of 5,000 files', () => {
    const repo = shop();
    const files: Record<string, string> = {};
    for (let index = 0; index < 5000; index++)
      files[`src/generated/some/long/folder/name/file-${index}.ts`] = `export const n = ${index};\n`;
    files['src/checkout/pay.ts'] = 'export const pay = 7;\n';
    repo.commit('feat: generated', files);
    const run = repo.verigap(['affected']);
    expect(run.code).toBe(0);
    expect(Buffer.byteLength(run.stdout)).toBeLessThan(60_000);
    expect(run.stdout).toContain('red');
    expect(run.stdout).toContain('more (`verigap affected --json` lists them all)');
    expect(run.stdout.trimEnd().endsWith('</details>')).toBe(true);
    expect(affectedJson(repo).unmapped_files).toHaveLength(5000);
  });
});

describe('verigap affected --comment', () => {
  let standIn: GitHubStandIn;
  beforeAll(async () => {
    standIn = await startGitHubStandIn();
    return () => standIn.close();
  });

  it('creates one sticky comment, updates it afterwards, and never shows the token', async () => {
    const repo = shop();
    repo.write({ 'verigap.yaml': `branch: main\ngithub:\n  repo: acme/shop\n  apiURL: ${standIn.url}\n` });
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'chore: github');
    repo.git('push', '-q', 'origin', 'HEAD:main');
    repo.git('fetch', '-q', 'origin');
    repo.commit('feat: pay', { 'src/checkout/pay.ts': 'export const pay = 8;\n' });
    const token = 'ghs_secretTOKEN1234567890';
    const event = join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));

    const first = await repo.verigapAsync(['affected', '--comment'], { GITHUB_TOKEN: token, GITHUB_EVENT_PATH: event });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('commented on the pull request');
    expect(standIn.comments).toHaveLength(1);
    expect(standIn.comments[0]!.issue).toBe(7);
    expect(standIn.comments[0]!.body).toContain('red');

    repo.commit('test: checkout spec', {
      'flows/checkout/pay.spec.ts': "test('pays @flow:checkout', async () => {});\n",
    });
    const second = await repo.verigapAsync(['affected', '--comment', '--pr', '7'], { GH_TOKEN: token });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('updated the comment');
    expect(standIn.comments).toHaveLength(1);
    expect(standIn.comments[0]!.body).toContain('green');
    expect(
      standIn.requests.some(
        (r) => r.method === 'PATCH' && r.url.endsWith(`/issues/comments/${standIn.comments[0]!.id}`),
      ),
    ).toBe(true);
    expect(standIn.requests[0]!.headers.authorization).toContain(token);

    standIn.refuseWith = 401;
    const refused = await repo.verigapAsync(['affected', '--comment', '--pr', '7'], { GITHUB_TOKEN: token });
    standIn.refuseWith = null;
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('the token was refused (401)');
    expect(refused.stderr).toContain('pull-requests: write');
    for (const run of [first, second, refused]) expect(run.stdout + run.stderr).not.toContain(token);
  });
});
