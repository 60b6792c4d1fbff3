import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GateError, InputError, OutsideError } from '../errors.js';
import { chromiumArgs, findChromium, installHint } from './find-browser.js';
import { safeEnv } from './safe-env.js';
import { sharedBrowserEndpoint } from './browser-server.js';
import { onCleanup, stopIfInterrupted } from './cleanup.js';
import { signalGroup } from './process-group.js';
import { startOriginProxy } from './origin-proxy.js';
import { readRun, type SpecRun } from './run-report.js';
import { writeGuardedPlaywright, type GuardPolicy } from './run-guard.js';
import { writeWatchReporter } from './run-watch.js';
import { composeConfig, type RunPlan } from '../core/playwright-config.js';

export type { RunAttempt, SpecRun } from './run-report.js';

const configNames = [
  'playwright.config.ts',
  'playwright.config.mts',
  'playwright.config.cts',
  'playwright.config.js',
  'playwright.config.mjs',
  'playwright.config.cjs',
];
const packageDirOf = (from: string) =>
  realpathSync(dirname(createRequire(from).resolve('@playwright/test/package.json')));
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

export function playwrightOf(
  root: string,
  choice: { config?: string | undefined; project?: string | undefined },
): PlaywrightInUse {
  let teamDir: string | undefined;
  try {
    teamDir = packageDirOf(join(root, 'package.json'));
  } catch {
    // not installed in the repository: verigap's own runs the test
  }
  const ownDir = ownPlaywrightDir();
  if (choice.config && !existsSync(join(root, choice.config))) {
    throw new InputError(
      `verigap.yaml: playwright.config "${choice.config}" does not exist`,
      `point it at your Playwright config, e.g. playwright.config.ts, or remove the key`,
    );
  }
  const config = choice.config ?? configNames.find((name) => existsSync(join(root, name)));
  // a team config imports the team's @playwright/test, so it can only load when that is installed
  return {
    packageDir: teamDir ?? ownDir,
    own: !teamDir,
    config: teamDir && config ? join(root, config) : null,
    unusedConfig: !teamDir && config ? config : null,
    project: choice.project,
  };
}

export interface RunOptions {
  root: string;
  /**
   * One spec (run from a private copy: the repository is untouched until the test is proven), or every spec
   * under a folder (the team's own). A spec verigap wrote must pass the allowlist before it runs; a person's
   * (`--spec FILE`) is `trusted` like the rest of their repository.
   */
  spec: { file: string; code: string; trusted?: boolean; explore?: boolean } | { dir: string };
  baseURL: string;
  /** Run the spec once per side, each against its own baseURL (attempts carry the side's name; the test never sees it). */
  sides?: { name: string; baseURL: string }[];
  repeat: number;
  env: NodeJS.ProcessEnv;
  playwright: PlaywrightInUse;
  /** Origins besides baseURL's that pages may load from (`allowedOrigins:`); every other one is blocked. */
  allowedOrigins?: readonly string[];
  timeoutMs?: number;
  /** The longest the whole run may take once started, whatever the test does (default 10 min). */
  deadlineMs?: number;
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
  if (playwright.packageDir === ownPlaywrightDir())
    return { connectOptions: { wsEndpoint: await sharedBrowserEndpoint(env) } };
  const browser = findChromium(env, join(playwright.packageDir, 'package.json'));
  if (!browser) throw new OutsideError(installHint);
  return browser.source === 'playwright' ? {} : { launchOptions: { executablePath: browser.path, args: chromiumArgs } };
}

/** The composer, as built next to this file (.js), or as source when verigap runs from its sources (tests). */
function composerModule(): string {
  const built = fileURLToPath(new URL('../core/playwright-config.js', import.meta.url));
  return existsSync(built) ? built : built.replace(/\.js$/, '.ts');
}

/**
 * Puts the spec(s) under `specs/`, beside a node_modules whose `@playwright/test` is the Playwright in use with
 * verigap's guard of origins; one spec is only written by `start()`, after its check.
 */
function placeSpecs(
  work: string,
  options: RunOptions,
  policy: GuardPolicy,
): { specDir: string; specMatch: string; copy: string | null } {
  writeGuardedPlaywright(work, options.playwright.packageDir, policy);
  if ('code' in options.spec) {
    const copy = join(work, 'specs', options.spec.file);
    mkdirSync(dirname(copy), { recursive: true });
    return { specDir: dirname(copy), specMatch: basename(copy), copy };
  }
  const specDir = join(work, 'specs', options.spec.dir);
  cpSync(join(options.root, options.spec.dir), specDir, {
    recursive: true,
    filter: (from) => !from.includes('node_modules'),
  });
  return { specDir, specMatch: '**/*.@(spec|test).?(c|m)[jt]s?(x)', copy: null };
}

/** Project names that tell a test nothing about the side it runs on, in an order that tells nothing either. */
function neutralSides(
  sides: { name: string; baseURL: string }[],
): { project: string; name: string; baseURL: string }[] {
  const named = sides.map((side) => ({ ...side, project: `p${randomBytes(4).toString('hex')}` }));
  for (let i = named.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [named[i], named[j]] = [named[j]!, named[i]!];
  }
  return named;
}

/** SPEC §6.4: a spec verigap wrote runs only when it is made of the statements its steps compiler emits. */
async function checkBeforeRun(options: RunOptions, origins: string[]): Promise<void> {
  if (!('code' in options.spec) || options.spec.trusted) return;
  const { checkAllowlist } = await import('../core/spec-allowlist.js');
  const problems = checkAllowlist(options.spec.code, { origins, explore: options.spec.explore ?? false });
  if (problems.length > 0) {
    throw new GateError(
      `${options.spec.file} was refused before it ran: a spec verigap runs may hold only the statements its steps compiler emits:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
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
  const sides = neutralSides(options.sides ?? [{ name: 'run', baseURL: options.baseURL }]);
  const allowed = [...(options.allowedOrigins ?? [])];
  // one proxy per side: a side reaches its own baseURL and allowedOrigins, not the other side's app
  const proxies = await Promise.all(sides.map((side) => startOriginProxy([new URL(side.baseURL).origin, ...allowed])));
  const stopProxies = onCleanup(() => Promise.all(proxies.map((proxy) => proxy.close())).then(() => undefined));
  const policy: GuardPolicy = {
    baseURLs: Object.fromEntries(sides.map((side) => [side.project, side.baseURL])),
    allowed,
    proxies: Object.fromEntries(sides.map((side, index) => [side.project, proxies[index]!.url])),
  };
  const { specDir, specMatch, copy } = placeSpecs(work, options, policy);
  const files = {
    reportFile: join(work, 'report.json'),
    expectsFile: join(work, 'expects.json'),
    stuckFile: join(work, 'stuck.json'),
  };
  const go = join(work, 'go');
  const gate = join(work, 'gate.mjs');
  writeFileSync(
    gate,
    `import { existsSync } from 'node:fs';
export default async () => { while (!existsSync(${JSON.stringify(go)})) await new Promise((resolve) => setTimeout(resolve, 10)); };\n`,
  );
  const { config: teamConfig } = options.playwright;
  const watch = {
    reporter: writeWatchReporter(join(work, 'watch.cjs')),
    options: { expectsFile: files.expectsFile, specFile: copy, stuckFile: files.stuckFile, graceMs: 10_000 },
  };
  const plan: RunPlan = {
    teamDir: teamConfig ? dirname(teamConfig) : options.root,
    project: options.playwright.project,
    specDir,
    specMatch,
    sides: sides.map((side, index) => ({ name: side.project, baseURL: side.baseURL, proxy: proxies[index]!.url })),
    repeat: options.repeat,
    workers: Math.min(options.repeat * sides.length, 4),
    timeoutMs: options.timeoutMs ?? 20_000,
    outputDir: join(work, 'results'),
    reportFile: files.reportFile,
    watch,
    gate,
    browser,
  };
  // the team's config loads inside Playwright (its TypeScript, its imports); without one, plain JSON loads fastest
  const config = join(work, teamConfig ? 'playwright.config.ts' : 'playwright.config.mjs');
  writeFileSync(
    config,
    teamConfig
      ? [
          `import { composeConfig, unwrapConfig } from ${JSON.stringify(composerModule())};`,
          `import * as team from ${JSON.stringify(teamConfig)};`,
          `export default composeConfig(unwrapConfig(team), ${JSON.stringify(plan)});`,
          '',
        ].join('\n')
      : `export default ${JSON.stringify(composeConfig(null, plan))};\n`,
  );
  const cli = join(options.playwright.packageDir, 'cli.js');
  // BASE_URL for the team's config; with two sides at once it would tell the test which side is the first
  const env = safeEnv(options.env, sides.length === 1 ? { BASE_URL: sides[0]!.baseURL } : {});
  // its own process group: stopping it stops its workers too, which would otherwise write on into `work`
  const child = spawn(process.execPath, [cli, 'test', '--config', config], { cwd: plan.teamDir, detached: true, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null && !signalGroup(child, 'SIGKILL')) child.kill('SIGKILL');
  };
  const stopChild = onCleanup(async () => {
    kill();
    await closed.catch(() => undefined);
  });
  const cancel = async () => {
    await stopChild();
    await stopProxies();
    await removeWork();
  };
  return {
    cancel,
    async start() {
      const deadlineMs = options.deadlineMs ?? 600_000;
      let pastDeadline = false;
      try {
        await checkBeforeRun(options, [
          ...new Set([options.baseURL, ...sides.map((side) => side.baseURL)].map((url) => new URL(url).origin)),
          ...policy.allowed,
        ]);
        if (copy && 'code' in options.spec) writeFileSync(copy, options.spec.code);
        const timer = setTimeout(() => {
          pastDeadline = true;
          kill();
        }, deadlineMs);
        writeFileSync(go, '');
        await closed.finally(() => clearTimeout(timer));
        const stopped = stoppedAt(files.stuckFile, pastDeadline, deadlineMs);
        if (stopped) return { attempts: [], crash: stopped, blocked: [] };
        if (options.keepReport && existsSync(files.reportFile)) {
          mkdirSync(dirname(options.keepReport), { recursive: true });
          copyFileSync(files.reportFile, options.keepReport);
        }
        // messages name the spec as the repository does, not the private copy
        const mapped = (text: string) =>
          text
            .replaceAll(`${join(work, 'specs')}/`, '')
            .replaceAll(relative(plan.teamDir, join(work, 'specs')) + '/', '');
        const source = 'code' in options.spec ? options.spec.code.split('\n') : [];
        const specFile = 'code' in options.spec ? options.spec.file : null;
        const run = readRun(
          { ...files, specFile, source, sides: new Map(sides.map((side) => [side.project, side.name])), mapped },
          mapped(output),
        );
        return { ...run, blocked: [...new Set([...run.blocked, ...proxies.flatMap((proxy) => proxy.blocked)])] };
      } finally {
        await cancel();
      }
    },
  };
}

/** Why the run was stopped before it ended: a test past its timeout (a loop that never yields), or the run past its deadline. */
function stoppedAt(stuckFile: string, pastDeadline: boolean, deadlineMs: number): string | null {
  const stopped = 'verigap stopped Playwright, its workers and its browser';
  if (existsSync(stuckFile)) {
    const { title, seconds } = JSON.parse(readFileSync(stuckFile, 'utf8')) as { title: string; seconds: number };
    return `the test "${title}" was still running ${seconds} s after it started, past its timeout (a loop that never yields to Playwright?): ${stopped}`;
  }
  return pastDeadline ? `the run did not finish within ${Math.round(deadlineMs / 1000)} s: ${stopped}` : null;
}
