import { join } from 'node:path';
import { createHistoryWriter } from '../adapters/history-writer.js';
import { demoFolder } from '../adapters/demo-folder.js';
import type { World } from '../adapters/world.js';
import { demoConfig, incidentBody, pricingSpec, shopServer, trialFlow } from '../demo/shop.js';

export interface DemoRepo {
  dir: string;
  origin: string;
  port: number;
  fixSha: string;
  bugSha: string;
}

/** The demo's own identity: its commits, pull request and notes work on a machine with no Git identity, and the user's config is left alone. */
const demoIdentity = { name: 'Shop Dev', email: 'dev@shop.example' };

/** Builds the sample shop in `<dir>/shop`: a Git history with the bug and its fix, a bare origin in `<dir>/origin.git`, verigap's files. */
export async function buildDemoRepo(
  dirOption: string | undefined,
  now: number,
  { apps }: Pick<World, 'apps'>,
): Promise<DemoRepo> {
  const root = demoFolder(dirOption);
  const dir = join(root, 'shop');
  const origin = join(root, 'origin.git');
  const port = await apps.freePort();
  const hour = 3_600_000;
  // the shop's own identity, not the user's: the pull request and the verification note are commits too
  const history = createHistoryWriter(dir, origin, demoIdentity);
  const commit = history.commit;
  commit(
    'chore: shop with pricing and checkout (#1)',
    {
      '.gitignore': 'node_modules\n.verigap/\ntest-results/\n',
      'server.mjs': shopServer('price_id'),
      'verigap.yaml': demoConfig(port),
      'flows/trial/flow.yaml': trialFlow,
      'flows/trial/pricing.spec.ts': pricingSpec,
      'package.json': '{ "name": "shop", "private": true, "type": "module" }\n',
    },
    now - 96 * hour,
  );
  commit('feat(billing): show the annual price (#2)', { 'server.mjs': shopServer('price_id', true) }, now - 90 * hour);
  const bugSha = commit(
    'refactor(billing): name the plan field planId (#3)',
    { 'server.mjs': shopServer('planId', true) },
    now - 80 * hour,
  );
  const fixSha = commit(
    'fix(billing): send price_id to /api/trial again (#4)',
    { 'server.mjs': shopServer('price_id', true) },
    now - 6 * hour,
  );
  history.push();
  return { dir, origin, port, fixSha, bugSha };
}

export const demoIncident = (repo: DemoRepo, now: number) => ({
  title: 'Trial signup never reaches checkout',
  flows: ['trial'],
  severity: 'SEV2',
  started: new Date(now - 79 * 3_600_000).toISOString(),
  detected: new Date(now - 10 * 3_600_000).toISOString(),
  resolved: new Date(now - 6 * 3_600_000).toISOString(),
  detection: 'customer-report',
  introducedBy: repo.bugSha.slice(0, 12),
  fixedBy: repo.fixSha.slice(0, 12),
  body: incidentBody,
});

/** A production E2E run of every flow spec against the (fixed) app, as Playwright's JSON report. */
export async function productionRun(
  dir: string,
  baseURL: string,
  reportFile: string,
  env: NodeJS.ProcessEnv,
  { apps, browser }: Pick<World, 'apps' | 'browser'>,
): Promise<number> {
  const app = await apps.start({
    command: 'node server.mjs',
    cwd: dir,
    baseURL,
    ready: `${baseURL}/health`,
    env,
    timeoutMs: 30_000,
  });
  try {
    const run = await browser.runSpec({
      root: dir,
      spec: { dir: 'flows' },
      baseURL,
      repeat: 1,
      env,
      keepReport: reportFile,
      playwright: browser.playwrightOf(dir, {}),
    });
    return run.attempts.length;
  } finally {
    await app.stop();
  }
}
