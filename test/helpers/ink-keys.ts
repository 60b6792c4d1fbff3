/** Bytes a terminal sends for the keys the TUI tests press. */
export const keys = {
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', pageDown: '\x1b[6~', pageUp: '\x1b[5~',
  enter: '\r', esc: '\x1b', tab: '\t', shiftTab: '\x1b[Z', backspace: '\x7f', ctrlS: '\x13', ctrlU: '\x15', ctrlC: '\x03',
} as const;

const settle = () => new Promise((resolve) => setTimeout(resolve, 25));

/** Types each key (or text) separately, letting ink render after each, as a person would. */
export async function press(stdin: { write(data: string): void }, ...sequence: string[]): Promise<void> {
  for (const key of sequence) {
    stdin.write(key);
    await settle();
  }
}

/** Waits until the last frame satisfies `check` (ink renders asynchronously after effects). */
export async function frameWhere(lastFrame: () => string | undefined, check: (frame: string) => boolean, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (check(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`no frame matched within ${timeoutMs} ms; last frame:\n${frame}`);
    await settle();
  }
}
