#!/usr/bin/env node
// The entry point: runs the program (program.ts) and turns how it ended into an exit code.
import { CommanderError } from 'commander';
import { program } from './program.js';
import { ExitCode, VerigapError } from './errors.js';
import { interruptedExitCode, runCleanups } from './adapters/cleanup.js';
import { diskError } from './adapters/disk-errors.js';

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    return exitCodeOf(error);
  } finally {
    // servers, worktrees and the shared browser a command started, however it ended
    await runCleanups();
  }
}

function exitCodeOf(error: unknown): number {
  // stopped by Ctrl-C: what failed afterwards failed because of it, and is not news
  const interrupted = interruptedExitCode();
  if (interrupted !== undefined) return interrupted;
  if (error instanceof CommanderError) {
    return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
      ? ExitCode.ok
      : ExitCode.badInput;
  }
  if (/^SQLITE_(CORRUPT|NOTADB)/.test((error as { code?: string }).code ?? '')) {
    process.stderr.write(
      'verigap: the local index .verigap/index.db is corrupted\nhint: run `verigap sync --rebuild` (it is rebuilt from Git; nothing is lost)\n',
    );
    return ExitCode.outside;
  }
  // a full disk is said once, here, whichever write (index, lock, incident file) met it
  const known = error instanceof VerigapError ? error : diskError(error);
  if (known) {
    process.stderr.write(`verigap: ${known.message}\n${known.hint ? `hint: ${known.hint}\n` : ''}`);
    return known.exitCode;
  }
  process.stderr.write(
    `verigap: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return ExitCode.outside;
}

const finished = await main(process.argv);
const code = interruptedExitCode() ?? finished;
process.exitCode = code;
// Idle keep-alive sockets or a browser connection must not hold the CLI open once it is done.
// Stopped by a signal: its handler says so and exits, once what the command started is undone.
if (interruptedExitCode() === undefined)
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
