import { afterAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { answers } from '../../src/adapters/app-process.js';
import { freePort } from '../../src/adapters/free-port.js';
import { TestRepo, cliPath, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import {
  loginSetup,
  teamConfigWithLogin,
  todoFlow,
  todoIncident,
  todoServer,
  type TodoAppOptions,
} from '../helpers/todo-app.js';

const ourModules = resolve(import.meta.dirname, '../../node_modules');
const id = '2026-11-20-adding-a-todo-does-nothing';
const spec = `flows/todos/${id}.spec.ts`;
const addMilk = '1. Go to /todos\n2. Fill "What needs to be done?" with "Buy milk"\n3. Click the "Add" button';
const servers: ChildProcess[] = [];

afterAll(() => {
  for (const server of servers) server.kill();
  removeTempDirs();
});

interface TodoRepo {
  repo: TestRepo;
  port: number;
  bug: string;
  fix: string;
  tmp: string;
}

/** A real history: the app, the bug, the fix; verigap.yaml serving it on a free port. */
async function todoRepo(
  app: Omit<TodoAppOptions, 'bug'>,
  options: { files?: Record<string, string>; config?: string; fixFiles?: Record<string, string> } = {},
): Promise<TodoRepo> {
  const repo = TestRepo.create();
  const port = await freePort();
  const config =
    options.config ??
    `baseURL: http://127.0.0.1:${port}\nserve: node server.mjs\nready: http://127.0.0.1:${port}/health\n`;
  repo.write({ '.gitignore': 'node_modules\n.verigap/\nplaywright/.auth\ntest-results\nbuild\n', ...options.files });
  repo.commit('feat: todos (#1)', {
    'server.mjs': todoServer({ ...app, bug: false }),
    'verigap.yaml': config,
    'flows/todos/flow.yaml': todoFlow,
  });
  const bug = repo.commit('refactor: name the field text (#2)', { 'server.mjs': todoServer({ ...app, bug: true }) });
  const fix = repo.commit('fix: send title again (#3)', {
    'server.mjs': todoServer({ ...app, bug: false }),
    ...options.fixFiles,
  });
  return { repo, port, bug, fix, tmp: tempDir('verigap-tmpdir-') };
}

function withIncident(todo: TodoRepo, steps: string): void {
  todo.repo.write({ [`incidents/${id}.md`]: todoIncident(id, todo.fix, steps) });
}

/** What verigap left behind: worktrees beyond the main one, temporary folders of its own, a server on the port. */
async function leftovers(todo: TodoRepo): Promise<string[]> {
  const left = readdirSync(todo.tmp).filter((name) => name.startsWith('verigap-'));
  const trees = todo.repo.git('worktree', 'list').trim().split('\n').slice(1);
  const serving = (await answers(`http://127.0.0.1:${todo.port}/health`)) ? [`a server on ${todo.port}`] : [];
  return [...left, ...trees, ...serving];
}

const prove = (todo: TodoRepo, extra: string[] = []) =>
  todo.repo.verigapAsync(['--json', 'incident', 'test', id, '--prove', '--repeat', '2', ...extra], {
    TMPDIR: todo.tmp,
  });

/** The greeting dependency at `version`, installed from a folder of the repository (no network). */
function greetingFiles(version: string): Record<string, string> {
  return {
    'package.json':
      '{ "name": "todo", "private": true, "type": "module", "dependencies": { "greeting": "file:vendor/greeting" } }\n',
    'vendor/greeting/package.json': `{ "name": "greeting", "version": "${version}", "type": "module", "main": "index.js" }\n`,
    'vendor/greeting/index.js': "export const greeting = () => 'Todos';\n",
    'build.mjs':
      "import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('build', { recursive: true });\nwriteFileSync('build/title.txt', '');\n",
  };
}

const npmInstall = (dir: string) =>
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: 'pipe',
  });

/** An app that needs its dependencies installed and a build, with the lockfile committed and node_modules ignored. */
async function appWithDependencies(setup: string | null, lockfileChangesInTheFix: boolean): Promise<TodoRepo> {
  const files = greetingFiles('1.0.0');
  const lock = (version: string) => {
    const dir = tempDir();
    for (const [file, text] of Object.entries(greetingFiles(version))) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    npmInstall(dir);
    return execFileSync('cat', [join(dir, 'package-lock.json')], { encoding: 'utf8' });
  };
  const port = await freePort();
  const config = `baseURL: http://127.0.0.1:${port}\n${setup ? `setup: ${setup}\n` : ''}serve: node server.mjs\nready: http://127.0.0.1:${port}/health\n`;
  const todo = await todoRepo(
    { greeting: true },
    {
      config,
      files: { ...files, 'package-lock.json': lock('1.0.0') },
      ...(lockfileChangesInTheFix
        ? { fixFiles: { ...greetingFiles('1.0.1'), 'package-lock.json': lock('1.0.1') } }
        : {}),
    },
  );
  todo.port = port;
  // the working tree as its developer has it: installed and built
  npmInstall(todo.repo.dir);
  execFileSync(process.execPath, ['build.mjs'], { cwd: todo.repo.dir });
  return todo;
}

describe('proofs in repositories as teams have them (real git, Chromium, npm)', () => {
  it("proves in a repository without @playwright/test, with verigap's own Playwright, reusing the dependencies of an unchanged lockfile and running the build", async () => {
    const todo = await appWithDependencies('npm ci --offline --no-audit --no-fund && node build.mjs', false);
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    const result = await prove(todo);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.playwright).toEqual({ own: true, config: null });
    expect(out.notes.join('\n')).toMatch(/verigap init --playwright/);
    expect(out.proof).toMatchObject({ fails_on: todo.bug, passes_on: todo.fix, mode: 'both' });
    expect(out.proof.setup).toEqual([
      { commit: todo.bug, reused: ['node_modules'], ran: 'node build.mjs' },
      { commit: todo.fix, reused: ['node_modules'], ran: 'node build.mjs' },
    ]);
    expect(todo.repo.read(spec)).toMatch(/^import \{ test, expect \} from '@playwright\/test';/);
    expect(existsSync(join(todo.repo.dir, 'node_modules', '@playwright'))).toBe(false);
    expect(await leftovers(todo)).toEqual([]);
  });

  it('installs the dependencies of a revision whose lockfile differs, and reuses them where it is the same', async () => {
    const todo = await appWithDependencies('npm ci --offline --no-audit --no-fund && node build.mjs', true);
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    const result = await prove(todo);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).proof.setup).toEqual([
      { commit: todo.bug, reused: [], ran: 'npm ci --offline --no-audit --no-fund && node build.mjs' },
      { commit: todo.fix, reused: ['node_modules'], ran: 'node build.mjs' },
    ]);
    expect(await leftovers(todo)).toEqual([]);
  });

  it('without setup, says which revision could not serve, in which folder, and points at setup: (exit 3, nothing left)', async () => {
    const todo = await appWithDependencies(null, false);
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    const result = await prove(todo);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(
      new RegExp(
        `serve \`node server.mjs\` exited \\(1\\) before .* answered, serving ${todo.bug.slice(0, 7)} \\(the revision before the fix\\) in .*verigap-worktree-`,
      ),
    );
    // the dependencies were reused (same lockfile), but nothing built the revision
    expect(result.stderr).toMatch(/ENOENT: no such file or directory, open 'build\/title.txt'/);
    expect(result.stderr).toMatch(/set `setup:` in verigap.yaml/);
    expect(existsSync(join(todo.repo.dir, spec))).toBe(false);
    expect(await leftovers(todo)).toEqual([]);
  });

  it('a setup command that is not there names the revision, the folder, the command and its output, and points at setup:', async () => {
    const todo = await todoRepo({});
    todo.repo.write({ 'verigap.yaml': `${todo.repo.read('verigap.yaml')}setup: yarnn install --frozen-lockfile\n` });
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    const result = await prove(todo);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      new RegExp(
        `setup \`yarnn install --frozen-lockfile\` exited 127 at [0-9a-f]{7} \\((the revision before the fix|the fix)\\) in .*verigap-worktree-.* \\(the worktree is removed\\):\\n.*yarnn: not found`,
      ),
    );
    expect(result.stderr).toMatch(/hint: a command was not found in the checked-out revision.*`setup:`/);
    expect(await leftovers(todo)).toEqual([]);
  });

  it('readyTimeout bounds how long serve may take to answer', async () => {
    const todo = await todoRepo({}, { config: 'baseURL: http://127.0.0.1:9\nserve: sleep 30\nreadyTimeout: 2s\n' });
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    const result = await todo.repo.verigapAsync(['incident', 'test', id], { TMPDIR: todo.tmp });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /http:\/\/127\.0\.0\.1:9 did not answer within 2 s of serve `sleep 30`, serving the working tree/,
    );
    expect(result.stderr).toMatch(/raise readyTimeout/);
  });

  it("proves an incident on a signed-in page with the team's config and setup project, and cannot without that config; init then lists it in the team's run", async () => {
    const todo = await todoRepo(
      { login: true },
      { files: { 'playwright.config.ts': teamConfigWithLogin, 'e2e/auth.setup.ts': loginSetup } },
    );
    symlinkSync(ourModules, join(todo.repo.dir, 'node_modules'));
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    // one sign-in per run: the repeats of a run share its session (and its list)
    const result = await prove(todo, ['--repeat', '1']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.playwright).toEqual({ own: false, config: join(todo.repo.dir, 'playwright.config.ts') });
    expect(out.proof).toMatchObject({ mode: 'one-by-one', one_by_one_because: expect.stringMatching(/signs in/) });
    expect(result.stderr).toMatch(/✔ prove .*one revision after the other \(the team's config signs in once per run\)/);
    expect(await leftovers(todo)).toEqual([]);

    expect(todo.repo.verigap(['init']).code).toBe(0);
    const listed = execFileSync(
      process.execPath,
      [join(ourModules, '@playwright/test/cli.js'), 'test', '--list', '--project', 'flows'],
      { cwd: todo.repo.dir, encoding: 'utf8' },
    );
    expect(listed).toContain(`${id}.spec.ts`);
    expect(listed).toContain(`@incident:${id}`);

    todo.repo.write({ 'playwright.config.ts': null, [spec]: null });
    const without = await prove(todo, ['--repeat', '1']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(
      /does not pass at http:\/\/127\.0\.0\.1:\d+: failed at step 2 \(Fill "What needs to be done\?" with "Buy milk"\)/,
    );
    expect(await leftovers(todo)).toEqual([]);
  }, 180_000);
});

/** Serves one revision of the app the way a preview deployment would: started by the test, not by verigap. */
async function deploy(app: TodoAppOptions): Promise<string> {
  const dir = tempDir();
  writeFileSync(join(dir, 'server.mjs'), todoServer(app));
  const port = await freePort();
  const server = spawn(process.execPath, ['server.mjs'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  servers.push(server);
  while (!(await answers(`http://127.0.0.1:${port}/health`))) await new Promise((done) => setTimeout(done, 50));
  return `http://127.0.0.1:${port}`;
}

describe('proofs against two deployments (--before-url / --after-url): nothing is started', () => {
  it('judges the two deployed revisions like the local proof and records mode, URLs and commits', async () => {
    const todo = await todoRepo({}, { config: 'baseURL: http://127.0.0.1:9\n' });
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    const [before, after] = [await deploy({ bug: true }), await deploy({ bug: false })];
    const result = await prove(todo, ['--before-url', before, '--after-url', after]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).proof).toMatchObject({
      fails_on: todo.bug,
      passes_on: todo.fix,
      mode: 'deployments',
      before_url: before,
      after_url: after,
      repeat: 2,
    });
    const record = todo.repo.read(`incidents/${id}.md`);
    expect(record).toMatch(
      new RegExp(
        `proof:\\n    fails_on: ${todo.bug}\\n    passes_on: ${todo.fix}\\n    at: .*\\n    repeat: 2\\n    failure: .*\\n    failed_at_line: 12\\n    before_ms: \\d+\\n    after_ms: \\d+\\n    mode: deployments\\n    before_url: ${before}\\n    after_url: ${after}\\n`,
      ),
    );
    expect(await leftovers(todo)).toEqual([]);
  });

  it('refuses a half pair of URLs, and URLs without --prove (exit 2)', async () => {
    const todo = await todoRepo({}, { config: 'baseURL: http://127.0.0.1:9\n' });
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    expect(todo.repo.verigap(['incident', 'test', id, '--prove', '--before-url', 'http://127.0.0.1:1'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--before-url and --after-url go together/),
    });
    expect(
      todo.repo.verigap(['incident', 'test', id, '--before-url', 'http://a.test', '--after-url', 'http://b.test']),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/are for --prove/) });
    expect(
      todo.repo.verigap([
        'incident',
        'test',
        id,
        '--prove',
        '--before-url',
        'file:///etc/passwd',
        '--after-url',
        'http://b.test',
      ]),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not an http\(s\) URL/) });
  });

  it.each([
    ['the items of a list', 'Expect the "Todo list" list to have 1 items', /toHaveCount\(1\)/],
    ['a count of a role', 'Expect 1 "Buy milk" checkboxes', /toHaveCount\(1\)/],
    ['a checkbox by its state', 'Expect the "Hide completed" checkbox to be unchecked', /not\.toBeChecked\(\)/],
    [
      'the text of a status',
      'Expect the "Remaining" status to contain the text "1 item left"',
      /toContainText\("1 item left"\)/,
    ],
    ['the value of a textbox', 'Expect the "New todo" textbox to have the value ""', /toHaveValue\(""\)/],
    [
      'an outcome behind the page',
      'Expect GET /api/todos to return 200 with "Buy milk"',
      /page\.request\.get\("\/api\/todos"\)/,
    ],
  ])('the steps grammar proves %s', async (_what, outcome, statement) => {
    const todo = await todoRepo({}, { config: 'baseURL: http://127.0.0.1:9\n' });
    withIncident(todo, `${addMilk}\n4. ${outcome}`);
    const [before, after] = [await deploy({ bug: true }), await deploy({ bug: false })];
    const result = await todo.repo.verigapAsync(
      ['--json', 'incident', 'test', id, '--prove', '--repeat', '1', '--before-url', before, '--after-url', after],
      { TMPDIR: todo.tmp },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).proof.failed_at_line).toBe(12);
    expect(todo.repo.read(spec)).toMatch(statement);
    expect(todo.repo.read(spec)).toContain(`// step 4: ${outcome}`);
  });
});

describe('nothing is left behind', () => {
  it('after Ctrl-C in the middle of a proof: no server, worktree or temporary Playwright config', async () => {
    const todo = await todoRepo({});
    withIncident(todo, `${addMilk}\n4. Expect the "Todo list" list to have 1 items`);
    const child = spawn(process.execPath, [cliPath, 'incident', 'test', id, '--prove', '--repeat', '3'], {
      cwd: todo.repo.dir,
      env: { ...process.env, TMPDIR: todo.tmp, NO_COLOR: '1', BASE_URL: '' },
    });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    await new Promise<void>((done) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk;
        if (/✔ run/.test(stderr)) done();
      }),
    );
    // the proof is under way: worktrees being set up, apps starting, Playwright booting
    await new Promise((done) => setTimeout(done, 700));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await leftovers(todo)).toEqual([]);
    expect(existsSync(join(todo.repo.dir, spec))).toBe(false);
  });
});

describe('verigap demo --dir D', () => {
  // the demo run twice into one folder: flows/demo/demo.spec.ts (verigap's own critical flow)
  it('refuses a folder that holds something else (exit 2), touching nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const result = new TestRepo(dir).verigap(['demo', '--dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/holds files that are not an earlier verigap demo \(notes\.txt\)/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});
