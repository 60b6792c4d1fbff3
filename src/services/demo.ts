import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startApp } from '../adapters/app-process.js';
import { freePort } from '../adapters/free-port.js';
import { playwrightOf, runSpec } from '../adapters/playwright-run.js';
import { demoConfig, incidentBody, pricingSpec, shopServer, trialFlow } from '../demo/shop.js';
import { InputError } from '../errors.js';


export interface DemoRepo {
  dir: string;
  origin: string;
  port: number;
  fixSha: string;
  bugSha: string;
}

const demoEntries = ['shop', 'origin.git'];

/** The folder the demo builds in: new, empty, or an earlier demo's (which is replaced). */
function demoFolder(dirOption: string | undefined): string {
  if (!dirOption) return mkdtempSync(join(tmpdir(), 'verigap-demo-'));
  const root = resolve(dirOption);
  const entries = existsSync(root) ? readdirSync(root) : [];
  const earlierDemo = entries.every((entry) => demoEntries.includes(entry)) && (entries.length === 0 || existsSync(join(root, 'shop', 'verigap.yaml')));
  if (!earlierDemo) throw new InputError(`${root} holds files that are not an earlier verigap demo (${entries.slice(0, 3).join(', ')})`, 'pass --dir with a new or empty folder, or the folder of an earlier demo');
  for (const entry of demoEntries) rmSync(join(root, entry), { recursive: true, force: true });
  return root;
}

/** Builds the sample shop in `<dir>/shop`: a Git history with the bug and its fix, a bare origin in `<dir>/origin.git`, verigap's files. */
export async function buildDemoRepo(dirOption: string | undefined, now: number): Promise<DemoRepo> {
  const root = demoFolder(dirOption);
  const dir = join(root, 'shop');
  const origin = join(root, 'origin.git');
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
  const app = await startApp({ command: 'node server.mjs', cwd: dir, baseURL, ready: `${baseURL}/health`, env, timeoutMs: 30_000 });
  try {
    const run = await runSpec({ root: dir, spec: { dir: 'flows' }, baseURL, repeat: 1, env, keepReport: reportFile, playwright: playwrightOf(dir, {}) });
    return run.attempts.length;
  } finally {
    await app.stop();
  }
}
