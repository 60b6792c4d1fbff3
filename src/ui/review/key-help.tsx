import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { label, reviewKeys } from './review-keys.js';

const KEYS_WIDTH = 20;

/** `?`: the key table, one line a binding; in more columns when the terminal is too short for one. */
export function KeyHelp({ height, width }: { height: number; width: number }): ReactNode {
  const lines = reviewKeys.flatMap((binding) => [
    { id: binding.action, keys: label(binding), text: binding.help },
    ...(binding.more ? [{ id: `${binding.action}+`, keys: '', text: binding.more }] : []),
  ]);
  // the closing line takes one of the height + 1 rows
  const perColumn = Math.max(1, height);
  const count = Math.ceil(lines.length / perColumn);
  const columns = Array.from({ length: count }, (_, index) => lines.slice(index * perColumn, (index + 1) * perColumn));
  return (
    <Box flexDirection="column" height={height + 1}>
      <Box flexDirection="row">
        {columns.map((column, index) => (
          <Box key={index} flexDirection="column" width={Math.floor(width / columns.length)}>
            {column.map((line) => (
              <Text key={line.id} wrap="truncate">
                <Text color="cyan">{line.keys.padEnd(KEYS_WIDTH)}</Text>
                {line.text}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      <Text dimColor>any key closes this help</Text>
    </Box>
  );
}
