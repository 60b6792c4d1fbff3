import { afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { buildDemoRepo, demoIncident, type DemoRepo } from '../../src/services/demo.js';
import { apps } from '../../src/adapters/apps.js';
import { startGitHubStandIn, type GitHubStandIn } from '../../src/demo/github-stand-in.js';
import { renderIncidentFile } from '../../src/core/front-matter.js';
import { TestRepo, removeTempDirs, tempDir } from './git-repo.js';
import { startOpenAiStandIn, type OpenAiStandIn } from './openai-stand-in.js';

export interface StandIns {
  github: GitHubStandIn;
  llm: OpenAiStandIn;
}

/** The GitHub and OpenAI stand-ins on loopback for one test file: started before its tests, closed after them. */
export function standInsForFile(): StandIns {
  const standIns = {} as StandIns;
  beforeAll(async () => {
    [standIns.github, standIns.llm] = await Promise.all([startGitHubStandIn(), startOpenAiStandIn()]);
  });
  afterAll(async () => {
    await Promise.all([standIns.github?.close(), standIns.llm?.close()]);
    removeTempDirs();
  });
  return standIns;
}

export interface ShopIncident {
  shop: DemoRepo;
  repo: TestRepo;
  id: string;
  file: string;
}

export const trialIncidentId = '2026-11-19-trial-never-reaches-checkout';

/** The demo shop (its history has the bug and its fix) with one incident of the trial flow: `body` is its Markdown. */
export async function shopWithIncident(body: string, title = (demoTitle: string) => demoTitle): Promise<ShopIncident> {
  const now = Date.now();
  const shop = await buildDemoRepo(join(tempDir(), 'shop'), now, { apps });
  const meta = demoIncident(shop, now);
  const id = trialIncidentId;
  const file = `incidents/${id}.md`;
  const repo = new TestRepo(shop.dir);
  repo.write({
    [file]: renderIncidentFile(
      {
        id,
        title: title(meta.title),
        severity: 'SEV2',
        status: 'resolved',
        flows: ['trial'],
        started_at: meta.started,
        fixed_by: shop.fixSha,
      },
      body,
    ),
  });
  return { shop, repo, id, file };
}

/** An incident body: what happened (with `extra` appended), the steps to reproduce, what was expected. */
export const incidentBody = (steps: string, extra = '') =>
  `## What happened\nNothing happened on click.${extra}\n\n## Steps to reproduce\n${steps}\n\n## Expected\nCheckout.\n`;
