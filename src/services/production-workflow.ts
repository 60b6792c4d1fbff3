/** `init --ci github --production URL`: reads the flows and verigap.yaml, decides the workflow (core), returns its text. */
import { join } from 'node:path';
import { readRepoFiles } from '../adapters/fs.js';
import { packageFoldersDeclaring, packageManagerAt } from '../adapters/packages.js';
import { globFolder, playwrightPackageDir } from '../core/playwright-package.js';
import { isHttpUrl } from '../core/config-schema.js';
import type { PackageManager } from '../core/package-manager.js';
import { productionCron } from '../core/production-schedule.js';
import { productionSelection } from '../core/production-selection.js';
import { githubProductionWorkflow } from '../core/production-workflow.js';
import { validateRepoFiles } from '../core/repo-model.js';
import { InputError } from '../errors.js';

/** Refused before anything is written: a URL that is not http(s), or one with credentials that would be committed. */
export function checkProductionUrl(url: string): void {
  if (!isHttpUrl(url)) {
    throw new InputError(
      `--production ${url}: not an http(s) URL without credentials`,
      'give the URL of production that the tests run against, e.g. --production https://shop.example.com',
    );
  }
}

export interface ProductionWorkflowPlan {
  text: string;
  /** Whether verigap.yaml names verification.version.url, which the workflow's `--commit-from` reads. */
  versionUrl: boolean;
  /** The flows whose production: entries the workflow runs. */
  flows: string[];
  /** The team's config the tests run through; undefined: Playwright's defaults. */
  playwrightConfig: string | undefined;
  /** The folder Playwright runs in ('' for the root), and whether its dependencies are installed there (its own lockfile). */
  runDir: string;
  installedThere: boolean;
}

export function planProductionWorkflow(
  root: string,
  options: { url: string; manager: PackageManager; version: string; playwrightConfig: string | undefined },
): ProductionWorkflowPlan {
  const raw = readRepoFiles(root);
  // only what this workflow is made of: a broken incident file is the business of the commands that read incidents
  const { model, problems } = validateRepoFiles({ ...raw, incidents: [], waivers: [] });
  if (problems.length > 0) {
    throw new InputError(
      problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.reason}`).join('\n'),
      'fix the file(s) above: the production workflow is made from them',
    );
  }
  // the team's Playwright package: beside its config, else the one holding the flows' tests (an e2e/ package of its own)
  const testFolders = model.flows.flatMap((flow) => [
    `flows/${flow.id}`,
    ...[...flow.tests, ...(flow.production ?? []).filter((entry) => !entry.startsWith('@'))].map(globFolder),
  ]);
  const runDir = playwrightPackageDir(
    packageFoldersDeclaring(root, '@playwright/test'),
    options.playwrightConfig,
    testFolders,
  );
  // installed there when it has a lockfile of its own, else at the root (a workspace member)
  const ownManager = runDir ? packageManagerAt(join(root, runDir)) : undefined;
  const installDir = ownManager?.lockfile ? runDir : '';
  const config = options.playwrightConfig ?? '';
  // the folder Playwright's title paths start from: the config's, or the folder the tests run in
  const configDir =
    options.playwrightConfig === undefined
      ? runDir || '.'
      : config.includes('/')
        ? config.slice(0, config.lastIndexOf('/'))
        : '.';
  const selection = productionSelection(model.flows, configDir);
  // Refused rather than written with a step that fails: init never overwrites a workflow, so a placeholder
  // written now would be kept after the team adds production: to flow.yaml, and the next init would not fix it.
  if (!selection) {
    throw new InputError(
      `no flow says which of its tests are safe to run against production${model.flows.length === 0 ? ' (there is no flow yet)' : ''}: the production workflow would run nothing`,
      model.flows.length === 0
        ? `describe a flow with its production-safe tests first: verigap flows add <id> --name "…" --paths "src/…/**" --production @production --schedule 15m (tags in test titles, or globs of its test files), then run verigap init --ci github --production ${options.url} again`
        : `add production: ['@production'] (tags in test titles, or globs of the flow's test files) and schedule: 15m to flows/<flow-id>/flow.yaml, then run verigap init --ci github --production ${options.url} again`,
    );
  }
  const text = githubProductionWorkflow({
    manager: installDir && ownManager ? ownManager : options.manager,
    runDir,
    installDir,
    version: options.version,
    url: options.url,
    env: model.configFile.verification?.env ?? 'production',
    cron: productionCron(model.flows),
    selection,
    playwrightConfig: options.playwrightConfig,
  });
  return {
    text,
    versionUrl: model.configFile.verification?.version?.url !== undefined,
    flows: selection.flows.map((flow) => flow.id),
    playwrightConfig: options.playwrightConfig,
    runDir,
    installedThere: installDir !== '',
  };
}
