import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { visibleSlice, type ListPos } from './list-window.js';
import type { Cell, Column, Row, StatusBar } from './review/rows.js';

/** Pads or cuts text to exactly `width` columns. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

function widthsOf(columns: readonly { width: number | 'grow' }[], total: number): number[] {
  const fixed = columns.reduce((sum, c) => sum + (c.width === 'grow' ? 0 : c.width + 1), 0);
  return columns.map((c) => (c.width === 'grow' ? Math.max(8, total - fixed - 1) : c.width));
}

/** A bar of `width` cells split into verified / covered / uncovered / waived, like a test-run summary. */
export function Bar({ bar, width }: { bar: StatusBar; width: number }): ReactNode {
  const total = bar.verified + bar.covered + bar.uncovered + bar.waived;
  if (total === 0) return <Text dimColor>{fit('no features', width)}</Text>;
  const parts = (['verified', 'covered', 'uncovered', 'waived'] as const).map((k) => ({
    k,
    n: Math.round((bar[k] / total) * width),
  }));
  // rounding may leave the bar a cell short or long: the largest part absorbs it
  const largest = parts.reduce((a, b) => (b.n > a.n ? b : a));
  largest.n += width - parts.reduce((sum, p) => sum + p.n, 0);
  const color = { verified: 'green', covered: 'cyan', uncovered: 'red', waived: 'gray' } as const;
  return (
    <Text>
      {parts.map((p) => (
        <Text key={p.k} color={color[p.k]}>
          {(p.k === 'waived' ? '░' : '█').repeat(Math.max(0, p.n))}
        </Text>
      ))}
    </Text>
  );
}

function CellView({ cell, width }: { cell: Cell; width: number }): ReactNode {
  if (cell.bar) return <Bar bar={cell.bar} width={width} />;
  return cell.color ? <Text color={cell.color}>{fit(cell.text, width)}</Text> : <Text>{fit(cell.text, width)}</Text>;
}

/** A list that draws only the rows in its window, so 10,000 rows cost what 20 do. */
export function ListView({
  columns,
  rows,
  pos,
  height,
  width,
  empty,
}: {
  columns: readonly Column[];
  rows: readonly Row[];
  pos: ListPos;
  height: number;
  width: number;
  empty: string;
}): ReactNode {
  const widths = widthsOf(columns, width - 2);
  const { rows: visible, first } = visibleSlice(rows, pos, height);
  const cursor = Math.min(pos.cursor, rows.length - 1);
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text bold dimColor>{`  ${columns.map((c, i) => fit(c.title, widths[i]!)).join(' ')}`}</Text>
      {rows.length === 0 ? <Text dimColor>{`  ${empty}`}</Text> : null}
      {visible.map((row, i) => {
        const selected = first + i === cursor;
        return (
          <Box key={row.key}>
            <Text color="cyan">{selected ? '› ' : '  '}</Text>
            {row.cells().map((cell, c) => (
              <Text key={c} inverse={selected}>
                {c > 0 ? ' ' : ''}
                <CellView cell={cell} width={widths[c] ?? 8} />
              </Text>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}
