import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotOf } from '../core/explore.js';
import { prepareRun, type PlaywrightInUse } from './playwright-run.js';

export interface ExploreRun {
  snapshot: string | null;
  /** Where the steps stopped and why, when they did not all pass. */
  failure: string | null;
}

export interface ExploreRunOptions {
  root: string;
  code: string;
  baseURL: string;
  env: NodeJS.ProcessEnv;
  playwright: PlaywrightInUse;
  allowedOrigins: readonly string[];
}

/**
 * Runs an explore spec like any regression test (the same runner, stripped environment, browser and guard of
 * origins, the allowlist: compiled statements, then verigap's own snapshot hook and nothing else) and reads its
 * snapshot.
 */
export async function runExplore(options: ExploreRunOptions): Promise<ExploreRun> {
  const dir = mkdtempSync(join(tmpdir(), 'verigap-explore-'));
  const report = join(dir, 'report.json');
  try {
    const run = await (
      await prepareRun({
        root: options.root,
        spec: { file: 'explore.spec.ts', code: options.code, explore: true },
        baseURL: options.baseURL,
        repeat: 1,
        env: options.env,
        playwright: options.playwright,
        allowedOrigins: options.allowedOrigins,
        timeoutMs: 15_000,
        keepReport: report,
      })
    ).start();
    let snapshot: string | null = null;
    try {
      snapshot = snapshotOf(JSON.parse(readFileSync(report, 'utf8')) as Parameters<typeof snapshotOf>[0]);
    } catch {
      // no report: Playwright could not run it, which the failure says
    }
    const failed = run.attempts.find((a) => a.status !== 'passed');
    const stopped =
      run.crash ??
      (failed
        ? `${failed.stepNumber ? `at step ${failed.stepNumber} (${failed.stepText}): ` : ''}${failed.message || failed.status}`
        : null);
    // what the guard blocked explains a failure; when the steps passed it is no failure of theirs
    const failure = stopped ? [stopped, ...run.blocked].join('\n') : null;
    return { snapshot, failure };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
