import type { Clock } from './adapters/clock.js';
import type { Output } from './output.js';

/** What every command receives: where the repository is, how to print, the environment, the clock. */
export interface CommandContext {
  repoDir: string;
  output: Output;
  env: NodeJS.ProcessEnv;
  clock: Clock;
}
