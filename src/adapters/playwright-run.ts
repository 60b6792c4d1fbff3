import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttemptResult } from '../core/failure.js';
import { stepAt } from '../core/steps.js';
import { InputError, OutsideError } from '../errors.js';
import { chromiumArgs, findChromium, installHint } from './find-browser.js';
import { safeEnv } from './safe-env.js';
import { sharedBrowserEndpoint } from './browser-server.js';
import { onCleanup, stopIfInterrupted } from './cleanup.js';
import { signalGroup } from './process-group.js';
import { composeConfig, type RunPlan } from '../core/playwright-config.js';

const configNames = ['playwright.config.ts', 'playwright.config.mts', 'playwright.config.cts', 'playwright.config.js', 'playwright.config.mjs', 'playwright.config.cjs'];
const packageDirOf = (from: string) => realpathSync(dirname(createRequire(from).resolve('@playwright/test/package.json')));
export const ownPlaywrightDir = () => packageDirOf(import.meta.url);

/** The Playwright that runs a regression test: the repository's own with its config, or verigap's. */
export interface PlaywrightInUse {
  packageDir: string;
  /** verigap's own Playwright: the repository has no `@playwright/test` installed. */
  own: boolean;
  /** The team's config file, absolute; null when none is used. */
  config: string | null;
  /** A config that is there but cannot load, because the repository's @playwright/test is not installed. */
  unusedConfig: string | null;
  project: string | undefined;
}

export function playwrightOf(root: string, choice: { config?: string | undefined; project?: string | undefined }): PlaywrightInUse {
  let teamDir: string | undefined;
  try {
    teamDir = packageDirOf(join(root, 'package.json'));
  } catch {
    // not installed in the repository: verigap's own runs the test
  }
  const ownDir = ownPlaywrightDir();
  if (choice.config && !existsSync(join(root, choice.config))) {
    throw new InputError(`verigap.yaml: playwright.config "${choice.config}" does not exist`, `point it at your Playwright config, e.g. playwright.config.ts, or remove the key`);
  }
  const config = choice.config ?? configNames.find((name) => existsSync(join(root, name)));
  // a team config imports the team's @playwright/test, so it can only load when that is installed
  return { packageDir: teamDir ?? ownDir, own: !teamDir, config: teamDir && config ? join(root, config) : null, unusedConfig: !teamDir && config ? config : null, project: choice.project };
}

export interface SpecRun {
  attempts: AttemptResult[];
  /** Playwright's own output when it could not run the spec at all. */
  crash: string | null;
}

export interface RunOptions {
  root: string;
  /** One spec (run from a private copy: the repository is untouched until the test is proven), or every spec under a folder. */
  spec: { file: string; code: string } | { dir: string };
  baseURL: string;
  /** Run the spec once per side, each against its own baseURL (attempts carry the side's name). */
  sides?: { name: string; baseURL: string }[];
  repeat: number;
  env: NodeJS.ProcessEnv;
  playwright: PlaywrightInUse;
  timeoutMs?: number;
  keepReport?: string;
}

/** A Playwright process that has booted (CLI and config loaded, ~1.3 s) and waits for `start` before it loads the spec. */
export interface PreparedRun {
  start(): Promise<SpecRun>;
  cancel(): Promise<void>;
}

export async function runSpec(options: RunOptions): Promise<SpecRun> {
  return (await prepareRun(options)).start();
}

async function browserFor(playwright: PlaywrightInUse, env: NodeJS.ProcessEnv): Promise<RunPlan['browser']> {
  // a browser server only speaks to the Playwright version that started it: verigap's own
  if (playwright.packageDir === ownPlaywrightDir()) return { connectOptions: { wsEndpoint: await sharedBrowserEndpoint(env) } };
  const browser = findChromium(env, join(playwright.packageDir, 'package.json'));
  if (!browser) throw new OutsideError(installHint);
  return browser.source === 'playwright' ? {} : { launchOptions: { executablePath: browser.path, args: chromiumArgs } };
}

/** The composer, as built next to this file (.js), or as source when verigap runs from its sources (tests). */
function composerModule(): string {
  const built = fileURLToPath(new URL('../core/playwright-config.js', import.meta.url));
  return existsSync(built) ? built : built.replace(/\.js$/, '.ts');
}

/** Copies the spec(s) into `specs/` beside a node_modules that resolves `@playwright/test` to the Playwright in use. */
function placeSpecs(work: string, options: RunOptions): { specDir: string; specMatch: string; source: string[] } {
  mkdirSync(join(work, 'node_modules', '@playwright'), { recursive: true });
  symlinkSync(options.playwright.packageDir, join(work, 'node_modules', '@playwright', 'test'), 'dir');
  if ('code' in options.spec) {
    const copy = join(work, 'specs', options.spec.file);
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, options.spec.code);
    return { specDir: dirname(copy), specMatch: basename(copy), source: options.spec.code.split('\n') };
  }
  const specDir = join(work, 'specs', options.spec.dir);
  cpSync(join(options.root, options.spec.dir), specDir, { recursive: true, filter: (from) => !from.includes('node_modules') });
  return { specDir, specMatch: '**/*.@(spec|test).?(c|m)[jt]s?(x)', source: [] };
}

/**
 * Starts Playwright for the spec, run `repeat` times per side in Chromium with an environment stripped of
 * secrets, under the team's config when there is one, and holds it in a global setup until `start()`:
 * Playwright boots while the caller type-checks the spec or starts the app, and loads the spec only then.
 */
export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const browser = await browserFor(options.playwright, options.env);
  stopIfInterrupted();
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'verigap-run-')));
  const removeWork = onCleanup(() => rmSync(work, { recursive: true, force: true }));
  const { specDir, specMatch, source } = placeSpecs(work, options);
  const reportFile = join(work, 'report.json');
  const go = join(work, 'go');
  const gate = join(work, 'gate.mjs');
  writeFileSync(gate, `import { existsSync } from 'node:fs';
export default async () => { while (!existsSync(${JSON.stringify(go)})) await new Promise((resolve) => setTimeout(resolve, 10)); };\n`);
  const sides = options.sides ?? [{ name: 'run', baseURL: options.baseURL }];
  const { config: teamConfig } = options.playwright;
  const plan: RunPlan = {
    teamDir: teamConfig ? dirname(teamConfig) : options.root, project: options.playwright.project, specDir, specMatch, sides,
    repeat: options.repeat, workers: Math.min(options.repeat * sides.length, 4), timeoutMs: options.timeoutMs ?? 20_000,
    outputDir: join(work, 'results'), reportFile, gate, browser,
  };
  // the team's config loads inside Playwright (its TypeScript, its imports); without one, plain JSON loads fastest
  const config = join(work, teamConfig ? 'playwright.config.ts' : 'playwright.config.mjs');
  writeFileSync(config, teamConfig
    ? [`import { composeConfig, unwrapConfig } from ${JSON.stringify(composerModule())};`, `import * as team from ${JSON.stringify(teamConfig)};`,
      `export default composeConfig(unwrapConfig(team), ${JSON.stringify(plan)});`, ''].join('\n')
    : `export default ${JSON.stringify(composeConfig(null, plan))};\n`);
  const cli = join(options.playwright.packageDir, 'cli.js');
  // its own process group: stopping it stops its workers too, which would otherwise write on into `work`
  const child = spawn(process.execPath, [cli, 'test', '--config', config], { cwd: plan.teamDir, detached: true, env: safeEnv(options.env, { BASE_URL: options.baseURL }) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  const stopChild = onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null && !signalGroup(child, 'SIGKILL')) child.kill('SIGKILL');
    await closed.catch(() => undefined);
  });
  const cancel = async () => {
    await stopChild();
    await removeWork();
  };
  return {
    cancel,
    async start() {
      writeFileSync(go, '');
      try {
        await closed;
        // messages name the spec as the repository does, not the private copy
        const mapped = (text: string) => text.replaceAll(`${join(work, 'specs')}/`, '').replaceAll(relative(plan.teamDir, join(work, 'specs')) + '/', '');
        return readRun(options, reportFile, mapped(output), source, mapped);
      } finally {
        await cancel();
      }
    },
  };
}

function readRun(options: RunOptions, reportFile: string, output: string, source: string[], mapped: (text: string) => string): SpecRun {
  if (!existsSync(reportFile)) return { attempts: [], crash: output.trim() };
  if (options.keepReport) {
    mkdirSync(dirname(options.keepReport), { recursive: true });
    copyFileSync(reportFile, options.keepReport);
  }
  const report = JSON.parse(mapped(readFileSync(reportFile, 'utf8'))) as JsonReport;
  const code = source.join('\n');
  // name the failing statement by its source line, and the step of the incident it came from
  const attempts = attemptsOf(report).map((a) => {
    const step = a.line && code ? stepAt(code, a.line) : null;
    return { ...a, step: a.step ?? (a.line ? source[a.line - 1]?.trim() ?? null : null), ...(step ? { stepNumber: step.number, stepText: step.text } : {}) };
  });
  const sides = new Set((options.sides ?? [{ name: 'run' }]).map((side) => side.name));
  const ours = attempts.filter((a) => !a.project || sides.has(a.project));
  // a failed setup project (the team's sign-in) skips our test: say why
  const setupFailure = attempts.find((a) => a.project && !sides.has(a.project) && a.status !== 'passed' && a.status !== 'skipped');
  if (setupFailure && ours.every((a) => a.status === 'skipped')) return { attempts: [], crash: `the setup project "${setupFailure.project}" failed, so the test did not run: ${setupFailure.message}` };
  const errors = (report.errors ?? []).map((e) => stripAnsi(e.message ?? '')).join('\n');
  return { attempts: ours, crash: ours.length === 0 ? errors || output.trim() : null };
}

interface JsonStep { title: string; error?: unknown; steps?: JsonStep[] }
interface JsonResult { status: AttemptResult['status']; duration: number; error?: { message?: string; location?: { line: number } }; errorLocation?: { line: number }; steps?: JsonStep[] }
interface JsonSuite { specs?: { tests: { projectName?: string; results: JsonResult[] }[] }[]; suites?: JsonSuite[] }

function failedStep(steps: JsonStep[] | undefined): string | null {
  for (const step of steps ?? []) if (step.error) return failedStep(step.steps) ?? step.title;
  return null;
}

type JsonReport = { suites: JsonSuite[]; errors?: { message?: string }[] };

function attemptsOf(report: JsonReport): AttemptResult[] {
  const attempts: AttemptResult[] = [];
  const walk = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) for (const test of spec.tests) for (const result of test.results) {
      attempts.push({
        ...(test.projectName ? { project: test.projectName } : {}),
        status: result.status, message: stripAnsi(result.error?.message ?? ''), durationMs: result.duration,
        line: result.errorLocation?.line ?? result.error?.location?.line ?? null, step: failedStep(result.steps),
      });
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
  return attempts;
}

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
