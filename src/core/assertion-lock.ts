/**
 * The assertion lock (SPEC §6.4): a repair may change any step but an Expect step of the first
 * generation. Structural: the Expect steps are compared as text, not guessed from code.
 */

const isExpect = (step: string) => /^expect\s/i.test(step.trim());

/** An Expect step as compared: outside quotes in lower case, without "the", runs of whitespace as one space. */
export function normalizedExpect(step: string): string {
  return step
    .trim()
    .replace(/\.$/, '')
    .split('"')
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .toLowerCase()
            .replace(/\bthe\s+/g, '')
            .replace(/\s+/g, ' '),
    )
    .join('"');
}

/** The Expect steps of a list of steps, in order, as the lock compares them. */
export function lockedExpects(steps: readonly string[]): string[] {
  return steps.filter(isExpect).map(normalizedExpect);
}

/** Why `steps` breaks the lock of `locked` (the first generation's Expect steps); null when it keeps them. */
export function brokenLock(locked: readonly string[], steps: readonly string[]): string | null {
  const now = lockedExpects(steps);
  if (now.length === locked.length && now.every((step, index) => step === locked[index])) return null;
  const dropped = locked.filter((step) => !now.includes(step));
  const added = now.filter((step) => !locked.includes(step));
  const changes = [...dropped.map((step) => `dropped \`${step}\``), ...added.map((step) => `added \`${step}\``)];
  return `the repair changed the Expect steps of the first generation (${changes.join(', ') || 'reordered or repeated them'}): an Expect step states the incident's outcome and may not change`;
}
