// The verdicts of a proof: each side of the fix judged by what its runs show (SPEC §6.6).
import { classifyFailure, explainFailure } from '../core/failure.js';
import { GateError } from '../errors.js';
import type { SpecUnderProof } from './prove.js';
import type { SideRun } from './prove-sides.js';

/** A result Playwright inverted or skipped (test.fail(), testInfo.fail(), test.skip(), fixme) is not the test's own: no proof. */
export function judgeAltered(side: SideRun, commit: string, label: string): void {
  const altered = side.attempts.find((a) => a.altered);
  if (altered) {
    throw new GateError(
      `not proven: on ${commit.slice(0, 7)} (${label}) the test's result is not its own: it is ${altered.altered}. A proof runs the test as written: remove test.fail, testInfo.fail, test.skip and fixme.`,
    );
  }
}

/** Every run on the fix must pass, and must have run each incident assertion (a test that returns early passes without checking). */
export function judgeFix(spec: SpecUnderProof, fixed: string, side: SideRun, url: string | undefined): void {
  judgeAltered(side, fixed, 'the fix');
  const failed = side.attempts.find((a) => a.status !== 'passed');
  if (failed || side.attempts.length === 0) {
    throw new GateError(
      `not proven: the test fails on ${fixed.slice(0, 7)} (the fix${url ? `, ${url}` : ''}): ${failed ? explainFailure(classifyFailure(failed, spec.assertions), failed, spec.outcome) : 'no run'}`,
    );
  }
  for (const attempt of side.attempts) {
    const skipped = spec.assertions.find(
      (a) => !attempt.passedExpectLines.some((line) => line >= a.startLine && line <= a.endLine),
    );
    if (skipped) {
      throw new GateError(
        `not proven: on ${fixed.slice(0, 7)} (the fix) the test passed without running its incident assertion at line ${skipped.startLine}: the passing run must check the outcome the bug broke.`,
      );
    }
  }
}

/** Every run before the fix must fail, and at the incident assertion; throws the reason otherwise. */
export function judgeBefore(spec: SpecUnderProof, before: string, broken: SideRun): void {
  judgeAltered(broken, before, 'the revision before the fix');
  const passed = broken.attempts.filter((a) => a.status === 'passed').length;
  if (passed > 0) {
    throw new GateError(
      `not proven: the test passed ${passed} of ${broken.attempts.length} time(s) on ${before.slice(0, 7)}, the revision before the fix, so it does not catch the incident. State the outcome the bug broke as the incident assertion${spec.outcome ? ` (now ${spec.outcome})` : ''}.`,
    );
  }
  for (const attempt of broken.attempts) {
    const kind = classifyFailure(attempt, spec.assertions);
    if (kind !== 'assertion')
      throw new GateError(
        `not proven: on ${before.slice(0, 7)} (before the fix) the test ${explainFailure(kind, attempt, spec.outcome)}`,
      );
  }
}
