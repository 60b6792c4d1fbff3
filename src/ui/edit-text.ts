/** The parts of ink's Key that text editing looks at. */
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
}

/**
 * One keystroke applied to a line at its end: printable input (a paste too) is appended, backspace
 * deletes a character, Ctrl-W a word, Ctrl-U the whole line. Returns null when the key is not an edit.
 */
export function editText(value: string, input: string, key: KeyLike): string | null {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'w') return value.replace(/\S+\s*$/, '');
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.escape || key.tab || key.return || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return null;
  if (!input) return null;
  const text = input.replace(/[\r\n]+/g, ' ');
   
  const printable = text.replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '');
  return printable ? value + printable : null;
}
