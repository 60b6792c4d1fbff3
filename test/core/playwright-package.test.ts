import { describe, expect, it } from 'vitest';
import { globFolder, playwrightPackageDir } from '../../src/core/playwright-package.js';

describe('globFolder', () => {
  it.each([
    ['e2e/tests/**/*.spec.ts', 'e2e/tests'],
    ['e2e/checkout.smoke.spec.ts', 'e2e'],
    ['apps/web/{e2e,tests}/*.ts', 'apps/web'],
    ['**/*.spec.ts', ''],
    ['checkout.spec.ts', ''],
    ['packages/*/e2e/*.ts', 'packages'],
  ])('%s → "%s"', (glob, folder) => expect(globFolder(glob)).toBe(folder));
});

describe('playwrightPackageDir', () => {
  it('beside a config: the deepest package declaring Playwright that holds it', () => {
    expect(playwrightPackageDir(['', 'apps/web'], 'apps/web/playwright.config.ts', [])).toBe('apps/web');
    expect(playwrightPackageDir(['', 'apps/web'], 'playwright.config.ts', ['apps/web/e2e'])).toBe('');
    // a workspace member whose Playwright is hoisted to the root
    expect(playwrightPackageDir([''], 'apps/web/playwright.config.ts', [])).toBe('');
  });

  it("without a config: the deepest package that holds the flows' tests, else the root", () => {
    expect(playwrightPackageDir(['', 'e2e'], undefined, ['flows/checkout', 'e2e/tests'])).toBe('e2e');
    expect(playwrightPackageDir(['e2e', 'e2e/legacy'], undefined, ['e2e/legacy/tests'])).toBe('e2e/legacy');
    expect(playwrightPackageDir(['', 'e2e'], undefined, ['flows/checkout', ''])).toBe('');
    expect(playwrightPackageDir(['e2e-tools'], undefined, ['e2e/tests'])).toBe('');
    expect(playwrightPackageDir([], undefined, ['e2e/tests'])).toBe('');
  });
});
