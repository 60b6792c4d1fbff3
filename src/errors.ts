/** Exit codes of SPEC §3. */
export const ExitCode = { ok: 0, gateFailed: 1, badInput: 2, outside: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that knows how the process should end. Caught once, in cli.ts. */
export class VerigapError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad usage or bad input: the message names the file, the line and the fix. */
export class InputError extends VerigapError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.badInput, hint);
  }
}

/** A file that does not parse or validate, with where and why. */
export class FileError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    reason: string,
    hint?: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`, hint);
  }
}

/** git, GitHub, the LLM or the browser failed. */
export class OutsideError extends VerigapError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.outside, hint);
  }
}

/** The app answered on baseURL's port, not on the PORT it was given: it cannot run beside another copy. */
export class PortIgnoredError extends OutsideError {}

/** A gate or a check failed: the command did its job and the answer is "no". */
export class GateError extends VerigapError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.gateFailed, hint);
  }
}
