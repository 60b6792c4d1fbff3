import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/ui/table.js';

describe('formatTable', () => {
  it('aligns columns by terminal width: a CJK title or an emoji takes two columns, a colour code none', () => {
    const table = formatTable(
      ['flow', 'tests'],
      [
        ['決済', '3'],
        ['cart 🛒', '1'],
        ['\x1b[31mauth\x1b[39m', '2'],
        ['search', '0'],
      ],
    );
    // the widest first cell is "cart 🛒", 7 columns: every second cell starts at column 9
    expect(table.split('\n')).toEqual([
      'flow     tests',
      '決済     3',
      'cart 🛒  1',
      '\x1b[31mauth\x1b[39m     2',
      'search   0',
    ]);
  });
});
