import { existsSync, readFileSync } from 'node:fs';
import type { AttemptResult } from '../core/failure.js';
import { stepAt } from '../core/steps.js';
import { attemptKey, type ExpectsRecord } from './run-watch.js';

/** One attempt as Playwright reported it, with what a proof also needs to know. */
export interface RunAttempt extends AttemptResult {
  /** Lines of the spec whose expect() ran and passed in this attempt (recorded in Playwright's runner, not in the test's worker). */
  passedExpectLines: number[];
  /** Why the result is not the test's own (test.fail(), testInfo.fail(), test.skip(), fixme), or null when it ran as written. */
  altered: string | null;
}

export interface SpecRun {
  attempts: RunAttempt[];
  /** Playwright's own output when it could not run the spec at all. */
  crash: string | null;
  /** What verigap's guard stopped: "blocked: navigation to http://127.0.0.1:4000/ (another origin)". */
  blocked: string[];
}

/** Where the run's files are, and how its neutral project names map back to the caller's sides. */
export interface RunFiles {
  reportFile: string;
  expectsFile: string;
  /** The spec as the repository names it, when one spec ran (a failure elsewhere is not at its lines). */
  specFile: string | null;
  source: string[];
  /** Neutral project name → the caller's side name. */
  sides: Map<string, string>;
  mapped: (text: string) => string;
}

interface JsonStep {
  title: string;
  error?: unknown;
  steps?: JsonStep[];
}
interface Annotation {
  type: string;
  description?: string;
}
interface JsonResult {
  status: AttemptResult['status'];
  duration: number;
  workerIndex?: number;
  startTime?: string;
  error?: { message?: string; location?: { file?: string; line: number } };
  errorLocation?: { file?: string; line: number };
  steps?: JsonStep[];
  annotations?: Annotation[];
}
interface JsonTest {
  projectName?: string;
  expectedStatus?: string;
  annotations?: Annotation[];
  results: JsonResult[];
}
interface JsonSuite {
  specs?: { tests: JsonTest[] }[];
  suites?: JsonSuite[];
}
type JsonReport = { suites: JsonSuite[]; errors?: { message?: string }[] };

const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

function failedStep(steps: JsonStep[] | undefined): string | null {
  for (const step of steps ?? []) if (step.error) return failedStep(step.steps) ?? step.title;
  return null;
}

/** test.fail(), testInfo.fail(), test.skip(), fixme: what makes Playwright's verdict another than the test's own. */
function alteredBy(test: JsonTest, result: JsonResult): string | null {
  if (test.expectedStatus && test.expectedStatus !== 'passed')
    return `expected to be ${test.expectedStatus} (test.fail(), testInfo.fail() or test.skip())`;
  const marked = [...(test.annotations ?? []), ...(result.annotations ?? [])].find((a) =>
    /^(skip|fixme|fail)$/.test(a.type),
  );
  if (marked) return `annotated "${marked.type}"${marked.description ? ` (${marked.description})` : ''}`;
  if (result.status === 'skipped') return 'skipped';
  return null;
}

/** A project's name as the caller knows it: the side for verigap's neutral names, `login@<side>` for the team's setup projects. */
function projectName(name: string, sides: Map<string, string>): string {
  const at = name.lastIndexOf('@');
  return (
    sides.get(name) ??
    (at > 0 && sides.has(name.slice(at + 1)) ? `${name.slice(0, at)}@${sides.get(name.slice(at + 1))}` : name)
  );
}

function attemptsOf(
  report: JsonReport,
  expects: ExpectsRecord,
  files: RunFiles,
): { attempt: RunAttempt; ours: boolean }[] {
  const attempts: { attempt: RunAttempt; ours: boolean }[] = [];
  const walk = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests)
        for (const result of test.results) {
          const location = result.errorLocation ?? result.error?.location;
          // an error in another file (a helper) is not at the spec's incident assertion, whatever its line number
          const inSpec = location && (!files.specFile || !location.file || location.file === files.specFile);
          const ran =
            expects[attemptKey(test.projectName ?? '', result.workerIndex ?? -1, result.startTime ?? '')] ?? [];
          const attempt: RunAttempt = {
            ...(test.projectName ? { project: projectName(test.projectName, files.sides) } : {}),
            status: result.status,
            message: stripAnsi(result.error?.message ?? ''),
            durationMs: result.duration,
            line: inSpec ? location.line : null,
            step: failedStep(result.steps),
            passedExpectLines: ran.filter((e) => e.ok).map((e) => e.line),
            altered: alteredBy(test, result),
          };
          attempts.push({ attempt, ours: !test.projectName || files.sides.has(test.projectName) });
        }
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
  return attempts;
}

/** What the guard reported, once each, in the order it happened. */
function blockedOf(report: JsonReport): string[] {
  const found = new Set<string>();
  const walk = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests) {
        for (const a of [...(test.annotations ?? []), ...test.results.flatMap((r) => r.annotations ?? [])])
          if (a.type === 'verigap-blocked' && a.description) found.add(a.description);
      }
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
  return [...found];
}

/** Reads Playwright's JSON report and verigap's record of the expect() calls run; `output` is Playwright's console output. */
export function readRun(files: RunFiles, output: string): SpecRun {
  if (!existsSync(files.reportFile)) return { attempts: [], crash: output.trim(), blocked: [] };
  const report = JSON.parse(files.mapped(readFileSync(files.reportFile, 'utf8'))) as JsonReport;
  const expects = existsSync(files.expectsFile)
    ? (JSON.parse(readFileSync(files.expectsFile, 'utf8')) as ExpectsRecord)
    : {};
  const code = files.source.join('\n');
  // name the failing statement by its source line, and the step of the incident it came from
  const attempts = attemptsOf(report, expects, files).map(({ attempt: a, ours }) => {
    const step = a.line && code ? stepAt(code, a.line) : null;
    return {
      ours,
      attempt: {
        ...a,
        step: a.step ?? (a.line ? (files.source[a.line - 1]?.trim() ?? null) : null),
        ...(step ? { stepNumber: step.number, stepText: step.text } : {}),
      },
    };
  });
  const ours = attempts.filter((a) => a.ours).map((a) => a.attempt);
  const blocked = blockedOf(report);
  // a failed setup project (the team's sign-in) skips our test: say why
  const setupFailure = attempts.find(
    (a) => !a.ours && a.attempt.status !== 'passed' && a.attempt.status !== 'skipped',
  )?.attempt;
  if (setupFailure && ours.every((a) => a.status === 'skipped')) {
    return {
      attempts: [],
      crash: `the setup project "${setupFailure.project}" failed, so the test did not run: ${setupFailure.message}`,
      blocked,
    };
  }
  const errors = (report.errors ?? []).map((e) => stripAnsi(e.message ?? '')).join('\n');
  return { attempts: ours, crash: ours.length === 0 ? errors || output.trim() : null, blocked };
}
