import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { parseYamlDocument } from '../core/yaml-file.js';
import type { CommandContext } from '../context.js';
import { parseOptions } from '../core/options/parse.js';
import { initOptions, type InitFlags } from '../core/options/commands.js';
import { createGit } from '../adapters/git.js';
import { insideRoot } from '../adapters/inside-root.js';
import { FileError } from '../errors.js';
import { packageManagerLabel, type PackageManager } from '../core/package-manager.js';
import { packageManagerAt } from '../adapters/packages.js';
import type { ProductionWorkflowPlan } from '../services/production-workflow.js';
import {
  configTemplate,
  flowsReadme,
  githubPullRequestWorkflow,
  githubWorkflow,
  incidentsReadme,
  playwrightConfigTemplate,
  reportsReadme,
} from '../core/templates.js';

/** What init did to the team's Playwright setup (the `playwright` key of `--json`). */
interface PlaywrightResult {
  config: string | null;
  action: 'added' | 'kept' | 'manual' | 'created' | 'none';
  reason?: string;
  where?: string;
  snippet?: string;
  /** `init --playwright`: whether package.json was written, gained the devDependency, or already had it. */
  package_json?: 'written' | 'updated' | 'kept';
  next?: string[];
}

/** Playwright's own lookup order for a config at the root. */
const configNames = ['ts', 'js', 'mts', 'mjs', 'cts', 'cjs'].map((ext) => `playwright.config.${ext}`);

/** Writes what is missing and keeps what exists: running init twice changes nothing. */
export async function init(ctx: CommandContext, raw: InitFlags): Promise<void> {
  const options = parseOptions(initOptions, raw);
  const root = await createGit(ctx.repoDir).topLevel();
  const files: [string, string][] = [
    ['verigap.yaml', configTemplate],
    ['flows/README.md', flowsReadme],
    ['incidents/README.md', incidentsReadme],
    ['reports/README.md', reportsReadme],
  ];
  const ci = options.ci === 'github' ? packageManagerAt(root) : null;
  if (ci)
    files.push(
      [workflowFile, githubWorkflow(ci, ownVersion())],
      [pullRequestWorkflowFile, githubPullRequestWorkflow(ci, ownVersion())],
    );
  const settings = readSettings(root);
  const production =
    ci && options.production !== undefined
      ? await productionWorkflow(root, options.production, ci, settings.config, options.playwright === true)
      : null;
  // an existing workflow is kept below, so its text is never made (nor are the flows read for it)
  if (production) files.push([productionWorkflowFile, production === 'kept' ? '' : production.text]);
  // every path checked before the first write: a symbolic link out of the repository stops init with nothing written
  for (const file of [...files.map(([name]) => name), '.gitignore', 'playwright.config.ts', 'package.json'])
    insideRoot(root, file);
  const written: string[] = [];
  const kept: string[] = [];
  for (const [file, text] of files) {
    const path = join(root, file);
    if (existsSync(path)) {
      kept.push(file);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(file);
  }
  const ignored = ensureIgnored(root, "verigap's local index (rebuildable from Git)", ['.verigap/']);

  const existing = [settings.config, ...configNames].find((name) => name !== undefined && existsSync(join(root, name)));
  const playwright: PlaywrightResult = existing
    ? await addFlowsProject(root, existing, settings.project)
    : options.playwright
      ? await writePlaywrightSetup(root, settings.baseURL)
      : { config: null, action: 'none' };
  const outputIgnored =
    playwright.action === 'created'
      ? ensureIgnored(root, "Playwright's output", ['test-results/', 'playwright-report/'])
      : null;
  if (playwright.action === 'added' || playwright.action === 'created') written.push(playwright.config!);
  if (playwright.package_json === 'written' || playwright.package_json === 'updated') written.push('package.json');
  if (ignored || outputIgnored) written.push('.gitignore');

  const ciResult = ci
    ? {
        workflow: workflowFile,
        pull_request_workflow: pullRequestWorkflowFile,
        ...(production ? { production_workflow: productionWorkflowFile } : {}),
        package_manager: packageManagerLabel(ci),
        lockfile: ci.lockfile,
      }
    : null;
  ctx.output.result({ written, kept, playwright, ...(ciResult ? { ci: ciResult } : {}) });
  const workflows = [workflowFile, pullRequestWorkflowFile, productionWorkflowFile];
  for (const file of written.filter((file) => files.some(([name]) => name === file))) {
    ctx.output.print(
      workflows.includes(file) && ci
        ? `wrote ${file} (${packageManagerLabel(ci)}, ${ci.lockfile ? `from ${ci.lockfile}` : 'no lockfile'})`
        : `wrote ${file}`,
    );
  }
  if (production && production !== 'kept') {
    ctx.output.print(`  production-safe tests of ${production.flows.join(', ')}, against ${options.production}`);
    const where = production.runDir ? `${production.runDir}/` : 'the repository root';
    if (production.runDir)
      ctx.output.print(
        `  Playwright runs in ${where}, the package that declares it${production.installedThere ? ', installed there from its own lockfile' : ''}`,
      );
    if (production.playwrightConfig === undefined)
      ctx.output.print(
        `Note: no Playwright config here: the production workflow runs Playwright with its defaults (tests found from ${where}); name yours with playwright.config in verigap.yaml if it lives elsewhere`,
      );
    if (!production.versionUrl)
      ctx.output.print(
        "Note: set verification.version.url in verigap.yaml (the URL that answers the deployed commit): the production workflow's verify ingest --commit-from reads it, and fails without it",
      );
  }
  for (const line of [ignored, outputIgnored]) if (line) ctx.output.print(line);
  for (const file of kept) ctx.output.print(`kept  ${file} (exists)`);
  for (const line of playwrightLines(playwright)) ctx.output.print(line);
  ctx.output.print('Next: verigap flows add <id> --name "…" --paths "src/…/**", then verigap sync');
}

const workflowFile = '.github/workflows/verigap.yml';
const pullRequestWorkflowFile = '.github/workflows/verigap-affected.yml';
const productionWorkflowFile = '.github/workflows/verigap-production.yml';

/**
 * The production workflow, or 'kept' when the file exists (whatever the flows say now).
 * The URL is checked either way: a bad one is a mistake to say, not to skip.
 */
async function productionWorkflow(
  root: string,
  url: string,
  manager: PackageManager,
  config: string | undefined,
  writesConfig: boolean,
): Promise<ProductionWorkflowPlan | 'kept'> {
  const { checkProductionUrl, planProductionWorkflow } = await import('../services/production-workflow.js');
  checkProductionUrl(url);
  if (existsSync(join(root, productionWorkflowFile))) return 'kept';
  // none at all (nor one --playwright writes now): the workflow runs Playwright's defaults rather than import a missing file
  const playwrightConfig =
    [config, ...configNames].find((name) => name !== undefined && existsSync(join(root, name))) ??
    config ??
    (writesConfig ? 'playwright.config.ts' : undefined);
  return planProductionWorkflow(root, { url, manager, version: ownVersion(), playwrightConfig });
}

/** verigap's own version, for the workflow's `verigap@<version>`: package.json is two folders up from both src/commands/ and dist/commands/. */
function ownVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}

/** Appends the missing entries under a comment; says what it did, or null when all were there. */
function ensureIgnored(root: string, comment: string, entries: string[]): string | null {
  const path = join(root, '.gitignore');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim().replace(/^\//, '').replace(/\/?$/, '/')));
  const missing = entries.filter((entry) => !present.has(entry));
  if (missing.length === 0) return null;
  writeFileSync(path, `${text}${text && !text.endsWith('\n') ? '\n' : ''}# ${comment}\n${missing.join('\n')}\n`);
  return text ? `appended ${missing.join(', ')} to .gitignore` : 'wrote .gitignore';
}

/** The few verigap.yaml settings init uses, read leniently: a broken file is reported by the commands that need it. */
function readSettings(root: string): { baseURL: string; config?: string; project?: string } {
  type Lenient = { baseURL?: unknown; playwright?: { config?: unknown; project?: unknown } } | null;
  let file: Lenient = null;
  try {
    file = parseYamlDocument(readFileSync(join(root, 'verigap.yaml'), 'utf8')).toJS() as Lenient;
  } catch {
    // defaults below
  }
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const config = text(file?.playwright?.config);
  const project = text(file?.playwright?.project);
  return {
    baseURL: text(file?.baseURL) ?? 'http://localhost:3000',
    ...(config ? { config } : {}),
    ...(project ? { project } : {}),
  };
}

async function addFlowsProject(root: string, config: string, project: string | undefined): Promise<PlaywrightResult> {
  const { planFlowsProject } = await import('../core/playwright-config-edit.js');
  const path = insideRoot(root, config);
  const relative = posix.relative(posix.dirname(config), 'flows');
  const flowsDir = relative.startsWith('..') ? relative : `./${relative}`;
  const plan = planFlowsProject(readFileSync(path, 'utf8'), config, { project, flowsDir });
  if (plan.action === 'added') {
    writeFileSync(path, plan.text);
    return { config, action: 'added', reason: `testDir ${flowsDir}, ${plan.detail}` };
  }
  return { config, ...plan };
}

/** `init --playwright` without a config: a minimal config over flows/ and the @playwright/test devDependency. */
async function writePlaywrightSetup(root: string, baseURL: string): Promise<PlaywrightResult> {
  const { addDevDependency } = await import('../core/playwright-config-edit.js');
  const manifest = join(root, 'package.json');
  const exists = existsSync(manifest);
  const before = exists ? readFileSync(manifest, 'utf8') : '{\n  "private": true\n}\n';
  const version = (
    JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@playwright/test/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  let after: string | null;
  try {
    after = addDevDependency(before, '@playwright/test', `^${version}`);
  } catch (error) {
    throw new FileError(
      'package.json',
      undefined,
      `cannot add @playwright/test to its devDependencies: ${(error as Error).message}`,
      'fix the file, or add "@playwright/test" to devDependencies yourself',
    );
  }
  // the config only once package.json is known to be editable: a half-done setup would be kept by the next run
  writeFileSync(join(root, 'playwright.config.ts'), playwrightConfigTemplate(baseURL));
  if (after !== null) writeFileSync(manifest, after);
  const install = existsSync(join(root, 'pnpm-lock.yaml'))
    ? 'pnpm install'
    : existsSync(join(root, 'yarn.lock'))
      ? 'yarn'
      : existsSync(join(root, 'bun.lockb')) || existsSync(join(root, 'bun.lock'))
        ? 'bun install'
        : 'npm install';
  const packageJson = after === null ? 'kept' : exists ? 'updated' : 'written';
  return {
    config: 'playwright.config.ts',
    action: 'created',
    package_json: packageJson,
    next: [install, 'npx playwright install chromium'],
  };
}

function playwrightLines(result: PlaywrightResult): string[] {
  switch (result.action) {
    case 'added':
      return [
        `updated ${result.config}: added the "flows" project (${result.reason}), so npx playwright test runs every regression test`,
      ];
    case 'kept':
      return [`kept  ${result.config} (${result.reason})`];
    case 'manual':
      return [
        `kept  ${result.config} (${result.reason}): add this project to ${result.where} so npx playwright test runs flows/:`,
        ...result.snippet!.split('\n').map((line) => `  ${line}`),
      ];
    case 'created':
      return [
        'wrote playwright.config.ts (testDir ./flows, Chromium)',
        ...(result.package_json === 'kept'
          ? []
          : [
              `${result.package_json === 'written' ? 'wrote' : 'updated'} package.json: devDependencies gained @playwright/test`,
            ]),
        `Next: ${result.next!.join(' && ')}`,
      ];
    case 'none':
      return ['no Playwright config here: verigap init --playwright writes one that runs flows/'];
  }
}
