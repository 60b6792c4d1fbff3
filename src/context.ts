import type { Output } from './output.js';

/** What every command receives: where the repository is, how to print, the environment. */
export interface CommandContext {
  repoDir: string;
  output: Output;
  env: NodeJS.ProcessEnv;
}
