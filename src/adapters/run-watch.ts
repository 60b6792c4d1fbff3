import { writeFileSync } from 'node:fs';

export interface WatchOptions {
  /** Where to write, per attempt (`attemptKey`), the lines of `specFile` whose expect() ran, and whether each passed. */
  expectsFile: string;
  specFile: string | null;
  /** Written when a test outlives its timeout (three times it, for test.slow(), plus `graceMs`): then the run is stopped. */
  stuckFile: string;
  graceMs: number;
}

export type ExpectsRecord = Record<string, { line: number; ok: boolean }[]>;

/** An attempt as both this reporter and Playwright's JSON report can name it: a worker starts one test at a time. */
export const attemptKey = (project: string, workerIndex: number, startTime: string) =>
  `${project}|${workerIndex}|${startTime}`;

/**
 * A Playwright reporter, run in the runner process (not in the worker that runs the spec), serialized
 * with toString(). It records which expect() calls of the spec each test ran: the proof needs the passing
 * side to have run the incident assertion. And it is the deadline a worker cannot hold up: a test that
 * never yields (a busy loop) stops Playwright's own timeout, so past it the runner's process group is killed.
 */
class RunWatch {
  private readonly expects: ExpectsRecord = {};
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly options: WatchOptions,
    private readonly writeFile: (file: string, text: string) => void,
  ) {}

  printsToStdio(): boolean {
    return false;
  }

  onTestBegin(test: any, result: any): void {
    if (!(test.timeout > 0)) return;
    const limit = test.timeout * 3 + this.options.graceMs;
    const timer = setTimeout(() => this.stop(test, limit), limit);
    timer.unref?.();
    this.timers.set(`${test.id}:${result.retry}`, timer);
  }

  onStepEnd(test: any, result: any, step: any): void {
    if (step.category !== 'expect' || !step.location || step.location.file !== this.options.specFile) return;
    // the same key as attemptKey(), which this class cannot call: it runs serialized
    const key = `${test.parent.project()?.name ?? ''}|${result.workerIndex}|${new Date(result.startTime).toISOString()}`;
    (this.expects[key] ??= []).push({ line: step.location.line, ok: !step.error });
  }

  onTestEnd(test: any, result: any): void {
    clearTimeout(this.timers.get(`${test.id}:${result.retry}`));
  }

  onEnd(): void {
    this.write(this.options.expectsFile, this.expects);
  }

  private stop(test: any, limit: number): void {
    this.write(this.options.stuckFile, { title: test.title, seconds: Math.round(limit / 1000) });
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      process.exit(1);
    }
  }

  private write(file: string, value: unknown): void {
    this.writeFile(file, JSON.stringify(value));
  }
}

/** The reporter module's source: CommonJS, so any Playwright version loads it. */
export function watchReporterSource(): string {
  return [
    "'use strict';",
    "const { writeFileSync } = require('node:fs');",
    `const RunWatch = ${RunWatch.toString()};`,
    'module.exports = class extends RunWatch {',
    '  constructor(options) { super(options, (file, text) => writeFileSync(file, text)); }',
    '};',
    '',
  ].join('\n');
}

/** Writes the reporter into the run's folder and returns its path. */
export function writeWatchReporter(file: string): string {
  writeFileSync(file, watchReporterSource());
  return file;
}
