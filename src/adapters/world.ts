import { apps, type Apps } from './apps.js';
import { browser, type Browser } from './browser.js';
import { systemClock, type Clock } from './clock.js';
import { github, type GitHub } from './github.js';
import { openaiChat, type LlmConnector } from './llm.js';

/**
 * What a service reaches beyond the repository's own git and store (which `Repo` carries), made once by the
 * command that needs it and passed in its options (STYLE: `{ git, github, llm, store, browser, clock }`).
 * `apps` is the app under test as a process, which is neither the browser nor git.
 */
export interface World {
  github: GitHub;
  llm: LlmConnector;
  browser: Browser;
  apps: Apps;
  clock: Clock;
}

export const world = (clock: Clock = systemClock): World => ({ github, llm: openaiChat, browser, apps, clock });
