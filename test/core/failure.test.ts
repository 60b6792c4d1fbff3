import { describe, expect, it } from 'vitest';
import { classifyFailure, explainFailure, type AttemptResult } from '../../src/core/failure.js';

const assertions = [{ startLine: 12, endLine: 14, matcher: '.toHaveURL(/\\/checkout/)' }];
const attempt = (
  line: number | null,
  message: string,
  status: AttemptResult['status'] = 'failed',
  extra: Partial<AttemptResult> = {},
): AttemptResult => ({ status, message, line, step: null, durationMs: 1000, ...extra });

describe('classifyFailure: where a failing attempt failed', () => {
  it('a failure on any line of a multi-line incident assertion is at the assertion, also for a presence matcher on a missing element', () => {
    expect(classifyFailure(attempt(12, 'expect(page).toHaveURL(expected) failed'), assertions)).toBe('assertion');
    expect(
      classifyFailure(
        attempt(14, 'Timed out 5000ms waiting for expect(page).toHaveURL(expected)\nReceived: <element(s) not found>'),
        assertions,
      ),
    ).toBe('assertion');
  });

  it('a run that timed out at the assertion line has not failed there: it is a timeout', () => {
    expect(classifyFailure(attempt(13, 'Test timeout of 30000ms exceeded.', 'timedOut'), assertions)).toBe('timeout');
  });

  it('before the assertion: navigation errors, a timeout, an action waiting for an element, anything else', () => {
    expect(
      classifyFailure(
        attempt(5, 'page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:3000/pricing'),
        assertions,
      ),
    ).toBe('navigation');
    expect(classifyFailure(attempt(5, 'connect ECONNREFUSED 127.0.0.1:3000'), assertions)).toBe('navigation');
    expect(classifyFailure(attempt(5, 'Test timeout of 30000ms exceeded.', 'timedOut'), assertions)).toBe('timeout');
    expect(
      classifyFailure(
        attempt(
          7,
          "locator.click: Timeout 5000ms exceeded.\nCall log:\n  - waiting for getByRole('button', { name: 'Begin trial' })",
        ),
        assertions,
      ),
    ).toBe('action');
    expect(classifyFailure(attempt(7, 'ReferenceError: x is not defined'), assertions)).toBe('other');
    expect(classifyFailure(attempt(null, 'Error: browserType.launch: Executable does not exist'), assertions)).toBe(
      'other',
    );
  });
});

describe('explainFailure: why, in words', () => {
  it('names the step a spec was compiled from, and for a failure before the outcome, the outcome the test must reach', () => {
    const clicked = attempt(7, '\nlocator.click: Timeout 5000ms exceeded.\nCall log: …', 'failed', {
      stepNumber: 2,
      stepText: 'Click "Begin trial"',
    });
    expect(explainFailure('action', clicked, 'step 3, "Expect the URL to contain /checkout"')).toBe(
      'failed at step 2 (Click "Begin trial"), line 7: an action timed out on an element the page did not have, before the outcome could be checked; ' +
        'the test has to reach the incident\'s outcome (step 3, "Expect the URL to contain /checkout") and fail there: make the steps before it work on both revisions — locator.click: Timeout 5000ms exceeded.',
    );
  });

  it('a failure at the assertion needs no advice; without a line or an outcome it says what to add', () => {
    expect(
      explainFailure(
        'assertion',
        attempt(12, 'expect(page).toHaveURL(expected) failed', 'failed', { step: 'Expect toHaveURL' }),
      ),
    ).toBe(
      'failed at line 12 (`Expect toHaveURL`): it failed at the incident assertion — expect(page).toHaveURL(expected) failed',
    );
    expect(explainFailure('other', attempt(null, 'boom'))).toBe(
      'failed at line ?: it failed before the incident assertion; state the outcome the bug broke as an Expect step the test reaches, so the test fails there — boom',
    );
  });
});
