/** Nearest-rank percentile: the value at rank ⌈p/100 · n⌉ of the sorted values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** A share over zero items is null, not 0. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
