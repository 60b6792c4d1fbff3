import { describe, expect, it } from 'vitest';
import { thousands } from '../../src/core/thousands.js';

describe('thousands', () => {
  it('writes numbers as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12345, 999999, 1000000, 1234567890, -4321])
      expect(thousands(n)).toBe(n.toLocaleString('en-US'));
  });
});
