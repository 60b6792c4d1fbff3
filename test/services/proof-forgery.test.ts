import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers } from '../../src/adapters/app-process.js';
import { freePort } from '../../src/adapters/free-port.js';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { todoFlow, todoIncident, todoServer } from '../helpers/todo-app.js';

// Hand-written specs (`--spec FILE`) that try to pass a proof without catching the bug: each goes through the real
// proof (real git history, both revisions served, Chromium) and must be refused with its reason.
const id = '2026-11-20-adding-a-todo-does-nothing';
afterAll(() => removeTempDirs());

interface TodoRepo {
  repo: TestRepo;
  port: number;
  bug: string;
  fix: string;
  tmp: string;
}

/** The app, the bug (the client sends `text`, the server reads `title`), the fix; an incident fixed by the fix. */
async function todoRepo(): Promise<TodoRepo> {
  const repo = TestRepo.create();
  const port = await freePort();
  repo.write({ '.gitignore': 'node_modules\n.verigap/\n' });
  repo.commit('feat: todos (#1)', {
    'server.mjs': todoServer({ bug: false }),
    'verigap.yaml': `baseURL: http://127.0.0.1:${port}\nserve: node server.mjs\nready: http://127.0.0.1:${port}/health\n`,
    'flows/todos/flow.yaml': todoFlow,
  });
  const bug = repo.commit('refactor: name the field text (#2)', { 'server.mjs': todoServer({ bug: true }) });
  const fix = repo.commit('fix: send title again (#3)', { 'server.mjs': todoServer({ bug: false }) });
  repo.write({ [`incidents/${id}.md`]: todoIncident(id, fix, '1. Go to /todos') });
  return { repo, port, bug, fix, tmp: tempDir('verigap-tmpdir-') };
}

/** A spec a person wrote: adds a todo, then `rest`; `top` goes before the test. */
function spec(rest: string, top = ''): string {
  return `import { test, expect } from '@playwright/test';
${top}
test('adding a todo lists it @incident:${id} @flow:todos', async ({ page }, testInfo) => {
  await page.goto('/todos');
  await page.getByPlaceholder('What needs to be done?').fill('Buy milk');
  await page.getByRole('button', { name: 'Add' }).click();
${rest}
});
`;
}

const listed =
  "  await expect(page.getByRole('list', { name: 'Todo list' }).getByRole('listitem')).toHaveCount(1); // @incident-assertion";

/** Runs `incident test --spec FILE --prove` with the spec kept outside the repository. */
async function prove(todo: TodoRepo, code: string) {
  const file = join(tempDir(), 'hand-written.spec.ts');
  writeFileSync(file, code);
  return todo.repo.verigapAsync(['--json', 'incident', 'test', id, '--spec', file, '--prove', '--repeat', '1'], {
    TMPDIR: todo.tmp,
  });
}

async function nothingLeft(todo: TodoRepo): Promise<void> {
  expect(readdirSync(todo.tmp).filter((name) => name.startsWith('verigap-'))).toEqual([]);
  expect(todo.repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  expect(await answers(`http://127.0.0.1:${todo.port}/health`)).toBe(false);
  // a refused proof records nothing
  expect(existsSync(join(todo.repo.dir, `flows/todos/${id}.spec.ts`))).toBe(false);
  expect(todo.repo.read(`incidents/${id}.md`)).not.toMatch(/regression:/);
}

describe('incident test --spec FILE --prove: a hand-written test is proven like a generated one', () => {
  it("proves an honest test and records it as the incident's regression test", async () => {
    const todo = await todoRepo();
    const result = await prove(todo, spec(listed));
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({
      provider: 'spec',
      spec: `flows/todos/${id}.spec.ts`,
      proof: { fails_on: todo.bug, passes_on: todo.fix, mode: 'both', failed_at_line: 7 },
    });
    expect(todo.repo.read(`flows/todos/${id}.spec.ts`)).toBe(spec(listed));
    expect(todo.repo.read(`incidents/${id}.md`)).toContain(
      `regression:\n  test: flows/todos/${id}.spec.ts\n  proof:\n    fails_on: ${todo.bug}\n`,
    );
  });

  it("refuses a spec without the incident's tags or a marked incident assertion (exit 2), running nothing", async () => {
    const todo = await todoRepo();
    const result = await prove(todo, spec(listed.replace(' // @incident-assertion', '')).replace(' @flow:todos', ''));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must carry @flow:todos/);
    expect(result.stderr).toMatch(/no incident assertion/);
    await nothingLeft(todo);
  });
});

describe('proof forgeries are refused', () => {
  it("an assertion on the project's name: the sides run under neutral names that tell the test nothing", async () => {
    const todo = await todoRepo();
    const result = await prove(
      todo,
      spec("  await expect(testInfo.project.name).toBe('fixed'); // @incident-assertion"),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `not proven: the test fails on ${todo.fix.slice(0, 7)} \\(the fix\\): failed at line 7 .*it failed at the incident assertion`,
      ),
    );
    await nothingLeft(todo);
  });

  it.each([
    [
      'test.fail()',
      spec(`  test.fail();\n${listed.replace('toHaveCount(1)', 'toHaveCount(0)')}`),
      /expected to be failed/,
    ],
    [
      'testInfo.fail()',
      spec(`  testInfo.fail();\n${listed.replace('toHaveCount(1)', 'toHaveCount(0)')}`),
      /expected to be failed/,
    ],
    [
      'a conditional test.fail() at the top',
      spec(listed, "test.fail(({ baseURL }) => baseURL !== undefined, 'inverted');"),
      /expected to be failed/,
    ],
    ['test.skip()', spec(`  test.skip();\n${listed}`), /expected to be skipped|annotated "skip"|skipped/],
    [
      'test.fixme() on the whole file',
      spec(listed, "test.fixme(true, 'later');"),
      /expected to be skipped|annotated "fixme"|skipped/,
    ],
  ])("%s inverts or skips the result: not the test's own", async (_what, code, reason) => {
    const todo = await todoRepo();
    const result = await prove(todo, code);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /not proven: on [0-9a-f]{7} \(the revision before the fix\) the test's result is not its own: it is /,
    );
    expect(result.stderr).toMatch(reason);
    await nothingLeft(todo);
  });

  it('a test that returns before its incident assertion on the fix: the passing side must have run it', async () => {
    const todo = await todoRepo();
    const early =
      "  if (await page.getByText('Buy milk').waitFor({ timeout: 2_000 }).then(() => true, () => false)) return;\n  await expect(page.getByText('Buy milk')).toBeVisible(); // @incident-assertion";
    const result = await prove(todo, spec(early));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `not proven: on ${todo.fix.slice(0, 7)} \\(the fix\\) the test passed without running its incident assertion at line 8`,
      ),
    );
    await nothingLeft(todo);
  });
});
