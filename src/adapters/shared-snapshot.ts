import { OutsideError } from '../errors.js';
import { sharedBrowserEndpoint } from './browser-server.js';

/**
 * The ARIA snapshot (what a screen reader sees) of a page of the app, opened in the command's shared
 * browser: the one its test runs use, so grounding launches no second Chromium.
 */
export async function sharedAriaSnapshot(url: string, env: NodeJS.ProcessEnv): Promise<string> {
  const endpoint = await sharedBrowserEndpoint(env);
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.connect(endpoint);
  try {
    const page = await browser.newPage();
    await page.goto(url, { timeout: 10_000 });
    return await page.locator('body').ariaSnapshot({ timeout: 5_000 });
  } catch (error) {
    throw new OutsideError(`could not open ${url} in Chromium: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    // disconnects: the shared browser stays up for the runs that follow
    await browser.close();
  }
}
