import type { IncidentAssertion } from './code-policy.js';

/** One attempt of the regression test as Playwright reported it. */
export interface AttemptResult {
  status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  message: string;
  /** Line of the spec where it failed, from Playwright's errorLocation. */
  line: number | null;
  /** The innermost step that failed, e.g. `Click getByRole('button', …)`. */
  step: string | null;
  durationMs: number;
  /** The incident's step the failing line was compiled from (specs written from steps). */
  stepNumber?: number;
  stepText?: string;
  /** The Playwright project it ran in, when a run has several (a proof runs both sides at once). */
  project?: string;
}

export type FailureKind = 'assertion' | 'navigation' | 'action' | 'timeout' | 'other';

/**
 * Where a failing attempt failed. Only a failure at an incident assertion proves the bug: a
 * timeout on a missing element or a navigation error says the test could not even get there.
 */
export function classifyFailure(attempt: AttemptResult, assertions: readonly IncidentAssertion[]): FailureKind {
  const atAssertion = attempt.line !== null && assertions.some((a) => attempt.line! >= a.startLine && attempt.line! <= a.endLine);
  if (atAssertion && attempt.status === 'failed') return 'assertion';
  if (/net::ERR_|NS_ERROR_|ECONNREFUSED|page\.goto/i.test(attempt.message)) return 'navigation';
  if (attempt.status === 'timedOut') return 'timeout';
  if (/waiting for (locator|getBy)|locator\.\w+: Timeout/i.test(attempt.message)) return 'action';
  return 'other';
}

/**
 * Why an attempt failed, in words: the step (when the spec came from steps) and line, and for a failure
 * before the incident assertion, the incident's own outcome the test has to reach (`outcome`, e.g.
 * `step 3, "Expect the URL to contain /checkout"`).
 */
export function explainFailure(kind: FailureKind, attempt: AttemptResult, outcome?: string): string {
  const where = attempt.stepNumber
    ? `step ${attempt.stepNumber} (${attempt.stepText}), line ${attempt.line ?? '?'}`
    : `line ${attempt.line ?? '?'}${attempt.step ? ` (\`${attempt.step}\`)` : ''}`;
  const first = attempt.message.split('\n').find((l) => l.trim()) ?? attempt.message;
  const advice: Record<FailureKind, string> = {
    assertion: 'it failed at the incident assertion',
    navigation: 'it failed navigating, before the outcome could be checked',
    action: 'an action timed out on an element the page did not have, before the outcome could be checked',
    timeout: 'the test timed out before the outcome could be checked',
    other: 'it failed before the incident assertion',
  };
  const fix = kind === 'assertion' ? '' : outcome
    ? `; the test has to reach the incident's outcome (${outcome}) and fail there: make the steps before it work on both revisions`
    : '; state the outcome the bug broke as an Expect step the test reaches, so the test fails there';
  return `failed at ${where}: ${advice[kind]}${fix} — ${first.trim()}`;
}
