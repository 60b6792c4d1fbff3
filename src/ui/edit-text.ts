// The one line editor of the form's fields, the steps editor's lines, the review's filter and waive reason.
// Ours rather than @inkjs/ui's TextInput: that one keeps its text inside the component (our screens are pure
// reducers over state, so every key is testable without a terminal), and it has no word or line delete.

/** The parts of ink's Key that text editing looks at; `paste` marks text that arrived as one bracketed paste. */
export interface KeyLike {
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  paste?: boolean;
}

/** A line and where its cursor is: a position between characters, 0 … value.length. */
export interface Edited {
  value: string;
  cursor: number;
}

/** The cursor within `value`; Infinity, as a field holds it until the first edit, is the end. */
export const cursorIn = (value: string, cursor: number): number => Math.max(0, Math.min(value.length, cursor));

const isLow = (code: number | undefined) => code !== undefined && code >= 0xdc00 && code <= 0xdfff;
// a character outside the BMP is two UTF-16 units: the cursor never stops between them
const before = (value: string, at: number) =>
  at >= 2 && isLow(value.charCodeAt(at - 1)) ? at - 2 : Math.max(0, at - 1);
const after = (value: string, at: number) =>
  isLow(value.charCodeAt(at + 1)) ? at + 2 : Math.min(value.length, at + 1);
const wordStart = (value: string, at: number) => value.slice(0, at).replace(/\S*\s*$/, '').length;
const wordEnd = (value: string, at: number) => at + (/^\s*\S*/.exec(value.slice(at))?.[0].length ?? 0);

/** Text typed or pasted into one line: line breaks and tabs become spaces (a paste's last one goes), other control characters go. */
export function lineText(input: string, paste = false): string {
  const text = (paste ? input.replace(/[\r\n]+$/, '') : input).replace(/\r\n|[\r\n\t]/g, ' ');
  return text.replace(/[\x00-\x1f\x7f]/g, '');
}

/**
 * One key applied to a line at its cursor: ←/→ (by word with ctrl or alt), home/end (ctrl-a/ctrl-e), backspace,
 * ctrl-d the character under the cursor, ctrl-w the word before it, ctrl-u all before it, ctrl-k all after it;
 * printable input (a paste too) is inserted. Returns null when the key is not an edit.
 */
export function editText(value: string, cursor: number, input: string, key: KeyLike): Edited | null {
  const at = cursorIn(value, cursor);
  const word = key.ctrl || key.meta;
  const move = (to: number): Edited => ({ value, cursor: to });
  const cut = (from: number, to: number, cursorAt: number): Edited => ({
    value: value.slice(0, from) + value.slice(to),
    cursor: cursorAt,
  });
  if (key.leftArrow) return move(word ? wordStart(value, at) : before(value, at));
  if (key.rightArrow) return move(word ? wordEnd(value, at) : after(value, at));
  if (key.home || (key.ctrl && input === 'a')) return move(0);
  if (key.end || (key.ctrl && input === 'e')) return move(value.length);
  // ink reports the backspace key (\x7f) as delete, as it does the forward-delete key, so both delete backwards
  if (key.backspace || key.delete) return cut(before(value, at), at, before(value, at));
  if (key.ctrl && input === 'd') return cut(at, after(value, at), at);
  if (key.ctrl && input === 'w') return cut(wordStart(value, at), at, wordStart(value, at));
  if (key.ctrl && input === 'u') return cut(0, at, 0);
  if (key.ctrl && input === 'k') return cut(at, value.length, at);
  if (
    key.ctrl ||
    key.meta ||
    key.escape ||
    key.tab ||
    key.return ||
    key.upArrow ||
    key.downArrow ||
    key.pageUp ||
    key.pageDown
  )
    return null;
  const text = lineText(input, key.paste);
  return text ? { value: value.slice(0, at) + text + value.slice(at), cursor: at + text.length } : null;
}
