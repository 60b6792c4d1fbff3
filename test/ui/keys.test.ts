import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { editText } from '../../src/ui/edit-text.js';
import { splitKeys } from '../../src/ui/keys.js';

const plain = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false } satisfies Key;
/** What each split key is, in a word: its text, or the one flag it sets. */
const named = (pairs: [string, Key][]) => pairs.map(([input, key]) => {
  const flags = Object.entries(key).filter(([, on]) => on).map(([flag]) => flag);
  return flags.length === 0 ? input : `${flags.join('+')}${input ? `:${input}` : ''}`;
});

describe('splitKeys: typed-ahead input back into its keys', () => {
  it('one key, or plain text (a paste), stays as ink gave it', () => {
    expect(splitKeys('a', plain)).toEqual([['a', plain]]);
    expect(splitKeys('Checkout page', plain)).toEqual([['Checkout page', plain]]);
    const enter = { ...plain, return: true };
    expect(splitKeys('\r', enter)).toEqual([['\r', enter]]);
  });

  it('text with tabs, returns and backspaces between is split at each', () => {
    expect(named(splitKeys('Checkout\tSEV2\r', plain))).toEqual(['Checkout', 'tab', 'SEV2', 'return']);
    expect(named(splitKeys('ab\x7f\x7fc\r\nd\n', plain))).toEqual(['ab', 'backspace', 'backspace', 'c', 'return', 'd', 'return']);
  });

  it('Ctrl-letters arrive as \\x01…\\x1a and come out as ctrl with their letter', () => {
    expect(named(splitKeys('x\x13\x15', plain))).toEqual(['x', 'ctrl:s', 'ctrl:u']);
  });
});

describe('editText: one keystroke applied to a line', () => {
  it('appends printable input, a paste as one line', () => {
    expect(editText('Go to', ' /pricing', {})).toBe('Go to /pricing');
    expect(editText('', 'one\r\ntwo\nthree', {})).toBe('one two three');
    expect(editText('a', 'b\x07c\x1b', {})).toBe('abc');
  });

  it('deletes a character, a word (Ctrl-W) or the line (Ctrl-U)', () => {
    expect(editText('abc', '', { backspace: true })).toBe('ab');
    expect(editText('', '', { delete: true })).toBe('');
    expect(editText('Click "Start trial"  ', 'w', { ctrl: true })).toBe('Click "Start ');
    expect(editText('Click', 'u', { ctrl: true })).toBe('');
  });

  it('is not an edit for navigation, other Ctrl keys, or nothing printable', () => {
    for (const key of [{ return: true }, { tab: true }, { escape: true }, { upArrow: true }, { pageDown: true }, { meta: true }, { ctrl: true }]) expect(editText('x', 'y', key)).toBeNull();
    expect(editText('x', '', {})).toBeNull();
    expect(editText('x', '\x07', {})).toBeNull();
  });
});
