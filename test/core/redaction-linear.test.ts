import { describe, expect, it } from 'vitest';
import { redact } from '../../src/core/redact.js';

/** Text of `size` characters made by repeating `unit` (cut to size). */
const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

let state = 7;
const base64Run = (size: number) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[state % 64];
  }
  return out;
};

// inputs that make a careless pattern quadratic or worse: long runs a repeat scans again from every
// position, and near-misses of each format that keep it backtracking
const adversarial: [string, (size: number) => string][] = [
  ['e-mail near-misses a@a.a@…', (size) => repeat('a@a.a@', size)],
  ['a long run of "a" before one @', (size) => `${repeat('a', size - 8)}@b.co x`],
  ['base64 without a break', base64Run],
  ['private-key headers without an end', (size) => repeat('-----BEGIN RSA PRIVATE KEY-----\nMIIE', size)],
  ['assignments with long values', (size) => repeat(`password=${'x'.repeat(600)} `, size)],
  ['digits and spaces', (size) => repeat('4 1 1 1 ', size)],
  ['a run of digits', (size) => repeat('4', size)],
  ['colons and hex (IPv6 near-misses)', (size) => repeat('a:b:', size)],
  ['URLs with a user and no end', (size) => repeat(`http://u:${'p'.repeat(300)}`, size)],
  ['JWT prefixes without dots', (size) => repeat('eyJ', size)],
  ['phone prefixes', (size) => repeat('+1 2 ', size)],
  ['dotted numbers', (size) => repeat('1.2.3.', size)],
  ['keywords without values', (size) => repeat('secret token aws ', size)],
  ['a team pattern over a run of letters', (size) => repeat('abcdefgh', size)],
];

const teamPatterns = ['[a-z]+@corp\\.example', 'cus_[A-Za-z0-9]+'];

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

/** Median times of the two inputs, measured in turns so that a busy machine slows both alike. */
function timesOf(small: string, large: string, patterns: string[]): [number, number] {
  redact(small, patterns);
  const smallTimes: number[] = [];
  const largeTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const [text, times] of [
      [small, smallTimes],
      [large, largeTimes],
    ] as const) {
      const start = performance.now();
      redact(text, patterns);
      times.push(performance.now() - start);
    }
  }
  return [median(smallTimes), median(largeTimes)];
}

describe('redaction takes time linear in its input, whatever the input', () => {
  it.each(adversarial)('%s: 400 KB takes well under 8× the time of 100 KB', (name, make) => {
    const patterns = name.startsWith('a team pattern') ? teamPatterns : [];
    const [small, large] = timesOf(make(100_000), make(400_000), patterns);
    // linear is 4×, quadratic 16×; the 10 ms floor keeps timer noise on tiny times from failing it
    expect(large / Math.max(small, 10)).toBeLessThan(8);
  });

  it("a megabyte mixing all of them comes back, the team's patterns included", () => {
    const mixed = adversarial.map(([, make]) => make(Math.ceil(1_000_000 / adversarial.length))).join('\n');
    const { text } = redact(mixed, teamPatterns);
    expect(text.length).toBeGreaterThan(0);
  });
});
