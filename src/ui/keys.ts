import type { Key } from 'ink';

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

const control: Record<string, Partial<Key>> = { '\t': { tab: true }, '\r': { return: true }, '\n': { return: true }, '\x7f': { backspace: true }, '\b': { backspace: true } };

/**
 * Ink hands over a chunk of typed-ahead or pasted input as one string ("Checkout\tSEV2\r"); this splits it
 * back into the keys that were pressed, so fast typing behaves like slow typing.
 */
export function splitKeys(input: string, key: Key): [string, Key][] {
   
  if (input.length <= 1 || !/[\x00-\x1f\x7f]/.test(input)) return [[input, key]];
  const keys: [string, Key][] = [];
   
  for (const part of input.split(/(\r\n|[\x00-\x1f\x7f])/)) {
    if (!part) continue;
    const special = control[part === '\r\n' ? '\r' : part];
    if (special) keys.push(['', { ...none, ...special }]);
    // Ctrl-A … Ctrl-Z arrive as \x01 … \x1a
    else if (part.length === 1 && part < ' ') keys.push([String.fromCharCode(part.charCodeAt(0) + 96), { ...none, ctrl: true }]);
    else keys.push([part, none]);
  }
  return keys;
}
