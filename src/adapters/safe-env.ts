/**
 * The environment generated tests, Playwright and its browser run with: an allow-list, so that no token,
 * key or password of the user's shell reaches code that verigap did not write by hand.
 */
const allowed =
  /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TEMP|TMP|LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|CI|NODE_ENV|XDG_[A-Z_]+|DISPLAY|PLAYWRIGHT_BROWSERS_PATH|PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH)$/;

export function safeEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(env).filter(([key]) => allowed.test(key)));
  return { ...kept, ...extra };
}

/** verigap's own secrets and settings: the LLM's key and endpoint, the GitHub token. */
const verigapOwn = /^(OPENAI_[A-Z_]+|GITHUB_TOKEN|GH_TOKEN)$/;

/**
 * The environment of the team's own `serve` and `setup` commands: theirs (an app may need DATABASE_URL, a
 * build its registry token), minus what verigap holds for itself.
 */
export function teamEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(env).filter(([key]) => !verigapOwn.test(key)));
  return { ...kept, ...extra };
}
