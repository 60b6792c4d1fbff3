import { z } from 'zod';

/** The parts of Playwright's JSON reporter output verigap reads (also `merge-reports` output). */
const testSchema = z.object({
  status: z.enum(['skipped', 'expected', 'unexpected', 'flaky']),
  projectName: z.string().optional(),
});
const specSchema = z.object({
  title: z.string(),
  file: z.string(),
  tags: z.array(z.string()).optional(),
  tests: z.array(testSchema),
});
type Suite = { title: string; file?: string | undefined; specs?: z.infer<typeof specSchema>[] | undefined; suites?: Suite[] | undefined };
const suiteSchema: z.ZodType<Suite> = z.lazy(() =>
  z.object({ title: z.string(), file: z.string().optional(), specs: z.array(specSchema).optional(), suites: z.array(suiteSchema).optional() }),
);

export const playwrightReportSchema = z.object({
  config: z.object({
    rootDir: z.string(),
    metadata: z.object({ gitCommit: z.object({ hash: z.string().optional() }).passthrough().optional() }).passthrough().optional(),
  }).passthrough(),
  suites: z.array(suiteSchema),
  stats: z.object({ startTime: z.string(), duration: z.number() }).passthrough(),
});

export type PlaywrightReport = z.infer<typeof playwrightReportSchema>;

export type Outcome = 'passed' | 'failed' | 'flaky' | 'skipped';

/** One test (a spec in one project) with where it lives and what it is tagged with. */
export interface ReportedTest {
  file: string;
  title: string;
  tags: string[];
  outcome: Outcome;
}

const outcomeOf: Record<z.infer<typeof testSchema>['status'], Outcome> = { expected: 'passed', unexpected: 'failed', flaky: 'flaky', skipped: 'skipped' };

/** Flattens the suite tree into tests; tags come from Playwright's `tag` option and from titles. */
export function reportedTests(report: PlaywrightReport): ReportedTest[] {
  const tests: ReportedTest[] = [];
  const walk = (suite: Suite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      const title = [...titles, spec.title].join(' › ');
      const tags = [...new Set([...(spec.tags ?? []).map((t) => (t.startsWith('@') ? t : `@${t}`)), ...(title.match(/@[\w:.-]+/g) ?? [])])];
      for (const test of spec.tests) tests.push({ file: spec.file, title, tags, outcome: outcomeOf[test.status] });
    }
    for (const child of suite.suites ?? []) walk(child, child.file && child.title === child.file ? titles : [...titles, child.title]);
  };
  for (const suite of report.suites) walk(suite, []);
  return tests;
}

export interface OutcomeCounts {
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
}

export const emptyCounts = (): OutcomeCounts => ({ passed: 0, failed: 0, flaky: 0, skipped: 0 });

/** A flow is verified by a run when none of its tests failed and at least one passed (flaky counts as passed). */
export function verifies(counts: OutcomeCounts): boolean {
  return counts.failed === 0 && counts.passed + counts.flaky > 0;
}

/**
 * Counts outcomes per flow and per incident. `flowsOfFile` maps a repository path to the flows
 * whose E2E tests it holds; `@flow:<id>` and `@incident:<id>` tags add to that.
 */
export function countByFlowAndIncident(tests: readonly ReportedTest[], flowsOfFile: (file: string) => string[]) {
  const flows: Record<string, OutcomeCounts> = {};
  const incidents: Record<string, OutcomeCounts> = {};
  const add = (into: Record<string, OutcomeCounts>, id: string, outcome: Outcome) => {
    (into[id] ??= emptyCounts())[outcome]++;
  };
  for (const test of tests) {
    const tagged = (prefix: string) => test.tags.filter((tag) => tag.startsWith(prefix)).map((tag) => tag.slice(prefix.length));
    for (const flow of new Set([...flowsOfFile(test.file), ...tagged('@flow:')])) add(flows, flow, test.outcome);
    for (const incident of new Set(tagged('@incident:'))) add(incidents, incident, test.outcome);
  }
  return { flows, incidents };
}
