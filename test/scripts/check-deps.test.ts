import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDeps } from '../../scripts/check-deps.mjs';
import { removeTempDirs, tempDir } from '../helpers/git-repo.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const checker = join(repoRoot, 'scripts/check-deps.mjs');

afterAll(() => removeTempDirs());

/** A small src/ tree that keeps every rule of the real src/DEPS.list, plus the files given. */
function fakeTree(extra: Record<string, string> = {}): string {
  const root = tempDir('verigap-deps-');
  const files: Record<string, string> = {
    'src/errors.ts': 'export class VerigapError extends Error {}\n',
    'src/output.ts': 'export const paint = (text: string) => text;\n',
    'src/program.ts':
      "import { Command } from 'commander';\nexport const program = () => new Command().action(async () => (await import('./commands/sync.js')).run({}));\n",
    'src/context.ts':
      "import type { Clock } from './adapters/clock.js';\nexport interface CommandContext { repoDir?: string; clock: Clock }\n",
    'src/adapters/clock.ts':
      'export interface Clock { now(): number }\nexport const systemClock: Clock = { now: () => Date.now() };\n',
    'src/cli.ts': "import { program } from './program.js';\nawait program().parseAsync();\n",
    'src/core/window.ts':
      "import { z } from 'zod';\nexport const since = (now: number, days: number) => new Date(now - days * 86_400_000).toISOString() + z.string().parse('');\n",
    'src/adapters/git.ts':
      "import { execFileSync } from 'node:child_process';\nexport const head = () => execFileSync('git', ['rev-parse', 'HEAD'], { env: process.env }).toString();\n",
    'src/adapters/store/open-store.ts':
      "import Database from 'better-sqlite3';\nexport const open = (file: string) => new Database(file);\n",
    'src/adapters/llm.ts': "export const client = async () => new (await import('openai')).default();\n",
    'src/services/sync.ts':
      "import { head } from '../adapters/git.js';\nimport type { Clock } from '../adapters/clock.js';\nimport { since } from '../core/window.js';\nexport const sync = (clock: Clock) => [head(), since(clock.now(), 1)];\n",
    'src/ui/list.tsx':
      "import { Text } from 'ink';\nimport type { head } from '../adapters/git.js';\nexport const List = (props: { sha: ReturnType<typeof head> }) => <Text>{props.sha}</Text>;\n",
    'src/commands/sync.ts':
      "import { sync } from '../services/sync.js';\nimport type { CommandContext } from '../context.js';\nexport const run = (ctx: CommandContext) => sync(ctx.clock);\n",
    ...extra,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  copyFileSync(join(repoRoot, 'src/DEPS.list'), join(root, 'src/DEPS.list'));
  return root;
}

const check = (root: string) => spawnSync(process.execPath, [checker, root], { encoding: 'utf8' });

describe('scripts/check-deps.mjs', () => {
  it('passes on the real tree', () => {
    const result = check(repoRoot);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('passes on a small tree that keeps the rules, type-only imports of other layers included', () => {
    expect(checkDeps(fakeTree())).toEqual([]);
  });

  it('exits 1 naming file:line when a tree breaks the list', () => {
    const result = check(
      fakeTree({ 'src/ui/bad.tsx': "import { head } from '../adapters/git.js';\nexport const sha = head();\n" }),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("src/ui/bad.tsx:1: [ui/] may not import '../adapters/git.js'");
  });

  it.each([
    [
      'a UI → adapter import',
      'src/ui/bad.tsx',
      "import { Text } from 'ink';\nimport { head } from '../adapters/git.js';\nexport const Bad = () => <Text>{head()}</Text>;\n",
      2,
      "may not import '../adapters/git.js'",
    ],
    [
      'a core → cli.js import',
      'src/core/bad.ts',
      "import { z } from 'zod';\nimport { program } from '../cli.js';\nexport const bad = () => [program, z];\n",
      2,
      "may not import '../cli.js'",
    ],
    [
      "import('node:fs') in core",
      'src/core/bad.ts',
      "export const read = async (file: string) =>\n  (await import('node:fs')).readFileSync(file, 'utf8');\n",
      2,
      "may not import 'node:fs'",
    ],
    [
      'a static node:fs import in core',
      'src/core/bad.ts',
      "\nimport { readFileSync } from 'fs';\nexport const read = (file: string) => readFileSync(file, 'utf8');\n",
      2,
      "may not import 'fs'",
    ],
    [
      'require() of an I/O module in core',
      'src/core/bad.ts',
      "declare const require: (name: string) => unknown;\nexport const child = () => require('node:child_process');\n",
      2,
      "may not import 'node:child_process'",
    ],
    [
      'a computed import() in core',
      'src/core/bad.ts',
      "const name = 'node:' + 'fs';\nexport const load = () => import(name);\n",
      2,
      'an import of a computed name cannot be checked',
    ],
    [
      'new Date() in core',
      'src/core/bad.ts',
      'export const today = () =>\n  new Date().toISOString().slice(0, 10);\n',
      2,
      'new Date() without an argument reads the clock',
    ],
    [
      'Date.now() in core',
      'src/core/bad.ts',
      'const HOUR = 3_600_000;\nexport const hoursSince = (time: number) => (Date.now() - time) / HOUR;\n',
      2,
      'Date.now reads the clock',
    ],
    [
      'Math.random in core',
      'src/core/bad.ts',
      'export const pick = <T>(items: T[]) =>\n  items[Math.floor(Math.random() * items.length)];\n',
      2,
      'Math.random is chance',
    ],
    [
      'randomUUID from node:crypto in core',
      'src/core/bad.ts',
      "import { createHash, randomUUID } from 'node:crypto';\nexport const id = (text: string) => createHash('sha256').update(text + randomUUID()).digest('hex');\n",
      2,
      'randomUUID() is chance',
    ],
    [
      'process.env in core',
      'src/core/bad.ts',
      "export const baseURL = () =>\n  process.env.BASE_URL ?? 'http://localhost:3000';\n",
      2,
      'process is the world',
    ],
    [
      'process.cwd() in core',
      'src/core/bad.ts',
      "import { join } from 'node:path';\nexport const here = (file: string) => join(process.cwd(), file);\n",
      2,
      'process is the world',
    ],
    [
      'better-sqlite3 outside the store',
      'src/adapters/runs.ts',
      "import { join } from 'node:path';\nimport Database from 'better-sqlite3';\nexport const open = (dir: string) => new Database(join(dir, 'runs.db'));\n",
      2,
      "may not import 'better-sqlite3'",
    ],
    [
      'openai outside the LLM adapter',
      'src/services/ask.ts',
      "export const ask = async () =>\n  new (await import('openai')).default();\n",
      2,
      "may not import 'openai'",
    ],
    [
      'octokit outside the GitHub adapter',
      'src/adapters/git-push.ts',
      "import { head } from './git.js';\nimport { Octokit } from '@octokit/rest';\nexport const push = () => [new Octokit(), head()];\n",
      2,
      "may not import '@octokit/rest'",
    ],
    [
      'ink in a command',
      'src/commands/render.ts',
      "import { sync } from '../services/sync.js';\nexport const render = async () => (await import('ink')).render(String(sync()));\n",
      2,
      "may not import 'ink'",
    ],
    [
      'react in core',
      'src/core/bad.ts',
      "import { z } from 'zod';\nimport { createElement } from 'react';\nexport const bad = () => [createElement, z];\n",
      2,
      "may not import 'react'",
    ],
    [
      'a service importing a command',
      'src/services/bad.ts',
      "import { sync } from './sync.js';\nexport { run } from '../commands/sync.js';\nexport const again = sync;\n",
      2,
      "may not import '../commands/sync.js'",
    ],
    [
      'a service reaching GitHub itself instead of the adapter it is given',
      'src/services/pr.ts',
      "import { head } from '../adapters/git.js';\nimport { github } from '../adapters/github.js';\nexport const open = () => github.upsertPullRequest(head());\n",
      2,
      "may not import '../adapters/github.js'",
    ],
    [
      'a service starting Playwright itself',
      'src/services/run.ts',
      "export const run = async (spec: string) =>\n  (await import('../adapters/playwright-run.js')).runSpec(spec);\n",
      2,
      "may not import '../adapters/playwright-run.js'",
    ],
    [
      'Date.now() in a service',
      'src/services/deadline.ts',
      "import { head } from '../adapters/git.js';\nexport const deadline = (ms: number) => [head(), Date.now() + ms];\n",
      2,
      'takes its time from a Clock: Date.now reads the clock',
    ],
    [
      'performance.now() in a command',
      'src/commands/timed.ts',
      "import { sync } from '../services/sync.js';\nexport const timed = () => [sync({ now: () => 0 }), performance.now()];\n",
      2,
      'takes its time from a Clock: performance.now reads the clock',
    ],
    [
      'a folder no section covers',
      'src/plugins/extra.ts',
      'export const extra = 1;\n',
      1,
      'no [section] of src/DEPS.list covers this file',
    ],
  ])('fails on %s, naming file:line', (_what, file, text, line, message) => {
    const problems = checkDeps(fakeTree({ [file]: text }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${file}:${line}: `);
    expect(problems[0]).toContain(message);
  });
});
