import type { KeyLike } from './edit-text.js';

const none: KeyLike = {};

const control: Record<string, KeyLike> = {
  '\t': { tab: true },
  '\r': { return: true },
  '\n': { return: true },
  '\x7f': { backspace: true },
  '\b': { backspace: true },
};

// ink strips the escape of the bracketed-paste markers \x1b[200~ and \x1b[201~ and hands over the rest as input
const pasteStart = '[200~';
const pasteEnd = '[201~';

/**
 * Ink hands over what one read of the terminal held as one string: "jjj" from key repeat, a slow SSH link or
 * tmux send-keys, "Checkout\tSEV2\r" from typing ahead. This splits it back into the keys that were pressed,
 * so fast typing behaves like slow typing. A bracketed paste (the terminal marks it when the command asked,
 * see bracketedPaste) stays one piece of text, however many reads it took, with `paste` set.
 */
export class KeyReader {
  private pasted: string | null = null;

  read(input: string, key: KeyLike): [string, KeyLike][] {
    if (this.pasted !== null) {
      if (input !== pasteEnd) {
        // inside a paste ink still names a lone \r or \t as a key, with no input
        this.pasted += key.return ? '\n' : key.tab ? '\t' : input;
        return [];
      }
      const text = this.pasted.replace(/\r\n|\r/g, '\n');
      this.pasted = null;
      return text ? [[text, { paste: true }]] : [];
    }
    if (input === pasteStart && !key.ctrl) {
      this.pasted = '';
      return [];
    }
    return splitKeys(input, key);
  }
}

/** The keys in one chunk of input that is not a bracketed paste. */
export function splitKeys(input: string, key: KeyLike): [string, KeyLike][] {
  // one key already, named by ink (an arrow, ctrl-w, alt-b, a single character)
  if (input.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  const keys: [string, KeyLike][] = [];
  for (const part of input.split(/(\r\n)/)) {
    for (const char of part === '\r\n' ? ['\r'] : part) {
      const special = control[char];
      if (special) keys.push(['', special]);
      // Ctrl-A … Ctrl-Z arrive as \x01 … \x1a
      else if (char < ' ') keys.push([String.fromCharCode(char.charCodeAt(0) + 96), { ctrl: true }]);
      else keys.push([char, /^[A-Z]$/.test(char) ? { shift: true } : none]);
    }
  }
  return keys;
}
