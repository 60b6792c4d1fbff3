import type { CommandContext } from '../cli.js';

/** A person at a terminal: both ends are a TTY and this is not CI (where forms would hang). */
export function isInteractive(ctx: CommandContext): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !ctx.env.CI && !ctx.output.json;
}
