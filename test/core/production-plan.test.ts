import { describe, expect, it } from 'vitest';
import { globRegExpSource } from '../../src/core/glob.js';
import { productionCron } from '../../src/core/production-schedule.js';
import { productionSelection } from '../../src/core/production-selection.js';

const cronOf = (...schedules: (string | undefined)[]) =>
  productionCron(schedules.map((schedule, index) => ({ id: `f${index}`, schedule })));

describe('productionCron: the shortest schedule, as a cron GitHub can keep', () => {
  it.each([
    ['5m', '*/5 * * * *'],
    ['15m', '*/15 * * * *'],
    ['30m', '*/30 * * * *'],
    ['1h', '0 * * * *'],
    ['60m', '0 * * * *'],
    ['2h', '0 */2 * * *'],
    ['6h', '0 */6 * * *'],
    ['12h', '0 */12 * * *'],
    ['24h', '0 6 * * *'],
    ['1d', '0 6 * * *'],
  ])('%s → %s, without a rounding note', (schedule, cron) => {
    const result = cronOf(schedule);
    expect(result.cron).toBe(cron);
    expect(result.comment).toHaveLength(1);
    expect(result.comment[0]).toContain(`the shortest schedule, ${schedule} of flow f0`);
  });

  it.each([
    ['7m', '*/6 * * * *', '6m'],
    ['25m', '*/20 * * * *', '20m'],
    ['45m', '*/30 * * * *', '30m'],
    ['59m', '*/30 * * * *', '30m'],
    ['330s', '*/5 * * * *', '5m'],
    ['90m', '0 * * * *', '1h'],
    ['1.5h', '0 * * * *', '1h'],
    ['5h', '0 */4 * * *', '4h'],
    ['10h', '0 */8 * * *', '8h'],
    ['23h', '0 */12 * * *', '12h'],
  ])('%s is rounded down to %s, and says so', (schedule, cron, every) => {
    const result = cronOf(schedule);
    expect(result.cron).toBe(cron);
    expect(result.comment[1]).toBe(`${schedule} is no interval a cron can keep evenly: rounded down to ${every}`);
  });

  it('the shortest of several wins, flows without a schedule aside', () => {
    expect(productionCron([{ id: 'a', schedule: '1h' }, { id: 'b' }, { id: 'c', schedule: '15m' }])).toEqual({
      cron: '*/15 * * * *',
      comment: ['every 15m: the shortest schedule, 15m of flow c'],
    });
  });

  it('no schedule at all: hourly, and the comment says why', () => {
    const result = cronOf(undefined, undefined);
    expect(result.cron).toBe('0 * * * *');
    expect(result.comment.join(' ')).toMatch(/no flow has a schedule/);
    expect(productionCron([]).cron).toBe('0 * * * *');
  });
});

describe('globRegExpSource: SPEC §2 globs as the regexes Playwright takes', () => {
  const matches = (glob: string, path: string) => new RegExp(`^${globRegExpSource(glob)}$`).test(path);
  it.each([
    ['e2e/*.smoke.spec.ts', 'e2e/checkout.smoke.spec.ts', true],
    ['e2e/*.smoke.spec.ts', 'e2e/deep/checkout.smoke.spec.ts', false],
    ['e2e/*.smoke.spec.ts', 'e2e/checkoutXsmoke.spec.ts', false],
    ['e2e/**/*.spec.ts', 'e2e/a.spec.ts', true],
    ['e2e/**/*.spec.ts', 'e2e/a/b/c.spec.ts', true],
    ['**/smoke.spec.ts', 'smoke.spec.ts', true],
    ['**/smoke.spec.ts', 'a/b/smoke.spec.ts', true],
    ['e2e/smoke/**', 'e2e/smoke/a/b.ts', true],
    ['e2e/{cart,pay}.spec.ts', 'e2e/pay.spec.ts', true],
    ['e2e/{cart,pay}.spec.ts', 'e2e/other.spec.ts', false],
    ['e2e/a?.spec.ts', 'e2e/ab.spec.ts', true],
    ['e2e/a?.spec.ts', 'e2e/a/.spec.ts', false],
    ['e2e/(x)+[y].spec.ts', 'e2e/(x)+[y].spec.ts', true],
  ])('%s on %s: %s', (glob, path, expected) => {
    expect(matches(glob, path)).toBe(expected);
  });
});

describe("productionSelection: the union of the flows' production: entries", () => {
  it('no flow with production: → undefined (init refuses)', () => {
    expect(productionSelection([{ id: 'a' }, { id: 'b', production: [] }], '.')).toBeUndefined();
  });

  it('tags only: one --grep alternation, escaped, that does not pick a longer tag', () => {
    const selection = productionSelection(
      [
        { id: 'checkout', production: ['@production', '@smoke.prod'] },
        { id: 'signup', production: ['@production'] },
        { id: 'admin' },
      ],
      '.',
    )!;
    expect(selection.flows).toEqual([
      { id: 'checkout', entries: ['@production', '@smoke.prod'] },
      { id: 'signup', entries: ['@production'] },
    ]);
    expect(selection.files).toEqual([]);
    expect(selection.grep).toBe('(?:@production|@smoke\\.prod)(?![\\w:.-])');
    // Playwright: new RegExp(grep, 'gi') over "<project> <file> <describe> <title> <tags>"
    const grep = new RegExp(selection.grep!, 'i');
    expect(grep.test(' chromium e2e/a.spec.ts pays by card @production')).toBe(true);
    expect(grep.test(' chromium e2e/a.spec.ts pays @smoke.prod @flow:checkout')).toBe(true);
    expect(grep.test(' chromium e2e/a.spec.ts pays @smokeXprod')).toBe(false);
    expect(grep.test(' chromium e2e/a.spec.ts pays @production-unsafe')).toBe(false);
    expect(grep.test(' chromium e2e/a.spec.ts pays @production:write')).toBe(false);
  });

  it('globs only: file arguments, no --grep', () => {
    const selection = productionSelection(
      [{ id: 'checkout', production: ['e2e/checkout.smoke.spec.ts', 'flows/checkout/*.prod.spec.ts'] }],
      '.',
    )!;
    expect(selection.grep).toBeUndefined();
    expect(selection.files).toEqual(['e2e/checkout\\.smoke\\.spec\\.ts', 'flows/checkout/[^/]*\\.prod\\.spec\\.ts']);
  });

  it('tags and globs: one --grep for the union (Playwright would intersect file arguments with --grep)', () => {
    const selection = productionSelection(
      [
        { id: 'checkout', production: ['@production'] },
        { id: 'search', production: ['e2e/search/*.spec.ts'] },
      ],
      '.',
    )!;
    expect(selection.files).toEqual([]);
    const grep = new RegExp(selection.grep!, 'i');
    expect(grep.test(' chromium e2e/cart.spec.ts adds @production')).toBe(true);
    expect(grep.test(' chromium e2e/search/find.spec.ts finds a shoe')).toBe(true);
    expect(grep.test(' chromium e2e/cart.spec.ts adds')).toBe(false);
    expect(grep.test(' chromium e2e/search/deep/find.spec.ts finds')).toBe(false);
    expect(grep.test(' chromium x/e2e/search/find.spec.ts finds')).toBe(false);
  });

  it('with a config in a folder, the globs are made relative to it, as Playwright titles the files', () => {
    const inside = new RegExp(
      productionSelection([{ id: 'a', production: ['@p', 'e2e/search/*.spec.ts'] }], 'e2e')!.grep!,
      'i',
    );
    expect(inside.test(' chromium search/find.spec.ts finds')).toBe(true);
    expect(inside.test(' chromium e2e/search/find.spec.ts finds')).toBe(false);
    const outside = new RegExp(
      productionSelection([{ id: 'a', production: ['@p', 'flows/a/*.spec.ts'] }], 'config/pw')!.grep!,
      'i',
    );
    expect(outside.test(' flows ../../flows/a/x.spec.ts works')).toBe(true);
  });
});
