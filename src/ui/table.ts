import stringWidth from 'string-width';

/**
 * Formats rows as aligned plain-text columns; the header is the first row. Widths are terminal columns
 * (string-width, the library ink itself measures with): a CJK title or an emoji takes two, a colour code none.
 */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => visibleLength(row[column] ?? ''))));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : pad(cell, widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const visibleLength = (text: string) => stringWidth(text);

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}
