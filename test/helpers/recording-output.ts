import type { Output } from '../../src/output.js';

/** An Output that keeps what a command prints and its --json result, for commands run in-process (init). */
export function recordingOutput() {
  const lines: string[] = [];
  let result: unknown;
  const output: Output = {
    json: false,
    quiet: false,
    color: false,
    isTTY: false,
    print: (text) => void lines.push(text),
    result: (value) => void (result = value),
    note: () => undefined,
    warn: () => undefined,
  };
  return { output, lines, result: () => result as { written: string[]; kept: string[]; ci?: Record<string, unknown> } };
}
