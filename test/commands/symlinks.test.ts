import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildDemoRepo } from '../../src/services/demo.js';
import { apps } from '../../src/adapters/apps.js';
import { writeFlow } from '../../src/services/flow-writer.js';
import { openRepo, type Repo } from '../../src/services/repo.js';
import { mapChangePaths, waiveFeature } from '../../src/services/review.js';
import { syncRepo } from '../../src/services/sync.js';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const flowYaml = 'name: Start free trial\ncriticality: revenue\npaths: [src/billing/**]\n';

/** A repository with one flow and an unmapped feature, and a folder outside it that must stay as it is. */
function shopWithOutside() {
  const repo = TestRepo.create();
  repo.commit('chore: start', { 'flows/trial/flow.yaml': flowYaml, 'src/app.ts': 'app' });
  const feature = repo.commit('feat(billing): annual plans (#14)', { 'src/billing/annual.ts': 'x' });
  const unmapped = repo.commit('feat(search): instant search (#15)', { 'src/search/index.ts': 'x' });
  const outside = realpathSync(tempDir('verigap-outside-'));
  writeFileSync(join(outside, 'keep.txt'), 'theirs');
  return { repo, outside, feature, unmapped };
}

/** Every file below `dir` with its content: what "nothing was written there" is compared against. */
function listing(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    found[name] = lstatSync(path).isFile() ? readFileSync(path, 'utf8') : '<dir>';
  }
  return found;
}

const status = (repo: TestRepo) => repo.git('status', '--porcelain', '--untracked-files=all');

describe('writes that a symbolic link would lead out of the repository are refused (exit 2) before anything is written', () => {
  it('flows add into a flows/<id> that links outside', () => {
    const { repo, outside } = shopWithOutside();
    symlinkSync(outside, join(repo.dir, 'flows', 'checkout'));
    const before = listing(outside);
    const result = repo.verigap(['flows', 'add', 'checkout', '--name', 'Checkout', '--paths', 'src/**']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`flows/checkout is a symbolic link to ${outside}, outside the repository`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(listing(outside)).toEqual(before);
    expect(status(repo)).toBe('?? flows/checkout\n');
  });

  it('incident new into an incidents/ that links outside', () => {
    const { repo, outside } = shopWithOutside();
    symlinkSync(outside, join(repo.dir, 'incidents'));
    const before = listing(outside);
    const result = repo.verigap([
      'incident',
      'new',
      '--title',
      'Trial signup broken',
      '--flow',
      'trial',
      '--severity',
      'SEV2',
      '--started',
      '2026-11-20T17:00:00Z',
      '--no-test',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`incidents is a symbolic link to ${outside}, outside the repository`);
    expect(listing(outside)).toEqual(before);
    expect(status(repo)).toBe('?? incidents\n');
  });

  it('report --out into a reports/ that links outside, and --out outside the repository', () => {
    const { repo, outside } = shopWithOutside();
    symlinkSync(outside, join(repo.dir, 'reports'));
    const before = listing(outside);
    const linked = repo.verigap(['report', '--week', '2026-W45', '--format', 'md,json', '--out', 'reports']);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain(`reports is a symbolic link to ${outside}, outside the repository`);
    expect(linked.stderr).toContain('reports was not written');
    const elsewhere = repo.verigap(['report', '--week', '2026-W45', '--out', outside]);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain(`${outside} is outside the repository`);
    expect(listing(outside)).toEqual(before);
    expect(status(repo)).toBe('?? reports\n');
  });

  it('sync --rebuild with a .verigap that links outside: its index.db is not deleted', () => {
    const { repo, outside } = shopWithOutside();
    writeFileSync(join(outside, 'index.db'), "someone else's database");
    symlinkSync(outside, join(repo.dir, '.verigap'));
    const before = listing(outside);
    const result = repo.verigap(['sync', '--rebuild']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`.verigap is a symbolic link to ${outside}, outside the repository`);
    expect(result.stderr).toContain('hint: remove the link (rm .verigap)');
    expect(listing(outside)).toEqual(before);
    expect(repo.verigap(['flows', 'list']).code).toBe(2);
    expect(listing(outside)).toEqual(before);
  });

  it('a link that points at nothing yet is followed too: writing through it would create its target outside', () => {
    const { repo, outside } = shopWithOutside();
    symlinkSync(join(outside, 'new-folder'), join(repo.dir, 'flows', 'checkout'));
    expect(() => writeFlow(repo.dir, 'checkout', { name: 'Checkout', paths: ['src/**'] })).toThrow(
      `flows/checkout is a symbolic link to ${join(outside, 'new-folder')}, outside the repository`,
    );
    expect(readdirSync(outside)).toEqual(['keep.txt']);
  });

  async function openedThenLinked(
    link: (repo: TestRepo, outside: string) => void,
    work: (open: Repo, shas: { feature: string; unmapped: string }) => Promise<unknown>,
  ) {
    const { repo, outside, feature, unmapped } = shopWithOutside();
    // the review holds the repository open; the link appears while it runs
    const open = await openRepo({ dir: repo.dir, env: {} });
    try {
      await syncRepo(open);
      link(repo, outside);
      const before = listing(outside);
      const error = await work(open, { feature, unmapped }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect(listing(outside)).toEqual(before);
      return { error: error as InputError, repo, outside };
    } finally {
      open.close();
    }
  }

  it('review w: a waivers.yaml that links outside is neither written nor staged', async () => {
    const { error, repo, outside } = await openedThenLinked(
      (r, out) => symlinkSync(join(out, 'keep.txt'), join(r.dir, 'flows/trial/waivers.yaml')),
      (open, { feature }) => waiveFeature(open, { flowId: 'trial', sha: feature, reason: 'Copy change only', now: 0 }),
    );
    expect(error.message).toContain(
      `flows/trial/waivers.yaml is a symbolic link to ${join(outside, 'keep.txt')}, outside the repository`,
    );
    expect(status(repo)).toBe('?? flows/trial/waivers.yaml\n');
  });

  it('review m: a flow.yaml that links outside is neither written nor staged', async () => {
    const { error, repo, outside } = await openedThenLinked(
      (r, out) => {
        writeFileSync(join(out, 'flow.yaml'), flowYaml);
        rmSync(join(r.dir, 'flows/trial/flow.yaml'));
        symlinkSync(join(out, 'flow.yaml'), join(r.dir, 'flows/trial/flow.yaml'));
      },
      (open, { unmapped }) => mapChangePaths(open, { flowId: 'trial', sha: unmapped }),
    );
    expect(error.message).toContain(
      `flows/trial/flow.yaml is a symbolic link to ${join(outside, 'flow.yaml')}, outside the repository`,
    );
    expect(readFileSync(join(outside, 'flow.yaml'), 'utf8')).toBe(flowYaml);
    expect(status(repo)).toBe(' T flows/trial/flow.yaml\n');
  });
});

describe('flows and incidents are never read through a symbolic link, nor skipped without a word', () => {
  it('a flow folder that links outside: exit 2 naming the link and its target', () => {
    const { repo, outside } = shopWithOutside();
    writeFileSync(join(outside, 'flow.yaml'), 'name: Elsewhere\npaths: [src/**]\n');
    symlinkSync(outside, join(repo.dir, 'flows', 'elsewhere'));
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `flows/elsewhere is a symbolic link to ${outside}, outside the repository ${realpathSync(repo.dir)}: verigap reads its files only from inside the repository, so flows/elsewhere was not read`,
    );
  });

  it('an incident file that links outside: exit 2 naming the link and its target', () => {
    const { repo, outside } = shopWithOutside();
    writeFileSync(join(outside, 'theirs.md'), '---\ntitle: not ours\n---\n');
    mkdirSync(join(repo.dir, 'incidents'));
    symlinkSync(join(outside, 'theirs.md'), join(repo.dir, 'incidents', '2026-11-20-linked.md'));
    const result = repo.verigap(['incident', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `incidents/2026-11-20-linked.md is a symbolic link to ${join(outside, 'theirs.md')}, outside the repository`,
    );
  });

  it('a flow folder that links inside the repository is refused too (Git keeps the link, not the flow), not skipped', () => {
    const { repo } = shopWithOutside();
    repo.write({ 'e2e/checkout/flow.yaml': 'name: Checkout\npaths: [src/**]\n' });
    symlinkSync('../e2e/checkout', join(repo.dir, 'flows', 'checkout'));
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `flows/checkout is a symbolic link to ${realpathSync(join(repo.dir, 'e2e/checkout'))}: Git keeps the link, not what it points at`,
    );
    expect(result.stderr).toContain('hint: replace each link with the file or folder itself');
  });
});

describe('verigap demo --dir D', () => {
  const run = (args: string[], cwd: string) => new TestRepo(cwd).verigap(args);

  it('refuses a D that is a file, an interrupted demo, or a demo entry linked outside, with exit 2, no stack trace and nothing written beside D', () => {
    const parent = tempDir();
    const file = join(parent, 'file');
    writeFileSync(file, 'mine');
    const asFile = run(['demo', '--dir', file], parent);
    expect([asFile.code, asFile.stderr]).toEqual([2, expect.stringContaining(`--dir ${file} is a file, not a folder`)]);

    const interrupted = join(parent, 'interrupted');
    mkdirSync(join(interrupted, 'shop'), { recursive: true });
    const half = run(['demo', '--dir', interrupted], parent);
    expect([half.code, half.stderr]).toEqual([
      2,
      expect.stringContaining('holds shop but not the shop of an earlier verigap demo (an interrupted run?)'),
    ]);

    const outside = realpathSync(tempDir('verigap-outside-'));
    writeFileSync(join(outside, 'keep.txt'), 'theirs');
    const linked = join(parent, 'linked');
    mkdirSync(linked);
    symlinkSync(outside, join(linked, 'origin.git'));
    const viaLink = run(['demo', '--dir', linked], parent);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain(`origin.git is a symbolic link to ${outside}, outside the demo folder`);

    for (const result of [asFile, half, viaLink]) expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(readdirSync(outside)).toEqual(['keep.txt']);
    expect(readdirSync(parent).sort()).toEqual(['file', 'interrupted', 'linked']);
    expect(readdirSync(interrupted)).toEqual(['shop']);
  });

  it('builds twice into one D on a machine with no Git identity: its remote inside D, nothing beside it, and its own commits, PR commit and notes work', async () => {
    const home = tempDir('verigap-home-');
    const noIdentity: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: join(home, 'none'),
      // no guessing from the host name either: exactly a machine where `git commit` asks who you are
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'user.useConfigOnly',
      GIT_CONFIG_VALUE_0: 'true',
    };
    const saved = process.env;
    const parent = tempDir();
    const dir = join(parent, 'demo');
    process.env = noIdentity;
    try {
      const first = await buildDemoRepo(dir, Date.now(), { apps });
      const second = await buildDemoRepo(dir, Date.now(), { apps });
      expect(second.origin).toBe(join(dir, 'origin.git'));
      expect(first.dir).toBe(second.dir);
      expect(readdirSync(parent)).toEqual(['demo']);
      expect(readdirSync(dir).sort()).toEqual(['origin.git', 'shop']);
      // what the PR step (commit-tree) and the verification step (git notes) do in the shop, without an identity
      const git = (...args: string[]) =>
        execFileSync('git', args, {
          cwd: second.dir,
          env: noIdentity,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }).trim();
      expect(git('commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', 'test: regression test')).toMatch(/^[0-9a-f]{40}$/);
      git('notes', '--ref', 'verigap', 'add', '-m', '{}', 'HEAD');
      expect(existsSync(join(home, '.gitconfig'))).toBe(false);
    } finally {
      process.env = saved;
    }
  });
});
