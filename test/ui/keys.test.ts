import { describe, expect, it } from 'vitest';
import { editText, type KeyLike } from '../../src/ui/edit-text.js';
import { formKey, initialFormState, type FormState } from '../../src/ui/incident-form/form-state.js';
import { KeyReader } from '../../src/ui/keys.js';
import { filterOf, handleKey, initialState, type ReviewState } from '../../src/ui/review/review-state.js';
import { fields } from '../../src/ui/incident-form/form-model.js';

describe('KeyReader: every key of a read, however the terminal batched it', () => {
  it('splits a read of letters into one key each (key repeat, tmux send-keys, a slow link)', () => {
    expect(new KeyReader().read('jjj', {})).toEqual([
      ['j', {}],
      ['j', {}],
      ['j', {}],
    ]);
    expect(new KeyReader().read('aB', {})).toEqual([
      ['a', {}],
      ['B', { shift: true }],
    ]);
  });

  it('splits typed-ahead control keys out of the text, and keeps keys ink already named', () => {
    expect(new KeyReader().read('ab\tc\r\n\x7f\x17', {})).toEqual([
      ['a', {}],
      ['b', {}],
      ['', { tab: true }],
      ['c', {}],
      ['', { return: true }],
      ['', { backspace: true }],
      ['w', { ctrl: true }],
    ]);
    expect(new KeyReader().read('', { leftArrow: true })).toEqual([['', { leftArrow: true }]]);
    expect(new KeyReader().read('w', { ctrl: true })).toEqual([['w', { ctrl: true }]]);
  });

  it('keeps a bracketed paste one piece of text, over several reads, with its line breaks as \\n', () => {
    const reader = new KeyReader();
    expect(reader.read('[200~', {})).toEqual([]);
    expect(reader.read('Go to /pricing\rClick "An', {})).toEqual([]);
    expect(reader.read('', { return: true })).toEqual([]);
    expect(reader.read('nual"\r\n', {})).toEqual([]);
    expect(reader.read('[201~', {})).toEqual([['Go to /pricing\nClick "An\nnual"\n', { paste: true }]]);
    expect(reader.read('q', {})).toEqual([['q', {}]]);
  });

  it('splits a character outside the BMP as one key', () => {
    expect(new KeyReader().read('a😀', {})).toEqual([
      ['a', {}],
      ['😀', {}],
    ]);
  });
});

describe('editText: one line with a cursor', () => {
  const keys = (value: string, cursor: number, ...presses: [string, KeyLike][]) =>
    presses.reduce((at, [input, key]) => editText(at.value, at.cursor, input, key) ?? at, { value, cursor });
  const left: [string, KeyLike] = ['', { leftArrow: true }];
  const right: [string, KeyLike] = ['', { rightArrow: true }];

  it('inserts where the cursor is; ←/→ move it; Infinity is the end', () => {
    expect(keys('Chekout', Infinity, left, left, left, left, ['c', {}])).toEqual({ value: 'Checkout', cursor: 4 });
    expect(keys('ab', 0, left, ['x', {}], right, right, right, ['y', {}])).toEqual({ value: 'xaby', cursor: 4 });
  });

  it('home/end and ctrl-a/ctrl-e jump; ctrl-← and alt-→ move by word', () => {
    expect(keys('one two', Infinity, ['', { home: true }], ['>', {}])).toEqual({ value: '>one two', cursor: 1 });
    expect(keys('one two', 0, ['e', { ctrl: true }], ['!', {}])).toEqual({ value: 'one two!', cursor: 8 });
    expect(keys('one two', 2, ['a', { ctrl: true }]).cursor).toBe(0);
    expect(keys('one two', 2, ['', { end: true }]).cursor).toBe(7);
    expect(keys('one two three', Infinity, ['', { leftArrow: true, ctrl: true }]).cursor).toBe(8);
    expect(keys('one two three', 0, ['', { rightArrow: true, meta: true }]).cursor).toBe(3);
  });

  it('backspace deletes before the cursor, ctrl-d under it, ctrl-w the word before, ctrl-u all before, ctrl-k all after', () => {
    expect(keys('abc', 2, ['', { delete: true }])).toEqual({ value: 'ac', cursor: 1 });
    expect(keys('abc', 0, ['', { backspace: true }])).toEqual({ value: 'abc', cursor: 0 });
    expect(keys('abc', 1, ['d', { ctrl: true }])).toEqual({ value: 'ac', cursor: 1 });
    expect(keys('go to /pricing now', 14, ['w', { ctrl: true }])).toEqual({ value: 'go to  now', cursor: 6 });
    expect(keys('go to  ', Infinity, ['w', { ctrl: true }])).toEqual({ value: 'go ', cursor: 3 });
    expect(keys('not a time', 5, ['u', { ctrl: true }])).toEqual({ value: ' time', cursor: 0 });
    expect(keys('not a time', 5, ['k', { ctrl: true }])).toEqual({ value: 'not a', cursor: 5 });
  });

  it('a paste is inserted whole at the cursor, its line breaks as spaces and its last one dropped', () => {
    expect(keys('[]', 1, ['Annual price\r\nwrong\tnow\n', { paste: true }])).toEqual({
      value: '[Annual price wrong now]',
      cursor: 23,
    });
    expect(keys('', 0, ['a\x00b\x1bc', {}])).toEqual({ value: 'abc', cursor: 3 });
  });

  it('never stops between the two halves of a character outside the BMP', () => {
    expect(keys('a😀', Infinity, left)).toEqual({ value: 'a😀', cursor: 1 });
    expect(keys('a😀', Infinity, ['', { backspace: true }])).toEqual({ value: 'a', cursor: 1 });
  });

  it('is not an edit: enter, tab, esc, ↑/↓, other ctrl keys', () => {
    for (const key of [
      { return: true },
      { tab: true },
      { escape: true },
      { upArrow: true },
      { pageDown: true },
      { ctrl: true },
    ])
      expect(editText('a', 1, 'x', key)).toBeNull();
  });
});

describe('the form at its cursor', () => {
  const ctx = { flows: ['trial'], now: Date.parse('2026-11-22T12:00:00Z') };
  const steps = fields.findIndex((field) => field.id === 'steps');
  const run = (state: FormState, ...presses: [string, KeyLike][]) =>
    presses.reduce((s, [input, key]) => formKey(s, input, key, ctx).state, state);
  const onSteps = (text: string): FormState => ({
    ...initialFormState(),
    focus: steps,
    values: { ...initialFormState().values, steps: text },
  });

  it('a title typed, then ← and a letter, inserts mid-word', () => {
    const state = run(
      initialFormState(),
      ...[...'Chekout'].map((c): [string, KeyLike] => [c, {}]),
      ['', { leftArrow: true }],
      ['', { leftArrow: true }],
      ['', { leftArrow: true }],
      ['', { leftArrow: true }],
      ['c', {}],
    );
    expect(state.values.title).toBe('Checkout');
  });

  it('a multi-line paste into the steps editor gives one step a line, inserted at the cursor', () => {
    const state = run(onSteps('Go to /pricing'), [
      'Click "Annual"\r\nExpect the text "$100 / year" to be visible\n',
      { paste: true },
    ]);
    expect(state.values.steps).toBe('Go to /pricingClick "Annual"\nExpect the text "$100 / year" to be visible');
    const fresh = run(
      onSteps('Go to /pricing'),
      ['', { return: true }],
      ['Click "Annual"\nExpect the URL to contain /checkout', { paste: true }],
      ['x', {}],
    );
    expect(fresh.values.steps.split('\n')).toEqual([
      'Go to /pricing',
      'Click "Annual"',
      'Expect the URL to contain /checkoutx',
    ]);
  });

  it('a paste on a chooser or the preview is not keys', () => {
    const severity = fields.findIndex((field) => field.id === 'severity');
    const onSeverity = { ...initialFormState(), focus: severity };
    expect(formKey(onSeverity, '2', { paste: true }, ctx).state).toBe(onSeverity);
    const preview: FormState = { ...initialFormState(), screen: 'preview' };
    expect(formKey(preview, 'y', { paste: true }, ctx)).toEqual({ state: preview });
  });

  it("enter splits a step at the cursor; backspace at a step's start joins it to the one above", () => {
    const split = run(onSteps('Go to /pricingClick "Annual"'), ...Array(14).fill(['', { leftArrow: true }]), [
      '',
      { return: true },
    ]);
    expect(split.values.steps).toBe('Go to /pricing\nClick "Annual"');
    expect(split.line).toBe(1);
    const joined = run(split, ['', { backspace: true }], ['!', {}]);
    expect(joined.values.steps).toBe('Go to /pricing!Click "Annual"');
  });
});

describe('the review at its cursor', () => {
  const ctx = { rows: [], height: 10, flows: [] };
  const run = (state: ReviewState, ...presses: [string, KeyLike][]) =>
    presses.reduce((s, [input, key]) => handleKey(s, input, key, ctx).state, state);

  it('the filter: / opens it at its end, ← and a letter insert mid-word, a paste is text and never a command', () => {
    const typed = run(
      initialState,
      ['/', {}],
      ...new KeyReader().read('chekout', {}),
      ['', { leftArrow: true }],
      ['', { leftArrow: true }],
      ['', { leftArrow: true }],
      ['', { leftArrow: true }],
      ['c', {}],
    );
    expect(filterOf(typed)).toBe('checkout');
    const pasted = run(typed, ['', { end: true }], [' q', { paste: true }]);
    expect(filterOf(pasted)).toBe('checkout q');
    expect(pasted.mode.kind).toBe('filter');
  });

  it('a paste while browsing does nothing: its letters are not keys', () => {
    expect(handleKey(initialState, 'q', { paste: true }, ctx)).toEqual({ state: initialState });
    expect(handleKey(initialState, 'q', {}, ctx).effect).toEqual({ kind: 'quit' });
  });
});
