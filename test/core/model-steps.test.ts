import { describe, expect, it } from 'vitest';
import { codeRefusal, parseModelReply, printable } from '../../src/core/llm-reply.js';
import { brokenLock, lockedExpects } from '../../src/core/assertion-lock.js';
import { withStepsToReproduce } from '../../src/core/steps-section.js';
import { exploreSpec, snapshotOf } from '../../src/core/explore.js';

const good = ['Go to /pricing', 'Click "Start free trial"', 'Expect the URL to contain /checkout'];

describe('a model reply is read as steps, never as code', () => {
  it('reads {"steps"}, {"explore"}, a ```json block and a fenced block of numbered steps', () => {
    expect(parseModelReply(JSON.stringify({ steps: good, rationale: 'why' }))).toEqual({
      kind: 'steps',
      steps: good,
      rationale: 'why',
    });
    expect(parseModelReply(JSON.stringify({ explore: ['Go to /pricing'] }))).toEqual({
      kind: 'explore',
      steps: ['Go to /pricing'],
    });
    expect(parseModelReply(`\`\`\`json\n${JSON.stringify({ steps: good })}\n\`\`\``)).toMatchObject({
      kind: 'steps',
      steps: good,
    });
    expect(
      parseModelReply(
        'Here:\n```\n1. Go to /pricing\n2. Click "Start free trial"\n3. Expect the URL to contain /checkout.\n```\nDone.',
      ),
    ).toEqual({ kind: 'steps', steps: good, rationale: 'Here:\n\nDone.' });
    expect(parseModelReply(JSON.stringify({ steps: good.join('\r\n') }))).toMatchObject({ kind: 'steps', steps: good });
  });

  const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  it.each([
    [
      'a {"code"} field',
      JSON.stringify({ code: "test('x', async () => {})" }),
      exactly(`${codeRefusal} (a "code" field)`),
    ],
    [
      'a ```ts block',
      "```ts\nimport { test } from '@playwright/test';\n```",
      exactly(`${codeRefusal} (a fenced ts block)`),
    ],
    ['an unlabeled block of code', '```\nconst x = 1;\n```', exactly(`${codeRefusal} (a fenced code block)`)],
    ['bare code', "await page.goto('/x');", exactly(codeRefusal)],
    [
      'explore and steps at once',
      JSON.stringify({ steps: good, explore: good }),
      /asks to explore and gives steps at once/,
    ],
    [
      'steps that are not strings',
      JSON.stringify({ steps: [1, 2] }),
      /the reply's steps(\.0)? is not a list of steps \(strings\)/,
    ],
    [
      'a step with a line break',
      JSON.stringify({ steps: ['Go to /a\nGo to //evil', 'Expect the URL to contain /a'] }),
      exactly('step 1 holds a line break: a step is one line'),
    ],
    [
      'a step that matches no rule',
      JSON.stringify({ steps: ['Go to /a', 'Teleport to /b', 'Expect the URL to contain /b'] }),
      exactly('step 2 "Teleport to /b" matches no rule of the steps grammar'),
    ],
    [
      'a step that is code',
      JSON.stringify({ steps: ['page.goto("/b")', 'Expect the URL to contain /b'] }),
      exactly('step 1 "page.goto("/b")" is code, not a step'),
    ],
    [
      'a hidden step',
      JSON.stringify({ steps: ['<!-- Go to /b -->', 'Expect the URL to contain /b'] }),
      /step 1 "<!-- Go to \/b -->" (is not a step the compiler reads|.*(comment|hidden))/,
    ],
    [
      'no Expect',
      JSON.stringify({ steps: ['Go to /a'] }),
      exactly('the steps have no "Expect …" step, so nothing states the incident\'s outcome'),
    ],
    [
      'an invisible character',
      JSON.stringify({ steps: ['Go to \u2060/a', 'Expect the URL to contain /a'] }),
      exactly('step 1 "Go to \\u{2060}/a" holds the control or invisible character U+2060'),
    ],
    [
      'too many steps',
      JSON.stringify({ explore: Array.from({ length: 61 }, () => 'Press Enter') }),
      exactly('the model returned 61 explore steps; at most 60 are read'),
    ],
  ])('refuses %s, saying why', (_what, content, reason) => {
    const reply = parseModelReply(content);
    expect(reply.kind).toBe('refused');
    expect(reply.kind === 'refused' && reply.reason).toMatch(reason);
  });

  it.each([
    ['64 KB of line breaks', '\n'.repeat(65_000)],
    ['a line of fences', '```'.repeat(21_000)],
    ['a fence and spaces', `\`\`\`${' '.repeat(65_000)}`],
    ['assignments', 'a = '.repeat(16_000)],
  ])('reads %s in linear time', (_what, content) => {
    const started = performance.now();
    expect(parseModelReply(content).kind).toBe('refused');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("refuses an oversized reply unread, and shows a model's control characters as escapes", () => {
    expect(parseModelReply('x'.repeat(70_000))).toEqual({
      kind: 'refused',
      reason: "the model's reply is 70000 bytes, over the limit of 65536: refused unread",
    });
    expect(printable('a\u001b[2Jb\u0085c')).toBe('a\\u{1b}[2Jb\\u{85}c');
  });
});

describe('the assertion lock', () => {
  const locked = lockedExpects(good);
  it('lets a repair change actions, case outside quotes, "the" and spacing', () => {
    expect(
      brokenLock(locked, ['Go to /pricing', 'Click the "Start free trial" link', 'expect  URL to contain /checkout.']),
    ).toBeNull();
  });
  it('refuses a repair that alters, drops, adds or reorders an Expect step', () => {
    expect(brokenLock(locked, ['Go to /pricing', 'Expect the URL to contain /pricing'])).toMatch(
      /dropped `expect url to contain \/checkout`, added `expect url to contain \/pricing`/,
    );
    expect(brokenLock(locked, ['Go to /pricing'])).toMatch(/dropped/);
    expect(brokenLock(locked, [...good, 'Expect the text "Checkout" to be visible'])).toMatch(
      /added `expect text "Checkout" to be visible`/,
    );
    const two = lockedExpects(['Expect the text "A" to be visible', 'Expect the text "B" to be visible']);
    expect(brokenLock(two, ['Expect the text "B" to be visible', 'Expect the text "A" to be visible'])).toMatch(
      /reordered or repeated/,
    );
    expect(
      brokenLock(lockedExpects(['Expect the title to be "Checkout"']), ['Expect the title to be "checkout"']),
    ).toMatch(/dropped/);
  });
});

describe('the steps written into the incident', () => {
  const file = (body: string) => `---\nid: x\ntitle: "## Steps to reproduce"\n---\n${body}`;
  it('adds the section before "Expected" to an incident written in prose', () => {
    expect(
      withStepsToReproduce(
        file('## What happened\nThe sign-up button does nothing.\n\n## Expected\nCheckout.\n'),
        good,
      ),
    ).toBe(
      file(
        '## What happened\nThe sign-up button does nothing.\n\n## Steps to reproduce\n1. Go to /pricing\n2. Click "Start free trial"\n3. Expect the URL to contain /checkout\n\n## Expected\nCheckout.\n',
      ),
    );
    expect(withStepsToReproduce(file('Nothing happens.\n'), ['Go to /a', 'Expect the URL to contain /b'])).toBe(
      file('Nothing happens.\n\n## Steps to reproduce\n1. Go to /a\n2. Expect the URL to contain /b\n'),
    );
  });
  it('leaves steps that say the same alone, and keeps a person\'s other steps under "Steps as first reported"', () => {
    const same = file(
      '## Steps to reproduce\n- go to /pricing\n- Click "Start free trial"\n- Expect the URL to contain /checkout\n',
    );
    expect(withStepsToReproduce(same.replace('go to', 'Go to'), good)).toBe(same.replace('go to', 'Go to'));
    expect(
      withStepsToReproduce(
        file('## Steps to reproduce\nClick the big green button.\n\n## Expected\nCheckout.\n'),
        good,
      ),
    ).toBe(
      file(
        '## Steps to reproduce\n1. Go to /pricing\n2. Click "Start free trial"\n3. Expect the URL to contain /checkout\n\n## Steps as first reported\nClick the big green button.\n\n## Expected\nCheckout.\n',
      ),
    );
  });

  it('finds the section as the compiler does (any heading level, any case), never adding a second one', () => {
    expect(withStepsToReproduce(file('### Steps to Reproduce\nClick it.\n### Notes\nNone.\n'), good)).toBe(
      file(
        '### Steps to Reproduce\n1. Go to /pricing\n2. Click "Start free trial"\n3. Expect the URL to contain /checkout\n\n## Steps as first reported\nClick it.\n\n### Notes\nNone.\n',
      ),
    );
  });

  it('writes a step whose characters mean something in Markdown so that it reads back as itself', () => {
    const marked = [
      'Go to /pricing',
      'Click "*Start* free_trial_"',
      'Fill "Search" with "a&amp;b <b>"',
      'Expect the text "\\o/" to be visible',
    ];
    const text = withStepsToReproduce(file('Prose.\n'), marked);
    expect(text).toContain('2. Click "\\*Start\\* free\\_trial\\_"\n');
    expect(
      parseModelReply(JSON.stringify({ steps: text.split('## Steps to reproduce\n')[1]!.trim().split('\n') })),
    ).toMatchObject({ kind: 'steps', steps: marked });
  });
});

describe('explore runs', () => {
  it('attach the page snapshot after the compiled steps, and the report gives it back', () => {
    const spec = exploreSpec({ incidentId: 'i', flowId: 'f', title: 't' }, [
      '// step 1: Go to /a',
      'await page.goto("/a");',
    ]);
    expect(spec).toMatch(
      /^import \{ test, expect \} from '@playwright\/test';[\s\S]*await page\.goto\("\/a"\);\n\}\);\n\ntest\.afterEach\(async \(\{ page \}\) => \{\n {2}await test\.info\(\)\.attach\("verigap-aria-snapshot"/,
    );
    const report = {
      suites: [
        {
          suites: [
            {
              specs: [
                {
                  tests: [
                    {
                      results: [
                        {
                          attachments: [
                            { name: 'verigap-aria-snapshot', body: Buffer.from('- heading "A"').toString('base64') },
                          ],
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    expect(snapshotOf(report)).toBe('- heading "A"');
    expect(snapshotOf({ suites: [] })).toBeNull();
  });
});
