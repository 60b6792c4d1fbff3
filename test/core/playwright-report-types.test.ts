// Why the report's shape is verigap's own zod schema and not Playwright's JSONReport type: a report comes from
// outside (another machine, another Playwright version, a merge), so it is validated at run time, with the path
// and the reason of what is wrong. Playwright's types keep that schema honest: `tsc` (npm run typecheck) fails
// here when a report Playwright's own types describe would not be one verigap reads.
import type { JSONReport } from '@playwright/test/reporter';
import { describe, expectTypeOf, it } from 'vitest';
import type { PlaywrightReport } from '../../src/core/playwright-report.js';

describe("Playwright's JSON report types", () => {
  it('every report they describe is one verigap reads', () => {
    expectTypeOf<JSONReport>().toExtend<PlaywrightReport>();
  });
});
