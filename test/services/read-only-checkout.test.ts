import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, cliPath, removeTempDirs, tempDir } from '../helpers/git-repo.js';

afterAll(() => {
  for (const dir of made) execFileSync('chmod', ['-R', 'u+w', dir]);
  removeTempDirs();
});

const made: string[] = [];
/** Root writes through any mode bits: the CLI then runs without the capabilities that allow it. */
const dropWriteOverride = ['setpriv', '--bounding-set', '-dac_override,-dac_read_search,-fowner', '--'];
const asRoot = process.getuid?.() === 0;

/** Why read-only cannot be made real here, or undefined when it can. */
function readOnlyUnavailable(): string | undefined {
  if (!asRoot) return undefined;
  const probe = tempDir();
  execFileSync('chmod', ['a-w', probe]);
  const wrote = spawnSync(dropWriteOverride[0]!, [...dropWriteOverride.slice(1), 'sh', '-c', `: > '${probe}/x'`]);
  execFileSync('chmod', ['u+w', probe]);
  if (wrote.error) return 'running as root without setpriv: chmod cannot make a directory read-only for root';
  return wrote.status === 0
    ? 'running as root and setpriv could not drop CAP_DAC_OVERRIDE: chmod cannot stop root writing'
    : undefined;
}

const queries = [
  ['flows', 'list'],
  ['incident', 'list'],
  ['report', '--since', '2026-01-01', '--until', '2026-12-31'],
];

let template: TestRepo;
let writable: Record<string, string>;

beforeAll(() => {
  template = TestRepo.create();
  template.commit('chore: start', {
    'src/app.ts': 'app',
    'flows/checkout/flow.yaml':
      'name: Check out\ncriticality: revenue\npaths: [src/checkout/**]\ntests: [e2e/checkout.spec.ts]\n',
  });
  template.commit('feat(checkout): cart (#1)', { 'src/checkout/cart.ts': 'cart', 'e2e/checkout.spec.ts': 'spec' });
  template.commit('incident', {
    'incidents/2026-11-01-cart-empty.md':
      '---\nid: 2026-11-01-cart-empty\ntitle: Cart shows empty\nflows: [checkout]\nseverity: SEV2\nstatus: resolved\nstarted_at: 2026-11-01T10:00:00Z\nresolved_at: 2026-11-01T12:00:00Z\n---\n## What happened\nThe cart was empty.\n',
  });
  writable = Object.fromEntries(queries.map((args) => [args.join(' '), JSON.stringify(template.verigapJson(args))]));
  expect(writable['flows list']).toContain('"id":"checkout"');
  expect(writable['incident list']).toContain('2026-11-01-cart-empty');
});

/** A copy of the template, with or without its index, that nobody but root with all its powers can write. */
function readOnlyCopy(withIndex: boolean): TestRepo {
  const dir = join(tempDir(), 'repo');
  cpSync(template.dir, dir, {
    recursive: true,
    filter: (src) => withIndex || !src.startsWith(join(template.dir, '.verigap')),
  });
  execFileSync('chmod', ['-R', 'a-w', dir]);
  made.push(dir);
  return new TestRepo(dir);
}

function runReadOnly(repo: TestRepo, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    CI: '1',
    OPENAI_API_KEY: '',
    GITHUB_TOKEN: '',
    GH_TOKEN: '',
  };
  delete env.BASE_URL;
  const command = asRoot
    ? [...dropWriteOverride, process.execPath, cliPath, ...args]
    : [process.execPath, cliPath, ...args];
  const result = spawnSync(command[0]!, command.slice(1), { cwd: repo.dir, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const unavailable = readOnlyUnavailable();

describe.skipIf(unavailable !== undefined)(
  `a read-only checkout${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('never synced: read-only commands answer as in a writable copy, from a temporary index, said once', () => {
      const repo = readOnlyCopy(false);
      for (const args of queries) {
        const result = runReadOnly(repo, ['--json', ...args]);
        expect(result.code, result.stderr).toBe(0);
        expect(JSON.stringify(JSON.parse(result.stdout))).toBe(writable[args.join(' ')]);
        expect(result.stderr).toBe(`verigap: ${repo.dir} is read-only: using a temporary index this time\n`);
      }
      expect(existsSync(join(repo.dir, '.verigap'))).toBe(false);
    });

    it('with an index: reads a copy of it in memory and leaves the file as it was', () => {
      const repo = readOnlyCopy(true);
      const before = readFileSync(join(repo.dir, '.verigap', 'index.db'));
      for (const args of [...queries, ['sync']]) {
        const result = runReadOnly(repo, ['--json', ...args]);
        expect(result.code, result.stderr).toBe(0);
        if (args[0] !== 'sync') expect(JSON.stringify(JSON.parse(result.stdout))).toBe(writable[args.join(' ')]);
        expect(result.stderr).toBe('verigap: .verigap is read-only: using a temporary index this time\n');
      }
      expect(readFileSync(join(repo.dir, '.verigap', 'index.db')).equals(before)).toBe(true);
    });
  },
);

describe('index paths of the wrong kind', () => {
  function copy(): TestRepo {
    const dir = join(tempDir(), 'repo');
    cpSync(template.dir, dir, { recursive: true, filter: (src) => !src.startsWith(join(template.dir, '.verigap')) });
    return new TestRepo(dir);
  }

  it('.verigap as a file: exit 2, naming it and the fix, and the file is left alone', () => {
    const repo = copy();
    writeFileSync(join(repo.dir, '.verigap'), 'notes of mine');
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'verigap: .verigap is a file, but verigap keeps its index in a folder of that name\n' +
        'hint: move it away (mv .verigap .verigap.old) and run the command again; verigap recreates the folder\n',
    );
    expect(repo.read('.verigap')).toBe('notes of mine');
  });

  it('index.db as a directory: exit 2, naming it and the fix', () => {
    const repo = copy();
    mkdirSync(join(repo.dir, '.verigap', 'index.db'), { recursive: true });
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "verigap: .verigap/index.db is a directory, but it should be verigap's index (a SQLite file)\n" +
        'hint: remove it (rm -r .verigap/index.db) and run the command again; the index is rebuilt from Git\n',
    );
  });

  it('a stale sync.lock (empty, or an empty directory) is taken over and the command answers as usual', () => {
    for (const [make, why] of [
      [(file: string) => writeFileSync(file, ''), 'it is empty: its owner stopped before writing its pid'],
      [(file: string) => mkdirSync(file), 'it is an empty directory, which verigap never creates'],
    ] as const) {
      const repo = copy();
      mkdirSync(join(repo.dir, '.verigap'));
      make(join(repo.dir, '.verigap', 'sync.lock'));
      const result = repo.verigap(['--json', 'flows', 'list']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe(`verigap: took over the stale lock .verigap/sync.lock (${why})\n`);
      expect(JSON.stringify(JSON.parse(result.stdout))).toBe(writable['flows list']);
      expect(existsSync(join(repo.dir, '.verigap', 'sync.lock'))).toBe(false);
    }
  });

  it('a sync.lock directory with files in it: exit 2, left to the user', () => {
    const repo = copy();
    mkdirSync(join(repo.dir, '.verigap', 'sync.lock'), { recursive: true });
    writeFileSync(join(repo.dir, '.verigap', 'sync.lock', 'keep'), '');
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'verigap: .verigap/sync.lock is a directory with files in it, not a lock verigap wrote\n' +
        'hint: remove it (rm -r .verigap/sync.lock); verigap uses that name for its lock file\n',
    );
  });
});
