import { describe, expect, it } from 'vitest';
import type { ChangeRow, FlowRun, SpecInterval } from '../../src/core/features.js';
import type { Flow } from '../../src/core/flow.js';
import { renderHtml } from '../../src/core/render/html.js';
import { renderMarkdown } from '../../src/core/render/markdown.js';
import { buildReport, type ReportInput } from '../../src/core/report-model.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-16T00:00:00Z');
const flow = (id: string, name: string): Flow => ({
  id,
  file: `flows/${id}/flow.yaml`,
  name,
  criticality: 'revenue',
  paths: [],
  tests: [],
});
const sha = (seq: number) => `${String(seq).padStart(4, '0')}${'a'.repeat(36)}`;
const change = (seq: number, subject: string, flows: string[]): ChangeRow => ({
  seq,
  sha: sha(seq),
  committedAt: T0 + seq * H,
  subject,
  pr: seq,
  flows,
  testFlows: [],
});
const run = (flowId: string, hour: number, reachSeq: number): FlowRun => ({
  flowId,
  env: 'production',
  commit: 'c'.repeat(40),
  at: T0 + hour * H,
  runUrl: 'https://ci.example.com/runs/7',
  reachSeq,
  passed: 1,
  failed: 0,
  flaky: 0,
  skipped: 0,
});
const specs: SpecInterval[] = [{ flowId: 'trial', path: 'flows/trial/signup.spec.ts', addedSeq: 0, removedSeq: null }];

/** A week: trial verified once, covered once; checkout with one change a subject of which is HTML; one unmapped. */
function report(overrides: Partial<ReportInput> = {}) {
  return buildReport({
    since: T0,
    until: T0 + 168 * H,
    asOf: T0 + 168 * H,
    branch: 'main',
    head: 'f'.repeat(40),
    url: 'https://github.com/acme/shop',
    changes: [
      change(1, 'feat: trial banner', ['trial']),
      change(2, 'feat: trial copy', ['trial']),
      change(3, 'feat: <script>alert(1)</script> in cart', ['checkout']),
      change(4, 'feat: docs', []),
    ],
    featurePattern: /^feat/,
    flows: [flow('trial', 'Start free trial'), flow('checkout', 'Check out')],
    specs,
    endSeq: 4,
    runs: [run('trial', 1.5, 1)],
    verificationEnv: 'production',
    waivers: [],
    within: '24h',
    incidents: [],
    gates: { coverage: 0.9 },
    skippedNotes: [],
    ...overrides,
  });
}

describe('renderMarkdown', () => {
  const text = renderMarkdown(report(), '2026-W47');

  it('heads with the window, branch and head, and shows the shares of the model', () => {
    expect(text.split('\n')[0]).toBe('# verigap gap report · 2026-W47');
    expect(text).toContain('`main` @ `fffffff` · 4 changes');
    expect(text).toContain('| Features shipped | 4 (3 mapped, 1 unmapped, 0 waived) |');
    expect(text).toContain('| **Coverage share** | **66.7%** (1 verified + 1 covered, 1 uncovered) |');
    expect(text).toContain('| **Verified share** | **33.3%** |');
  });

  it('a gate below its threshold is marked failed, with both numbers', () => {
    expect(text).toContain('- ❌ **coverage**: 66.7% (threshold ≥ 90.0%)');
    expect(renderMarkdown(report({ gates: { coverage: 0.5 } }), 'w')).toContain(
      '- ✅ **coverage**: 66.7% (threshold ≥ 50.0%)',
    );
  });

  it('one row a flow, and each uncovered feature with its short sha and PR', () => {
    expect(text).toContain('| Start free trial (`trial`) | revenue | 1 | 2 | 1 | 1 | 0 | 0 | 0 |');
    expect(text).toContain('## Uncovered features (1)');
    expect(text).toContain(
      '- `0003aaa` feat: <script>alert(1)</script> in cart (#3) — no E2E test or passing run in checkout',
    );
  });

  it('lists at most 50 uncovered features, then says how many more', () => {
    const many = Array.from({ length: 53 }, (_, i) => change(i + 1, `feat: page ${i + 1}`, ['checkout']));
    const long = renderMarkdown(report({ changes: many, endSeq: 53, runs: [] }), 'w');
    expect(long.match(/^- `\d{4}aaa` feat: page/gm)).toHaveLength(50);
    expect(long).toContain('- … and 3 more (see the JSON report)');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(report(), '2026-W47', [
    { label: '2026-W46', coverage: 0.5, verified: 0.25 },
    { label: '2026-W47', coverage: 2 / 3, verified: 1 / 3 },
  ]);

  it('escapes what comes from commits: a subject is text, never markup', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('tags each number for a browser test to read, and links commits to the repository', () => {
    expect(html).toContain('<span data-metric="changes">4</span>');
    expect(html).toMatch(/data-metric="coverage_share"[^>]*>66\.7%</);
    expect(html).toMatch(
      /<tr data-flow="checkout"><td>Check out <span class="muted">checkout<\/span><\/td><td>revenue<\/td><td class="fail" title="no E2E test">0<\/td><td>1<\/td>/,
    );
    expect(html).toContain(
      '<a href="https://github.com/acme/shop/commit/ffffffffffffffffffffffffffffffffffffffff"><code>fffffff</code></a>',
    );
    expect(html).toContain('<li class="fail" data-gate="coverage">✘ coverage: 66.7% (threshold 90.0%)</li>');
  });

  it('lists the uncovered and the unmapped features each in its own table', () => {
    expect(html).toContain('<h2 id="uncovered">Uncovered features (1)</h2>');
    expect(html).toContain('<h2 id="unmapped">Unmapped features (1)</h2>');
  });
});
