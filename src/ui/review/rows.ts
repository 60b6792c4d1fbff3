import { statusIn, type FeatureStatus, type FeatureVerdict } from '../../core/features.js';
import type { RegressionState } from '../../core/regression-state.js';
import type { ReviewData, ReviewFlow, ReviewIncident, ReviewRun } from '../../services/review.js';

export type Color = 'green' | 'cyan' | 'red' | 'yellow' | 'gray' | 'magenta' | 'white';

/** One cell of a row; its width is its column's. */
export interface Cell {
  text: string;
  color?: Color;
  bar?: StatusBar;
}

/** Segments of a flow's status bar, in feature counts. */
export interface StatusBar {
  verified: number;
  covered: number;
  uncovered: number;
  waived: number;
}

export type RowRef =
  | { kind: 'flow'; flow: ReviewFlow }
  | { kind: 'unmapped-group' }
  | { kind: 'feature'; verdict: FeatureVerdict; flowId: string | null }
  | { kind: 'test'; path: string }
  | { kind: 'run'; run: ReviewRun }
  | { kind: 'incident'; incident: ReviewIncident };

export interface Row {
  key: string;
  /** Built only when the row is drawn: a list of 10,000 rows draws about 30. */
  cells: () => Cell[];
  /** Lower-case text the `/` filter matches against (built on the first filter). */
  search: () => string;
  ref: RowRef;
}

export interface Column {
  title: string;
  /** Columns it takes; 'grow' takes what is left (one per table). */
  width: number | 'grow';
}

export const statusColor: Record<FeatureStatus, Color> = {
  verified: 'green',
  covered: 'cyan',
  uncovered: 'red',
  waived: 'gray',
  unmapped: 'yellow',
};
export const stateColor: Record<RegressionState, Color> = {
  none: 'red',
  proposed: 'yellow',
  proven: 'cyan',
  merged: 'green',
};

/** "now", "5m", "3h", "2d", "6w": how long ago, as a column wants it. */
export function age(at: number | null, now: number): string {
  if (at === null) return 'never';
  const minutes = Math.max(0, Math.round((now - at) / 60_000));
  if (minutes < 1) return 'now';
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)}h`;
  const days = Math.round(minutes / 1440);
  return days < 14 ? `${days}d` : `${Math.round(days / 7)}w`;
}

const once = (make: () => string) => {
  let value: string | undefined;
  return () => (value ??= make());
};

const row = (key: string, ref: RowRef, cells: Cell[]): Row => ({
  key,
  ref,
  cells: () => cells,
  search: once(() =>
    cells
      .map((c) => c.text)
      .join(' ')
      .toLowerCase(),
  ),
});

export const flowColumns: Column[] = [
  { title: 'FLOW', width: 'grow' },
  { title: 'CRITICALITY', width: 11 },
  { title: 'STATUS', width: 14 },
  { title: 'V/C/U/W', width: 11 },
  { title: 'TESTS', width: 5 },
  { title: 'VERIFIED', width: 8 },
];

export function flowRows(data: ReviewData): Row[] {
  // with --base: the flows this branch touches say so, red when nothing tests them
  const touched = new Map((data.branch_check?.result.flows ?? []).map((flow) => [flow.id, flow]));
  const rows = data.flows.map((flow) => {
    const { verified, covered, uncovered, waived } = flow.counts;
    const here = touched.get(flow.flow.id);
    return row(`flow:${flow.flow.id}`, { kind: 'flow', flow }, [
      here
        ? {
            text: `${flow.flow.name} (${flow.flow.id}) · changed here`,
            color: here.tests.length === 0 ? ('red' as const) : ('yellow' as const),
          }
        : { text: `${flow.flow.name} (${flow.flow.id})` },
      { text: flow.flow.criticality },
      { text: '', bar: { verified, covered, uncovered, waived } },
      { text: `${verified}/${covered}/${uncovered}/${waived}`, ...(uncovered > 0 ? { color: 'red' as const } : {}) },
      { text: String(flow.tests.length), ...(flow.tests.length === 0 ? { color: 'red' as const } : {}) },
      { text: age(flow.lastVerifiedAt, data.now) },
    ]);
  });
  if (data.unmapped.length > 0) {
    rows.push(
      row('unmapped', { kind: 'unmapped-group' }, [
        { text: `Unmapped changes: features that touch no flow's paths (m maps them)`, color: 'yellow' },
        { text: '' },
        { text: '' },
        { text: `${data.unmapped.length}`, color: 'yellow' },
        { text: '' },
        { text: '' },
      ]),
    );
  }
  return rows;
}

export const featureColumns: Column[] = [
  { title: 'STATUS', width: 10 },
  { title: 'CHANGE', width: 8 },
  { title: 'SUBJECT', width: 'grow' },
  { title: 'PR', width: 7 },
  { title: 'AGE', width: 5 },
  { title: 'AFFECTS', width: 20 },
];

export function featureRows(verdicts: readonly FeatureVerdict[], flowId: string | null, now: number): Row[] {
  const rows: Row[] = [];
  // newest first: what a reviewer looks at this week
  for (let i = verdicts.length - 1; i >= 0; i--) {
    const verdict = verdicts[i]!;
    const { change } = verdict;
    const pr = change.pr === null ? '—' : `#${change.pr}`;
    const flows = change.flows.join(',') || '—';
    // in a flow's list, the flow's own verdict (SPEC §5 per-flow rows)
    const status = statusIn(verdict, flowId);
    rows.push({
      key: `feature:${change.sha}`,
      ref: { kind: 'feature', verdict, flowId },
      search: once(() => `${status} ${change.sha.slice(0, 7)} ${change.subject} ${pr} ${flows}`.toLowerCase()),
      cells: () => [
        { text: status, color: statusColor[status] },
        { text: change.sha.slice(0, 7) },
        { text: change.subject },
        { text: pr },
        { text: age(change.committedAt, now) },
        { text: flows },
      ],
    });
  }
  return rows;
}

export const testColumns: Column[] = [{ title: 'SPEC FILE', width: 'grow' }];

export function testRows(flow: ReviewFlow): Row[] {
  return flow.tests.map((path) => row(`test:${path}`, { kind: 'test', path }, [{ text: path }]));
}

export const runColumns: Column[] = [
  { title: 'WHEN', width: 17 },
  { title: 'AGE', width: 5 },
  { title: 'ENV', width: 11 },
  { title: 'RESULT', width: 9 },
  { title: 'PASSED/FAILED/FLAKY', width: 20 },
  { title: 'COMMIT', width: 8 },
  { title: 'RUN', width: 'grow' },
];

export function runRows(flow: ReviewFlow, verificationEnv: string, now: number): Row[] {
  return flow.runs.map((run, index) => {
    const passed = run.failed === 0 && run.passed + run.flaky > 0;
    return row(`run:${index}:${run.commit}:${run.at}`, { kind: 'run', run }, [
      { text: new Date(run.at).toISOString().slice(0, 16).replace('T', ' ') },
      { text: age(run.at, now) },
      { text: run.env, ...(run.env === verificationEnv ? {} : { color: 'gray' as const }) },
      { text: passed ? 'passed' : 'failed', color: passed ? 'green' : 'red' },
      { text: `${run.passed}/${run.failed}/${run.flaky}` },
      { text: run.commit.slice(0, 7) },
      { text: run.url ?? '—' },
    ]);
  });
}

export const incidentColumns: Column[] = [
  { title: 'SEV', width: 5 },
  { title: 'INCIDENT', width: 'grow' },
  { title: 'STATUS', width: 10 },
  { title: 'FLOWS', width: 16 },
  { title: 'REGRESSION', width: 11 },
  { title: 'AGE', width: 5 },
];

export function incidentRows(incidents: readonly ReviewIncident[], now: number): Row[] {
  return incidents.map((incident) =>
    row(`incident:${incident.id}`, { kind: 'incident', incident }, [
      { text: incident.severity, ...(incident.severity === 'SEV1' ? { color: 'red' as const } : {}) },
      { text: `${incident.title} (${incident.id})` },
      { text: incident.status },
      { text: incident.flows.join(',') },
      { text: incident.state, color: stateColor[incident.state] },
      { text: age(incident.startedAt, now) },
    ]),
  );
}

/** Rows whose text contains the filter (case-insensitive), as `/` does in less. */
export function filterRows(rows: readonly Row[], filter: string): readonly Row[] {
  const needle = filter.trim().toLowerCase();
  return needle ? rows.filter((r) => r.search().includes(needle)) : rows;
}
