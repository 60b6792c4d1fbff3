/** The variables that mean CI, and whether one of them says so (set, and not empty, 0 or false). */
export const ciKeys = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
export const says = (value: string | undefined) =>
  value !== undefined && value !== '' && value !== '0' && value !== 'false';

/**
 * ink, React and a screen, ready for a person. ink takes a CI variable that is merely set (even empty,
 * as some shells export it) for CI and then draws only the last frame, so such empty variables are
 * dropped. React is its production build (the development one makes every frame 3× slower): the bin's
 * bundle pins it (scripts/build.mjs), so no NODE_ENV is set here, where Git and the index are read meanwhile.
 */
export async function loadInk<T>(
  screen: () => Promise<T>,
): Promise<{ ink: typeof import('ink'); react: typeof import('react'); screen: T }> {
  for (const key of ciKeys) if (process.env[key] !== undefined && !says(process.env[key])) delete process.env[key];
  const [ink, react, loaded] = await Promise.all([import('ink'), import('react'), screen()]);
  return { ink, react, screen: loaded };
}

/**
 * Asks the terminal to mark what is pasted (bracketed paste), so that a pasted text reaches a field as text, a
 * multi-line paste as lines, and never as keys (a "q" in it does not quit). Returns the undo, for when the screen ends.
 */
export function bracketedPaste(stdout: NodeJS.WriteStream): () => void {
  stdout.write('\x1b[?2004h');
  return () => stdout.write('\x1b[?2004l');
}
