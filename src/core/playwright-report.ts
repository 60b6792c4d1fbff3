import { z } from 'zod';
import { parseIsoTime } from './when.js';

/** The parts of Playwright's JSON reporter output verigap reads (also `merge-reports` output). */
const testSchema = z.object({
  status: z.enum(['skipped', 'expected', 'unexpected', 'flaky']),
  projectName: z.string().optional(),
  // each attempt's time: what a report without `stats` (Playwright 1.21 and older) is timed by
  results: z.array(z.object({ duration: z.number() })).optional(),
});
const specSchema = z.object({
  title: z.string(),
  file: z.string(),
  tags: z.array(z.string()).optional(),
  tests: z.array(testSchema),
});
type Spec = z.infer<typeof specSchema>;
type Suite = { title: string; file?: string | undefined; specs?: Spec[] | undefined; suites?: Suite[] | undefined };
// one level of the suite tree: children are checked one by one, without recursion, so a tree
// 1,000 (or 100,000) suites deep is read, not a stack overflow
const suiteLevelSchema = z.object({
  title: z.string(),
  file: z.string().optional(),
  specs: z.array(specSchema).optional(),
  suites: z.array(z.unknown()).optional(),
});

/** A run longer than this is a broken report, not a run: 30 days. */
export const maxRunMs = 30 * 86_400_000;

const reportSchema = z.object({
  config: z
    .object({
      rootDir: z.string(),
      metadata: z
        .object({ gitCommit: z.object({ hash: z.string().optional() }).passthrough().optional() })
        .passthrough()
        .optional(),
    })
    .passthrough(),
  suites: z.array(z.unknown()),
  stats: z
    .object({
      startTime: z
        .string()
        .refine((text) => parseIsoTime(text).ok, 'must be an ISO 8601 time, e.g. 2026-11-20T17:00:00.000Z'),
      duration: z
        .number()
        .nonnegative('must be a number of milliseconds, 0 or more')
        .max(maxRunMs, `is not the length of a run: at most ${maxRunMs} ms (30 days)`),
    })
    .passthrough()
    .optional(),
});

type ReportAsWritten = z.infer<typeof reportSchema>;
export type PlaywrightReport = Omit<ReportAsWritten, 'suites' | 'stats'> & {
  suites: Suite[];
  stats: NonNullable<ReportAsWritten['stats']>;
};

export type ParsedReport = { ok: true; report: PlaywrightReport } | { ok: false; path: string; reason: string };

/**
 * Validates the parts of a Playwright JSON report verigap reads: the top level with zod, then
 * every suite of the tree one level at a time (iteratively, whatever its depth). A report without
 * `stats` (Playwright 1.21 and older write none) is taken to end at `writtenAt`, when its file was
 * written, and to last as long as its tests' attempts together; without `writtenAt` it is refused.
 */
export function parsePlaywrightReport(json: unknown, writtenAt?: number): ParsedReport {
  const top = reportSchema.safeParse(json);
  if (!top.success) {
    const issue = top.error.issues[0]!;
    return { ok: false, path: issue.path.map(String).join('.') || 'top level', reason: issue.message };
  }
  type Pending = { value: unknown; parent: Pending | null; index: number };
  const stack: Pending[] = top.data.suites.map((value, index) => ({ value, parent: null, index }));
  while (stack.length > 0) {
    const pending = stack.pop()!;
    const level = suiteLevelSchema.safeParse(pending.value);
    if (!level.success) {
      const issue = level.error.issues[0]!;
      return { ok: false, path: [suitePath(pending), ...issue.path.map(String)].join('.'), reason: issue.message };
    }
    (level.data.suites ?? []).forEach((value, index) => stack.push({ value, parent: pending, index }));
  }
  const suites = top.data.suites as Suite[];
  const stats = top.data.stats ?? (writtenAt === undefined ? undefined : statsOfOlderReport(suites, writtenAt));
  if (!stats) return { ok: false, path: 'stats', reason: 'Invalid input: expected object, received undefined' };
  return { ok: true, report: { ...top.data, suites, stats } };
}

/** The run of a report without `stats`: as long as its attempts together (one worker's time), ending at `writtenAt`. */
function statsOfOlderReport(suites: Suite[], writtenAt: number): PlaywrightReport['stats'] {
  let total = 0;
  const stack = [...suites];
  while (stack.length > 0) {
    const suite = stack.pop()!;
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests) for (const result of test.results ?? []) total += Math.max(0, result.duration);
    stack.push(...(suite.suites ?? []));
  }
  const duration = Math.min(total, maxRunMs);
  return { startTime: new Date(writtenAt - duration).toISOString(), duration };
}

/** `suites.0.suites.2`, with the middle of a very deep path left out. */
function suitePath(pending: { parent: unknown; index: number }): string {
  const parts: string[] = [];
  for (let at = pending as { parent: unknown; index: number } | null; at; at = at.parent as typeof at)
    parts.push(`suites.${at.index}`);
  parts.reverse();
  return parts.length <= 6
    ? parts.join('.')
    : [...parts.slice(0, 3), `…(${parts.length - 6} levels)…`, ...parts.slice(-3)].join('.');
}

export type Outcome = 'passed' | 'failed' | 'flaky' | 'skipped';

/** One test (a spec in one project) with where it lives and what it is tagged with. */
export interface ReportedTest {
  file: string;
  title: string;
  tags: string[];
  outcome: Outcome;
}

const outcomeOf: Record<z.infer<typeof testSchema>['status'], Outcome> = {
  expected: 'passed',
  unexpected: 'failed',
  flaky: 'flaky',
  skipped: 'skipped',
};

/** Flattens the suite tree (iteratively) into tests; tags come from Playwright's `tag` option and from titles. */
export function reportedTests(report: PlaywrightReport): ReportedTest[] {
  const tests: ReportedTest[] = [];
  // `prefix`: the titles of the enclosing suites, joined; a string, so a deep tree costs no copies
  const stack: { suite: Suite; prefix: string }[] = report.suites.map((suite) => ({ suite, prefix: '' })).reverse();
  while (stack.length > 0) {
    const { suite, prefix } = stack.pop()!;
    for (const spec of suite.specs ?? []) {
      const title = prefix ? `${prefix} › ${spec.title}` : spec.title;
      const tags = [
        ...new Set([
          ...(spec.tags ?? []).map((t) => (t.startsWith('@') ? t : `@${t}`)),
          ...(title.match(/@[\w:.-]+/g) ?? []),
        ]),
      ];
      for (const test of spec.tests) tests.push({ file: spec.file, title, tags, outcome: outcomeOf[test.status] });
    }
    const children = suite.suites ?? [];
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index]!;
      const skipTitle = child.file && child.title === child.file;
      stack.push({ suite: child, prefix: skipTitle ? prefix : prefix ? `${prefix} › ${child.title}` : child.title });
    }
  }
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
  // keyed by ids the user chose: a flow named "constructor" or "__proto__" must not meet Object.prototype
  const flows: Record<string, OutcomeCounts> = Object.create(null) as Record<string, OutcomeCounts>;
  const incidents: Record<string, OutcomeCounts> = Object.create(null) as Record<string, OutcomeCounts>;
  const add = (into: Record<string, OutcomeCounts>, id: string, outcome: Outcome) => {
    (into[id] ??= emptyCounts())[outcome]++;
  };
  for (const test of tests) {
    const tagged = (prefix: string) =>
      test.tags.filter((tag) => tag.startsWith(prefix)).map((tag) => tag.slice(prefix.length));
    for (const flow of new Set([...flowsOfFile(test.file), ...tagged('@flow:')])) add(flows, flow, test.outcome);
    for (const incident of new Set(tagged('@incident:'))) add(incidents, incident, test.outcome);
  }
  return { flows, incidents };
}
