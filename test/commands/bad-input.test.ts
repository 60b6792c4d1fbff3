import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const goodFlow = 'name: Checkout\ncriticality: revenue\npaths: [src/checkout/**]\n';
const goodIncident = `---
id: 2026-11-20-cart-empty
title: Cart shows empty
severity: SEV2
status: resolved
flows: [checkout]
started_at: 2026-11-20T17:00:00Z
---
## What happened
`;

function repoWith(files: Record<string, string>): TestRepo {
  const repo = TestRepo.create();
  repo.commit('chore: start', { 'flows/checkout/flow.yaml': goodFlow, ...files });
  return repo;
}

describe('invalid files get exit 2 with the file, the line and the fix', () => {
  it('broken YAML in a flow names the line', () => {
    const repo = repoWith({ 'flows/checkout/flow.yaml': 'name: Checkout\npaths: [src/**\ncriticality: revenue\n' });
    const result = repo.verigap(['sync']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/flows\/checkout\/flow\.yaml:\d+: invalid YAML/);
    expect(existsSync(join(repo.dir, '.verigap', 'index.db'))).toBe(false);
  });

  it('fixed_by: #784 (YAML reads a comment) is explained at its line, with both ways to write it', () => {
    const repo = repoWith({
      'incidents/2026-11-20-cart-empty.md': goodIncident.replace('started_at:', 'fixed_by: #784\nstarted_at:'),
    });
    const result = repo.verigap(['incident', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `incidents/2026-11-20-cart-empty.md:7: fixed_by: YAML reads "#784" as a comment, so fixed_by is empty; quote it (fixed_by: '#784') or write the number alone (fixed_by: 784)`,
    );
  });

  it('verigap.yaml: readyTimeout and playwright keys are validated at their line', () => {
    const timeout = repoWith({ 'verigap.yaml': 'serve: npm start\nreadyTimeout: soon\n' }).verigap(['flows', 'list']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toMatch(/verigap\.yaml:2: readyTimeout: readyTimeout is a duration such as 90s, 2m or 10m/);
    const playwright = repoWith({ 'verigap.yaml': 'playwright:\n  configs: x\n' }).verigap(['flows', 'list']);
    expect(playwright.code).toBe(2);
    expect(playwright.stderr).toMatch(/verigap\.yaml:\d: .*configs/);
  });

  it('a wrong value names the field, its line and what is allowed', () => {
    const repo = repoWith({
      'flows/checkout/flow.yaml': 'name: Checkout\n# the money flow\ncriticality: money\npaths: [src/**]\n',
    });
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'flows/checkout/flow.yaml:3: criticality: criticality must be one of revenue, activation, trust, retention, other',
    );
  });

  it('invalid incident front matter names the file line (after the opening ---)', () => {
    const repo = repoWith({
      'incidents/2026-11-20-cart-empty.md': goodIncident.replace('severity: SEV2', 'severity: high'),
    });
    const result = repo.verigap(['incident', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'incidents/2026-11-20-cart-empty.md:4: severity: severity must be one of SEV1, SEV2, SEV3, SEV4',
    );
  });

  it('every invalid file is listed in one run, and a valid one after the fix works', () => {
    const repo = repoWith({
      'incidents/2026-11-20-cart-empty.md': goodIncident.replace(
        'started_at: 2026-11-20T17:00:00Z',
        'started_at: yesterday',
      ),
      'incidents/2026-11-21-other.md': 'no front matter',
      'verigap.yaml': 'verification:\n  within: soon\n',
    });
    const result = repo.verigap(['sync']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('verigap.yaml:2: verification.within: within is a duration such as 4h, 24h or 7d');
    expect(result.stderr).toContain('incidents/2026-11-20-cart-empty.md:7: started_at: must be an ISO 8601 time');
    expect(result.stderr).toContain('incidents/2026-11-21-other.md:1: missing YAML front matter');
    repo.write({
      'incidents/2026-11-21-other.md': null,
      'verigap.yaml': 'verification:\n  within: 4h\n',
      'incidents/2026-11-20-cart-empty.md': goodIncident,
    });
    expect(repo.verigap(['sync']).code).toBe(0);
  });

  it('an incident naming an unknown flow is refused with the known ones', () => {
    const repo = repoWith({
      'incidents/2026-11-20-cart-empty.md': goodIncident.replace('flows: [checkout]', 'flows: [chekout]'),
    });
    const result = repo.verigap(['sync']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'incidents/2026-11-20-cart-empty.md:6: flows: unknown flow "chekout"; known: checkout',
    );
  });

  it('an id or a path that tries to leave the repository is refused', () => {
    // the repository sits alone in its own folder, so "nothing written beside it" is about verigap only
    const repo = TestRepo.create('main', join(tempDir(), 'repo'));
    repo.commit('chore: start', { 'flows/checkout/flow.yaml': goodFlow });
    const before = readdirSync(join(repo.dir, '..'));
    expect(repo.verigap(['flows', 'add', '../evil', '--name', 'Evil', '--paths', 'src/**']).code).toBe(2);
    expect(repo.verigap(['flows', 'show', '../../etc']).code).toBe(2);
    expect(repo.verigap(['incident', 'show', '../../etc/passwd']).code).toBe(2);
    const glob = repo.verigap(['flows', 'add', 'ok', '--name', 'Ok', '--paths', '../outside/**']);
    expect(glob.code).toBe(2);
    expect(glob.stderr).toMatch(/may not contain "\.\."/);
    repo.write({ 'flows/checkout/flow.yaml': 'name: Checkout\npaths: [../../secrets/**]\n' });
    const file = repo.verigap(['sync']);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('flows/checkout/flow.yaml:2: paths.0: globs are relative to the repository root');
    expect(readdirSync(join(repo.dir, '..'))).toEqual(before);
    expect(existsSync(join(repo.dir, 'flows', 'ok'))).toBe(false);
  });

  it('an unknown command or option is bad usage (exit 2)', () => {
    const repo = repoWith({});
    expect(repo.verigap(['frobnicate']).code).toBe(2);
    expect(repo.verigap(['sync', '--no-such-flag']).code).toBe(2);
  });

  it('outside a Git repository the message says so (exit 2)', () => {
    const repo = repoWith({});
    const result = repo.verigap(['--repo', '/', 'sync']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not inside a Git repository/);
  });
});
