import { act } from 'react';

/** Bytes a terminal sends for the keys the TUI tests press. */
export const keys = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  ctrlS: '\x13',
  ctrlU: '\x15',
  ctrlC: '\x03',
} as const;

type ActEnvironment = { IS_REACT_ACT_ENVIRONMENT?: boolean };

/**
 * Writes a key and resolves once ink has drawn everything it set off: inside act() React renders, runs the
 * effects (useInput re-subscribing with the new state) and renders what they changed before act() resolves;
 * the one turn of the loop lets ink flush a lone Esc, which it holds back to tell it from an escape sequence.
 * The act environment is on only meanwhile: the app's own async work lands outside, without act warnings.
 */
async function drawn(write: () => void): Promise<void> {
  (globalThis as ActEnvironment).IS_REACT_ACT_ENVIRONMENT = true;
  try {
    await act(async () => {
      write();
      await new Promise<void>((resolve) => setImmediate(resolve));
    });
  } finally {
    (globalThis as ActEnvironment).IS_REACT_ACT_ENVIRONMENT = false;
  }
}

/** Types each key (or text) separately, letting ink render after each, as a person would. */
export async function press(stdin: { write(data: string): void }, ...sequence: string[]): Promise<void> {
  for (const key of sequence) {
    await drawn(() => stdin.write(key));
  }
}

/** Waits until the last frame satisfies `check`: for the app's own async work (a save, a test run), not for ink. */
export async function frameWhere(
  lastFrame: () => string | undefined,
  check: (frame: string) => boolean,
  timeoutMs = 5000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (check(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`no frame matched within ${timeoutMs} ms; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
