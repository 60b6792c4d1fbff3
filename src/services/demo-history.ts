import { stringify } from 'yaml';
import { pullRequestOf } from '../core/change.js';
import { renderIncidentFile, setRegression } from '../core/front-matter.js';
import { schemaModeline } from '../core/json-schemas.js';
import { DAY, HOUR } from '../core/percentile.js';
import { compileSteps, specSource } from '../core/steps.js';
import { trendWeeks } from '../core/window.js';
import { couponIncident, couponIncidentBody } from '../demo/coupon-incident.js';
import { accountFlow, accountSpec, cartSpec, checkoutFlow, searchFlow, testsIn } from '../demo/shop-flows.js';
import type { AccountTest, CartTest } from '../demo/shop-flows.js';
import { shopHistory, type ShopChange } from '../demo/shop-history.js';
import { accountPage, cartPage, cartTotal, searchPage } from '../demo/shop-pages.js';
import type { AccountPart, CartPart, SearchPart } from '../demo/shop-pages.js';
import { demoConfig, pricingSpec, shopServer, trialFlow } from '../demo/shop.js';

/** The demo's history writer: commits files at a time, and names a commit once asked. */
export interface HistoryWriter {
  commit(message: string, files: Record<string, string>, at: number): number;
  sha(mark: number): string;
}

/** A commit of main as production would have run it: the E2E tests of each flow there, and the incidents they guard. */
export interface Deployment {
  sha: string;
  at: number;
  tests: Record<string, number>;
  incidents: string[];
}

export interface ShopHistory {
  deployments: Deployment[];
  /** What the pricing page has shipped, for the commits that follow (the trial's bug and its fix). */
  pricing: { annual: boolean; perks: boolean };
  /** When the nightly production check ran: from its start, except while it was broken. */
  nightly: { from: number; pauses: { from: number; until: number }[] };
  couponIncidentId: string;
}

const flowFiles = { checkout: checkoutFlow, account: accountFlow, search: searchFlow };

/**
 * Writes the twelve weeks of shopHistory, each change at its time within the twelve ISO weeks before `now`'s (the
 * weeks of the report's trend), and answers what the nightly production runs need to know about them.
 */
export function writeShopHistory(history: HistoryWriter, port: number, now: number): ShopHistory {
  const weeks = trendWeeks({ until: now, week: null });
  const timeOf = (change: ShopChange) => weeks[change.week]!.since + change.day * DAY + change.hour * HOUR;
  const cart = new Set<CartPart>();
  const account = new Set<AccountPart>();
  const search = new Set<SearchPart>();
  const cartTests = new Set<CartTest>(['order']);
  const accountTests = new Set<AccountTest>();
  const pricing = { annual: false, perks: false };
  const specs: Record<string, string> = { 'flows/trial/pricing.spec.ts': pricingSpec };
  const regressions: string[] = [];
  const marks = new Map<ShopChange['role'], { mark: number; at: number }>();
  // a commit's sha only when a file needs it: each one asked for is a git process
  const shaOf = (role: ShopChange['role']) => {
    const { mark, at } = marks.get(role)!;
    return { sha: history.sha(mark), at };
  };
  const commits: (Omit<Deployment, 'sha'> & { mark: number })[] = [];
  let couponIncidentId = '';

  for (const [index, change] of shopHistory.entries()) {
    const at = timeOf(change);
    const subject = `${change.subject} (#${index + 1})`;
    const files: Record<string, string> = { ...change.files };
    const add = <T>(into: Set<T>, parts: readonly T[] | undefined) => parts?.forEach((part) => into.add(part));
    add(cart, change.cart);
    add(account, change.account);
    add(search, change.search);
    add(cartTests, change.cartTests);
    add(accountTests, change.accountTests);
    if (change.pricing) pricing[change.pricing] = true;
    if (change.cart || change.role === 'start') files['pages/cart.mjs'] = cartPage(cart);
    if (change.account) files['pages/account.mjs'] = accountPage(account);
    if (change.search) files['pages/search.mjs'] = searchPage(search);
    if (change.cartTests || change.role === 'start')
      files['flows/checkout/cart.spec.ts'] = cartSpec(cartTests, cartTotal(cart, true));
    if (change.accountTests) files['flows/account/sign-in.spec.ts'] = accountSpec(accountTests);
    if (change.pricing || change.role === 'start')
      files['server.mjs'] = shopServer('price_id', pricing.annual, pricing.perks);
    for (const flow of change.flows ?? []) files[`flows/${flow}/flow.yaml`] = flowFiles[flow];
    if (change.role === 'start') Object.assign(files, startFiles(port));
    if (change.role === 'waiver') files['flows/search/waivers.yaml'] = searchWaiver(shaOf('waived').sha, at);
    if (change.role === 'regression-test') {
      const pr = pullRequestOf(subject)!;
      const regression = couponRegression(shaOf('coupon-bug'), shaOf('coupon-fix'), { at, pr });
      Object.assign(files, regression.files);
      regressions.push(regression.id);
      couponIncidentId = regression.id;
    }
    Object.assign(specs, Object.fromEntries(Object.entries(files).filter(([file]) => file.endsWith('.spec.ts'))));
    const mark = history.commit(subject, files, at);
    if (change.role) marks.set(change.role, { mark, at });
    commits.push({ mark, at, tests: testsPerFlow(specs), incidents: [...regressions] });
  }
  return {
    deployments: commits.map(({ mark, ...deployed }) => ({ ...deployed, sha: history.sha(mark) })),
    pricing,
    nightly: {
      from: marks.get('nightly-starts')!.at,
      pauses: [{ from: marks.get('nightly-breaks')!.at, until: marks.get('nightly-mended')!.at }],
    },
    couponIncidentId,
  };
}

/** The E2E tests of each flow in the specs given (flows/<flow>/…spec.ts). */
function testsPerFlow(specs: Record<string, string>): Record<string, number> {
  const tests: Record<string, number> = {};
  for (const [file, text] of Object.entries(specs)) {
    const flow = file.split('/')[1]!;
    tests[flow] = (tests[flow] ?? 0) + testsIn(text);
  }
  return tests;
}

function startFiles(port: number): Record<string, string> {
  return {
    '.gitignore': 'node_modules\n.verigap/\ntest-results/\n',
    'verigap.yaml': demoConfig(port),
    'flows/trial/flow.yaml': trialFlow,
    'flows/trial/pricing.spec.ts': pricingSpec,
    'package.json': '{ "name": "shop", "private": true, "type": "module" }\n',
  };
}

/** flows/search/waivers.yaml as `verigap review`'s w writes it. */
function searchWaiver(sha: string, at: number): string {
  const file = 'flows/search/waivers.yaml';
  const waiver = {
    sha: sha.slice(0, 12),
    reason: 'Cosmetic: the matched words are marked; what the search finds is unchanged',
    by: '@discovery',
    at: new Date(at).toISOString(),
  };
  return `${schemaModeline(file, 'waivers.schema.json')}\n${stringify([waiver])}`;
}

/**
 * The coupon incident and its regression test as the pull request of `verigap incident test --prove --pr` left them:
 * the spec compiled from the incident's steps, and the incident with the test, its proof on the revision before the
 * fix and on the fix, and the pull request.
 */
function couponRegression(
  bug: { sha: string; at: number },
  fix: { sha: string; at: number },
  merged: { at: number; pr: number },
): { id: string; files: Record<string, string> } {
  // live 40 minutes after its merge, alerted on the next morning, fixed that afternoon
  const started = bug.at + 40 * 60_000;
  const id = `${new Date(started).toISOString().slice(0, 10)}-${couponIncident.slug}`;
  const flow = couponIncident.flow;
  const test = `flows/${flow}/${id}.spec.ts`;
  const compiled = compileSteps(couponIncident.steps.join('\n'));
  if (!compiled.ok)
    throw new Error(`the demo's coupon incident steps do not compile: line ${compiled.problems[0]!.line}`);
  const spec = specSource({ incidentId: id, flowId: flow, title: couponIncident.title }, compiled.body);
  const incident = renderIncidentFile(
    {
      id,
      title: couponIncident.title,
      severity: couponIncident.severity,
      status: 'resolved',
      flows: [flow],
      started_at: new Date(started).toISOString(),
      detected_at: new Date(bug.at + 18.3 * HOUR).toISOString(),
      resolved_at: new Date(fix.at + 70 * 60_000).toISOString(),
      detection: 'monitor',
      introduced_by: bug.sha.slice(0, 12),
      fixed_by: fix.sha.slice(0, 12),
    },
    couponIncidentBody(couponIncident.steps),
  );
  const proof = {
    // the fix's parent: the history merges nothing between the two
    fails_on: bug.sha,
    passes_on: fix.sha,
    at: new Date(merged.at - 40 * 60_000).toISOString(),
    repeat: couponIncident.proof.repeat,
    failure: couponIncident.proof.failure,
    failed_at_line: spec.split('\n').findIndex((line) => line.includes('// @incident-assertion')) + 1,
    before_ms: couponIncident.proof.before_ms,
    after_ms: couponIncident.proof.after_ms,
    mode: couponIncident.proof.mode,
  };
  const withTest = setRegression(incident, { test, proof });
  const withPr = setRegression(withTest, { pr: `https://github.com/verigap-demo/shop/pull/${merged.pr}` });
  return { id, files: { [test]: spec, [`incidents/${id}.md`]: withPr } };
}
