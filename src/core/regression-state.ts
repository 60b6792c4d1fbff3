import type { Incident } from './incident.js';

export type RegressionState = 'none' | 'proposed' | 'proven' | 'merged';

/**
 * none: no regression test recorded; proposed: a test was written; proven: it failed before the
 * fix and passed on it; merged: the test file is on the tracked branch.
 */
export function regressionState(incident: Incident, specsOnBranch: ReadonlySet<string>): RegressionState {
  const regression = incident.regression;
  if (!regression?.test) return 'none';
  if (specsOnBranch.has(regression.test)) return 'merged';
  return regression.proof ? 'proven' : 'proposed';
}
