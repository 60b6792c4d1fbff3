/** The steps grammar of SPEC §6: an incident's steps to reproduce, compiled to a Playwright spec. */

export interface StepProblem {
  line: number;
  text: string;
}

export type CompiledSteps = { ok: true; body: string[]; assertions: number } | { ok: false; problems: StepProblem[] };

const q = (text: string) => JSON.stringify(text);
const roles: Record<string, string> = { button: 'button', link: 'link', tab: 'tab', checkbox: 'checkbox', 'menu item': 'menuitem', heading: 'heading' };
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const MARK = ' // @incident-assertion';

type Rule = [RegExp, (m: RegExpExecArray) => string];

const rules: Rule[] = [
  [/^go to\s+(\S+)$/i, (m) => `await page.goto(${q(m[1]!)});`],
  [/^click\s+(?:the\s+)?"([^"]+)"(?:\s+(button|link|tab|checkbox|menu item))?$/i, (m) =>
    m[2]
      ? `await page.getByRole(${q(roles[m[2].toLowerCase()]!)}, { name: ${q(m[1]!)} }).click();`
      : `await page.getByRole('button', { name: ${q(m[1]!)} }).or(page.getByRole('link', { name: ${q(m[1]!)} })).first().click();`],
  [/^fill\s+"([^"]+)"\s+with\s+"([^"]*)"$/i, (m) => `await page.getByLabel(${q(m[1]!)}).fill(${q(m[2]!)});`],
  [/^select\s+"([^"]+)"\s+in\s+"([^"]+)"$/i, (m) => `await page.getByLabel(${q(m[2]!)}).selectOption(${q(m[1]!)});`],
  [/^(check|uncheck)\s+"([^"]+)"$/i, (m) => `await page.getByLabel(${q(m[2]!)}).${m[1]!.toLowerCase()}();`],
  [/^press\s+([A-Za-z0-9+]+)$/i, (m) => `await page.keyboard.press(${q(m[1]!)});`],
  [/^expect\s+(?:the\s+)?url\s+to\s+contain\s+"?([^"]+?)"?$/i, (m) => `await expect(page).toHaveURL(/${escapeRegExp(m[1]!)}/);${MARK}`],
  [/^expect\s+(?:the\s+)?text\s+"([^"]+)"\s+(to be visible|not to be visible)$/i, (m) =>
    `await expect(page.getByText(${q(m[1]!)})).${m[2]!.toLowerCase().startsWith('not') ? 'not.' : ''}toBeVisible();${MARK}`],
  [/^expect\s+(?:the\s+)?"([^"]+)"\s+(button|link|heading)\s+to\s+be\s+(visible|enabled|disabled)$/i, (m) =>
    `await expect(page.getByRole(${q(roles[m[2]!.toLowerCase()]!)}, { name: ${q(m[1]!)} })).toBe${capitalize(m[3]!)}();${MARK}`],
  [/^expect\s+(?:the\s+)?title\s+to\s+be\s+"([^"]*)"$/i, (m) => `await expect(page).toHaveTitle(${q(m[1]!)});${MARK}`],
  [/^wait\s+for\s+(?:the\s+)?text\s+"([^"]+)"$/i, (m) => `await page.getByText(${q(m[1]!)}).first().waitFor();`],
];

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** Compiles step lines; `firstLine` is the file line of the first one, for the messages. */
export function compileSteps(text: string, firstLine = 1): CompiledSteps {
  const body: string[] = [];
  const problems: StepProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim().replace(/^(?:\d+[.)]|[-*])\s+/, '').replace(/\.$/, '').trim();
    if (!line || line.startsWith('<!--')) return;
    const rule = rules.find(([pattern]) => pattern.test(line));
    if (!rule) problems.push({ line: firstLine + index, text: raw.trim() });
    else body.push(rule[1](rule[0].exec(line)!));
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, body, assertions: body.filter((statement) => statement.endsWith(MARK)).length };
}

export interface SpecHeader {
  incidentId: string;
  flowId: string;
  title: string;
}

/** The whole spec file around compiled (or generated) statements. */
export function specSource(header: SpecHeader, body: readonly string[]): string {
  return [
    "import { test, expect } from '@playwright/test';",
    '',
    `// Regression test for incident ${header.incidentId}, written by verigap.`,
    `test(${q(`${header.title} @incident:${header.incidentId} @flow:${header.flowId}`)}, async ({ page }) => {`,
    ...body.map((statement) => `  ${statement}`),
    '});',
    '',
  ].join('\n');
}
