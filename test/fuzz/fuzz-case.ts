import { VerigapError } from '../../src/errors.js';

/** The fixed seed of every fuzz test; FUZZ_SEED replays another sequence, e.g. to hunt further. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 0x5eed12);

/** A case that runs longer than this is reported as a hang: generous, so that a busy CI machine is no failure. */
export const HANG_MS = 10_000;

export interface CaseFailure {
  kind: string;
  index: number;
  what: string;
  input: string;
}

/** What a failure message shows of an input: enough to recognise it, never 100 KB. */
export function preview(input: unknown): string {
  const text =
    typeof input === 'string'
      ? input
      : Buffer.isBuffer(input)
        ? `<bytes> ${input.toString('latin1')}`
        : (JSON.stringify(input) ?? String(input));
  return text.length > 600 ? `${JSON.stringify(text.slice(0, 400))} … (${text.length} chars)` : JSON.stringify(text);
}

/**
 * Runs one case: a throw that is not a VerigapError is a crash, a run over HANG_MS a hang; `check` returns
 * what is wrong with the result (a silent skip, a problem without a file), or nothing.
 */
export function runCase(
  failures: CaseFailure[],
  kind: string,
  index: number,
  input: unknown,
  check: () => string | undefined,
): void {
  const started = performance.now();
  let what: string | undefined;
  try {
    what = check();
  } catch (error) {
    if (!(error instanceof VerigapError))
      what = `crash: ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 4).join('\n')}` : String(error)}`;
    else if (!error.message.trim()) what = 'a typed error without a message';
  }
  const took = performance.now() - started;
  if (took > HANG_MS) what = `hang: ${Math.round(took)} ms${what ? `; ${what}` : ''}`;
  if (what) failures.push({ kind, index, what, input: preview(input) });
}

/** One line per failure, with what replays it. */
export function describeFailures(failures: readonly CaseFailure[]): string {
  return (
    failures
      .slice(0, 20)
      .map((f) => `[seed ${FUZZ_SEED} ${f.kind} #${f.index}] ${f.what}\n    input: ${f.input}`)
      .join('\n') + (failures.length > 20 ? `\n… and ${failures.length - 20} more` : '')
  );
}
