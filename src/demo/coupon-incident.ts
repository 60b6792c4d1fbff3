/**
 * The demo shop's earlier incident (week 4 of its history): a refactor of the cart's price made coupon codes typed in
 * lower case crash the order. Its regression test was proven and merged the next week (shop-history.ts).
 */
export const couponIncident = {
  slug: 'orders-with-a-coupon-code-fail',
  title: 'Orders with a lower-case coupon code fail',
  severity: 'SEV2',
  flow: 'checkout',
  /** The steps verigap compiled into its regression test. */
  steps: [
    'Go to /cart',
    'Fill "Coupon code" with "spring"',
    'Click "Place order"',
    'Expect the text "Thank you for your order" to be visible',
  ],
  /**
   * What `verigap incident test <id> --prove` reported on this history's revisions (the failure and its line are the
   * compiled spec's; the times are one run's on a 2-core machine).
   */
  proof: {
    repeat: 3,
    failure: 'Error: expect(locator).toBeVisible() failed',
    before_ms: 20_504,
    after_ms: 20_504,
    mode: 'both',
  },
};

export const couponIncidentBody = (steps: readonly string[]) => `## What happened
Orders with a coupon code typed in lower case ("spring") failed with "Something went wrong" for a day. The
monitor of orders with a coupon alerted the next morning; the fix shipped that afternoon.

## Steps to reproduce
${steps.map((step, index) => `${index + 1}. ${step}`).join('\n')}

## Expected
The order goes through at 10% off.

## Actual
POST /order answers 500: the new price helper looks the code up as typed, and "spring" is no coupon.

## Root cause
The refactor that gave the cart and the order one price helper dropped the upper-casing of the code. The cart's
E2E test applies "SPRING", so it passed.

## Action items
- Regression test on the checkout flow (merged with its proof).
`;
