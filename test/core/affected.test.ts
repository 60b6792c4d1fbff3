import { describe, expect, it } from 'vitest';
import { computeAffected, parseNameStatus, type ChangedFile } from '../../src/core/affected.js';
import { lastVerifiedAt } from '../../src/core/last-verified.js';
import type { FlowRun } from '../../src/core/features.js';
import type { Flow } from '../../src/core/flow.js';
import { maxAffectedMarkdownBytes, renderAffectedMarkdown } from '../../src/core/render/affected-markdown.js';

const flow = (id: string, paths: string[], tests: string[] = []): Flow => ({
  id,
  file: `flows/${id}/flow.yaml`,
  name: id,
  criticality: 'revenue',
  paths,
  tests,
});

describe('computeAffected', () => {
  const flows = [flow('checkout', ['src/checkout/**']), flow('signup', ['src/signup/**'], ['features/signup.feature'])];
  const headFiles = [
    'src/checkout/pay.ts',
    'src/signup/form.ts',
    'features/signup.feature',
    'flows/checkout/pay.spec.ts',
  ];
  const run = (changed: ChangedFile[], tagged = new Map<string, string[]>()) =>
    computeAffected({ base: 'b', head: 'h', changed, flows, headFiles, taggedFiles: tagged });

  it("counts a test any runner names through `tests` globs as the flow's own test", () => {
    const result = run([
      { status: 'M', path: 'src/signup/form.ts' },
      { status: 'M', path: 'features/signup.feature' },
    ]);
    expect(result.flows).toMatchObject([{ id: 'signup', own_test_changed: true, tests: ['features/signup.feature'] }]);
    expect(result.verdict).toBe('green');
  });

  it('counts a rename on both of its paths, and a tagged test as the flows it names', () => {
    const result = run(
      [
        { status: 'R', oldPath: 'src/signup/form.ts', path: 'src/checkout/form.ts' },
        { status: 'A', path: 'e2e/x.spec.ts' },
      ],
      new Map([['e2e/x.spec.ts', ['checkout', 'unknown']]]),
    );
    expect(result.flows.map((f) => [f.id, f.own_test_changed])).toEqual([
      ['checkout', true],
      ['signup', false],
    ]);
    expect(result.selection.files).toContain('e2e/x.spec.ts');
    expect(result.unmapped_files).toEqual([]);
  });
});

describe('lastVerifiedAt', () => {
  const run = (flowId: string, at: number, counts: Partial<FlowRun> = {}): FlowRun => ({
    flowId,
    env: 'production',
    commit: 'c'.repeat(40),
    at,
    runUrl: null,
    reachSeq: 1,
    passed: 1,
    failed: 0,
    flaky: 0,
    skipped: 0,
    ...counts,
  });

  it("keeps each flow's last pass in the environment: a flaky pass counts; a failure, another env or a run off the branch does not", () => {
    const runs = [
      run('a', 1000),
      run('a', 2000, { passed: 0, flaky: 1 }),
      run('a', 3000, { failed: 1 }),
      run('a', 4000, { env: 'staging' }),
      run('b', 5000, { reachSeq: null }),
    ];
    expect(lastVerifiedAt(runs, 'production')).toEqual(new Map([['a', new Date(2000).toISOString()]]));
  });
});

describe('parseNameStatus', () => {
  it('reads renames, copies and plain changes from -z output', () => {
    expect(parseNameStatus('M\0a b.ts\0R087\0old.ts\0new.ts\0D\0gone.ts\0')).toEqual([
      { status: 'M', path: 'a b.ts' },
      { status: 'R', oldPath: 'old.ts', path: 'new.ts' },
      { status: 'D', path: 'gone.ts' },
    ]);
  });
});

describe('renderAffectedMarkdown', () => {
  it('stays under 60 KB with 5,000 changed files and with paths of 4 KB each', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({
      status: 'A',
      path: `src/${'deep/'.repeat(i % 2 ? 800 : 10)}file-${i}.ts`,
    }));
    const result = computeAffected({
      base: 'b'.repeat(40),
      head: 'h'.repeat(40),
      changed: many,
      flows: [flow('checkout', ['src/**'])],
      headFiles: [],
      taggedFiles: new Map(),
    });
    const markdown = renderAffectedMarkdown(result);
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(maxAffectedMarkdownBytes);
    expect(
      markdown.startsWith(
        '<!-- verigap:affected -->\n### 🔴 verigap affected: **red**\n\ncritical flow `checkout` has no E2E test at all',
      ),
    ).toBe(true);
    expect(markdown.trimEnd().endsWith('</details>')).toBe(true);
  });
});
