import type { ChildProcess } from 'node:child_process';

/** Signals a child started with `detached: true` and everything it started; false when the group is already gone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Keeps the last 4,000 characters a child writes to stdout and stderr; `tail()` gives its last lines, for messages. */
export function outputOf(child: ChildProcess): { text(): string; tail(): string } {
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { text: () => output, tail: () => output.trim().split('\n').slice(-15).join('\n') };
}
