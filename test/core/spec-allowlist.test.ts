import { describe, expect, it } from 'vitest';
import { checkAllowlist, targetProblem } from '../../src/core/spec-allowlist.js';
import { compileSteps, specSource } from '../../src/core/steps.js';
import { exploreSpec } from '../../src/core/explore.js';

const origins = ['http://127.0.0.1:3000'];
const header = { incidentId: '2026-11-20-x', flowId: 'trial', title: 'Trial never reaches checkout' };

function compiled(steps: string): string {
  const result = compileSteps(steps);
  if (!result.ok) throw new Error(`does not compile: ${JSON.stringify(result.problems)}`);
  return specSource(header, result.body);
}

/** A compiled spec with `statement` in its test body, after the first step. */
const withStatement = (statement: string) =>
  compiled('Go to /pricing\nExpect the URL to contain /checkout').replace(
    '  // step 2:',
    `  ${statement}\n  // step 2:`,
  );

describe('the allowlist: a spec verigap runs holds only what the steps compiler emits', () => {
  it("accepts every statement the compiler emits, whatever the steps' words", () => {
    const steps = [
      'Go to /pricing?plan=pro#top',
      'Click "Start free trial"',
      'Click the "Menu" menu item',
      'Click "Save" checkbox',
      'Fill "Email" with "http://evil.example/x"',
      'Fill "Notes" with "Note: mailto:a@b.c ${x} `y` \\\\ */ </script>"',
      'Select "Pro" in "Plan"',
      'Check "I agree"',
      'Uncheck "Newsletter"',
      'Press Control+A',
      'Wait for the text "Total: 5 items"',
      'Expect the URL to contain /checkout?step=1',
      'Expect the text "Error: email required" to be visible',
      'Expect the text "https://example.com is down" not to be visible',
      'Expect the "Pay" button to be disabled',
      'Expect the "Terms" checkbox to be unchecked',
      'Expect the "Cart" status to contain the text "1 item"',
      'Expect the "Email" textbox to have the value ""',
      'Expect 3 "Result" rows',
      'Expect the "Todo list" list to have 0 items',
      'Expect the title to be "https://example.com — Checkout"',
      'Expect GET /api/orders?id=1 to return 200 with "paid"',
      'Expect PATCH /api/orders/1 to return 204',
      'Expect DELETE /api/orders/1 to return 404 with "gone"',
    ];
    expect(checkAllowlist(compiled(steps.join('\n')), { origins })).toEqual([]);
  });

  it("accepts an absolute URL on baseURL's origin or an allowed one, as a navigation target", () => {
    expect(checkAllowlist(withStatement('await page.goto("http://127.0.0.1:3000/a");'), { origins })).toEqual([]);
    expect(
      checkAllowlist(withStatement('await page.goto("https://js.stripe.com/v3");'), {
        origins: [...origins, 'https://js.stripe.com'],
      }),
    ).toEqual([]);
  });

  it.each([
    [
      'code execution through the page',
      'await page.evaluate(() => document.cookie);',
      /line 7: `await page\.evaluate\(\(\) => document\.cookie\);` is not a statement the steps compiler emits \(no step compiles to evaluate, document, cookie\)/,
    ],
    [
      'the process, by any route',
      'await page.goto([].constructor.constructor("return process")());',
      /no step compiles to constructor/,
    ],
    ['a computed member', 'await page["goto"]("/a");', /its shape differs from every step's/],
    ['a template literal for a string', 'await page.goto(`/a`);', /its shape differs from every step's/],
    ['a statement that is not awaited', 'page.goto("/a");', /its shape differs from every step's/],
    [
      'an option the compiler never passes',
      'await page.getByText("x").first().click({ force: true });',
      /no step compiles to force/,
    ],
    [
      "a file through Playwright's own options",
      'await page.getByLabel("Avatar").setInputFiles("/etc/passwd");',
      /no step compiles to setInputFiles/,
    ],
    [
      'a screenshot to any path',
      'await page.screenshot({ path: ".git/config" });',
      /no step compiles to screenshot, path/,
    ],
    ['its own route', 'await page.route("**/*", (route) => route.continue());', /no step compiles to route, continue/],
    ['test.fail()', 'test.fail();', /no step compiles to test, fail/],
    [
      'a browser of its own',
      'await chromium.launch({ executablePath: "/bin/sh" });',
      /no step compiles to chromium, launch, executablePath/,
    ],
    ['a regex built at run time', 'await expect(page).toHaveURL(new RegExp("x"));', /no step compiles to RegExp/],
    [
      'another origin',
      'await page.goto("http://127.0.0.1:4000/");',
      /"http:\/\/127\.0\.0\.1:4000\/" reaches http:\/\/127\.0\.0\.1:4000, outside baseURL's origin http:\/\/127\.0\.0\.1:3000/,
    ],
    ['a protocol-relative URL', 'await page.goto("//evil.example/x");', /reaches http:\/\/evil\.example/],
    ['a backslash read as a slash', 'await page.goto("/\\\\evil.example");', /reaches http:\/\/evil\.example/],
    [
      'a control character before a URL',
      'await page.goto("\\u0001http://evil.example");',
      /contains the control or invisible character U\+0001/,
    ],
    ['an invisible character', 'await page.goto("/a\\u200b");', /contains the control or invisible character U\+200B/],
    ['another scheme', 'await page.goto("javascript:alert(1)");', /uses the javascript: scheme, not http\(s\)/],
    [
      'a request to another origin',
      'await expect.poll(async () => { const response = await page.request.get("//evil.example/x"); return `${response.status()} ${await response.text()}`; }).toMatch(/^200 /);',
      /reaches http:\/\/evil\.example/,
    ],
  ])('refuses %s, naming the line and the reason', (_what, statement, reason) => {
    const problems = checkAllowlist(withStatement(statement), { origins });
    expect(problems.join('\n')).toMatch(reason);
  });

  it('refuses anything beside the import and the one test, and another test frame', () => {
    const spec = compiled('Go to /a');
    expect(
      checkAllowlist(
        spec.replace(
          "import { test, expect } from '@playwright/test';",
          "import { test, expect } from '@playwright/test';\nimport { readFileSync } from 'node:fs';",
        ),
        { origins },
      ).join('\n'),
    ).toMatch(
      /a compiled spec has one `test\("<title>", async \(\{ page \}\) => \{ … \}\)` and nothing else at its top level/,
    );
    expect(
      checkAllowlist(spec.replace('import { test, expect }', 'import { test, expect, chromium }'), { origins }).join(
        '\n',
      ),
    ).toMatch(/line 1: a compiled spec starts with `import \{ test, expect \} from '@playwright\/test';`/);
    expect(checkAllowlist(spec.replace("'@playwright/test'", "'./fixtures'"), { origins }).join('\n')).toMatch(
      /line 1: a compiled spec starts with/,
    );
    expect(
      checkAllowlist(spec.replace('async ({ page })', 'async ({ page, request })'), { origins }).join('\n'),
    ).toMatch(/line 4: a compiled spec has one `test/);
    expect(checkAllowlist(`${spec}test.use({ baseURL: "http://evil.example" });\n`, { origins }).join('\n')).toMatch(
      /line 8: a compiled spec has nothing after its test \(`test\.use/,
    );
    expect(checkAllowlist(spec.replace('test(', 'declare const global: any;\ntest('), { origins }).join('\n')).toMatch(
      /a compiled spec has one `test/,
    );
    expect(checkAllowlist('test(', { origins })[0]).toMatch(/^line 1: /);
  });

  it('judges navigation targets the way the browser resolves them', () => {
    expect(targetProblem('/checkout', origins)).toBeNull();
    expect(targetProblem('checkout', origins)).toBeNull();
    expect(targetProblem(' http://evil.example', origins)).toMatch(/starts or ends with white space/);
    expect(targetProblem('http://127.0.0.1:3000\uff0eevil.example', origins)).not.toBeNull();
    expect(targetProblem('file:///etc/passwd', origins)).toMatch(/uses the file: scheme/);
    expect(targetProblem('data:text/html,<script>1</script>', origins)).toMatch(/uses the data: scheme/);
  });

  it("holds an explore spec to the same rule: compiled statements, then verigap's snapshot hook exactly", () => {
    const result = compileSteps('Go to /pricing\nClick "Start free trial"');
    if (!result.ok) throw new Error('does not compile');
    const spec = exploreSpec(header, result.body);
    expect(checkAllowlist(spec, { origins, explore: true })).toEqual([]);
    expect(checkAllowlist(spec, { origins })).toEqual([
      expect.stringMatching(/a compiled spec has nothing after its test \(`test\.afterEach/),
    ]);
    const savedToDisk = spec.replace("contentType: 'text/plain'", "path: '.git/config'");
    expect(checkAllowlist(savedToDisk, { origins, explore: true })).toEqual([
      expect.stringMatching(/a compiled spec has nothing after its test/),
    ]);
    const twoHooks = `${spec}\n${spec.slice(spec.indexOf('test.afterEach'))}`;
    expect(checkAllowlist(twoHooks, { origins, explore: true })).toHaveLength(2);
  });
});
