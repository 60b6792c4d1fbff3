import { listening, startApp } from './app-process.js';
import { freePort } from './free-port.js';

/** The app under test as a process: started (`serve:`) in a checkout, asked whether it listens, given a free port. */
export interface Apps {
  start: typeof startApp;
  listening: typeof listening;
  freePort: typeof freePort;
}

export const apps: Apps = { start: startApp, listening, freePort };
