import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from './dist/adapters/find-browser.js';

// verigap's own critical flows (flows/<id>/*.spec.ts), run in Chromium like a user's would be.
const browser = findChromium(process.env);

export default defineConfig({
  testDir: 'flows',
  testMatch: '**/*.spec.ts',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/flows.json' }]] : 'list',
  use: { launchOptions: { executablePath: browser?.path, args: chromiumArgs } },
});
