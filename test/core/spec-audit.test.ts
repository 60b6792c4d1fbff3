import { describe, expect, it } from 'vitest';
import { auditRegressionSpec } from '../../src/core/spec-audit.js';

const spec = (body: string, around = (test: string) => test) => `import { test, expect } from '@playwright/test';
${around(`test('trial reaches checkout @incident:2026-11-20-trial @flow:trial', async ({ page }) => {
  await page.goto('/pricing');
${body}
});`)}
`;
const assertion = '  await expect(page).toHaveURL(/checkout/); // @incident-assertion';

describe('auditRegressionSpec', () => {
  it('a spec as the generator writes it protects its flow', () => {
    expect(auditRegressionSpec(spec(assertion))).toBeNull();
    expect(
      auditRegressionSpec(
        spec(`  // @incident-assertion: the visitor lands on checkout\n  await expect(page).toHaveURL(/checkout/);`),
      ),
    ).toBeNull();
  });

  it('test.skip( or test.fixme( in a string, a template or a comment is not a skip', () => {
    const words = `  const note = "test.skip('x') and test.fixme()";\n  const more = \`describe.skip(\${note})\`;\n  // test.skip(); was here once\n  /* test.fixme() */\n${assertion}`;
    expect(auditRegressionSpec(spec(words))).toBeNull();
  });

  it('a real skip or fixme call is, in the test, around it, conditional or not', () => {
    expect(auditRegressionSpec(spec(`  test.fixme();\n${assertion}`))).toBe('skipped');
    expect(auditRegressionSpec(spec(`  test.skip(true, 'flaky on CI');\n${assertion}`))).toBe('skipped');
    expect(auditRegressionSpec(spec(assertion).replace("test('trial", "test.fixme('trial"))).toBe('skipped');
    expect(auditRegressionSpec(spec(assertion, (test) => `test.describe.skip('trial', () => {\n${test}\n});`))).toBe(
      'skipped',
    );
    expect(auditRegressionSpec(spec(assertion, (test) => `describe.skip('trial', () => {\n${test}\n});`))).toBe(
      'skipped',
    );
    expect(auditRegressionSpec(spec(`  test['skip']();\n${assertion}`))).toBe('skipped');
  });

  it('the incident assertion removed, commented out, unmarked, or only named in a string is detected', () => {
    expect(auditRegressionSpec(spec("  await page.getByRole('button', { name: 'Start' }).click();"))).toBe(
      'assertion-removed',
    );
    expect(auditRegressionSpec(spec('  await expect(page).toHaveURL(/checkout/);'))).toBe('assertion-removed');
    expect(auditRegressionSpec(spec('  await expect(page).toHaveURL("// @incident-assertion");'))).toBe(
      'assertion-removed',
    );
    expect(
      auditRegressionSpec(
        spec(
          `  // await expect(page).toHaveURL(/checkout/); // @incident-assertion\n  await expect(page.getByText('Pricing')).toBeVisible();`,
        ),
      ),
    ).toBe('assertion-removed');
    expect(auditRegressionSpec(spec(`  try {\n  ${assertion}\n  } catch {}`))).toBe('assertion-removed');
    expect(auditRegressionSpec('')).toBe('assertion-removed');
  });
});
