import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';
import { bracesBalanced, splitGlobList } from '../../src/core/glob.js';

afterAll(removeTempDirs);

const warning = (option: string, glob: string) =>
  `warning: ${option} glob "${glob}" matches no file at HEAD; check the spelling (globs are relative to the repository root)`;

describe('splitGlobList', () => {
  it('splits on commas outside braces only', () => {
    expect(splitGlobList('src/{a,b}/**,web/x.tsx')).toEqual(['src/{a,b}/**', 'web/x.tsx']);
    expect(splitGlobList(' {src,lib}/{a,{b,c}}/*.ts , e2e/*.spec.ts,,')).toEqual([
      '{src,lib}/{a,{b,c}}/*.ts',
      'e2e/*.spec.ts',
    ]);
    expect(splitGlobList('docs/a\\,b.md,x')).toEqual(['docs/a\\,b.md', 'x']);
    expect(splitGlobList('')).toEqual([]);
  });

  it('tells an unclosed group', () => {
    expect(splitGlobList('src/{a,b/**,web/x.tsx')).toEqual(['src/{a,b/**,web/x.tsx']);
    expect(['src/{a,b}/**', 'src/{a,b/**', 'src/a}/**', 'src/\\{a/**'].map(bracesBalanced)).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });
});

describe('flows add --paths with brace groups', () => {
  it('writes each brace glob whole, and a feature touching one alternative maps to the flow', () => {
    const repo = TestRepo.create();
    repo.commit(
      'chore: start',
      { 'src/a/index.ts': 'a', 'web/x.tsx': 'x', 'e2e/trial.spec.ts': 'spec' },
      '2026-11-16T08:00:00Z',
    );
    const added = repo.verigap([
      '--json',
      'flows',
      'add',
      'trial',
      '--name',
      'Trial',
      '--paths',
      'src/{a,b}/**,web/x.tsx',
      '--tests',
      'e2e/{trial,checkout}*.spec.ts',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout)).toEqual({ id: 'trial', file: 'flows/trial/flow.yaml', unmatched_globs: [] });
    expect(parse(repo.read('flows/trial/flow.yaml'))).toEqual({
      name: 'Trial',
      criticality: 'other',
      paths: ['src/{a,b}/**', 'web/x.tsx'],
      tests: ['e2e/{trial,checkout}*.spec.ts'],
    });

    repo.commit('chore: add the trial flow', {}, '2026-11-16T09:00:00Z');
    repo.commit('feat(b): new b (#2)', { 'src/b/x.ts': 'b' }, '2026-11-17T09:00:00Z');
    repo.commit('feat: unrelated (#3)', { 'src/c/y.ts': 'c' }, '2026-11-17T10:00:00Z');
    expect(repo.verigap(['sync']).code).toBe(0);
    const report = repo.verigapJson(['report', '--since', '2026-11-17', '--until', '2026-11-18', '--format', 'json']);
    expect(report.features).toMatchObject({ total: 2, mapped: 1, unmapped: 1, covered: 1, uncovered: 0 });
    expect(report.flows).toEqual([expect.objectContaining({ id: 'trial', features: 1, covered: 1, tests: 1 })]);
  });

  it('warns on stderr about a glob that matches no file at HEAD, names it, and still writes the flow', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'src/billing/plan.ts': 'p', 'e2e/billing.spec.ts': 'spec' });
    const added = repo.verigap([
      'flows',
      'add',
      'billing',
      '--name',
      'Billing',
      '--paths',
      'src/bilinh/**,src/billing/**',
      '--tests',
      'e2e/{biling,checkout}.spec.ts',
    ]);
    expect(added.code).toBe(0);
    expect(added.stderr.trim().split('\n')).toEqual([
      warning('--paths', 'src/bilinh/**'),
      warning('--tests', 'e2e/{biling,checkout}.spec.ts'),
    ]);
    expect(added.stdout).toContain('Wrote flows/billing/flow.yaml');
    expect(parse(repo.read('flows/billing/flow.yaml')).paths).toEqual(['src/bilinh/**', 'src/billing/**']);

    const json = repo.verigap([
      '--json',
      'flows',
      'add',
      'checkout',
      '--name',
      'Check out',
      '--paths',
      'src/checkout/**',
    ]);
    expect([json.code, JSON.parse(json.stdout).unmatched_globs, json.stderr]).toEqual([
      0,
      ['src/checkout/**'],
      `${warning('--paths', 'src/checkout/**')}\n`,
    ]);
  });

  it('tells a typo from files deleted since, and sync and report keep warning about a flow.yaml glob that matches nothing in the history', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'src/search/index.ts': 's', 'features/search/find.feature': 'Feature: find' });
    repo.commit('test: cucumber retired', { 'features/search/find.feature': null });
    expect(repo.verigap(['sync']).code).toBe(0);
    const added = repo.verigap([
      'flows',
      'add',
      'search',
      '--name',
      'Search',
      '--paths',
      'src/serch/**',
      '--tests',
      'features/search/*.feature',
    ]);
    expect(added.stderr.trim().split('\n')).toEqual([
      'warning: --paths glob "src/serch/**" matches no file at HEAD nor in the indexed history; check the spelling (globs are relative to the repository root)',
      'warning: --tests glob "features/search/*.feature" matches no file at HEAD, only files deleted earlier in the history (they still count for the weeks they existed)',
    ]);
    const typo =
      'warning: flows/search/flow.yaml: paths glob "src/serch/**" matches no file in the history of main; check the spelling (globs are relative to the repository root)';
    expect(repo.verigap(['sync']).stderr.trim()).toBe(typo);
    const report = repo.verigap(['report', '--since', '30d', '--format', 'json']);
    expect([report.code, report.stderr.trim()]).toEqual([0, typo]);
  });

  it('matches from the repository root when --repo points into a subfolder, and says nothing before the first commit', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'src/a/index.ts': 'a' });
    const fromSub = repo.verigap([
      '--repo',
      join(repo.dir, 'src'),
      'flows',
      'add',
      'a',
      '--name',
      'A',
      '--paths',
      'src/a/**',
    ]);
    expect([fromSub.code, fromSub.stderr]).toEqual([0, '']);
    expect(existsSync(join(repo.dir, 'flows/a/flow.yaml'))).toBe(true);

    const empty = TestRepo.create();
    const first = empty.verigap(['flows', 'add', 'a', '--name', 'A', '--paths', 'src/a/**']);
    expect([first.code, first.stderr]).toEqual([0, '']);
  });

  it('refuses an unclosed brace group, naming the glob, and writes nothing', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'src/a/index.ts': 'a' });
    const result = repo.verigap(['flows', 'add', 'a', '--name', 'A', '--paths', 'src/{a,b/**,web/x.tsx']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--paths glob "src/{a,b/**,web/x.tsx" has a "{" without its "}"');
    expect(existsSync(join(repo.dir, 'flows/a/flow.yaml'))).toBe(false);
  });
});

describe('flows add --production and --schedule', () => {
  it('writes the production-safe tests and the schedule, which the production workflow is then made from', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', {
      'src/cart/cart.ts': 'c',
      'e2e/cart.smoke.spec.ts': 'spec',
      'package-lock.json': '{}',
    });
    const added = repo.verigap([
      '--json',
      'flows',
      'add',
      'cart',
      '--name',
      'Cart',
      '--paths',
      'src/cart/**',
      '--production',
      '@production,e2e/cart.smoke.spec.ts',
      '--schedule',
      '15m',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).unmatched_globs).toEqual([]);
    expect(parse(repo.read('flows/cart/flow.yaml'))).toEqual({
      name: 'Cart',
      criticality: 'other',
      paths: ['src/cart/**'],
      production: ['@production', 'e2e/cart.smoke.spec.ts'],
      schedule: '15m',
    });
    repo.commit('chore: the cart flow', {});
    const init = repo.verigap(['init', '--ci', 'github', '--production', 'https://shop.example.com']);
    expect(init.code, init.stderr).toBe(0);
    expect(repo.read('.github/workflows/verigap-production.yml')).toContain("cron: '*/15 * * * *'");
  });

  it('refuses a schedule out of bounds and a production entry that climbs out, naming the option, with nothing written', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'src/cart/cart.ts': 'c' });
    const fast = repo.verigap(['flows', 'add', 'cart', '--name', 'Cart', '--paths', 'src/cart/**', '--schedule', '1m']);
    expect([fast.code, fast.stderr]).toEqual([
      2,
      expect.stringContaining('--schedule: schedule is how often production is checked, from 5m to 24h'),
    ]);
    const outside = repo.verigap([
      'flows',
      'add',
      'cart',
      '--name',
      'Cart',
      '--paths',
      'src/cart/**',
      '--production',
      '../e2e/*.spec.ts',
    ]);
    expect([outside.code, outside.stderr]).toEqual([
      2,
      expect.stringContaining('--production: production lists tags such as "@production"'),
    ]);
    expect(existsSync(join(repo.dir, 'flows', 'cart'))).toBe(false);
  });
});
