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

export type FailureKind = 'assertion' | 'missing' | 'navigation' | 'action' | 'timeout' | 'other';

// matchers for which an absent element is the outcome itself (the page the user should land on never came)
const presenceMatchers =
  /^(\.not)?\.(toBeVisible|toBeHidden|toHaveCount|toBeAttached|toHaveURL|toHaveTitle)\(|^\.(resolves\.)?toMatch\(/;

/**
 * Where a failing attempt failed. Only a failure at an incident assertion proves the bug: a
 * timeout on a missing element or a navigation error says the test could not even get there.
 */
export function classifyFailure(attempt: AttemptResult, assertions: readonly IncidentAssertion[]): FailureKind {
  const assertion =
    attempt.line === null
      ? undefined
      : assertions.find((a) => attempt.line! >= a.startLine && attempt.line! <= a.endLine);
  if (assertion && attempt.status === 'failed') {
    // a value, text or state checked on an element that is not there: the page is another page, not the bug
    if (/element\(s\) not found/.test(attempt.message) && !presenceMatchers.test(assertion.matcher)) return 'missing';
    return 'assertion';
  }
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
    missing:
      'the element the incident assertion checks was not on the page (element(s) not found), so the page was another one, not the bug',
    navigation: 'it failed navigating, before the outcome could be checked',
    action: 'an action timed out on an element the page did not have, before the outcome could be checked',
    timeout: 'the test timed out before the outcome could be checked',
    other: 'it failed before the incident assertion',
  };
  const fix =
    kind === 'assertion'
      ? ''
      : outcome
        ? `; the test has to reach the incident's outcome (${outcome}) and fail there: make the steps before it work on both revisions`
        : '; state the outcome the bug broke as an Expect step the test reaches, so the test fails there';
  return `failed at ${where}: ${advice[kind]}${fix} — ${first.trim()}`;
}
