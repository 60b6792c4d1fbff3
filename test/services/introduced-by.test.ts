import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { resolveWindow } from '../../src/core/window.js';
import { openRepo } from '../../src/services/repo.js';
import { computeReport } from '../../src/services/report.js';
import { syncRepo } from '../../src/services/sync.js';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

// A real history, SZZ's textbook case: B writes the bug, C is a later change to the same flow's
// code (what "the last change to the flow's paths before started_at" picked), F fixes B's line.
const cart = (taxRate: string, discounted: string) =>
  `export const TAX_RATE = ${taxRate};\nexport function total(price: number, qty: number, discount: number): number {\n  const gross = price * qty;\n  return ${discounted};\n}\n`;
const CART = 'src/billing/cart rules.ts';
const shipping = (guard: string) =>
  `export function shipping(weight: number): number {\n${guard}  return weight * 2;\n}\n`;
const spec = (body: string) => `import { test, expect } from '@playwright/test';
test('cart total @incident:x @flow:trial', async ({ page }) => {
  await page.goto('/cart');
${body}
});
`;

let repo: TestRepo;
const sha = {} as Record<'A' | 'B' | 'C' | 'F' | 'D' | 'E' | 'G' | 'S' | 'K' | 'M' | 'N' | 'H', string>;
let items: Record<string, { introduced_by: { sha: string; inferred: boolean } | null }>;
let unprotected: { id: string; reason: string; test: string }[];

/** A merge commit at a given time (TestRepo.git keeps the time of the last commit). */
function mergeAt(at: string, message: string, branch: string): string {
  execFileSync('git', ['merge', '-q', '--no-ff', '-m', message, branch], {
    cwd: repo.dir,
    env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at },
  });
  return repo.head();
}

function incident(id: string, fields: string): Record<string, string> {
  return {
    [`incidents/${id}.md`]: `---\nid: ${id}\ntitle: ${id}\nseverity: SEV2\nstatus: resolved\nflows: [trial]\n${fields}\n---\n## What happened\n`,
  };
}

beforeAll(async () => {
  repo = TestRepo.create();
  sha.A = repo.commit(
    'chore: start',
    {
      'flows/trial/flow.yaml': 'name: Cart\ncriticality: revenue\npaths: [src/billing/**]\n',
      [CART]: cart('0.2', 'gross - discount'),
    },
    '2026-11-02T10:00:00Z',
  );
  sha.B = repo.commit(
    'feat(billing): discounts as percentages (#1)',
    { [CART]: cart('0.2', 'gross * (1 - discount / 10)') },
    '2026-11-03T10:00:00Z',
  );
  sha.C = repo.commit(
    'chore(billing): labels, a cart spec, docs (#2)',
    {
      'src/billing/labels.ts': 'export const label = "Cart";\n',
      'flows/trial/cart.spec.ts': spec('  await expect(page.getByText("Total")).toBeVisible();'),
      'README.md': '# Shop\nTotals include tax.\n',
    },
    '2026-11-05T10:00:00Z',
  );
  // the fix also edits A's tax line, C's spec and C's docs: only code lines count, the latest before started_at wins
  sha.F = repo.commit(
    'fix(billing): a discount is a percentage (#3)',
    {
      [CART]: cart('0.21', 'gross * (1 - discount / 100)'),
      'flows/trial/cart.spec.ts': spec('  await expect(page.getByText("Total: 90")).toBeVisible();'),
      'README.md': '# Shop\nTotals include 21% tax.\n',
    },
    '2026-11-07T10:00:00Z',
  );

  sha.D = repo.commit('feat(billing): shipping (#4)', { 'src/billing/ship.ts': shipping('') }, '2026-11-08T10:00:00Z');
  sha.E = repo.commit(
    'chore(billing): label wording (#5)',
    { 'src/billing/labels.ts': 'export const label = "Your cart";\n' },
    '2026-11-09T10:00:00Z',
  );
  sha.G = repo.commit(
    'fix(billing): no shipping for nothing (#6)',
    { 'src/billing/ship.ts': shipping('  if (weight <= 0) return 0;\n') },
    '2026-11-11T10:00:00Z',
  );

  repo.git('checkout', '-q', '-b', 'coupons');
  sha.S = repo.commit(
    'coupons: apply a code',
    { 'src/billing/coupon.ts': 'export const off = (code: string) => (code === "HALF" ? 5 : 0);\n' },
    '2026-11-12T10:00:00Z',
  );
  repo.git('checkout', '-q', 'main');
  sha.K = repo.commit(
    'chore(billing): label case (#8)',
    { 'src/billing/labels.ts': 'export const label = "Your Cart";\n' },
    '2026-11-12T12:00:00Z',
  );
  sha.M = mergeAt('2026-11-13T10:00:00Z', 'Merge pull request #7 from dev/coupons', 'coupons');
  sha.N = repo.commit(
    'chore(billing): label again (#9)',
    { 'src/billing/labels.ts': 'export const label = "Basket";\n' },
    '2026-11-14T10:00:00Z',
  );
  sha.H = repo.commit(
    'fix(billing): HALF is half (#10)',
    { 'src/billing/coupon.ts': 'export const off = (code: string) => (code === "HALF" ? 50 : 0);\n' },
    '2026-11-16T10:00:00Z',
  );

  repo.commit(
    'docs: incidents and their regression tests',
    {
      ...incident('2026-11-06-discount', `started_at: 2026-11-06T09:00:00Z\nfixed_by: ${sha.F}`),
      ...incident('2026-11-02-tax', `started_at: 2026-11-02T12:00:00Z\nfixed_by: ${sha.F}`),
      ...incident('2026-11-06-by-pr', 'started_at: 2026-11-06T09:00:00Z\nfixed_by: 3'),
      ...incident(
        '2026-11-06-by-pr-url',
        'started_at: 2026-11-06T09:00:00Z\nfixed_by: https://github.com/acme/shop/pull/3',
      ),
      ...incident('2026-11-10-shipping', `started_at: 2026-11-10T09:00:00Z\nfixed_by: ${sha.G}`),
      ...incident('2026-11-15-coupon', `started_at: 2026-11-15T09:00:00Z\nfixed_by: ${sha.H}`),
      ...incident('2026-11-12-coupon-before-merge', `started_at: 2026-11-12T18:00:00Z\nfixed_by: ${sha.H}`),
      ...incident('2026-11-06-no-fix', 'started_at: 2026-11-06T09:00:00Z'),
      ...incident('2026-11-06-told', `started_at: 2026-11-06T09:00:00Z\nintroduced_by: ${sha.C.slice(0, 7)}`),
      ...incident(
        '2026-11-16-words',
        `started_at: 2026-11-16T09:00:00Z\nregression:\n  test: flows/trial/words.spec.ts`,
      ),
      ...incident(
        '2026-11-16-fixme',
        `started_at: 2026-11-16T09:00:00Z\nregression:\n  test: flows/trial/fixme.spec.ts`,
      ),
      'flows/trial/words.spec.ts': spec(
        '  const why = "test.skip( was tried";\n  // test.fixme();\n  await expect(page).toHaveURL(/cart/); // @incident-assertion',
      ),
      'flows/trial/fixme.spec.ts': spec(
        '  test.fixme();\n  await expect(page).toHaveURL(/cart/); // @incident-assertion',
      ),
    },
    '2026-11-20T10:00:00Z',
  );

  const open = await openRepo({ dir: repo.dir, env: {} });
  try {
    await syncRepo(open);
    const window = resolveWindow({ since: '2026-11-01', until: '2026-12-01' }, Date.parse('2026-12-01T00:00:00Z'));
    if (!window.ok) throw new Error(window.reason);
    const { report } = await computeReport(open, window.window, {}, Date.parse('2026-12-01T00:00:00Z'));
    // what `report --json` prints
    const json = JSON.parse(JSON.stringify(report));
    items = Object.fromEntries(json.incidents.items.map((item: { id: string }) => [item.id, item]));
    unprotected = json.incidents.unprotected;
  } finally {
    open.close();
  }
}, 60_000);

afterAll(() => removeTempDirs());

describe('introduced_by inferred from the fix (SZZ), in the report JSON', () => {
  it('is the change that wrote the line the fix modified, not the last change to the flow before started_at', () => {
    const lastChangeBefore = repo
      .git('log', '-1', '--format=%H', '--before=2026-11-06T09:00:00Z', '--', 'src/billing')
      .trim();
    expect(lastChangeBefore).toBe(sha.C);
    expect(items['2026-11-06-discount']!.introduced_by).toEqual({ sha: sha.B, inferred: true });
  });

  it("a change committed after started_at is no candidate: the earlier line's author is", () => {
    expect(items['2026-11-02-tax']!.introduced_by).toEqual({ sha: sha.A, inferred: true });
  });

  it('fixed_by as a PR number or a PR URL is the change of that PR', () => {
    expect(items['2026-11-06-by-pr']!.introduced_by).toEqual({ sha: sha.B, inferred: true });
    expect(items['2026-11-06-by-pr-url']!.introduced_by).toEqual({ sha: sha.B, inferred: true });
  });

  it('a fix that only added lines blames the line before them', () => {
    expect(repo.git('diff', '-U0', `${sha.G}^`, sha.G)).toMatch(/@@ -1,0 \+2 @@/);
    expect(items['2026-11-10-shipping']!.introduced_by).toEqual({ sha: sha.D, inferred: true });
  });

  it('a commit of a merged branch maps to its merge, and counts from the time the merge reached the branch', () => {
    expect(items['2026-11-15-coupon']!.introduced_by).toEqual({ sha: sha.M, inferred: true });
    expect(items['2026-11-12-coupon-before-merge']!.introduced_by).toBeNull();
  });

  it('without fixed_by nothing is inferred; introduced_by from the file is kept as written', () => {
    expect(items['2026-11-06-no-fix']!.introduced_by).toBeNull();
    expect(items['2026-11-06-told']!.introduced_by).toEqual({ sha: sha.C.slice(0, 7), inferred: false });
  });
});

describe('the regression-test audit in the report JSON', () => {
  it('lists a test.fixme() call as skipped, not test.skip( in a string or a comment', () => {
    expect(unprotected).toEqual([{ id: '2026-11-16-fixme', reason: 'skipped', test: 'flows/trial/fixme.spec.ts' }]);
  });
});
