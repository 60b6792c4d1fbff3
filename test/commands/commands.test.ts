import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const incident = `---
id: 2026-11-20-trial-redirect
title: Trial signup never reaches checkout
severity: SEV2
status: resolved
flows: [trial]
started_at: 2026-11-20T17:00:00Z
regression:
  test: flows/trial/2026-11-20-trial-redirect.spec.ts
---
## What happened
The button did nothing.
`;

describe('init', () => {
  it('scaffolds the files and the .gitignore entry, and a second run keeps them', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { '.gitignore': 'node_modules/' });
    const first = repo.verigapJson(['init', '--ci', 'github']);
    expect(first.written).toEqual([
      'verigap.yaml',
      'flows/README.md',
      'incidents/README.md',
      'reports/README.md',
      '.github/workflows/verigap.yml',
      '.github/workflows/verigap-affected.yml',
      '.gitignore',
    ]);
    expect(repo.read('.gitignore')).toBe("node_modules/\n# verigap's local index (rebuildable from Git)\n.verigap/\n");
    expect(repo.read('.github/workflows/verigap.yml')).toMatch(/npx --yes verigap@\S+ report --week last/);
    const second = repo.verigapJson(['init']);
    expect(second.written).toEqual([]);
    expect(repo.verigap(['sync']).code).toBe(0);
    expect(repo.git('status', '--porcelain')).not.toContain('.verigap');
  });
});

describe('flows', () => {
  it('add writes a flow.yaml that list and show then report, with tests and recent features', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'src/app.ts': 'app' });
    const added = repo.verigap([
      'flows',
      'add',
      'trial',
      '--name',
      'Start free trial',
      '--paths',
      'src/billing/**,web/pricing.tsx',
      '--criticality',
      'revenue',
      '--owner',
      '@billing',
      '--start',
      '/pricing',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(repo.read('flows/trial/flow.yaml')).toBe(
      '# yaml-language-server: $schema=../../node_modules/verigap/dist/schemas/flow.schema.json\nname: Start free trial\ncriticality: revenue\nowner: "@billing"\npaths:\n  - src/billing/**\n  - web/pricing.tsx\nstart: /pricing\n',
    );
    expect(repo.verigap(['flows', 'add', 'trial', '--name', 'Again', '--paths', 'x/**']).code).toBe(2);
    repo.commit('chore: add flow', {});
    const now = new Date(Date.now() - 5 * 3_600_000).toISOString();
    repo.commit('feat(billing): trial button (#12)', { 'src/billing/trial.ts': 'x' }, now);
    repo.commit('test: trial e2e (#13)', { 'flows/trial/trial.spec.ts': 'spec' });
    repo.commit('feat(billing): annual plans (#14)', { 'src/billing/annual.ts': 'x' });
    repo.commit('feat: unrelated (#15)', { 'src/other.ts': 'x' });
    const list = repo.verigapJson(['flows', 'list']);
    expect(list.flows).toEqual([
      expect.objectContaining({
        id: 'trial',
        name: 'Start free trial',
        tests: ['flows/trial/trial.spec.ts'],
        features: 2,
        covered: 1,
        uncovered: 1,
        verified: 0,
      }),
    ]);
    const text = repo.verigap(['flows']).stdout;
    expect(text).toMatch(/^FLOW\s+NAME\s+CRITICALITY/);
    expect(text).toMatch(/trial\s+Start free trial\s+revenue\s+@billing\s+1\s+2\s+0\s+1\s+1\s+0\s+never/);
    const show = repo.verigapJson(['flows', 'show', 'trial']);
    expect(show.features.map((f: { pr: number; status: string }) => [f.pr, f.status])).toEqual([
      [12, 'uncovered'],
      [14, 'covered'],
    ]);
    expect(repo.verigap(['flows', 'show', 'nope']).code).toBe(2);
  });
});

describe('incident', () => {
  it('list and show give the regression-test state', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', {
      'flows/trial/flow.yaml': 'name: Trial\npaths: [src/**]\n',
      'incidents/2026-11-20-trial-redirect.md': incident,
    });
    expect(repo.verigapJson(['incident', 'list']).incidents).toEqual([
      expect.objectContaining({ id: '2026-11-20-trial-redirect', severity: 'SEV2', regression_state: 'proposed' }),
    ]);
    repo.commit('test: regression (#3)', { 'flows/trial/2026-11-20-trial-redirect.spec.ts': 'spec' });
    expect(repo.verigapJson(['incident', 'list']).incidents[0].regression_state).toBe('merged');
    const show = repo.verigap(['incident', 'show', '2026-11-20-trial-redirect']);
    expect(show.stdout).toContain('regression test: merged (flows/trial/2026-11-20-trial-redirect.spec.ts)');
    expect(show.stdout).toContain('The button did nothing.');
    expect(existsSync(join(repo.dir, '.verigap', 'index.db'))).toBe(true);
  });

  it('--json prints one JSON document and nothing else on stdout', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'flows/trial/flow.yaml': 'name: Trial\npaths: [src/**]\n' });
    const result = repo.verigap(['--json', 'incident', 'list']);
    expect(JSON.parse(result.stdout)).toEqual({ incidents: [] });
  });
});
