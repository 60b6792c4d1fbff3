import { firstInvisible, showInvisible } from './invisible-characters.js';
import { resolveTarget, vacuousUrlPart, type OriginPolicy } from './origin-policy.js';
import { visibleText } from './steps-markdown.js';

/** The steps grammar of SPEC §6: an incident's steps to reproduce, compiled to a Playwright spec. */

export type { OriginPolicy };

/** A line that does not compile: its file line, its source text, and why (absent: it matches no rule of the grammar). */
export interface StepProblem {
  line: number;
  text: string;
  reason?: string;
}

/** A compiled step: its number (1-based over the non-empty step lines), its text as written, and its file line. */
export interface CompiledStep {
  number: number;
  text: string;
  line: number;
}

export type CompiledSteps =
  { ok: true; body: string[]; assertions: number; steps: CompiledStep[] } | { ok: false; problems: StepProblem[] };

/** Every role Playwright's getByRole accepts (playwright-core's types). */
const ARIA_ROLES =
  `alert alertdialog application article banner blockquote button caption cell checkbox code columnheader combobox
  complementary contentinfo definition deletion dialog directory document emphasis feed figure form generic grid gridcell group heading
  img insertion link list listbox listitem log main marquee math meter menu menubar menuitem menuitemcheckbox menuitemradio navigation
  none note option paragraph presentation progressbar radio radiogroup region row rowgroup rowheader scrollbar search searchbox separator
  slider spinbutton status strong subscript superscript switch tab table tablist tabpanel term textbox time timer toolbar tooltip tree
  treegrid treeitem`.split(/\s+/);

/** What "to have N items" counts inside a container. */
const ITEM_ROLES: Record<string, string> = {
  list: 'listitem',
  listbox: 'option',
  combobox: 'option',
  table: 'row',
  grid: 'row',
  rowgroup: 'row',
  menu: 'menuitem',
  menubar: 'menuitem',
  tablist: 'tab',
  tree: 'treeitem',
  treegrid: 'row',
  radiogroup: 'radio',
};

const STATE_MATCHERS: Record<string, string> = {
  visible: 'toBeVisible',
  hidden: 'toBeHidden',
  enabled: 'toBeEnabled',
  disabled: 'toBeDisabled',
  checked: 'toBeChecked',
  unchecked: 'not.toBeChecked',
};

const MARK = ' // @incident-assertion';
// LF, CR, LS, PS, VT, FF, NEL: any of them could end a comment or a regex literal and start a line of code
const LINE_TERMINATORS = /[\n\r\u2028\u2029\v\f\u0085]/g;
const unicodeEscape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
// a step's words in a comment: on one line, and never read as the marker of an incident assertion
const oneLine = (text: string) =>
  text.replace(/[\n\r\u2028\u2029\v\f\u0085]+/g, ' ').replaceAll('@incident-assertion', '@ incident-assertion');
// JSON.stringify leaves LS/PS/NEL raw: legal in a string, but a line break to editors and to TypeScript's line numbers
const q = (text: string) => JSON.stringify(text).replace(/[\u2028\u2029\u0085]/g, unicodeEscape);
/** The body of a regex literal that matches `text` literally. */
const regexSource = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(LINE_TERMINATORS, unicodeEscape);

/** A case-insensitive whole-step pattern; interpolated fragments are regex source. */
function step(strings: TemplateStringsArray, ...fragments: string[]): RegExp {
  return new RegExp(`^${String.raw(strings, ...fragments)}$`, 'i');
}

const THE = String.raw`(?:the\s+)?`;
const NAME = String.raw`"([^"]+)"`;
const TEXT = String.raw`"([^"]*)"`;
const ROLE = `(${ARIA_ROLES.join('|')}|menu\\s+item|list\\s+item)`;
// same origin only: one leading slash, no backslash, whitespace or control character that could point elsewhere
const SAME_ORIGIN_PATH = String.raw`(\/(?!\/)[^\s\\\x00-\x1f\x7f]*)`;

type Groups = readonly [string, string, string, string];
/** A statement, or why the step is refused though it matches its rule. */
type Built = string | { refused: string };
type Rule = [RegExp, (groups: Groups, policy: OriginPolicy | undefined) => Built];

const roleName = (role: string) => role.toLowerCase().replace(/\s+/g, '');
const byRole = (role: string, name: string) => `page.getByRole(${q(roleName(role))}, { name: ${q(name)} })`;

const rules: Rule[] = [
  [
    step`go\s+to\s+(\S+)`,
    ([target], policy) => {
      const resolved = resolveTarget(target, policy);
      return resolved.ok ? `await page.goto(${q(resolved.emit)});` : { refused: resolved.reason };
    },
  ],
  [
    step`click\s+${THE}${NAME}`,
    ([name]) =>
      `await page.getByRole('button', { name: ${q(name)} }).or(page.getByRole('link', { name: ${q(name)} })).first().click();`,
  ],
  [step`click\s+${THE}${NAME}\s+${ROLE}`, ([name, role]) => `await ${byRole(role, name)}.click();`],
  [
    step`fill\s+${NAME}\s+with\s+${TEXT}`,
    ([field, text]) =>
      `await page.getByLabel(${q(field)}).or(page.getByPlaceholder(${q(field)})).first().fill(${q(text)});`,
  ],
  [
    step`select\s+${NAME}\s+in\s+${NAME}`,
    ([option, field]) => `await page.getByLabel(${q(field)}).selectOption(${q(option)});`,
  ],
  [
    step`(check|uncheck)\s+${NAME}`,
    ([verb, label]) =>
      `await page.getByLabel(${q(label)}).or(page.getByRole("checkbox", { name: ${q(label)} })).first().${verb.toLowerCase()}();`,
  ],
  // a control without a name of its own (a todo's unlabeled checkbox), found inside the element whose text names it
  [
    step`(click|check|uncheck)\s+${THE}${ROLE}\s+in\s+${THE}${NAME}\s+${ROLE}`,
    ([verb, role, text, container]) =>
      `await page.getByRole(${q(roleName(container))}).filter({ hasText: ${q(text)} }).getByRole(${q(roleName(role))}).first().${verb.toLowerCase()}();`,
  ],
  [step`press\s+([a-z0-9+]+)`, ([key]) => `await page.keyboard.press(${q(key)});`],
  [step`wait\s+for\s+${THE}text\s+${NAME}`, ([text]) => `await page.getByText(${q(text)}).first().waitFor();`],
  [
    step`expect\s+${THE}url\s+to\s+contain\s+"?([^"]*?)"?`,
    ([part], policy) =>
      vacuousUrlPart(part, policy)
        ? {
            refused: `every URL of ${policy ? new URL(policy.baseURL).origin : 'an http(s) page'} contains ${JSON.stringify(part)}, so this Expect proves nothing: name the part the bug broke (e.g. /checkout)`,
          }
        : `await expect(page).toHaveURL(/${regexSource(part)}/);`,
  ],
  [
    step`expect\s+${THE}text\s+${TEXT}\s+(not\s+)?to\s+be\s+visible`,
    ([text, not]) => emptyText(text) ?? `await expect(page.getByText(${q(text)})).${not ? 'not.' : ''}toBeVisible();`,
  ],
  [
    step`expect\s+${THE}${NAME}\s+${ROLE}\s+to\s+be\s+(visible|hidden|enabled|disabled|checked|unchecked)`,
    ([name, role, state]) => `await expect(${byRole(role, name)}).${STATE_MATCHERS[state.toLowerCase()]}();`,
  ],
  [
    step`expect\s+${THE}${NAME}\s+${ROLE}\s+to\s+contain\s+${THE}text\s+${TEXT}`,
    ([name, role, text]) => emptyText(text) ?? `await expect(${byRole(role, name)}).toContainText(${q(text)});`,
  ],
  [
    step`expect\s+${THE}${NAME}\s+${ROLE}\s+to\s+have\s+${THE}value\s+${TEXT}`,
    ([name, role, text]) => `await expect(${byRole(role, name)}).toHaveValue(${q(text)});`,
  ],
  [
    step`expect\s+(\d+)\s+${NAME}\s+${ROLE}(?:e?s)?`,
    ([count, name, role]) => `await expect(${byRole(role, name)}).toHaveCount(${Number(count)});`,
  ],
  [
    step`expect\s+${THE}${NAME}\s+${ROLE}\s+to\s+have\s+(\d+)\s+items?`,
    ([name, role, count]) =>
      `await expect(${byRole(role, name)}.getByRole(${q(ITEM_ROLES[roleName(role)] ?? 'listitem')})).toHaveCount(${Number(count)});`,
  ],
  [step`expect\s+${THE}title\s+to\s+be\s+${TEXT}`, ([title]) => `await expect(page).toHaveTitle(${q(title)});`],
  [
    step`expect\s+(get|post|put|patch|delete)\s+${SAME_ORIGIN_PATH}\s+to\s+return\s+([1-5]\d\d)(?:\s+with\s+${NAME})?`,
    apiAssertion,
  ],
];

/** An Expect on empty text holds on any page (or never): refused. */
function emptyText(text: string): Built | null {
  return text.trim() === ''
    ? { refused: 'an empty text is in every page, so this Expect proves nothing: quote the text the bug broke' }
    : null;
}

/** An outcome behind the page, through page.request so the page's cookies go along. */
function apiAssertion([method, target, status, text]: Groups, policy: OriginPolicy | undefined): Built {
  const resolved = resolveTarget(target, policy);
  if (!resolved.ok) return { refused: resolved.reason };
  const path = resolved.emit;
  const expected = `/^${status} ${text ? `[\\s\\S]*${regexSource(text)}` : ''}/`;
  const outcome = '`${response.status()} ${await response.text()}`';
  // a GET is polled because outcomes are eventually consistent; other methods change state, so they run once
  if (method.toLowerCase() === 'get')
    return `await expect.poll(async () => { const response = await page.request.get(${q(path)}); return ${outcome}; }).toMatch(${expected});`;
  return `await expect(page.request.fetch(${q(path)}, { method: ${q(method.toUpperCase())} }).then(async (response) => ${outcome})).resolves.toMatch(${expected});`;
}

/** The statement of one step, why it is refused, or null when no rule matches (nothing is guessed). */
function compileStep(text: string, policy: OriginPolicy | undefined): Built | null {
  for (const [pattern, build] of rules) {
    const match = pattern.exec(text);
    if (!match) continue;
    const groups = [1, 2, 3, 4].map((index) => match[index] ?? '') as unknown as Groups;
    const built = build(groups, policy);
    return typeof built === 'string' && /^expect\s/i.test(text) ? built + MARK : built;
  }
  return null;
}

/** Bounds on what the compiler reads: far above any regression test, and what keeps a pasted log from slowing a run. */
export const stepsLimits = { chars: 64 * 1024, steps: 500 };

/**
 * Compiles the steps of an incident's "Steps to reproduce" (Markdown: what a reader sees is what is compiled, one
 * step a line); `firstLine` is the file line of the first line, for the messages. With an origin policy every URL a
 * step names must be http(s) on baseURL's origin or an allowed one; without one (a single line being typed) only the
 * scheme is judged, and the spec check refuses another origin before any run.
 */
export function compileSteps(text: string, firstLine = 1, policy?: OriginPolicy): CompiledSteps {
  if (text.length > stepsLimits.chars) {
    const size = `${Math.ceil(text.length / 1024)} KB`;
    return {
      ok: false,
      problems: [
        {
          line: firstLine,
          text: `(${size} of steps)`,
          reason: `the steps are ${size}; the compiler reads at most ${stepsLimits.chars / 1024} KB (a regression test needs a few dozen steps)`,
        },
      ],
    };
  }
  const body: string[] = [];
  const steps: CompiledStep[] = [];
  const problems: StepProblem[] = [];
  let assertions = 0;
  const source = text.split(/\r\n?|\n/);
  const sourceAt = (line: number) => showInvisible(source[line - 1]?.trim() ?? '');
  const { lines, html } = visibleText(text);
  const numbers = new Map<number, number>();
  const entries = [
    ...lines.map((line) => ({ ...line, html: false })),
    ...html.map((line) => ({ ...line, html: true })),
  ].sort((a, b) => a.line - b.line);
  for (const entry of entries) {
    const shown = entry.text.replace(/^[ \t]+|[ \t]+$/g, '');
    const written = shown
      .trim()
      .replace(/^(?:\d+[.)]|[-*])\s+/, '')
      .replace(/\.$/, '')
      .trim();
    if (!written) continue;
    const number = steps.length + problems.length + 1;
    const at = { line: firstLine + entry.line - 1, text: sourceAt(entry.line) };
    if (!numbers.has(at.line)) numbers.set(at.line, number);
    const invisible = firstInvisible(shown);
    const built = entry.html || invisible ? null : compileStep(written, policy);
    if (entry.html)
      problems.push({
        ...at,
        reason: `step ${number}: HTML is not a step (a reader sees it rendered, or not at all): write the step as a plain line`,
      });
    else if (invisible)
      problems.push({ ...at, reason: `step ${number}: ${invisible.codePoint} (${invisible.kind}) is not allowed` });
    else if (built === null) problems.push(at);
    else if (typeof built !== 'string') problems.push({ ...at, reason: `step ${number}: ${built.refused}` });
    else {
      if (built.endsWith(MARK)) assertions++;
      steps.push({ number, text: oneLine(written), line: at.line });
      body.push(`// step ${number}: ${oneLine(written)}`, built);
    }
  }
  // what no reader sees may still reorder what a reviewer reads of the raw file (bidi controls), or reach a terminal
  const refused = new Set(problems.map((problem) => problem.line));
  source.forEach((raw, index) => {
    const invisible = firstInvisible(raw, '\t');
    const line = firstLine + index;
    if (!invisible || refused.has(line)) return;
    const where = numbers.has(line) ? `step ${numbers.get(line)}` : `line ${line}`;
    problems.push({
      line,
      text: sourceAt(index + 1),
      reason: `${where}: ${invisible.codePoint} (${invisible.kind}) is not allowed, even where a reader does not see it`,
    });
  });
  if (steps.length > stepsLimits.steps)
    problems.push({
      line: firstLine,
      text: `(${steps.length} steps)`,
      reason: `${steps.length} steps; the compiler reads at most ${stepsLimits.steps} (a regression test needs a few dozen)`,
    });
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return { ok: true, body, assertions, steps };
}

/** A problem in one line of words: its reason, or that its line matches no rule. */
export function problemText(problem: StepProblem): string {
  return problem.reason ?? `line ${problem.line} ${JSON.stringify(problem.text)} matches no rule of the steps grammar`;
}

const STEP_COMMENT = /^\s*\/\/ step (\d+): (.*)$/;

/** The step a spec line belongs to: the nearest `// step N: …` comment at or above it, within the test body. */
export function stepAt(source: string, line: number): { number: number; text: string } | null {
  const lines = source.split(/\r\n|\n|\r|\u2028|\u2029/);
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return null;
  for (let index = line - 1; index >= 0; index--) {
    const text = lines[index]!;
    const comment = STEP_COMMENT.exec(text);
    if (comment) return { number: Number(comment[1]), text: comment[2]! };
    // body lines are indented: an unindented line is the test's opener or closer, so the steps above belong to no one here
    if (/^\S/.test(text)) return null;
  }
  return null;
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
    `// Regression test for incident ${oneLine(header.incidentId)}, written by verigap.`,
    `test(${q(`${header.title} @incident:${header.incidentId} @flow:${header.flowId}`)}, async ({ page }) => {`,
    ...body.map((statement) => `  ${statement}`),
    '});',
    '',
  ].join('\n');
}
