import { useInput } from 'ink';
import { useState } from 'react';
import type { KeyLike } from './edit-text.js';
import { KeyReader } from './keys.js';

/** useInput, one call per key pressed (see KeyReader), and one per bracketed paste. */
export function useKeys(handle: (input: string, key: KeyLike) => void): void {
  const [reader] = useState(() => new KeyReader());
  useInput((input, key) => {
    for (const [one, oneKey] of reader.read(input, key)) handle(one, oneKey);
  });
}
