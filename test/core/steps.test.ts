import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { compileSteps, specSource, stepAt } from '../../src/core/steps.js';
import { checkSpec } from '../../src/core/code-policy.js';

const header = { incidentId: '2026-11-20-trial', flowId: 'trial', title: 'Trial never reaches checkout' };
const MARK = ' // @incident-assertion';

/** The one statement a single step compiles to (the body is its comment line, then it). */
function statementOf(step: string): string {
  const compiled = compileSteps(step);
  if (!compiled.ok) throw new Error(`no rule matched: ${step}`);
  expect(compiled.body).toHaveLength(2);
  return compiled.body[1]!;
}

function syntaxErrors(code: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  });
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

const forms: [string, string][] = [
  ['Go to /pricing', 'await page.goto("/pricing");'],
  ['Go to https://example.com/a?b=1', 'await page.goto("https://example.com/a?b=1");'],
  [
    'Click "Start free trial"',
    `await page.getByRole('button', { name: "Start free trial" }).or(page.getByRole('link', { name: "Start free trial" })).first().click();`,
  ],
  ['Click the "Annual" tab', 'await page.getByRole("tab", { name: "Annual" }).click();'],
  ['Click "Settings" menu item', 'await page.getByRole("menuitem", { name: "Settings" }).click();'],
  ['Click the "Dark mode" switch', 'await page.getByRole("switch", { name: "Dark mode" }).click();'],
  [
    'Fill "Email" with "a@b.co"',
    'await page.getByLabel("Email").or(page.getByPlaceholder("Email")).first().fill("a@b.co");',
  ],
  ['Fill "Search" with ""', 'await page.getByLabel("Search").or(page.getByPlaceholder("Search")).first().fill("");'],
  ['Select "Pro" in "Plan"', 'await page.getByLabel("Plan").selectOption("Pro");'],
  [
    'Check "Buy milk"',
    'await page.getByLabel("Buy milk").or(page.getByRole("checkbox", { name: "Buy milk" })).first().check();',
  ],
  [
    'Uncheck "Newsletter"',
    'await page.getByLabel("Newsletter").or(page.getByRole("checkbox", { name: "Newsletter" })).first().uncheck();',
  ],
  [
    'Check the checkbox in the "Buy milk" list item',
    'await page.getByRole("listitem").filter({ hasText: "Buy milk" }).getByRole("checkbox").first().check();',
  ],
  [
    'uncheck checkbox in "Row 2" row',
    'await page.getByRole("row").filter({ hasText: "Row 2" }).getByRole("checkbox").first().uncheck();',
  ],
  [
    'Click the button in the "Buy milk" listitem',
    'await page.getByRole("listitem").filter({ hasText: "Buy milk" }).getByRole("button").first().click();',
  ],
  ['Press Enter', 'await page.keyboard.press("Enter");'],
  ['Press Control+Shift+K', 'await page.keyboard.press("Control+Shift+K");'],
  ['Wait for the text "Loading done"', 'await page.getByText("Loading done").first().waitFor();'],
  ['Wait for text "Ready"', 'await page.getByText("Ready").first().waitFor();'],
  ['Expect the URL to contain /checkout', `await expect(page).toHaveURL(/\\/checkout/);${MARK}`],
  ['Expect URL to contain "/a.b?c=(1)"', `await expect(page).toHaveURL(/\\/a\\.b\\?c=\\(1\\)/);${MARK}`],
  ['Expect the text "Saved" to be visible', `await expect(page.getByText("Saved")).toBeVisible();${MARK}`],
  ['Expect text "Oops" not to be visible', `await expect(page.getByText("Oops")).not.toBeVisible();${MARK}`],
  [
    'Expect the "Pay" button to be visible',
    `await expect(page.getByRole("button", { name: "Pay" })).toBeVisible();${MARK}`,
  ],
  [
    'Expect the "Spinner" progressbar to be hidden',
    `await expect(page.getByRole("progressbar", { name: "Spinner" })).toBeHidden();${MARK}`,
  ],
  [
    'Expect the "Pay" button to be enabled',
    `await expect(page.getByRole("button", { name: "Pay" })).toBeEnabled();${MARK}`,
  ],
  [
    'Expect "Pay" button to be disabled',
    `await expect(page.getByRole("button", { name: "Pay" })).toBeDisabled();${MARK}`,
  ],
  [
    'Expect the "Buy milk" checkbox to be checked',
    `await expect(page.getByRole("checkbox", { name: "Buy milk" })).toBeChecked();${MARK}`,
  ],
  [
    'Expect the "Buy milk" checkbox to be unchecked',
    `await expect(page.getByRole("checkbox", { name: "Buy milk" })).not.toBeChecked();${MARK}`,
  ],
  [
    'Expect the "Cart" status to contain the text "3 items"',
    `await expect(page.getByRole("status", { name: "Cart" })).toContainText("3 items");${MARK}`,
  ],
  [
    'Expect "Cart" region to contain text "Total"',
    `await expect(page.getByRole("region", { name: "Cart" })).toContainText("Total");${MARK}`,
  ],
  [
    'Expect the "Email" textbox to have the value "a@b.co"',
    `await expect(page.getByRole("textbox", { name: "Email" })).toHaveValue("a@b.co");${MARK}`,
  ],
  [
    'Expect "Qty" spinbutton to have value "2"',
    `await expect(page.getByRole("spinbutton", { name: "Qty" })).toHaveValue("2");${MARK}`,
  ],
  ['Expect 3 "Todo" listitems', `await expect(page.getByRole("listitem", { name: "Todo" })).toHaveCount(3);${MARK}`],
  ['Expect 1 "Delete" button', `await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(1);${MARK}`],
  ['Expect 0 "Error" alerts', `await expect(page.getByRole("alert", { name: "Error" })).toHaveCount(0);${MARK}`],
  ['Expect 2 "Open" menu items', `await expect(page.getByRole("menuitem", { name: "Open" })).toHaveCount(2);${MARK}`],
  ['Expect 2 "Agree" checkboxes', `await expect(page.getByRole("checkbox", { name: "Agree" })).toHaveCount(2);${MARK}`],
  [
    'Expect the "Todos" list to have 3 items',
    `await expect(page.getByRole("list", { name: "Todos" }).getByRole("listitem")).toHaveCount(3);${MARK}`,
  ],
  [
    'Expect the "Country" listbox to have 2 items',
    `await expect(page.getByRole("listbox", { name: "Country" }).getByRole("option")).toHaveCount(2);${MARK}`,
  ],
  [
    'Expect the "Country" combobox to have 5 items',
    `await expect(page.getByRole("combobox", { name: "Country" }).getByRole("option")).toHaveCount(5);${MARK}`,
  ],
  [
    'Expect the "Orders" table to have 4 items',
    `await expect(page.getByRole("table", { name: "Orders" }).getByRole("row")).toHaveCount(4);${MARK}`,
  ],
  [
    'Expect the "Orders" grid to have 4 items',
    `await expect(page.getByRole("grid", { name: "Orders" }).getByRole("row")).toHaveCount(4);${MARK}`,
  ],
  [
    'Expect the "Body" rowgroup to have 1 item',
    `await expect(page.getByRole("rowgroup", { name: "Body" }).getByRole("row")).toHaveCount(1);${MARK}`,
  ],
  [
    'Expect the "File" menu to have 6 items',
    `await expect(page.getByRole("menu", { name: "File" }).getByRole("menuitem")).toHaveCount(6);${MARK}`,
  ],
  [
    'Expect the "Main" menubar to have 3 items',
    `await expect(page.getByRole("menubar", { name: "Main" }).getByRole("menuitem")).toHaveCount(3);${MARK}`,
  ],
  [
    'Expect the "Billing" tablist to have 2 items',
    `await expect(page.getByRole("tablist", { name: "Billing" }).getByRole("tab")).toHaveCount(2);${MARK}`,
  ],
  [
    'Expect the "Files" tree to have 7 items',
    `await expect(page.getByRole("tree", { name: "Files" }).getByRole("treeitem")).toHaveCount(7);${MARK}`,
  ],
  [
    'Expect the "Links" navigation to have 4 items',
    `await expect(page.getByRole("navigation", { name: "Links" }).getByRole("listitem")).toHaveCount(4);${MARK}`,
  ],
  ['Expect the title to be "Checkout"', `await expect(page).toHaveTitle("Checkout");${MARK}`],
  [
    'Expect GET /api/trial to return 200 with "trial_started"',
    'await expect.poll(async () => { const response = await page.request.get("/api/trial"); return `${response.status()} ${await response.text()}`; }).toMatch(/^200 [\\s\\S]*trial_started/);' +
      MARK,
  ],
  [
    'Expect GET /api/health to return 204',
    'await expect.poll(async () => { const response = await page.request.get("/api/health"); return `${response.status()} ${await response.text()}`; }).toMatch(/^204 /);' +
      MARK,
  ],
  [
    'Expect POST /api/orders to return 201 with "created"',
    'await expect(page.request.fetch("/api/orders", { method: "POST" }).then(async (response) => `${response.status()} ${await response.text()}`)).resolves.toMatch(/^201 [\\s\\S]*created/);' +
      MARK,
  ],
  [
    'Expect PUT /api/orders/1 to return 200',
    'await expect(page.request.fetch("/api/orders/1", { method: "PUT" }).then(async (response) => `${response.status()} ${await response.text()}`)).resolves.toMatch(/^200 /);' +
      MARK,
  ],
  [
    'Expect PATCH /api/orders/1?x=a.b to return 409 with "conflict (v2) a/b"',
    'await expect(page.request.fetch("/api/orders/1?x=a.b", { method: "PATCH" }).then(async (response) => `${response.status()} ${await response.text()}`)).resolves.toMatch(/^409 [\\s\\S]*conflict \\(v2\\) a\\/b/);' +
      MARK,
  ],
  [
    'Expect DELETE /api/orders/1 to return 404',
    'await expect(page.request.fetch("/api/orders/1", { method: "DELETE" }).then(async (response) => `${response.status()} ${await response.text()}`)).resolves.toMatch(/^404 /);' +
      MARK,
  ],
];

describe('steps grammar: every form', () => {
  it.each(forms)('%s', (step, statement) => {
    expect(statementOf(step)).toBe(statement);
    const compiled = compileSteps(step);
    expect(syntaxErrors(specSource(header, compiled.ok ? compiled.body : []))).toEqual([]);
  });

  it('every Expect statement is one awaited expect line carrying the marker; other steps are one statement without it', () => {
    for (const [step, statement] of forms) {
      expect(statement).not.toMatch(/[\n\r\u2028\u2029]/);
      if (/^expect/i.test(step)) expect(statement).toMatch(/^await expect[.(].* \/\/ @incident-assertion$/);
      else expect(statement).not.toContain('@incident-assertion');
    }
  });

  it('the whole spec of all forms parses, counts its assertions, and (but for the polled GET) passes the code policy', () => {
    const compiled = compileSteps(forms.map(([step]) => step).join('\n'));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    expect(compiled.assertions).toBe(forms.filter(([step]) => /^expect/i.test(step)).length);
    expect(syntaxErrors(specSource(header, compiled.body))).toEqual([]);
    const withoutPoll = compileSteps(
      forms
        .map(([step]) => step)
        .filter((step) => !/^expect get/i.test(step))
        .join('\n'),
    );
    const policy = checkSpec(specSource(header, withoutPoll.ok ? withoutPoll.body : []), {
      incidentId: header.incidentId,
      flowId: header.flowId,
      origin: 'https://example.com',
    });
    expect(policy.problems).toEqual([]);
    expect(policy.assertions.every((a) => a.startLine === a.endLine)).toBe(true);
  });
});

describe('steps grammar: matching', () => {
  it('is case-insensitive, and writes roles, methods and keys the way Playwright takes them', () => {
    expect(statementOf('CLICK THE "Save" BUTTON')).toBe('await page.getByRole("button", { name: "Save" }).click();');
    expect(statementOf('expect 2 "Open" Menu Items')).toBe(
      `await expect(page.getByRole("menuitem", { name: "Open" })).toHaveCount(2);${MARK}`,
    );
    expect(statementOf('expect the "Done" CHECKBOX to be Checked')).toBe(
      `await expect(page.getByRole("checkbox", { name: "Done" })).toBeChecked();${MARK}`,
    );
    expect(statementOf('expect get /api/x to return 200')).toContain('page.request.get("/api/x")');
    expect(statementOf('Expect post /api/x to return 200')).toContain('{ method: "POST" }');
    expect(statementOf('go TO /a')).toBe('await page.goto("/a");');
  });

  it('accepts any ARIA role Playwright takes, and plural counts with s or es', () => {
    for (const role of [
      'alertdialog',
      'columnheader',
      'menuitemcheckbox',
      'treegrid',
      'contentinfo',
      'searchbox',
      'tabpanel',
      'tooltip',
      'separator',
      'img',
    ]) {
      expect(statementOf(`Click the "X" ${role}`)).toBe(
        `await page.getByRole(${JSON.stringify(role)}, { name: "X" }).click();`,
      );
    }
    expect(statementOf('Expect 4 "Row" rows')).toContain('getByRole("row", { name: "Row" })).toHaveCount(4)');
    expect(statementOf('Expect 2 "On" switches')).toContain('getByRole("switch", { name: "On" })).toHaveCount(2)');
    expect(statementOf('Expect 2 "Idle" statuses')).toContain('getByRole("status", { name: "Idle" })).toHaveCount(2)');
    expect(statementOf('Expect 2 "Menu" menus')).toContain('getByRole("menu", { name: "Menu" })).toHaveCount(2)');
  });

  it('reports an unknown role with its line, guessing nothing', () => {
    expect(
      compileSteps('Go to /a\nClick the "X" gizmo\nExpect the "Y" widget to be visible\nExpect 2 "Z" gizmos', 10),
    ).toEqual({
      ok: false,
      problems: [
        { line: 11, text: 'Click the "X" gizmo' },
        { line: 12, text: 'Expect the "Y" widget to be visible' },
        { line: 13, text: 'Expect 2 "Z" gizmos' },
      ],
    });
  });

  it('refuses API paths outside the origin, and statuses outside 100–599', () => {
    // `\/a` is Markdown for `/a`: what a reader sees is what compiles, so it is the path /a (below)
    for (const path of [
      '//evil.example/x',
      'http://evil.example/x',
      'https://evil.example/x',
      'api/x',
      '/a\\b',
      '/a\\\\b',
      '/a b',
      '/a\tb',
      '/a\u2028b',
    ]) {
      expect(compileSteps(`Expect GET ${path} to return 200`).ok, path).toBe(false);
      expect(compileSteps(`Expect POST ${path} to return 201 with "ok"`).ok, path).toBe(false);
    }
    for (const status of ['99', '600', '099', '1000', 'OK'])
      expect(compileSteps(`Expect GET /api to return ${status}`).ok, status).toBe(false);
    expect(compileSteps('Expect GET /api to return 100').ok).toBe(true);
    expect(compileSteps('Expect GET /api to return 599').ok).toBe(true);
    expect(compileSteps('Expect GET / to return 200').ok).toBe(true);
    expect(compileSteps('Expect HEAD /api to return 200').ok).toBe(false);
    const escaped = compileSteps('Expect GET \\/a to return 200');
    expect(escaped.ok && escaped.body.join('\n')).toContain('"/a"');
  });

  it('refuses quotes inside quoted text rather than guessing where it ends', () => {
    expect(compileSteps('Expect title to be "A "quoted" title"').ok).toBe(false);
  });

  it('strips list numbering like 1. 2) - * and a closing period', () => {
    const compiled = compileSteps(
      '1. Go to /a\n2) Click "B"\n- Press Enter\n* Press Tab\n10. Expect the text "Done" to be visible.',
    );
    expect(compiled).toMatchObject({ ok: true, assertions: 1 });
    expect(compiled.ok && compiled.steps.map((s) => s.text)).toEqual([
      'Go to /a',
      'Click "B"',
      'Press Enter',
      'Press Tab',
      'Expect the text "Done" to be visible',
    ]);
  });
});

describe('step comments and numbering', () => {
  const steps = [
    '1. Go to /pricing',
    '',
    '3. Click "Start free trial"',
    '<!-- a note, not a step -->',
    '  - Expect the URL to contain /checkout',
  ].join('\n');

  it('precede each statement with // step N: text, N counted over the non-empty step lines, and list each step with its file line', () => {
    const compiled = compileSteps(steps, 20);
    if (!compiled.ok) throw new Error('expected ok');
    expect(compiled.body).toEqual([
      '// step 1: Go to /pricing',
      'await page.goto("/pricing");',
      '// step 2: Click "Start free trial"',
      `await page.getByRole('button', { name: "Start free trial" }).or(page.getByRole('link', { name: "Start free trial" })).first().click();`,
      '// step 3: Expect the URL to contain /checkout',
      `await expect(page).toHaveURL(/\\/checkout/);${MARK}`,
    ]);
    expect(compiled.steps).toEqual([
      { number: 1, text: 'Go to /pricing', line: 20 },
      { number: 2, text: 'Click "Start free trial"', line: 22 },
      { number: 3, text: 'Expect the URL to contain /checkout', line: 24 },
    ]);
    expect(compiled.assertions).toBe(1);
  });

  it('stepAt finds the step a spec line belongs to', () => {
    const compiled = compileSteps(steps);
    const source = specSource(header, compiled.ok ? compiled.body : []);
    const lines = source.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(stepAt(source, lineOf('page.goto'))).toEqual({ number: 1, text: 'Go to /pricing' });
    expect(stepAt(source, lineOf('.click()'))).toEqual({ number: 2, text: 'Click "Start free trial"' });
    expect(stepAt(source, lineOf('// step 2:'))).toEqual({ number: 2, text: 'Click "Start free trial"' });
    expect(stepAt(source, lineOf('toHaveURL'))).toEqual({ number: 3, text: 'Expect the URL to contain /checkout' });
    expect(stepAt(source, lineOf('test('))).toBeNull();
    expect(stepAt(source, lineOf('});'))).toBeNull();
    expect(stepAt(source, 0)).toBeNull();
    expect(stepAt(source, lines.length + 5)).toBeNull();
  });

  it('stepAt stops at the test opener: a statement before any step comment belongs to no step', () => {
    const source =
      "import { test } from '@playwright/test';\n// step 9: outside\ntest('t', async ({ page }) => {\n  await page.goto('/');\n  // step 1: Go to /a\n  await page.goto('/a');\n});\n";
    expect(stepAt(source, 4)).toBeNull();
    expect(stepAt(source, 6)).toEqual({ number: 1, text: 'Go to /a' });
  });
});

describe('line terminators cannot inject code', () => {
  const terminators = [
    ['LS', '\u2028'],
    ['PS', '\u2029'],
    ['NEL', '\u0085'],
    ['VT', '\v'],
    ['FF', '\f'],
  ];

  it.each(terminators)('a step containing %s is refused, naming the step and the character', (_, terminator) => {
    const injected = `${terminator}await page.evaluate(() => 1); //`;
    for (const step of [
      `Wait for the text "a${injected}"`,
      `Expect the URL to contain /a${injected}`,
      `Expect the "a${injected}" button to be visible`,
    ]) {
      const compiled = compileSteps(`Go to /\n${step}`);
      expect(compiled.ok, step).toBe(false);
      const reasons = compiled.ok ? [] : compiled.problems.map((p) => p.reason ?? '');
      expect(reasons.join('\n')).toMatch(
        new RegExp(`step 2: U\\+${terminator.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`),
      );
    }
  });

  it('a CR ends the line (as Markdown reads it): the injected half is not a step, and no code is emitted', () => {
    const compiled = compileSteps('Wait for the text "a\rawait page.evaluate(() => 1); //"');
    expect(compiled.ok).toBe(false); // `Wait for the text "a` matches no rule; nothing is compiled
  });
});
