import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeFlow } from '../../src/services/flow-writer.js';
import { renderNewIncident } from '../../src/services/incident-writer.js';
import { toNewIncident, type FormValues } from '../../src/ui/incident-form/form-model.js';
import { IncidentForm, type FormActions } from '../../src/ui/incident-form/incident-form.js';
import { removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { frameWhere, keys, press } from '../helpers/ink-keys.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
// the form shows times in the process's zone; these expectations are written in UTC
process.env.TZ = 'UTC';

function recorder(overrides: Partial<FormActions> = {}) {
  // new flows are written by the real writer, into a folder of their own: its validation is the one under test
  const root = tempDir();
  const drafts: FormValues[] = [];
  const saved: string[] = [];
  const calls: string[] = [];
  const actions: FormActions = {
    saveDraft: (values) => drafts.push(values),
    discardDraft: () => calls.push('discard draft'),
    preview: (values) => renderNewIncident(toNewIncident(values), NOW).text,
    save: async (values) => {
      const { id, text } = renderNewIncident(toNewIncident(values), NOW);
      saved.push(text);
      return { id, file: `incidents/${id}.md` };
    },
    createFlow: async (id, name, paths) => {
      writeFlow(root, id, { name, paths });
      calls.push(`flow ${id} ${name} ${paths.join(',')}`);
    },
    test: async (id, onStage) => {
      onStage({ stage: 'redact', status: 'done', ms: 1, detail: 'nothing to redact' });
      onStage({ stage: 'run', status: 'start' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      calls.push(`test ${id}`);
      return `flows/trial/${id}.spec.ts passes on the working tree`;
    },
    ...overrides,
  };
  return { actions, drafts, saved, calls, root };
}

const mounted: { unmount(): void }[] = [];
function mount(
  options: {
    draft?: { values: FormValues; savedAt: number };
    offerTest?: boolean;
    actions?: Partial<FormActions>;
  } = {},
) {
  const r = recorder(options.actions);
  const app = render(
    <IncidentForm
      flows={['trial', 'checkout']}
      actions={r.actions}
      now={() => NOW}
      draft={options.draft}
      offerTest={options.offerTest ?? true}
    />,
  );
  mounted.push(app);
  return { ...app, ...r };
}

afterEach(() => {
  for (const app of mounted.splice(0)) app.unmount();
});
afterAll(removeTempDirs);

/** Fills every field the way a person would, with Tab between fields. */
async function fillValid(stdin: { write(data: string): void }) {
  await press(stdin, 'Trial signup never reaches checkout', keys.tab);
  await press(stdin, ' ', keys.enter); // flows: trial
  await press(stdin, keys.right, keys.enter); // severity: SEV3
  await press(stdin, '2h ago', keys.enter, '90m ago', keys.enter, 'now', keys.enter, 'abc1234', keys.enter);
  await press(stdin, 'Visitors clicked Start trial', keys.enter, 'and stayed on /pricing.', keys.tab);
  await press(
    stdin,
    'Go to /pricing',
    keys.enter,
    'Click "Start Free Trial"',
    keys.enter,
    'Expect the URL to contain /checkout',
  );
}

describe('verigap incident new (ink form)', () => {
  it('shows every field with the focused one hinted', () => {
    const { lastFrame } = mount();
    const frame = lastFrame()!;
    for (const label of [
      'Title',
      'Flows',
      'Severity',
      'Started',
      'Detected',
      'Resolved',
      'Fixed by',
      'What happened',
      'Steps',
      'Preview and save',
    ])
      expect(frame).toContain(label);
    expect(frame).toMatch(/› Title\s*\n\s+what users saw/);
    expect(frame).toContain('[ ] trial  [ ] checkout  + new flow');
  });

  it('times are read as you type ("2h ago" → the time it means) and a bad one is shown next to its field', async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, keys.tab, keys.tab, keys.tab, '2h ago');
    expect(lastFrame()).toMatch(/Started\s+2h ago\s+→ 2026-11-22 10:00 UTC/);
    await press(stdin, keys.enter, 'yesterday-ish', keys.enter);
    expect(lastFrame()).toMatch(/Detected\s+yesterday-ish\n\s+✖ "yesterday-ish" is not a time/);
    await press(stdin, keys.up, keys.ctrlU, '3h ago', keys.enter);
    expect(lastFrame()).toMatch(/✖ detected before it started/);
  });

  it('a local time is shown back with the offset it was read in (TZ=Europe/Berlin: +02:00 in summer)', async () => {
    const zoneBefore = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      const { stdin, lastFrame } = mount();
      await press(stdin, keys.tab, keys.tab, keys.tab, '2026-08-07 14:00', keys.enter, '2026-08-08');
      expect(lastFrame()).toMatch(/Started\s+2026-08-07 14:00\s+→ 2026-08-07 14:00 UTC\+02:00/);
      expect(lastFrame()).toMatch(/Detected\s+2026-08-08\s+→ 2026-08-08 02:00 UTC\+02:00/);
    } finally {
      if (zoneBefore === undefined) delete process.env.TZ;
      else process.env.TZ = zoneBefore;
    }
  });

  it('the steps editor checks each line against the steps grammar as you type, and lines can be fixed in place', async () => {
    const { stdin, lastFrame } = mount();
    for (let i = 0; i < 8; i++) await press(stdin, keys.tab);
    await press(
      stdin,
      'Go to /pricing',
      keys.enter,
      'Klick the thing',
      keys.enter,
      'Expect the URL to contain /checkout',
    );
    let frame = lastFrame()!;
    expect(frame).toMatch(/1 ✔ Go to \/pricing/);
    expect(frame).toMatch(/2 ✖ Klick the thing/);
    expect(frame).toMatch(/3 ✔ Expect the URL to contain \/checkout/);
    expect(frame).toContain('✖ line 2: no rule of the steps grammar matches');
    await press(stdin, keys.up, keys.ctrlU, 'Click "Start Free Trial"');
    frame = lastFrame()!;
    expect(frame).toMatch(/2 ✔ Click "Start Free Trial"/);
    expect(frame).not.toContain('no rule of the steps grammar');
  });

  it('steps without an Expect line are refused: nothing would state the outcome', async () => {
    const { stdin, lastFrame } = mount();
    for (let i = 0; i < 8; i++) await press(stdin, keys.tab);
    await press(stdin, 'Go to /pricing', keys.tab);
    expect(lastFrame()).toContain('add an "Expect …" step');
  });

  it('ctrl-s with missing fields names them, moves to the first, and saves nothing', async () => {
    const { stdin, lastFrame, saved } = mount();
    await press(stdin, keys.ctrlS);
    const frame = lastFrame()!;
    expect(frame).toMatch(/fix 2 field\(s\) first: a title is required/);
    expect(frame).toMatch(/› Title\s*\n\s+✖ a title is required/);
    expect(frame).toMatch(/Flows .*\n\s+✖ flows must name at least one flow/);
    expect(saved).toEqual([]);
  });

  it('a valid form previews the file that will be written, saves it, and offers the test with live stages', async () => {
    const { stdin, lastFrame, saved, calls } = mount();
    await fillValid(stdin);
    await press(stdin, keys.ctrlS);
    const preview = lastFrame()!;
    expect(preview).toContain('Preview');
    expect(preview).toContain('id: 2026-11-22-trial-signup-never-reaches-checkout');
    expect(preview).toContain('severity: SEV3');
    expect(preview).toContain('flows: [trial]');
    expect(preview).toContain('started_at: 2026-11-22T10:00:00.000Z');
    expect(preview).toContain('status: resolved');
    expect(preview).toContain('fixed_by: abc1234');
    expect(preview).toContain('2. Click "Start Free Trial"');
    await press(stdin, keys.esc);
    expect(lastFrame()).toContain('Preview and save');
    await press(stdin, keys.ctrlS, keys.enter);
    await frameWhere(lastFrame, (f) =>
      f.includes('✔ Saved incidents/2026-11-22-trial-signup-never-reaches-checkout.md'),
    );
    expect(saved[0]).toContain('## What happened\nVisitors clicked Start trial\nand stayed on /pricing.');
    expect(calls).toContain('discard draft');
    await press(stdin, 'y');
    const running = await frameWhere(lastFrame, (f) => f.includes('… run'));
    expect(running).toMatch(/✔ redact/);
    await frameWhere(lastFrame, (f) =>
      f.includes('✔ flows/trial/2026-11-22-trial-signup-never-reaches-checkout.spec.ts passes'),
    );
  });

  it('keeps a draft of every change, and offers it next time (y resumes, n discards)', async () => {
    const first = mount();
    await press(first.stdin, 'Cart empties');
    expect(first.drafts.at(-1)?.title).toBe('Cart empties');
    first.unmount();

    const resumed = mount({ draft: { values: first.drafts.at(-1)!, savedAt: NOW - 5 * 60_000 } });
    expect(resumed.lastFrame()).toMatch(/unsaved incident draft was found \(5 min ago\)/);
    expect(resumed.lastFrame()).toContain('“Cart empties”');
    await press(resumed.stdin, 'y');
    expect(resumed.lastFrame()).toMatch(/Title\s+Cart empties/);

    const discarded = mount({ draft: { values: first.drafts.at(-1)!, savedAt: NOW } });
    await press(discarded.stdin, 'n');
    expect(discarded.calls).toEqual(['discard draft']);
    expect(discarded.lastFrame()).not.toContain('Cart empties');
  });

  it('"+ new flow" creates a flow in place, refuses a bad id, and selects the new one', async () => {
    const { stdin, lastFrame, calls, root } = mount();
    await press(stdin, keys.tab, keys.left, keys.enter);
    expect(lastFrame()).toContain('New flow');
    await press(stdin, 'Bad Id', keys.enter, 'Search', keys.enter, 'src/search/**', keys.enter);
    await frameWhere(lastFrame, (f) =>
      f.includes('✖ flow id "Bad Id" may only hold lowercase letters, digits and "-" (e.g. start-trial)'),
    );
    expect(calls).toEqual([]);
    await press(stdin, keys.up, keys.up, keys.ctrlU, 'search', keys.enter, keys.enter, keys.enter);
    await frameWhere(lastFrame, (f) => f.includes('created flows/search/flow.yaml'));
    expect(calls).toEqual(['flow search Search src/search/**']);
    expect(readFileSync(join(root, 'flows/search/flow.yaml'), 'utf8')).toBe(
      '# yaml-language-server: $schema=../../node_modules/verigap/dist/schemas/flow.schema.json\nname: Search\ncriticality: other\npaths:\n  - src/search/**\n',
    );
    expect(existsSync(join(root, 'flows/Bad Id'))).toBe(false);
    expect(lastFrame()).toContain('[x] search');
  });

  it('a save that fails says why and keeps everything typed', async () => {
    const { stdin, lastFrame } = mount({
      actions: {
        save: async () => {
          throw new Error('--flow: unknown flow trial');
        },
      },
    });
    await fillValid(stdin);
    await press(stdin, keys.ctrlS, keys.enter);
    await frameWhere(lastFrame, (f) => f.includes('not saved: --flow: unknown flow trial'));
    expect(lastFrame()).toMatch(/Title\s+Trial signup never reaches checkout/);
  });

  it('esc does not throw the form away; it says how to leave', async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, 'Something', keys.esc);
    expect(lastFrame()).toContain('Ctrl-C leaves; what you typed stays in .verigap/drafts/');
    expect(lastFrame()).toMatch(/Title\s+Something/);
  });

  it('typed-ahead input arriving in one chunk is split into its keys', async () => {
    const { stdin, lastFrame } = mount();
    stdin.write('Checkout broken\t \r');
    await frameWhere(lastFrame, (f) => /› Severity/.test(f));
    expect(lastFrame()).toMatch(/Title\s+Checkout broken/);
    expect(lastFrame()).toContain('[x] trial');
  });

  it('re-lays out when the terminal is resized', async () => {
    const app = mount();
    for (let i = 0; i < 8; i++) await press(app.stdin, keys.tab);
    for (let i = 1; i <= 12; i++) await press(app.stdin, `Go to /page-${i}`, keys.enter);
    const tall = app.lastFrame()!;
    Object.assign(app.stdout, { rows: 20 });
    app.stdout.emit('resize');
    const short = await frameWhere(app.lastFrame, (f) => f !== tall);
    expect(short.split('\n').length).toBeLessThan(tall.split('\n').length);
    expect(short).toContain('Go to /page-12');
  });
});
