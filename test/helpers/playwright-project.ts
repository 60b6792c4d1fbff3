import { spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findChromium, chromiumArgs } from '../../src/adapters/find-browser.js';
import type { TestRepo } from './git-repo.js';

const ourModules = resolve(import.meta.dirname, '../../node_modules');
const playwrightCli = join(ourModules, '@playwright/test/cli.js');

export function chromiumPath(): string {
  const found = findChromium(process.env);
  if (!found) throw new Error('no Chromium: run npm run setup');
  return found.path;
}

/** Writes a Playwright config into the repo that uses the system's Chromium and a JSON reporter. */
export function addPlaywrightConfig(repo: TestRepo): void {
  symlinkSync(ourModules, join(repo.dir, 'node_modules'));
  repo.write({
    '.gitignore': 'node_modules\ntest-results\nblob-report\n*.json\n',
    'playwright.config.ts': `import { defineConfig } from '@playwright/test';
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  workers: 2,
  retries: Number(process.env.RETRIES ?? 0),
  captureGitInfo: { commit: true },
  use: { baseURL: process.env.BASE_URL, launchOptions: { executablePath: ${JSON.stringify(chromiumPath())}, args: ${JSON.stringify(chromiumArgs)} } },
});
`,
  });
}

/**
 * Runs Playwright in the repo; resolves to its exit code (tests may fail on purpose). Async, so
 * that a test app served by this same process keeps answering while the browser runs.
 */
export function runPlaywright(repo: TestRepo, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [playwrightCli, ...args], {
      cwd: repo.dir,
      env: { ...process.env, CI: '1', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (code) =>
      code === 0 || code === 1
        ? resolve(code)
        : reject(new Error(`playwright ${args.join(' ')} exited ${code}: ${output}`)),
    );
  });
}
