import { OutsideError } from '../errors.js';
import { chromiumArgs, findChromium, installHint } from './find-browser.js';
import { safeEnv } from './safe-env.js';

/** Opens a page in headless Chromium and returns its ARIA snapshot (what a screen reader sees). */
export async function ariaSnapshotOf(url: string, env: NodeJS.ProcessEnv): Promise<string> {
  const browser = findChromium(env);
  if (!browser) throw new OutsideError(installHint);
  const { chromium } = await import('@playwright/test');
  const instance = await chromium.launch({ executablePath: browser.path, args: chromiumArgs, env: safeEnv(env) });
  try {
    const page = await instance.newPage();
    await page.goto(url, { timeout: 10_000 });
    return await page.locator('body').ariaSnapshot({ timeout: 5_000 });
  } catch (error) {
    throw new OutsideError(`could not open ${url} in Chromium: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    await instance.close();
  }
}
