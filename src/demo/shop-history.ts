import type { AccountPart, CartPart, SearchPart } from './shop-pages.js';
import type { AccountTest, CartTest } from './shop-flows.js';

/**
 * Twelve weeks of the demo shop's main branch, oldest first, before the trial's bug and its fix (services/demo.ts):
 * squash-merged pull requests over four flows. checkout is tested from the start and gets more tests with its
 * features; account ships three features before its first test; search never gets one (one of its features is
 * waived). The nightly production check starts in week 0 and silently stops for a week (weeks 5–6). In week 4 a
 * refactor breaks coupon codes typed in lower case: an incident, its fix, and its proven regression test.
 */
export interface ShopChange {
  /** The trend week it is merged in (0: twelve weeks before this one, 11: last week), the day (0: Monday), the UTC hour. */
  week: number;
  day: number;
  hour: number;
  /** The pull request's title: merged as `<title> (#<n>)`, n counting from 1. */
  subject: string;
  cart?: CartPart[];
  account?: AccountPart[];
  search?: SearchPart[];
  cartTests?: CartTest[];
  accountTests?: AccountTest[];
  /** The flows whose flow.yaml this change adds. */
  flows?: ('checkout' | 'account' | 'search')[];
  /** What the pricing page (the trial flow, server.mjs) ships: the annual price, Pro's perks. */
  pricing?: 'annual' | 'perks';
  /** Other files, as they are. */
  files?: Record<string, string>;
  /** What the builder looks for: the start, the coupon incident's bug, fix and test, the waived feature and its waiver, the nightly check. */
  role?:
    | 'start'
    | 'coupon-bug'
    | 'coupon-fix'
    | 'regression-test'
    | 'waived'
    | 'waiver'
    | 'nightly-starts'
    | 'nightly-breaks'
    | 'nightly-mended';
}

const workflow = (runner: string) => `name: production check
on:
  schedule: [{ cron: '0 3 * * 1-5' }]
jobs:
  e2e:
    runs-on: ${runner}
    steps:
      - uses: actions/checkout@v4
      - run: npx playwright test flows --reporter=json > results.json
        env: { BASE_URL: https://shop.example }
      - run: npx verigap verify ingest results.json --commit-from https://shop.example/version --push
`;

export const shopHistory: readonly ShopChange[] = [
  {
    week: 0,
    day: 0,
    hour: 9,
    subject: 'chore: shop with pricing and checkout',
    flows: ['checkout'],
    role: 'start',
  },
  {
    week: 0,
    day: 1,
    hour: 14,
    subject: 'ci: check production every night with the Playwright suite',
    files: { '.github/workflows/production.yml': workflow('ubuntu-latest') },
    role: 'nightly-starts',
  },
  { week: 0, day: 2, hour: 11, subject: 'feat(checkout): show the total with VAT', cart: ['tax'] },
  {
    week: 0,
    day: 3,
    hour: 16,
    subject: 'feat(search): search products by name',
    search: [],
    flows: ['search'],
  },
  {
    week: 1,
    day: 1,
    hour: 10,
    subject: 'feat(account): sign in with e-mail and password',
    account: [],
    flows: ['account'],
  },
  { week: 1, day: 3, hour: 15, subject: 'feat(billing): show the annual price', pricing: 'annual' },
  { week: 1, day: 4, hour: 11, subject: 'feat(search): show the price of each result', search: ['price'] },
  {
    week: 2,
    day: 0,
    hour: 13,
    subject: 'feat(checkout): apply a coupon code',
    cart: ['coupon'],
    cartTests: ['coupon'],
  },
  { week: 2, day: 2, hour: 10, subject: 'feat(search): filter results by category', search: ['category'] },
  {
    week: 2,
    day: 4,
    hour: 9,
    subject: 'fix(account): keep the e-mail after a wrong password',
    account: ['keep-email'],
  },
  { week: 3, day: 1, hour: 16, subject: 'feat(account): reset a forgotten password', account: ['reset'] },
  {
    week: 3,
    day: 3,
    hour: 11,
    subject: 'docs: how to run the shop locally',
    files: { 'README.md': '# Shop\n\n`node server.mjs`, then open http://localhost:3000/pricing\n' },
  },
  { week: 3, day: 4, hour: 10, subject: 'feat(checkout): free shipping over $50', cart: ['shipping'] },
  {
    week: 4,
    day: 0,
    hour: 10,
    subject: 'test(account): an E2E test of signing in',
    accountTests: ['sign-in'],
  },
  { week: 4, day: 2, hour: 14, subject: 'feat(account): show recent orders', account: ['orders'] },
  {
    week: 4,
    day: 3,
    hour: 15,
    subject: 'refactor(checkout): one price helper for the cart and the order',
    cart: ['price-helper'],
    role: 'coupon-bug',
  },
  {
    week: 4,
    day: 4,
    hour: 14,
    subject: 'fix(checkout): accept coupon codes in any case again',
    cart: ['coupon-fix'],
    role: 'coupon-fix',
  },
  {
    week: 5,
    day: 0,
    hour: 10,
    subject: 'test(checkout): a proven regression test for the coupon incident',
    role: 'regression-test',
  },
  { week: 5, day: 1, hour: 15, subject: 'feat(checkout): show what the coupon saved', cart: ['saving'] },
  {
    week: 5,
    day: 3,
    hour: 10,
    subject: 'ci: run the nightly check on the new runner pool',
    files: { '.github/workflows/production.yml': workflow('shop-runners') },
    role: 'nightly-breaks',
  },
  { week: 5, day: 3, hour: 14, subject: 'feat(search): suggest products while typing', search: ['suggest'] },
  {
    week: 6,
    day: 1,
    hour: 11,
    subject: 'feat(checkout): pay with the saved card',
    cart: ['saved-card'],
    cartTests: ['saved-card'],
  },
  {
    week: 6,
    day: 3,
    hour: 16,
    subject: 'feat(search): highlight the matched words',
    search: ['highlight'],
    role: 'waived',
  },
  {
    week: 6,
    day: 4,
    hour: 10,
    subject: 'ci: the nightly check runs again: the new pool had no Chromium',
    files: { '.github/workflows/production.yml': workflow('ubuntu-latest') },
    role: 'nightly-mended',
  },
  { week: 6, day: 4, hour: 15, subject: 'chore(search): waive the E2E test of the highlight', role: 'waiver' },
  {
    week: 7,
    day: 1,
    hour: 10,
    subject: 'feat(account): change the e-mail address',
    account: ['change-email'],
    accountTests: ['change-email'],
  },
  { week: 7, day: 3, hour: 17, subject: 'feat(checkout): gift wrap', cart: ['gift-wrap'] },
  {
    week: 8,
    day: 1,
    hour: 14,
    subject: 'feat(search): add a product to the cart from the results',
    search: ['add-to-cart'],
    cart: ['add-from-search'],
  },
  { week: 8, day: 3, hour: 11, subject: 'feat(account): choose the language of e-mails', account: ['language'] },
  { week: 8, day: 4, hour: 16, subject: 'feat(account): download your data', account: ['export'] },
  { week: 9, day: 0, hour: 23.5, subject: 'feat(checkout): show the delivery estimate', cart: ['delivery'] },
  {
    week: 9,
    day: 2,
    hour: 12,
    subject: 'chore: an editorconfig',
    files: { '.editorconfig': 'root = true\n\n[*]\nindent_style = space\nindent_size = 2\n' },
  },
  { week: 10, day: 0, hour: 16, subject: 'feat(account): show since when one is a member', account: ['member-since'] },
  {
    week: 10,
    day: 1,
    hour: 9,
    subject: 'feat(search): suggest categories when nothing matches',
    search: ['no-results'],
  },
  {
    week: 10,
    day: 3,
    hour: 13,
    subject: 'feat(checkout): a note for the order',
    cart: ['order-notes'],
    cartTests: ['order-notes'],
  },
  // week 11 ends before Thursday 16:00, the earliest the trial's bug can land (80 hours before now, on a Monday)
  { week: 11, day: 0, hour: 15, subject: 'feat(account): sign out on every device', account: ['sign-out-all'] },
  { week: 11, day: 2, hour: 10, subject: 'feat(billing): list what Pro includes', pricing: 'perks' },
];
