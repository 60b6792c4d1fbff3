import { afterAll, describe, expect, it } from 'vitest';
import { LineCounter } from 'yaml';
import { firstDuplicateKey, parseYamlDocument, parseYamlWith } from '../../src/core/yaml-file.js';
import { flowSchema } from '../../src/core/flow-schema.js';
import { waiversSchema } from '../../src/core/waiver-schema.js';
import { parseIncident } from '../../src/core/incident-schema.js';
import { setRegression } from '../../src/core/front-matter.js';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const manyKeys = (count: number) => `name: x\n${Array.from({ length: count }, (_, i) => `key${i}: ${i}`).join('\n')}\n`;

describe('the duplicate-key check is a linear walk over every map (bench/run.mjs measures it)', () => {
  it('names the second key of a pair at its line, and the line of the first, in a nested map', () => {
    const parsed = parseYamlWith('name: x\npaths: [a]\nowner:\n  team: a\n  lead: b\n  team: c\n', flowSchema);
    expect(parsed).toEqual({
      ok: false,
      problem: { line: 6, reason: 'invalid YAML: Map keys must be unique ("team" is already set at line 4; keep one)' },
    });
  });

  it('finds a duplicate inside a list of maps (waivers.yaml) and after front matter (line offset)', () => {
    const waivers = parseYamlWith(
      '- sha: 1a2b3c4d\n  reason: copy\n- sha: 5e6f7a8b\n  reason: copy\n  sha: 5e6f7a8c\n',
      waiversSchema,
    );
    expect(waivers).toMatchObject({
      ok: false,
      problem: { line: 5, reason: expect.stringContaining('"sha" is already set at line 3') },
    });
    const incident = parseIncident('incidents/2026-11-20-a.md', '---\nid: 2026-11-20-a\ntitle: A\ntitle: B\n---\n');
    expect(incident).toMatchObject({
      ok: false,
      problem: { line: 4, reason: expect.stringContaining('"title" is already set at line 3') },
    });
  });

  it('keeps keys that only look alike apart (1 and "1", a and A), and finds one in a deep tree', () => {
    const lineCounter = new LineCounter();
    expect(
      firstDuplicateKey(parseYamlDocument('{1: a, "1": b, a: c, A: d}\n', lineCounter), lineCounter),
    ).toBeUndefined();
    const deep = `${'- '.repeat(500)}{a: 1, b: 2, a: 3}\n`;
    const deepCounter = new LineCounter();
    expect(firstDuplicateKey(parseYamlDocument(deep, deepCounter), deepCounter)?.reason).toContain(
      '"a" is already set at line 1',
    );
  });

  it('50,000 unknown keys: the first is named at its line, the rest counted', () => {
    const parsed = parseYamlWith(manyKeys(50_000), flowSchema);
    expect(parsed).toEqual({
      ok: false,
      problem: { line: 2, reason: 'unknown keys "key0", "key1", "key2" and 49,997 more: remove or rename them' },
    });
  });

  it('through the CLI: a flow.yaml of 50,000 keys ends in exit 2 naming the file and line', () => {
    const repo = TestRepo.create();
    repo.commit('chore: start', { 'flows/checkout/flow.yaml': manyKeys(50_000) });
    const result = repo.verigap(['flows', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'flows/checkout/flow.yaml:2: unknown keys "key0", "key1", "key2" and 49,997 more: remove or rename them',
    );
  });

  it('a comment-only (or empty) waivers.yaml is an empty list', () => {
    expect(parseYamlWith('# decisions go here\n# - sha: ...\n', waiversSchema, 0, [])).toMatchObject({
      ok: true,
      value: [],
    });
    expect(parseYamlWith('', waiversSchema, 0, [])).toMatchObject({ ok: true, value: [] });
  });

  it('writing regression into an incident keeps its byte order mark (no silent rewrite)', () => {
    const written = setRegression('\uFEFF---\nid: 2026-11-20-a\n---\nbody\n', { test: 'flows/a/x.spec.ts' });
    expect(written).toBe('\uFEFF---\nid: 2026-11-20-a\nregression:\n  test: flows/a/x.spec.ts\n---\nbody\n');
  });
});
