import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from '../adapters/app-process.js';
import { freePort } from '../adapters/free-port.js';
import { runSpec } from '../adapters/playwright-run.js';
import { demoConfig, incidentBody, pricingSpec, shopServer, trialFlow } from '../demo/shop.js';
import { InputError } from '../errors.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DemoRepo {
  dir: string;
  origin: string;
  port: number;
  fixSha: string;
  bugSha: string;
}

/** Builds the sample shop: a Git history with the bug and its fix, a bare origin, verigap's files. */
export async function buildDemoRepo(dirOption: string | undefined, now: number): Promise<DemoRepo> {
  const dir = dirOption ? resolve(dirOption) : join(mkdtempSync(join(tmpdir(), 'verigap-demo-')), 'shop');
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new InputError(`${dir} is not empty`, 'pass --dir with a new or empty folder');
  const origin = `${dir}-origin.git`;
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const hour = 3_600_000;
  const git = (args: string[], at?: number) => execFileSync('git', args, {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Shop Dev', GIT_AUTHOR_EMAIL: 'dev@shop.example', GIT_COMMITTER_NAME: 'Shop Dev', GIT_COMMITTER_EMAIL: 'dev@shop.example',
      ...(at ? { GIT_AUTHOR_DATE: new Date(at).toISOString(), GIT_COMMITTER_DATE: new Date(at).toISOString() } : {}) },
  }).trim();
  const commit = (message: string, files: Record<string, string>, at: number) => {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    git(['add', '-A'], at);
    git(['commit', '-q', '-m', message], at);
    return git(['rev-parse', 'HEAD']);
  };
  git(['init', '-q', '-b', 'main']);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  git(['remote', 'add', 'origin', origin]);
  symlinkSync(join(packageRoot, 'node_modules'), join(dir, 'node_modules'));
  commit('chore: shop with pricing and checkout (#1)', {
    '.gitignore': 'node_modules\n.verigap/\ntest-results/\n', 'server.mjs': shopServer('price_id'), 'verigap.yaml': demoConfig(port),
    'flows/trial/flow.yaml': trialFlow, 'flows/trial/pricing.spec.ts': pricingSpec, 'package.json': '{ "name": "shop", "private": true, "type": "module" }\n',
  }, now - 96 * hour);
  commit('feat(billing): show the annual price (#2)', { 'server.mjs': shopServer('price_id', true) }, now - 90 * hour);
  const bugSha = commit('refactor(billing): name the plan field planId (#3)', { 'server.mjs': shopServer('planId', true) }, now - 80 * hour);
  const fixSha = commit('fix(billing): send price_id to /api/trial again (#4)', { 'server.mjs': shopServer('price_id', true) }, now - 6 * hour);
  git(['push', '-q', 'origin', 'main']);
  return { dir, origin, port, fixSha, bugSha };
}

export const demoIncident = (repo: DemoRepo, now: number) => ({
  title: 'Trial signup never reaches checkout', flows: ['trial'], severity: 'SEV2',
  started: new Date(now - 79 * 3_600_000).toISOString(), detected: new Date(now - 10 * 3_600_000).toISOString(),
  resolved: new Date(now - 6 * 3_600_000).toISOString(), detection: 'customer-report', introducedBy: repo.bugSha.slice(0, 12), fixedBy: repo.fixSha.slice(0, 12),
  body: incidentBody,
});

/** A production E2E run of every flow spec against the (fixed) app, as Playwright's JSON report. */
export async function productionRun(dir: string, baseURL: string, reportFile: string, env: NodeJS.ProcessEnv): Promise<number> {
  const app = await startApp({ command: 'node server.mjs', cwd: dir, baseURL, ready: `${baseURL}/health`, env });
  try {
    const run = await runSpec({ root: dir, specFile: join(dir, 'flows'), baseURL, repeat: 1, env, keepReport: reportFile });
    return run.attempts.length;
  } finally {
    await app.stop();
  }
}
