// `npm run setup`, after npm install: make sure a Chromium that Playwright can drive is here.
// Order: one verigap already finds; Playwright's own download; Debian/Ubuntu's package when root;
// otherwise say exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { findChromium, installHint } from '../dist/adapters/find-browser.js';

const found = findChromium(process.env);
if (found) {
  console.log(`browser: ${found.path} (${found.source})`);
  process.exit(0);
}

console.log("browser: none found; trying Playwright's own download (npx playwright install chromium)…");
const download = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'install', 'chromium'], {
  stdio: 'inherit',
  timeout: 300_000,
});
if (download.status === 0 && findChromium(process.env)) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (isRoot && hasApt) {
  console.log('browser: the download failed; installing the system package with apt-get (chromium)…');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    // fall through to the message below
  }
  const system = findChromium(process.env);
  if (system) {
    console.log(`browser: ${system.path} (${system.source})`);
    process.exit(0);
  }
}
console.error(`browser: ${installHint}`);
process.exit(1);
