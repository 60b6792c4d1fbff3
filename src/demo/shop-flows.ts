/**
 * The demo shop's flows beside trial (shop.ts): checkout and account with their Playwright specs, written
 * from the tests their history has added so far, and search, which has none.
 */

export type CartTest = 'order' | 'coupon' | 'saved-card' | 'order-notes';
export type AccountTest = 'sign-in' | 'change-email';

const header = `import { test, expect } from '@playwright/test';\n`;

/**
 * flows/checkout/cart.spec.ts with what its history has added: a test of the coupon, and steps of the order's test
 * for the saved card and the order note (a feature's own test need not be a new test). `couponTotal` is what the
 * coupon test expects to pay.
 */
export function cartSpec(tests: ReadonlySet<CartTest>, couponTotal: string): string {
  const order = [
    `test('the cart takes an order @flow:checkout', async ({ page }) => {`,
    `  await page.goto('/cart');`,
    tests.has('saved-card') &&
      `  await expect(page.getByRole('checkbox', { name: 'Pay with the saved card ending 4242' })).toBeChecked();`,
    tests.has('order-notes') && `  await page.getByLabel('Order notes').fill('Leave it at the door');`,
    `  await page.getByRole('button', { name: 'Place order' }).click();`,
    `  await expect(page.getByRole('heading', { name: 'Thank you for your order' })).toBeVisible();`,
    tests.has('order-notes') && `  await expect(page.getByText('Your note: Leave it at the door')).toBeVisible();`,
    '});',
  ];
  const coupon = [
    `test('a coupon code lowers the total paid @flow:checkout', async ({ page }) => {`,
    `  await page.goto('/cart');`,
    `  await page.getByLabel('Coupon code').fill('SPRING');`,
    `  await page.getByRole('button', { name: 'Place order' }).click();`,
    `  await expect(page.getByText('Total paid: ${couponTotal}')).toBeVisible();`,
    '});',
  ];
  return specFile([order, tests.has('coupon') && coupon]);
}

/** flows/account/sign-in.spec.ts with what its history has added: the change of e-mail address, once signed in. */
export function accountSpec(tests: ReadonlySet<AccountTest>): string {
  const signIn = [
    `test('a customer signs in @flow:account', async ({ page }) => {`,
    `  await page.goto('/login');`,
    `  await page.getByLabel('Email').fill('ada@shop.example');`,
    `  await page.getByLabel('Password').fill('correct horse battery staple');`,
    `  await page.getByRole('button', { name: 'Sign in' }).click();`,
    `  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();`,
    tests.has('change-email') && `  await page.getByLabel('New e-mail').fill('ada@new.example');`,
    tests.has('change-email') && `  await page.getByRole('button', { name: 'Change e-mail' }).click();`,
    tests.has('change-email') &&
      `  await expect(page.getByText('We sent a confirmation to ada@new.example')).toBeVisible();`,
    '});',
  ];
  return specFile([signIn]);
}

const specFile = (tests: (readonly (string | false)[] | false)[]) =>
  `${header}\n${tests
    .filter((test) => test !== false)
    .map((test) => test.filter((line) => line !== false).join('\n'))
    .join('\n\n')}\n`;

export const checkoutFlow = `name: Buy from the cart
description: A customer places the order in the cart and sees it confirmed.
criticality: revenue
owner: '@checkout'
paths: [pages/cart.mjs]
start: /cart
`;

export const accountFlow = `name: Sign in to the account
description: A customer signs in with e-mail and password and reaches the account page.
criticality: trust
owner: '@identity'
paths: [pages/account.mjs]
start: /login
`;

export const searchFlow = `name: Find a product
description: A visitor searches the catalogue and finds the product.
criticality: retention
owner: '@discovery'
paths: [pages/search.mjs]
start: /search
`;

/** How many tests a spec file holds, as its production runs count them. */
export const testsIn = (spec: string): number => spec.match(/^test\(/gm)?.length ?? 0;
