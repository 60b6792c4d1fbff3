import { describe, expect, it } from 'vitest';
import type { KeyLike } from '../../src/ui/edit-text.js';
import {
  formKey,
  initialFormState,
  submitIndex,
  type FormEffect,
  type FormState,
} from '../../src/ui/incident-form/form-state.js';
import { fields, toNewIncident, validateForm } from '../../src/ui/incident-form/form-model.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const ctx = { flows: ['trial', 'checkout'], now: NOW };
const key = {
  tab: { tab: true },
  shiftTab: { tab: true, shift: true },
  enter: { return: true },
  esc: { escape: true },
  up: { upArrow: true },
  down: { downArrow: true },
  left: { leftArrow: true },
  right: { rightArrow: true },
  end: { end: true },
  backspace: { backspace: true },
} satisfies Record<string, KeyLike>;
type Press = string | KeyLike;

/** Presses keys one by one through the reducer, as ink would hand them over; returns the last state and every effect. */
function press(state: FormState, ...keys: Press[]): { state: FormState; effects: FormEffect[] } {
  const effects: FormEffect[] = [];
  for (const pressed of keys) {
    const result = typeof pressed === 'string' ? formKey(state, pressed, {}, ctx) : formKey(state, '', pressed, ctx);
    state = result.state;
    if (result.effect) effects.push(result.effect);
  }
  return { state, effects };
}
const ctrl = (letter: string): [string, KeyLike] => [letter, { ctrl: true }];
const pressCtrl = (state: FormState, letter: string) => formKey(state, ...ctrl(letter), ctx);

describe('formKey: the incident form, one key at a time', () => {
  it('types into the focused field; tab and shift-tab move between fields, marking the one left as touched', () => {
    const { state } = press(initialFormState(), 'Cart', ' empties', key.backspace, 's', key.tab);
    expect(state.values.title).toBe('Cart empties');
    expect(state.focus).toBe(1);
    expect(state.touched).toEqual(['title']);
    expect(press(state, key.shiftTab).state.focus).toBe(0);
    expect(press(state, key.shiftTab, key.shiftTab).state.focus).toBe(0);
  });

  it('flows: ←/→ move the picker round, space toggles, enter takes the highlighted one when none is chosen', () => {
    const onFlows = press(initialFormState(), key.tab).state;
    expect(press(onFlows, key.left).state.flowCursor).toBe(2); // "+ new flow", after the last flow
    expect(press(onFlows, ' ', key.right, ' ').state.values.flows).toEqual(['trial', 'checkout']);
    expect(press(onFlows, ' ', ' ').state.values.flows).toEqual([]);
    const entered = press(onFlows, key.right, key.enter).state;
    expect(entered.values.flows).toEqual(['checkout']);
    expect(entered.focus).toBe(2);
  });

  it('severity: ←/→ stop at SEV1 and SEV4; a digit picks one', () => {
    const onSeverity = press(initialFormState(), key.tab, key.tab).state;
    expect(onSeverity.values.severity).toBe('SEV2');
    expect(press(onSeverity, key.left, key.left, key.left).state.values.severity).toBe('SEV1');
    expect(press(onSeverity, key.right, key.right, key.right).state.values.severity).toBe('SEV4');
    expect(press(onSeverity, '3').state.values.severity).toBe('SEV3');
  });

  it('a multi-line field: enter opens a line, ↑ goes back a line and out of the field at its top, ⌫ on an empty line removes it', () => {
    const steps = press(initialFormState(), ...Array<Press>(8).fill(key.tab)).state;
    expect(steps.focus).toBe(8);
    const typed = press(steps, 'Go to /pricing', key.enter, 'Click "Start"', key.enter).state;
    expect(typed.values.steps).toBe('Go to /pricing\nClick "Start"\n');
    expect(press(typed, key.backspace).state.values.steps).toBe('Go to /pricing\nClick "Start"');
    // ↑ keeps the cursor's column (0, from the empty last line): the letter goes before the text, end moves past it
    expect(press(typed, key.up, key.up, '!').state.values.steps).toBe('!Go to /pricing\nClick "Start"\n');
    const edited = press(typed, key.up, key.up, key.end, '!').state;
    expect(edited.values.steps).toBe('Go to /pricing!\nClick "Start"\n');
    expect(press(edited, key.up).state.focus).toBe(7);
  });

  it('Ctrl-S with errors focuses the first wrong field and says how many are wrong; nothing is saved', () => {
    const result = pressCtrl(initialFormState(), 's');
    expect(result.effect).toBeUndefined();
    expect(result.state.screen).toBe('edit');
    expect(result.state.submitted).toBe(true);
    expect(result.state.focus).toBe(0);
    expect(result.state.message).toMatch(/^fix \d+ field\(s\) first: /);
  });

  it('a valid form goes to the preview on Ctrl-S, and enter there saves', () => {
    const filled = initialFormState({
      title: 'Cart empties',
      flows: ['checkout'],
      severity: 'SEV2',
      started: '2h ago',
      detected: '',
      resolved: '',
      fixedBy: '',
      description: 'Reload empties the cart',
      steps: 'Go to /cart\nExpect the URL to contain /cart',
    });
    const preview = pressCtrl(filled, 's');
    expect(preview.state.screen).toBe('preview');
    expect(preview.effect).toBeUndefined();
    expect(press(preview.state, key.esc).state.screen).toBe('edit');
    expect(press(preview.state, key.enter)).toMatchObject({ state: { screen: 'saving' }, effects: [{ kind: 'save' }] });
  });

  it('the save button: enter on it submits like Ctrl-S', () => {
    const onButton = { ...initialFormState(), focus: submitIndex };
    expect(press(onButton, key.enter).state).toMatchObject({ submitted: true, focus: 0 });
  });

  it('"+ new flow": id, name and globs, then an effect with the globs split (braces kept); Esc creates nothing', () => {
    const picker = press(initialFormState(), key.tab, key.left, key.enter).state;
    expect(picker.screen).toBe('new-flow');
    const { state, effects } = press(
      picker,
      ' search ',
      key.enter,
      'Search',
      key.enter,
      'src/search/**, src/{a,b}/**',
      key.enter,
    );
    expect(effects).toEqual([
      { kind: 'create-flow', id: 'search', name: 'Search', paths: ['src/search/**', 'src/{a,b}/**'] },
    ]);
    expect(state.screen).toBe('new-flow');
    expect(press(picker, 'x', key.esc).state).toMatchObject({ screen: 'edit', message: 'no flow created' });
  });

  it('a found draft: y resumes it, n starts over and discards it', () => {
    const resume = initialFormState({ ...initialFormState().values, title: 'Cart empties' }, true);
    expect(press(resume, 'y').state).toMatchObject({ screen: 'edit', values: { title: 'Cart empties' } });
    expect(press(resume, 'n')).toMatchObject({
      state: { screen: 'edit', values: { title: '' } },
      effects: [{ kind: 'discard-draft' }],
    });
  });

  it('after the save: y runs the test, n leaves', () => {
    const saved: FormState = { ...initialFormState(), screen: 'saved' };
    expect(press(saved, 'y')).toMatchObject({ state: { screen: 'testing' }, effects: [{ kind: 'test' }] });
    expect(press(saved, 'n')).toMatchObject({ state: { screen: 'done' }, effects: [{ kind: 'quit' }] });
  });

  it('detection is a picker (not set, then the schema\'s four); introduced by is checked like --introduced-by, "infer" leaves it out', () => {
    const onDetection = { ...initialFormState(), focus: fields.findIndex((f) => f.id === 'detection') };
    expect(press(onDetection, key.right).state.values.detection).toBe('customer-report');
    expect(press(onDetection, key.right, key.right, key.right, key.right).state.values.detection).toBe('internal');
    expect(press(onDetection, key.left).state.values.detection).toBe('internal');
    expect(press(onDetection, key.right, key.left).state.values.detection).toBe('');
    const values = {
      ...initialFormState().values,
      title: 'Cart empties',
      flows: ['checkout'],
      steps: 'Go to /cart\nExpect the URL to contain /cart',
    };
    for (const good of ['#123', '123', 'abc1234', 'infer', 'INFER', ''])
      expect(validateForm({ ...values, introducedBy: good }, NOW, ctx.flows)).toEqual({});
    expect(validateForm({ ...values, introducedBy: 'last week' }, NOW, ctx.flows).introducedBy).toMatch(
      /a commit SHA .* or "infer"/,
    );
    expect(toNewIncident({ ...values, introducedBy: ' infer ', detection: '' })).toMatchObject({
      introducedBy: undefined,
      detection: undefined,
    });
    expect(toNewIncident({ ...values, introducedBy: ' #123 ', detection: 'monitor' })).toMatchObject({
      introducedBy: '#123',
      detection: 'monitor',
    });
  });
});
