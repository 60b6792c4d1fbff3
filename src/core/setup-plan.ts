/** What `setup:` runs in a checked-out revision (SPEC §6.6), decided from the command and what was reused. */

export const lockfiles = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
] as const;

const install =
  /^(?:npm\s+(?:ci|install|i)|pnpm\s+(?:install|i)|yarn(?:\s+install)?|bun\s+(?:install|i))(?:\s+--?[\w-]+(?:=\S+)?)*$/;

/**
 * The part of `setup` to run. When the working tree's dependencies were reused (same lockfile), the
 * package manager's install commands among `a && b && c` are left out and the rest (a build) still runs;
 * null when nothing is left.
 */
export function setupToRun(setup: string | undefined, dependenciesReused: boolean): string | null {
  if (!setup) return null;
  if (!dependenciesReused) return setup;
  const kept = setup
    .split('&&')
    .map((part) => part.trim())
    .filter((part) => part && !install.test(part));
  return kept.length > 0 ? kept.join(' && ') : null;
}

/** True when a failure's output or exit code says a command was not there (127: sh's "not found"). */
export function commandNotFound(exitCode: number | null, output: string): boolean {
  return (
    exitCode === 127 || /command not found|: not found|Cannot find module|ERR_MODULE_NOT_FOUND|ENOENT/.test(output)
  );
}
