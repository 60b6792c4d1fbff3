import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface FoundBrowser {
  path: string;
  source: 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH' | 'playwright' | 'system';
}

const systemCandidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export const installHint =
  "no Chromium found. Install one of: `npx playwright install chromium` (Playwright's own), " +
  '`sudo apt-get install chromium` (Debian/Ubuntu), Google Chrome; or set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH to a Chromium binary.';

/**
 * Finds a Chromium: the env override, then the download of the Playwright that will run the test
 * (`playwrightFrom`: a file its `@playwright/test` resolves from; default verigap's own), then a system install.
 */
export function findChromium(
  env: NodeJS.ProcessEnv,
  playwrightFrom: string = import.meta.url,
): FoundBrowser | undefined {
  const override = env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH;
  if (override && existsSync(override)) return { path: override, source: 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH' };
  try {
    const require = createRequire(playwrightFrom);
    const { chromium } = require('@playwright/test') as { chromium: { executablePath(): string } };
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { path: own, source: 'playwright' };
  } catch {
    // @playwright/test missing or no browser registry: look at the system next
  }
  const system = systemCandidates.find((candidate) => existsSync(candidate));
  return system ? { path: system, source: 'system' } : undefined;
}

/** Flags for a headless Chromium in a sandbox-less container with a closed network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
