import { sharedBrowserEndpoint } from './browser-server.js';
import { runExplore } from './explore-run.js';
import { ownPlaywrightDir, playwrightOf, prepareRun, runSpec } from './playwright-run.js';
import { sharedAriaSnapshot } from './shared-snapshot.js';

/** Chromium through Playwright: which Playwright runs a spec, its runs, and the one shared browser's page snapshots. */
export interface Browser {
  /** The team's Playwright (with its config) when the repository has one, else verigap's own. */
  playwrightOf: typeof playwrightOf;
  ownPlaywrightDir: typeof ownPlaywrightDir;
  runSpec: typeof runSpec;
  /** A run whose Playwright boots now and whose tests start when the app is ready (`go()`). */
  prepareRun: typeof prepareRun;
  /** Runs a prefix of steps and returns the ARIA snapshot of the page it reached. */
  explore: typeof runExplore;
  /** Starts the shared Chromium early, so the first snapshot does not wait for it. */
  warmUp: typeof sharedBrowserEndpoint;
  ariaSnapshot: typeof sharedAriaSnapshot;
}

export const browser: Browser = {
  playwrightOf,
  ownPlaywrightDir,
  runSpec,
  prepareRun,
  explore: runExplore,
  warmUp: sharedBrowserEndpoint,
  ariaSnapshot: sharedAriaSnapshot,
};
