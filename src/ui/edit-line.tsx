import { Text } from 'ink';
import type { ReactNode } from 'react';
import { cursorIn } from './edit-text.js';

/** A line being edited: the character under the cursor in inverse (a space at the end); without focus, the text alone. */
export function EditLine({
  value,
  cursor,
  focused = true,
}: {
  value: string;
  cursor: number;
  focused?: boolean;
}): ReactNode {
  if (!focused) return <Text>{value}</Text>;
  const at = cursorIn(value, cursor);
  const under = value.codePointAt(at);
  const width = under === undefined ? 0 : under > 0xffff ? 2 : 1;
  return (
    <Text>
      {value.slice(0, at)}
      <Text inverse>{width ? value.slice(at, at + width) : ' '}</Text>
      {value.slice(at + width)}
    </Text>
  );
}
