import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const flow = 'name: Checkout\ncriticality: revenue\npaths: [src/checkout/**]\n';
const incident = `---
id: 2026-11-20-cart-empty
title: Cart shows empty
severity: SEV2
status: resolved
flows: [checkout]
started_at: 2026-11-20T17:00:00Z
detected_at: 2026-11-20T18:00:00Z
resolved_at: 2026-11-20T20:00:00Z
---
## What happened
`;

function repoWith(files: Record<string, string>): TestRepo {
  const repo = TestRepo.create();
  repo.commit('chore: start', { 'flows/checkout/flow.yaml': flow, 'src/checkout/cart.ts': 'export {};\n', ...files });
  return repo;
}

describe('files that crashed or were rewritten now end in exit 2 naming the file, the line and the fix', () => {
  it('invalid UTF-8 in flow.yaml is refused at its byte and line, never replaced by U+FFFD', () => {
    const repo = repoWith({});
    writeFileSync(
      join(repo.dir, 'flows/checkout/flow.yaml'),
      Buffer.concat([
        Buffer.from('name: Checkout\ndescription: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\npaths: [src/checkout/**]\n'),
      ]),
    );
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('flows/checkout/flow.yaml:2: invalid UTF-8 at byte 31 (0xe9)');
    expect(result.stderr).toContain('save the file as UTF-8');
  });

  it('invalid UTF-8 in an incident and in waivers.yaml too', () => {
    const repo = repoWith({});
    writeFileSync(
      join(repo.dir, 'flows/checkout/waivers.yaml'),
      Buffer.concat([Buffer.from('- sha: 1a2b3c4d\n  reason: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    );
    const waivers = repo.verigap(['flows', 'list']);
    expect([waivers.code, waivers.stderr]).toEqual([
      2,
      expect.stringContaining('flows/checkout/waivers.yaml:2: invalid UTF-8 at byte 26 (0xc3)'),
    ]);
    writeFileSync(join(repo.dir, 'flows/checkout/waivers.yaml'), '[]\n');
    mkdirSync(join(repo.dir, 'incidents'));
    writeFileSync(
      join(repo.dir, 'incidents/2026-11-20-cart-empty.md'),
      Buffer.concat([Buffer.from(incident), Buffer.from([0xff, 0xfe])]),
    );
    const incidentResult = repo.verigap(['incident', 'list']);
    expect([incidentResult.code, incidentResult.stderr]).toEqual([
      2,
      expect.stringContaining('incidents/2026-11-20-cart-empty.md:12: invalid UTF-8 at byte'),
    ]);
  });

  it('a flow.yaml that is a folder is named, with the fix', () => {
    const repo = repoWith({ 'flows/broken/flow.yaml/README.md': 'oops\n' });
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('flows/broken/flow.yaml: is a folder, not a YAML file');
    expect(result.stderr).toContain('move or rename the folder');
    expect(result.stderr).not.toContain('unexpected error');
  });

  it('a 65,536-character glob is refused at its line with the limit', () => {
    const repo = repoWith({
      'flows/checkout/flow.yaml': `name: Checkout\npaths:\n  - src/checkout/**\n  - ${'a'.repeat(65_536)}\n`,
    });
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'flows/checkout/flow.yaml:4: paths.1: a glob may be at most 4096 characters; split it into several globs',
    );
    const added = repoWith({}).verigap(['flows', 'add', 'search', '--name', 'Search', '--paths', 'b'.repeat(65_536)]);
    expect([added.code, added.stderr]).toEqual([
      2,
      expect.stringContaining('--paths: a glob may be at most 4096 characters'),
    ]);
  });

  it('a duplicate key in a flow names both lines', () => {
    const repo = repoWith({ 'flows/checkout/flow.yaml': `${flow}name: Cart\n` });
    const result = repo.verigap(['flows', 'list']);
    expect([result.code, result.stderr]).toEqual([
      2,
      expect.stringContaining(
        'flows/checkout/flow.yaml:4: invalid YAML: Map keys must be unique ("name" is already set at line 1; keep one)',
      ),
    ]);
  });

  it('detected_at before started_at (a negative time to detect) is refused at its line; so is resolved before detected', () => {
    const early = repoWith({
      'incidents/2026-11-20-cart-empty.md': incident.replace(
        'detected_at: 2026-11-20T18:00:00Z',
        'detected_at: 2026-11-20T16:00:00Z',
      ),
    });
    const result = early.verigap(['incident', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'incidents/2026-11-20-cart-empty.md:8: detected_at: 2026-11-20T16:00:00Z is before started_at (2026-11-20T17:00:00Z): an incident is detected after it starts; fix one of the two times',
    );
    const resolved = repoWith({
      'incidents/2026-11-20-cart-empty.md': incident.replace(
        'resolved_at: 2026-11-20T20:00:00Z',
        'resolved_at: 2026-11-20T17:30:00Z',
      ),
    });
    expect(resolved.verigap(['incident', 'list']).stderr).toContain(
      'incidents/2026-11-20-cart-empty.md:9: resolved_at: 2026-11-20T17:30:00Z is before detected_at (2026-11-20T18:00:00Z)',
    );
    const flags = repoWith({}).verigap([
      'incident',
      'new',
      '--title',
      'Cart',
      '--flow',
      'checkout',
      '--severity',
      'SEV2',
      '--started',
      '2026-11-20T17:00:00Z',
      '--detected',
      '2026-11-20T16:00:00Z',
      '--no-test',
    ]);
    expect([flags.code, flags.stderr]).toEqual([
      2,
      expect.stringContaining('--detected: 2026-11-20T16:00:00.000Z is before started_at'),
    ]);
  });
});

describe('incident new --from / --body-file', () => {
  it('broken YAML or a duplicate key in --from FILE, or a folder as --body-file, is exit 2 at file:line', () => {
    const repo = repoWith({});
    repo.write({
      'draft.md': '---\ntitle: Cart\nflows: [checkout\n---\nbody\n',
      'twice.md': '---\ntitle: Cart\ntitle: Basket\n---\nbody\n',
    });
    const broken = repo.verigap(['incident', 'new', '--from', 'draft.md', '--no-test']);
    expect([broken.code, broken.stderr]).toEqual([2, expect.stringMatching(/draft\.md:\d: invalid YAML/)]);
    const twice = repo.verigap(['incident', 'new', '--from', 'twice.md', '--no-test']);
    expect([twice.code, twice.stderr]).toEqual([
      2,
      expect.stringContaining(
        'twice.md:3: invalid YAML: Map keys must be unique ("title" is already set at line 2; keep one)',
      ),
    ]);
    const folder = repo.verigap([
      'incident',
      'new',
      '--title',
      'Cart',
      '--flow',
      'checkout',
      '--severity',
      'SEV2',
      '--body-file',
      'src',
      '--no-test',
    ]);
    expect([folder.code, folder.stderr]).toEqual([2, expect.stringContaining('src: is a folder, not a Markdown file')]);
  });
});

describe('valid files that were refused are accepted', () => {
  it('a byte order mark before an incident front matter', () => {
    const repo = repoWith({ 'incidents/2026-11-20-cart-empty.md': `\uFEFF${incident}` });
    const result = repo.verigap(['--json', 'incident', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2026-11-20-cart-empty');
  });

  it('a waivers.yaml holding only comments', () => {
    const repo = repoWith({
      'flows/checkout/waivers.yaml': '# decisions that a change needs no E2E test of this flow\n# - sha: 1a2b3c4d\n',
    });
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(0);
  });
});
