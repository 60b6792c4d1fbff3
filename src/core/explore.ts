/** The spec verigap runs when the model asks to explore: compiled steps, then the page's ARIA snapshot. */
import { specSource, type SpecHeader } from './steps.js';

/** The name of the test attachment that carries the snapshot out of the Playwright run. */
export const snapshotAttachment = 'verigap-aria-snapshot';

/** verigap's own hook that attaches what the page shows after the steps, whether they passed or failed. */
export const exploreHook = [
  'test.afterEach(async ({ page }) => {',
  `  await test.info().attach(${JSON.stringify(snapshotAttachment)}, { body: await page.locator('body').ariaSnapshot({ timeout: 5_000 }), contentType: 'text/plain' });`,
  '});',
].join('\n');

/** The compiled steps (the same compiler as every regression test), then the snapshot hook. */
export function exploreSpec(header: SpecHeader, body: readonly string[]): string {
  return `${specSource(header, body).trimEnd()}\n\n${exploreHook}\n`;
}

interface ReportSuite {
  specs?: { tests: { results: { attachments?: { name: string; body?: string }[] }[] }[] }[];
  suites?: ReportSuite[];
}

/** The snapshot attached in a Playwright JSON report, if the run got that far. */
export function snapshotOf(report: { suites?: ReportSuite[] }): string | null {
  const walk = (suite: ReportSuite): string | null => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests)
        for (const result of test.results) {
          const found = result.attachments?.find((a) => a.name === snapshotAttachment && a.body !== undefined);
          if (found) return Buffer.from(found.body!, 'base64').toString('utf8');
        }
    for (const child of suite.suites ?? []) {
      const found = walk(child);
      if (found !== null) return found;
    }
    return null;
  };
  for (const suite of report.suites ?? []) {
    const found = walk(suite);
    if (found !== null) return found;
  }
  return null;
}
