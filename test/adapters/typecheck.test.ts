import { describe, expect, it } from 'vitest';
import { typeCheckSpec } from '../../src/adapters/typecheck.js';

const spec = (body: string) =>
  `import { test, expect } from '@playwright/test';\ntest('t', async ({ page }) => {\n${body}\n});\n`;

describe('the type-check of a generated spec', () => {
  it('accepts a spec that uses only Playwright', async () => {
    expect(
      await typeCheckSpec(spec("  await page.goto('/pricing');\n  await expect(page).toHaveURL(/checkout/);")),
    ).toEqual([]);
  });

  it('accepts DOM globals inside page.evaluate (the DOM library is added when a spec needs it)', async () => {
    expect(
      await typeCheckSpec(
        spec('  const title = await page.evaluate(() => document.title);\n  expect(title).toBe("Shop");'),
      ),
    ).toEqual([]);
  });

  it('names the line of a real type error and of an unknown name', async () => {
    const problems = await typeCheckSpec(spec("  await page.goto(42);\n  await pgae.click('x');"));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^line 3: Argument of type 'number' is not assignable/);
    expect(problems[1]).toMatch(/^line 4: Cannot find name 'pgae'/);
  });
});
