import type { CommandContext } from '../context.js';
import { ciKeys, says } from '../ui/load-ink.js';

/** A person at a terminal: both ends are a TTY and this is not CI (where a form would wait forever). */
export function isInteractive(ctx: CommandContext): boolean {
  return (
    Boolean(process.stdin.isTTY && process.stdout.isTTY) &&
    !ciKeys.some((key) => says(ctx.env[key])) &&
    !ctx.output.json
  );
}
