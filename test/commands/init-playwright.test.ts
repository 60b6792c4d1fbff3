import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';
import { addDevDependency, planFlowsProject } from '../../src/core/playwright-config-edit.js';

afterAll(removeTempDirs);

const ourModules = resolve(import.meta.dirname, '../../node_modules');
const ourPlaywright = (
  JSON.parse(readFileSync(join(ourModules, '@playwright/test/package.json'), 'utf8')) as { version: string }
).version;

/** The shape `npm init playwright` writes, with a setup project that signs in. */
const teamConfig = `import { defineConfig, devices } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  use: {
    baseURL: 'http://localhost:3000',
    trace: 'on-first-retry',
  },
  projects: [
    { name: 'setup', testMatch: /.*\\.setup\\.ts/ },
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        storageState: 'playwright/.auth/user.json',
      },
      dependencies: ['setup'],
    },
    // {
    //   name: 'webkit',
    //   use: { ...devices['Desktop Safari'] },
    // },
  ],
});
`;

const flowsProject = `    {
      name: 'flows',
      testDir: './flows',
      use: {
        ...devices['Desktop Chrome'],
        storageState: 'playwright/.auth/user.json',
      },
      dependencies: ['setup'],
    },
`;

function repoWith(files: Record<string, string>): TestRepo {
  const repo = TestRepo.create();
  repo.commit('chore: start', files);
  return repo;
}

function listTests(repo: TestRepo, project: string): string {
  const result = spawnSync(
    process.execPath,
    [join(ourModules, '@playwright/test/cli.js'), 'test', '--list', '--project', project],
    { cwd: repo.dir, encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('init with a Playwright config', () => {
  it("adds a flows project with the main project's use and setup dependency, once, and the team's Playwright lists the regression tests", () => {
    const repo = repoWith({
      'playwright.config.ts': teamConfig,
      'tests/auth.setup.ts': `import { test as setup } from '@playwright/test';\nsetup('sign in', async () => {});\n`,
      'flows/trial/x.spec.ts': `import { test, expect } from '@playwright/test';\ntest('trial reaches checkout @flow:trial', async () => {\n  expect(1).toBe(1);\n});\n`,
    });
    const first = repo.verigap(['init']);
    expect(first.code, first.stderr).toBe(0);
    const edited = repo.read('playwright.config.ts');
    expect(edited).toBe(teamConfig.replace('    // {\n', `${flowsProject}    // {\n`));
    expect(first.stdout).toContain(
      'updated playwright.config.ts: added the "flows" project (testDir ./flows, with the use and dependencies of "chromium")',
    );

    const second = repo.verigapJson(['init']);
    expect(repo.read('playwright.config.ts')).toBe(edited);
    expect(second.written).toEqual([]);
    expect(second.playwright).toEqual({
      config: 'playwright.config.ts',
      action: 'kept',
      reason: 'it already has a "flows" project',
    });

    symlinkSync(ourModules, join(repo.dir, 'node_modules'));
    const listed = listTests(repo, 'flows');
    // paths are listed relative to the config's top-level testDir (./tests), hence ../flows/
    expect(listed).toMatch(
      /\[flows\] › \.\.[/\\]flows[/\\]trial[/\\]x\.spec\.ts:\d+:\d+ › trial reaches checkout @flow:trial/,
    );
    expect(listed).toContain('[setup] › auth.setup.ts');
  });

  it('gives a config without projects a "default" project that keeps its run, and the flows project', () => {
    const config = `import { defineConfig } from '@playwright/test';\n\nexport default defineConfig({\n  testDir: './e2e',\n  use: { baseURL: process.env.BASE_URL },\n});\n`;
    const repo = repoWith({ 'playwright.config.ts': config });
    const result = repo.verigapJson(['init']);
    expect(repo.read('playwright.config.ts')).toBe(
      config.replace(
        '\n});',
        `\n  projects: [\n    { name: 'default' },\n    { name: 'flows', testDir: './flows' },\n  ],\n});`,
      ),
    );
    expect(result.playwright).toMatchObject({ config: 'playwright.config.ts', action: 'added' });
    expect(result.written).toContain('playwright.config.ts');
    expect(repo.verigapJson(['init']).playwright).toMatchObject({ action: 'kept' });
  });

  it("leaves a config whose testDir '.' already runs flows/ as it is, and says so", () => {
    const config = `module.exports = {\n  testDir: '.',\n  use: { baseURL: 'http://localhost:3000' },\n};\n`;
    const repo = repoWith({ 'playwright.config.js': config, '.gitignore': 'node_modules/' });
    const result = repo.verigap(['init']);
    expect(result.code, result.stderr).toBe(0);
    expect(repo.read('playwright.config.js')).toBe(config);
    expect(result.stdout).toContain("kept  playwright.config.js (its testDir '.' already runs flows/)");
    expect(result.stdout).toContain('appended .verigap/ to .gitignore');
    expect(result.stdout).not.toContain('wrote .gitignore');
  });

  it('leaves projects built by a function alone and prints the project to paste, and where', () => {
    const config = `import { defineConfig } from '@playwright/test';\nimport { projectsFor } from './e2e/projects';\n\nexport default defineConfig({\n  testDir: './e2e',\n  projects: projectsFor(['chromium', 'firefox']),\n});\n`;
    const repo = repoWith({ 'playwright.config.ts': config });
    const result = repo.verigap(['init']);
    expect(result.code, result.stderr).toBe(0);
    expect(repo.read('playwright.config.ts')).toBe(config);
    expect(result.stdout).toContain(
      "kept  playwright.config.ts (its projects are built by code (`projects: projectsFor(['chromium', 'firefox'])`)): add this project to the projects list at line 6 of playwright.config.ts",
    );
    expect(result.stdout).toContain("  {\n    name: 'flows',\n    testDir: './flows',\n");
    expect(repo.verigapJson(['init']).playwright).toMatchObject({
      action: 'manual',
      where: 'the projects list at line 6 of playwright.config.ts',
    });
  });
});

describe('init --playwright', () => {
  it('writes a config over flows/ and the devDependency, keeping package.json as written; a second run changes nothing', () => {
    const packageJson = `{\n    "name": "shop",\n    "scripts": { "start": "node server.js" },\n    "devDependencies": {\n        "eslint": "^9.0.0"\n    }\n}\n`;
    const repo = repoWith({
      'package.json': packageJson,
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'verigap.yaml': 'baseURL: http://localhost:4000\n',
    });
    const first = repo.verigap(['init', '--playwright']);
    expect(first.code, first.stderr).toBe(0);
    expect(repo.read('package.json')).toBe(
      packageJson.replace(
        '{\n        "eslint"',
        `{\n        "@playwright/test": "^${ourPlaywright}",\n        "eslint"`,
      ),
    );
    const config = repo.read('playwright.config.ts');
    expect(config).toContain("testDir: './flows'");
    expect(config).toContain("baseURL: process.env.BASE_URL ?? 'http://localhost:4000'");
    expect(config).toContain("trace: 'retain-on-failure'");
    expect(config).not.toContain('reporter');
    expect(first.stdout).toContain('Next: pnpm install && npx playwright install chromium');
    expect(repo.read('.gitignore')).toContain('test-results/\nplaywright-report/\n');

    const before = ['package.json', 'playwright.config.ts', '.gitignore'].map((file) => repo.read(file));
    const second = repo.verigapJson(['init', '--playwright']);
    expect(['package.json', 'playwright.config.ts', '.gitignore'].map((file) => repo.read(file))).toEqual(before);
    expect(second.written).toEqual([]);
    expect(second.playwright).toMatchObject({ action: 'kept' });

    symlinkSync(ourModules, join(repo.dir, 'node_modules'));
    repo.write({
      'flows/trial/a.spec.ts': `import { test } from '@playwright/test';\ntest('opens pricing', async () => {});\n`,
    });
    expect(listTests(repo, 'chromium')).toContain('[chromium] › trial');
  });

  it('creates a minimal package.json when there is none', () => {
    const repo = repoWith({ 'README.md': 'shop\n' });
    const result = repo.verigapJson(['init', '--playwright']);
    expect(result.playwright).toMatchObject({
      config: 'playwright.config.ts',
      action: 'created',
      package_json: 'written',
      next: ['npm install', 'npx playwright install chromium'],
    });
    expect(result.written).toEqual(expect.arrayContaining(['playwright.config.ts', 'package.json', '.gitignore']));
    expect(JSON.parse(repo.read('package.json'))).toEqual({
      private: true,
      devDependencies: { '@playwright/test': `^${ourPlaywright}` },
    });
    expect(repo.read('playwright.config.ts')).toContain("process.env.BASE_URL ?? 'http://localhost:3000'");
  });

  it('keeps an existing @playwright/test dependency and a repository without a config when --playwright is not given', () => {
    const repo = repoWith({ 'package.json': '{ "dependencies": { "@playwright/test": "1.40.0" } }\n' });
    expect(repo.verigapJson(['init']).playwright).toEqual({ config: null, action: 'none' });
    expect(existsSync(join(repo.dir, 'playwright.config.ts'))).toBe(false);
    expect(repo.verigapJson(['init', '--playwright']).playwright).toMatchObject({
      action: 'created',
      package_json: 'kept',
    });
    expect(repo.read('package.json')).toBe('{ "dependencies": { "@playwright/test": "1.40.0" } }\n');
  });
});

describe('init --playwright with a package.json it cannot edit', () => {
  it('refuses with exit 2 naming the file, and writes no config', () => {
    const repo = repoWith({ 'package.json': '{ "name": "shop", }\n' });
    const result = repo.verigap(['init', '--playwright']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('package.json: cannot add @playwright/test to its devDependencies');
    expect(existsSync(join(repo.dir, 'playwright.config.ts'))).toBe(false);
  });
});

describe('the config edit on other layouts', () => {
  it('skips setup and teardown projects, and points testDir at flows/ from a config in a subfolder', () => {
    const config = `export default defineConfig({
  projects: [
    { name: 'setup db', testMatch: /global\\.setup\\.ts/, teardown: 'cleanup db' },
    { name: 'cleanup db', testMatch: /global\\.clean\\.ts/ },
    { name: 'chromium', testDir: './specs', use: { storageState: '.auth/user.json' }, dependencies: ['setup db'] },
  ],
});
`;
    expect(planFlowsProject(config, 'e2e/playwright.config.ts', { flowsDir: '../flows' })).toMatchObject({
      action: 'added',
      text: config.replace(
        "['setup db'] },\n",
        "['setup db'] },\n    { name: 'flows', testDir: '../flows', use: { storageState: '.auth/user.json' }, dependencies: ['setup db'] },\n",
      ),
    });
  });

  it('follows one-line projects, a config held in a const, double quotes and CRLF', () => {
    const oneLine = `const config = { testDir: "e2e", projects: [{ name: "chromium", use: { channel: "chrome" } }] };\nexport default config;\n`;
    expect(planFlowsProject(oneLine, 'playwright.config.mjs')).toMatchObject({
      action: 'added',
      text: oneLine.replace('} }]', '} }, { name: "flows", testDir: "./flows", use: { channel: "chrome" } }]'),
    });
    const crlf = `export default {\r\n  testDir: 'e2e',\r\n  testMatch: '**/*.e2e.ts',\r\n  projects: [\r\n    { name: 'chromium' } // the main one\r\n  ]\r\n};\r\n`;
    expect(planFlowsProject(crlf, 'playwright.config.ts')).toMatchObject({
      action: 'added',
      text: crlf.replace(
        "{ name: 'chromium' } // the main one\r\n",
        "{ name: 'chromium' }, // the main one\r\n    { name: 'flows', testDir: './flows', testMatch: '**/*.@(spec|test).?(c|m)[jt]s?(x)' }\r\n",
      ),
    });
  });

  it('inserts the devDependency in sorted place, or adds devDependencies at the end', () => {
    expect(addDevDependency('{\n\t"name": "x"\n}', '@playwright/test', '^1.0.0')).toBe(
      '{\n\t"name": "x",\n\t"devDependencies": {\n\t\t"@playwright/test": "^1.0.0"\n\t}\n}',
    );
    expect(addDevDependency('{ "devDependencies": { "@a/b": "1", "zod": "2" } }', '@playwright/test', '^1.0.0')).toBe(
      '{ "devDependencies": { "@a/b": "1", "@playwright/test": "^1.0.0", "zod": "2" } }',
    );
  });
});
