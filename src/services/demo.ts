import { join } from 'node:path';
import { createHistoryWriter } from '../adapters/history-writer.js';
import { demoFolder } from '../adapters/demo-folder.js';
import type { World } from '../adapters/world.js';
import { NOTES_REF } from '../adapters/notes.js';
import { incidentBody, shopServer } from '../demo/shop.js';
import { writeShopHistory } from './demo-history.js';
import { nightlyRunNotes } from './demo-runs.js';

export interface DemoRepo {
  dir: string;
  origin: string;
  port: number;
  fixSha: string;
  bugSha: string;
  /** The changes on main: twelve weeks of them, then the trial's bug and its fix. */
  changes: number;
  /** The earlier incident of the history, with its proven regression test. */
  earlierIncident: string;
}

/** The demo's own identity: its commits, pull request and notes work on a machine with no Git identity, and the user's config is left alone. */
const demoIdentity = { name: 'Shop Dev', email: 'dev@shop.example' };

/**
 * Builds the sample shop in `<dir>/shop`: twelve weeks of history over four flows (demo-history.ts) with its nightly
 * production runs as notes, then the trial's bug and its fix; a bare origin in `<dir>/origin.git`; verigap's files.
 */
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
  const shop = writeShopHistory(history, port, now);
  const { annual, perks } = shop.pricing;
  const pr = shop.deployments.length;
  const bugAt = now - 80 * hour;
  const bug = history.commit(
    `refactor(billing): name the plan field planId (#${pr + 1})`,
    { 'server.mjs': shopServer('planId', annual, perks) },
    bugAt,
  );
  const fixAt = now - 6 * hour;
  const fix = history.commit(
    `fix(billing): send price_id to /api/trial again (#${pr + 2})`,
    { 'server.mjs': shopServer('price_id', annual, perks) },
    fixAt,
  );
  const [bugSha, fixSha] = [history.sha(bug), history.sha(fix)];
  const last = shop.deployments.at(-1)!;
  const deployments = [...shop.deployments, { ...last, sha: bugSha, at: bugAt }];
  // the fix's first production run is the demo's own (its step 5): the nightly ones end before it
  history.notes(NOTES_REF, nightlyRunNotes({ ...shop, deployments }, fixAt), now);
  history.finish(NOTES_REF);
  return {
    dir,
    origin,
    port,
    fixSha,
    bugSha,
    changes: pr + 2,
    earlierIncident: shop.couponIncidentId,
  };
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
