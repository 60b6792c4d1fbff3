import { OutsideError } from '../errors.js';
import { onCleanup, whileStarting } from './cleanup.js';
import { chromiumArgs, findChromium, installHint } from './find-browser.js';
import { safeEnv } from './safe-env.js';

let shared: Promise<string> | undefined;

/**
 * One Chromium for every Playwright run of this command. Playwright starts a new worker per
 * repeat, and each worker would launch its own browser (a second or two each); connecting to a
 * shared one is what keeps a proof with --repeat 3 fast. It starts with the environment stripped of
 * secrets, like the tests it serves (a page or a test can read a process's environment through /proc).
 */
export function sharedBrowserEndpoint(env: NodeJS.ProcessEnv): Promise<string> {
  shared ??= (async () => {
    const browser = findChromium(env);
    if (!browser) throw new OutsideError(installHint);
    const { chromium } = await import('@playwright/test');
    const server = await whileStarting(() =>
      chromium.launchServer({ executablePath: browser.path, args: chromiumArgs, env: safeEnv(env) }),
    );
    onCleanup(() => server.kill()); // a throwaway browser: no need to wait for a graceful close
    return server.wsEndpoint();
  })();
  return shared;
}
