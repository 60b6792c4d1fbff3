import { describe, expect, it } from 'vitest';
import { fitWindow, moveCursor, top, visibleSlice } from '../../src/ui/list-window.js';

describe('list window', () => {
  it('moves the cursor inside the window until it would leave it, then scrolls by one', () => {
    expect(moveCursor(top, 1, 10, 3)).toEqual({ cursor: 1, offset: 0 });
    expect(moveCursor({ cursor: 2, offset: 0 }, 1, 10, 3)).toEqual({ cursor: 3, offset: 1 });
    expect(moveCursor({ cursor: 3, offset: 1 }, -1, 10, 3)).toEqual({ cursor: 2, offset: 1 });
    expect(moveCursor({ cursor: 1, offset: 1 }, -1, 10, 3)).toEqual({ cursor: 0, offset: 0 });
  });

  it('clamps the cursor to the list: page moves and g/G past either end stop at the first and last row', () => {
    expect(moveCursor({ cursor: 8, offset: 7 }, 3, 10, 3)).toEqual({ cursor: 9, offset: 7 });
    expect(moveCursor({ cursor: 5, offset: 4 }, Infinity, 10, 3)).toEqual({ cursor: 9, offset: 7 });
    expect(moveCursor({ cursor: 5, offset: 4 }, -Infinity, 10, 3)).toEqual(top);
    expect(moveCursor(top, 1, 0, 3)).toEqual(top);
  });

  it('after a filter shortens the list, or a resize grows the window, no empty rows are left below the last', () => {
    expect(fitWindow({ cursor: 40, offset: 38 }, 5, 3)).toEqual({ cursor: 4, offset: 2 });
    expect(fitWindow({ cursor: 9, offset: 7 }, 10, 8)).toEqual({ cursor: 9, offset: 2 });
    expect(fitWindow({ cursor: 9, offset: 7 }, 10, 20)).toEqual({ cursor: 9, offset: 0 });
  });

  it('a window of no rows (a tiny terminal) still shows the cursor row', () => {
    expect(fitWindow({ cursor: 4, offset: 0 }, 10, 0)).toEqual({ cursor: 4, offset: 4 });
    expect(visibleSlice(['a', 'b', 'c'], { cursor: 1, offset: 0 }, 0)).toEqual({ rows: ['b'], first: 1 });
  });

  it('draws only the rows in the window, from its first', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `row ${i}`);
    expect(visibleSlice(rows, { cursor: 5_000, offset: 0 }, 4)).toEqual({
      rows: ['row 4997', 'row 4998', 'row 4999', 'row 5000'],
      first: 4997,
    });
    expect(visibleSlice(rows.slice(0, 2), top, 4)).toEqual({ rows: ['row 0', 'row 1'], first: 0 });
  });
});
