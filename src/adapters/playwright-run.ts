import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { AttemptResult } from '../core/failure.js';
import { OutsideError } from '../errors.js';
import { chromiumArgs, findChromium, installHint } from './find-browser.js';
import { safeEnv } from './safe-env.js';
import { sharedBrowserEndpoint } from './browser-server.js';
import { onCleanup } from './cleanup.js';

const cliOf = (from: string) => join(dirname(createRequire(from).resolve('@playwright/test/package.json')), 'cli.js');
const ownCli = () => realpathSync(cliOf(import.meta.url));

function browserLaunchOptions(env: NodeJS.ProcessEnv) {
  const browser = findChromium(env);
  if (!browser) throw new OutsideError(installHint);
  return { executablePath: browser.path, args: chromiumArgs };
}

/** The Playwright CLI of the user's repository (a spec must be run by the Playwright it imports). */
function playwrightCli(root: string): string {
  for (const from of [join(root, 'package.json'), import.meta.url]) {
    try {
      return realpathSync(cliOf(from));
    } catch {
      // next
    }
  }
  throw new OutsideError('@playwright/test is not installed here', 'npm install --save-dev @playwright/test');
}

export interface SpecRun {
  attempts: AttemptResult[];
  /** Playwright's own output when it could not run the spec at all. */
  crash: string | null;
}

export interface RunOptions {
  root: string;
  specFile: string;
  baseURL: string;
  repeat: number;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  keepReport?: string;
  /** Run the spec once per project, each against its own baseURL (attempts carry the project's name). */
  projects?: { name: string; baseURL: string }[];
}

/** A Playwright process that has booted (CLI and config loaded, ~1.3 s) and waits for `start` before it loads the spec. */
export interface PreparedRun {
  start(): Promise<SpecRun>;
  cancel(): Promise<void>;
}

/** Runs one spec file (or every spec under a folder) `repeat` times; see prepareRun. */
export async function runSpec(options: RunOptions): Promise<SpecRun> {
  return (await prepareRun(options)).start();
}

/**
 * Starts Playwright for one spec file (or every spec under a folder), run `repeat` times in Chromium against baseURL
 * with an environment stripped of secrets, and holds it in a global setup until `start()`: Playwright boots while
 * the caller type-checks the spec or starts the app, and loads the spec only once it is allowed to run.
 */
export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const cli = playwrightCli(options.root);
  // A browser server only speaks to the Playwright version that started it: verigap's own.
  const launch = cli === ownCli() ? { connectOptions: { wsEndpoint: await sharedBrowserEndpoint(options.env) } } : { launchOptions: browserLaunchOptions(options.env) };
  const work = mkdtempSync(join(tmpdir(), 'verigap-run-'));
  const reportFile = join(work, 'report.json');
  const config = join(work, 'playwright.config.mjs');
  const go = join(work, 'go');
  const gate = join(work, 'gate.mjs');
  writeFileSync(gate, `import { existsSync } from 'node:fs';
export default async () => { while (!existsSync(${JSON.stringify(go)})) await new Promise((resolve) => setTimeout(resolve, 10)); };\n`);
  writeFileSync(config, `export default ${JSON.stringify({
    ...(options.specFile.endsWith('.ts') ? { testDir: dirname(options.specFile), testMatch: basename(options.specFile) } : { testDir: options.specFile, testMatch: '**/*.spec.ts' }),
    outputDir: join(work, 'results'), globalSetup: gate,
    timeout: options.timeoutMs ?? 20_000, expect: { timeout: 3_000 }, retries: 0, fullyParallel: true, repeatEach: options.repeat,
    workers: Math.min(options.repeat * (options.projects?.length ?? 1), 4),
    ...(options.projects ? { projects: options.projects.map((p) => ({ name: p.name, use: { baseURL: p.baseURL } })) } : {}),
    reporter: [['json', { outputFile: reportFile }]],
    use: { baseURL: options.baseURL, actionTimeout: 5_000, navigationTimeout: 10_000, trace: 'off', ...launch },
  })};\n`);
  const child = spawn(process.execPath, [cli, 'test', '--config', config], { cwd: options.root, env: safeEnv(options.env, { BASE_URL: options.baseURL }) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  const cancel = onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await closed.catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });
  return {
    cancel,
    async start() {
      writeFileSync(go, '');
      try {
        await closed;
        return readRun(options, reportFile, output);
      } finally {
        await cancel();
      }
    },
  };
}

function readRun(options: RunOptions, reportFile: string, output: string): SpecRun {
  if (!existsSync(reportFile)) return { attempts: [], crash: output.trim() };
  if (options.keepReport) {
    mkdirSync(dirname(options.keepReport), { recursive: true });
    copyFileSync(reportFile, options.keepReport);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
  const source = options.specFile.endsWith('.ts') ? readFileSync(options.specFile, 'utf8').split('\n') : [];
  // name the failing statement by its source line when Playwright's steps do not
  const attempts = attemptsOf(report).map((a) => ({ ...a, step: a.step ?? (a.line ? source[a.line - 1]?.trim() ?? null : null) }));
  const errors = (report.errors ?? []).map((e) => stripAnsi(e.message ?? '')).join('\n');
  return { attempts, crash: attempts.length === 0 ? errors || output.trim() : null };
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
