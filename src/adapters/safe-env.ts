/**
 * The environment generated tests and served apps run with: an allow-list, so that no token,
 * key or password of the user's shell reaches code that verigap did not write by hand.
 */
const allowed = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TEMP|TMP|LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|CI|NODE_ENV|XDG_[A-Z_]+|DISPLAY|PLAYWRIGHT_BROWSERS_PATH|PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH)$/;

export function safeEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(env).filter(([key]) => allowed.test(key)));
  return { ...kept, ...extra };
}
