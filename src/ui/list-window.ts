/** Where a list's cursor is and which row is at the top of its window. */
export interface ListPos {
  cursor: number;
  offset: number;
}

export const top: ListPos = { cursor: 0, offset: 0 };

/** Keeps the cursor inside the list and the window around the cursor (after a move, a filter or a resize). */
export function fitWindow(pos: ListPos, count: number, height: number): ListPos {
  const rows = Math.max(1, height);
  const cursor = Math.min(Math.max(0, pos.cursor), Math.max(0, count - 1));
  let offset = Math.min(pos.offset, Math.max(0, count - rows));
  if (cursor < offset) offset = cursor;
  if (cursor >= offset + rows) offset = cursor - rows + 1;
  return { cursor, offset: Math.max(0, offset) };
}

export function moveCursor(pos: ListPos, delta: number, count: number, height: number): ListPos {
  return fitWindow({ ...pos, cursor: pos.cursor + delta }, count, height);
}

/** The rows to draw: only what fits, so a list of any length costs the same to render. */
export function visibleSlice<T>(
  rows: readonly T[],
  pos: ListPos,
  height: number,
): { rows: readonly T[]; first: number } {
  const fitted = fitWindow(pos, rows.length, height);
  return { rows: rows.slice(fitted.offset, fitted.offset + Math.max(1, height)), first: fitted.offset };
}
