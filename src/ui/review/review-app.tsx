import { Box, Text, useApp } from 'ink';
import { useMemo, useState, type ReactNode } from 'react';
import { useLatestState } from '../latest-state.js';
import type { ReviewData } from '../../services/review.js';
import type { Stage, StageEvent } from '../../core/stages.js';
import { ListView } from '../list-view.js';
import { visibleSlice } from '../list-window.js';
import { StageProgress, recordStage } from '../stage-progress.js';
import { EditLine } from '../edit-line.js';
import { useKeys } from '../use-keys.js';
import { useTerminalSize } from '../terminal-size.js';
import { FeatureDetail, findFeature } from './feature-detail.js';
import { KeyHelp } from './key-help.js';
import { listHint, windowText } from './review-keys.js';
import { RunDetail, findRun } from './run-detail.js';
import {
  current,
  filterOf,
  flowTabs,
  handleKey,
  initialState,
  positionOf,
  screenKey,
  type Effect,
  type ReviewState,
  type Screen,
} from './review-state.js';
import {
  age,
  featureColumns,
  featureRows,
  filterRows,
  flowColumns,
  flowRows,
  incidentColumns,
  incidentRows,
  runColumns,
  runRows,
  stateColor,
  statusColor,
  testColumns,
  testRows,
  type Column,
  type Row,
} from './rows.js';

/** What the review can do outside itself; each resolves to a line for the status bar, or throws. */
export interface ReviewActions {
  waive(flowId: string, sha: string, reason: string): Promise<string>;
  map(flowId: string, sha: string): Promise<string>;
  test(incidentId: string, onStage: (event: StageEvent) => void): Promise<string>;
  /** The review again, for a window of `days` (null: all history). */
  reload(days: number | null): Promise<ReviewData>;
}

export interface ReviewAppProps {
  data: ReviewData;
  actions: ReviewActions;
  verificationEnv: string;
  /** The window `data` was loaded for (--days); `[` and `]` change it. */
  days?: number | null;
  initial?: ReviewState;
}

const flowChoices = (data: ReviewData) => data.flows.map((f) => ({ id: f.flow.id, name: f.flow.name }));

/** Rows above and below the list: the header (one more for the branch's verdict on the root tabs), tabs, footer. */
const chromeRows = (screen: Screen, branchLine: boolean) =>
  (screen.kind === 'flow' ? 7 : 5) + (branchLine && (screen.kind === 'flows' || screen.kind === 'incidents') ? 1 : 0);

function screenView(
  data: ReviewData,
  screen: Screen,
  verificationEnv: string,
): { title: string; columns: readonly Column[]; rows: Row[]; empty: string } {
  switch (screen.kind) {
    case 'flows':
      return {
        title: 'Flows',
        columns: flowColumns,
        rows: flowRows(data),
        empty: 'no flows yet: verigap flows add <id> --name … --paths …',
      };
    case 'incidents':
      return {
        title: 'Incidents',
        columns: incidentColumns,
        rows: incidentRows(data.incidents, data.now),
        empty: 'no incidents recorded: verigap incident new',
      };
    case 'unmapped':
      return {
        title: 'Unmapped changes',
        columns: featureColumns,
        rows: featureRows(data.unmapped, null, data.now),
        empty: 'every feature touches a flow',
      };
    case 'feature': {
      const verdict = findFeature(data, screen.sha, screen.flowId);
      const from =
        screen.flowId === null
          ? 'Unmapped changes'
          : `Flows › ${data.flows.find((f) => f.flow.id === screen.flowId)?.flow.name ?? screen.flowId}`;
      return {
        title: `${from} › ${screen.sha.slice(0, 7)}`,
        columns: featureColumns,
        rows: verdict ? featureRows([verdict], screen.flowId, data.now) : [],
        empty: 'this change is no longer in the window',
      };
    }
    case 'incident': {
      const incident = data.incidents.find((i) => i.id === screen.incidentId);
      return {
        title: `Incidents › ${screen.incidentId}`,
        columns: incidentColumns,
        rows: incident ? incidentRows([incident], data.now) : [],
        empty: 'this incident is gone',
      };
    }
    case 'flow': {
      const flow = data.flows.find((f) => f.flow.id === screen.flowId);
      const title = `Flows › ${flow?.flow.name ?? screen.flowId}`;
      if (!flow) return { title, columns: featureColumns, rows: [], empty: 'this flow is gone' };
      if (screen.tab === 'tests')
        return {
          title,
          columns: testColumns,
          rows: testRows(flow),
          empty: `no E2E spec: add one under flows/${flow.flow.id}/`,
        };
      if (screen.tab === 'runs')
        return {
          title,
          columns: runColumns,
          rows: runRows(flow, verificationEnv, data.now),
          empty: 'no verification run includes this flow: verigap verify ingest',
        };
      return {
        title,
        columns: featureColumns,
        rows: featureRows(flow.features, flow.flow.id, data.now),
        empty: 'no feature touched this flow in the window',
      };
    }
    case 'run': {
      const name = data.flows.find((f) => f.flow.id === screen.flowId)?.flow.name ?? screen.flowId;
      return {
        title: `Flows › ${name} › run ${screen.commit.slice(0, 7)} in ${screen.env}`,
        columns: runColumns,
        rows: [],
        empty: 'this run is no longer in the window',
      };
    }
  }
}

/** Rows of each screen and of the last filter asked for, so moving the cursor over 10,000 rows rebuilds nothing. */
function viewCache(verificationEnv: string) {
  // every screen seen since the last reload: esc from a feature's screen back to 10,000 rows rebuilds none
  let built: { data: ReviewData; views: Map<string, ReturnType<typeof screenView>> } | undefined;
  let lastRows: { view: ReturnType<typeof screenView>; filter: string; rows: readonly Row[] } | undefined;
  const view = (data: ReviewData, screen: Screen) => {
    if (built?.data !== data) built = { data, views: new Map() };
    const key = screenKey(screen);
    let found = built.views.get(key);
    if (!found) built.views.set(key, (found = screenView(data, screen, verificationEnv)));
    return found;
  };
  return {
    view,
    rows(data: ReviewData, screen: Screen, filter: string): readonly Row[] {
      const v = view(data, screen);
      if (lastRows?.view !== v || lastRows.filter !== filter)
        lastRows = { view: v, filter, rows: filterRows(v.rows, filter) };
      return lastRows.rows;
    },
  };
}

/** `verigap review`: flows, features, tests, runs and incidents, keyboard-first (SPEC §7). */
export function ReviewApp({
  data: initialData,
  actions,
  verificationEnv,
  days = 30,
  initial,
}: ReviewAppProps): ReactNode {
  const { exit } = useApp();
  const { columns, rows: terminalRows } = useTerminalSize();
  const [data, setData, latestData] = useLatestState(initialData);
  const [state, setState, latest] = useLatestState<ReviewState>(initial ?? { ...initialState, window: days });
  const [progress, setProgress] = useState<Partial<Record<Stage, StageEvent>>>({});
  const screen = current(state);
  const views = useMemo(() => viewCache(verificationEnv), [verificationEnv]);
  const view = views.view(data, screen);
  const filter = filterOf(state);
  const rows = views.rows(data, screen, filter);
  const heightOf = (s: Screen) => Math.max(3, terminalRows - 1 - chromeRows(s, data.branch_check !== undefined));
  const height = heightOf(screen);
  const flows = useMemo(() => flowChoices(data), [data]);

  const finish = (work: Promise<string>) => {
    work
      .then(async (text) => {
        const fresh = await actions.reload(latest().window);
        setData(fresh);
        setState((s) => ({ ...s, mode: { kind: 'browse' }, message: { text, tone: 'ok' } }));
      })
      .catch((error: unknown) =>
        setState((s) => ({
          ...s,
          mode: { kind: 'browse' },
          message: { text: (error as Error).message.split('\n')[0] ?? 'failed', tone: 'error' },
        })),
      );
  };
  const loadWindow = (days: number | null, before: number | null) => {
    actions
      .reload(days)
      .then((fresh) => {
        setData(fresh);
        // a change of two flows is one feature
        const features = new Set(
          [...fresh.flows.flatMap((flow) => flow.features), ...fresh.unmapped].map((verdict) => verdict.change.sha),
        ).size;
        setState((s) => ({
          ...s,
          mode: { kind: 'browse' },
          message: { text: `the ${windowText(days)}: ${features} feature(s)`, tone: 'ok' },
        }));
      })
      .catch((error: unknown) =>
        setState((s) => ({
          ...s,
          window: before,
          mode: { kind: 'browse' },
          message: { text: (error as Error).message.split('\n')[0] ?? 'failed', tone: 'error' },
        })),
      );
  };
  const run = (effect: Effect, before: ReviewState) => {
    if (effect.kind === 'quit') exit();
    else if (effect.kind === 'window') loadWindow(effect.days, before.window);
    else if (effect.kind === 'waive') finish(actions.waive(effect.flowId, effect.sha, effect.reason));
    else if (effect.kind === 'map') finish(actions.map(effect.flowId, effect.sha));
    else {
      setProgress({});
      finish(actions.test(effect.incidentId, (event) => setProgress((events) => recordStage(events, event))));
    }
  };

  useKeys((input, key) => {
    // the latest state, not the rendered one: keys may arrive faster than frames
    const before = latest();
    const now = latestData();
    const screenNow = current(before);
    const ctx = {
      rows: views.rows(now, screenNow, filterOf(before)),
      height: heightOf(screenNow),
      flows: flowChoices(now),
    };
    const result = handleKey(before, input, key, ctx);
    if (result.state !== before) setState(result.state);
    if (result.effect) run(result.effect, before);
  });

  return (
    <Box flexDirection="column" width={columns}>
      <Header data={data} screen={screen} title={view.title} width={columns} days={state.window} />
      {screen.kind === 'flow' ? <FlowHeader data={data} screen={screen} /> : null}
      <Body
        state={state}
        view={view}
        rows={rows}
        height={height}
        width={columns}
        flows={flows}
        progress={progress}
        data={data}
        verificationEnv={verificationEnv}
      />
      <Footer
        state={state}
        filter={filter}
        shown={rows.length}
        total={view.rows.length}
        width={columns}
        screen={screen.kind}
      />
    </Box>
  );
}

function Header({
  data,
  screen,
  title,
  width,
  days,
}: {
  data: ReviewData;
  screen: Screen;
  title: string;
  width: number;
  days: number | null;
}): ReactNode {
  const root = screen.kind === 'flows' || screen.kind === 'incidents';
  const since =
    days === null
      ? 'features of all history'
      : `features of the ${windowText(days)} (since ${new Date(data.since).toISOString().slice(0, 10)})`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {`verigap review · ${data.branch} · ${since} · ${data.flows.length} flows · ${data.incidents.length} incidents`.slice(
          0,
          width,
        )}
      </Text>
      {data.branch_check && root ? (
        <Text wrap="truncate">
          {`this branch against ${data.branch_check.baseRef}: `}
          <Text bold color={data.branch_check.result.verdict}>
            {data.branch_check.result.verdict}
          </Text>
          {` · ${data.branch_check.reason.replaceAll('`', '')}`}
        </Text>
      ) : null}
      {root ? (
        <Text wrap="truncate">
          {(['flows', 'incidents'] as const).map((tab) => (
            <Text
              key={tab}
              {...(screen.kind === tab ? { inverse: true, bold: true } : { dimColor: true })}
            >{` ${tab === 'flows' ? 'Flows' : 'Incidents'} `}</Text>
          ))}
          <Text dimColor> tab switches · [ ] window · ? help</Text>
        </Text>
      ) : (
        <Text bold color="cyan" wrap="truncate">
          {title}
        </Text>
      )}
    </Box>
  );
}

function FlowHeader({ data, screen }: { data: ReviewData; screen: Extract<Screen, { kind: 'flow' }> }): ReactNode {
  const flow = data.flows.find((f) => f.flow.id === screen.flowId);
  if (!flow) return <Text> </Text>;
  const { verified, covered, uncovered, waived } = flow.counts;
  const counts = { features: flow.features.length, tests: flow.tests.length, runs: flow.runs.length };
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" dimColor>
        {`${flow.flow.id} · ${flow.flow.criticality}${flow.flow.owner ? ` · ${flow.flow.owner}` : ''} · paths ${flow.flow.paths.join(', ') || '—'} · `}
        <Text color="green">{verified} verified</Text> · <Text color="cyan">{covered} covered</Text> ·{' '}
        <Text color="red">{uncovered} uncovered</Text> · {waived} waived · last verified{' '}
        {age(flow.lastVerifiedAt, data.now)}
      </Text>
      <Text wrap="truncate">
        {flowTabs.map((tab) => (
          <Text
            key={tab}
            {...(screen.tab === tab ? { inverse: true, bold: true } : { dimColor: true })}
          >{` ${tab[0]!.toUpperCase()}${tab.slice(1)} ${counts[tab]} `}</Text>
        ))}
      </Text>
    </Box>
  );
}

function Body({
  state,
  view,
  rows,
  height,
  width,
  flows,
  progress,
  data,
  verificationEnv,
}: {
  state: ReviewState;
  view: ReturnType<typeof screenView>;
  rows: readonly Row[];
  height: number;
  width: number;
  flows: readonly { id: string; name: string }[];
  progress: Partial<Record<Stage, StageEvent>>;
  data: ReviewData;
  verificationEnv: string;
}): ReactNode {
  const { mode } = state;
  const box = (children: ReactNode) => (
    <Box flexDirection="column" height={height + 1}>
      {children}
    </Box>
  );
  if (mode.kind === 'help') return <KeyHelp height={height} width={width} />;
  if (mode.kind === 'map') {
    return box(
      <>
        <Text wrap="truncate">
          Map the paths of <Text bold>{mode.sha.slice(0, 7)}</Text> “{mode.subject}” to which flow?
        </Text>
        {visibleSlice(flows, { cursor: mode.cursor, offset: 0 }, height - 1).rows.map((flow) => {
          const selected = flows[mode.cursor]?.id === flow.id;
          return <Text key={flow.id} inverse={selected}>{`${selected ? '› ' : '  '}${flow.name} (${flow.id})`}</Text>;
        })}
      </>,
    );
  }
  if (mode.kind === 'waive-flow') {
    const chooser = visibleSlice(mode.flows, { cursor: mode.cursor, offset: 0 }, height - 1);
    return box(
      <>
        <Text wrap="truncate">
          Waive <Text bold>{mode.sha.slice(0, 7)}</Text> “{mode.subject}” for which flow?
        </Text>
        {chooser.rows.map((flow, i) => {
          const index = chooser.first + i;
          const selected = index === mode.cursor;
          const name = flows.find((f) => f.id === flow.id)?.name;
          return (
            <Text key={flow.id} inverse={selected} wrap="truncate">
              {`${selected ? '› ' : '  '}${index < 9 ? index + 1 : ' '} ${flow.id}${name ? ` (${name})` : ''} · `}
              <Text color={statusColor[flow.status]}>{flow.status}</Text>
            </Text>
          );
        })}
      </>,
    );
  }
  if (mode.kind === 'busy' && mode.stages) {
    return box(
      <>
        <Text bold>{mode.title}</Text>
        <StageProgress events={progress} width={width} />
      </>,
    );
  }
  const screen = current(state);
  if (screen.kind === 'feature') {
    const verdict = view.rows[0]?.ref;
    if (verdict?.kind !== 'feature') return box(<Text dimColor>{view.empty}</Text>);
    return <FeatureDetail verdict={verdict.verdict} data={data} env={verificationEnv} height={height} />;
  }
  if (screen.kind === 'run') {
    const found = findRun(data, screen);
    if (!found) return box(<Text dimColor>{view.empty}</Text>);
    return (
      <RunDetail run={found} flowId={screen.flowId} data={data} verificationEnv={verificationEnv} height={height} />
    );
  }
  if (screen.kind === 'incident') {
    const incident = data.incidents.find((i) => i.id === screen.incidentId);
    if (!incident) return box(<Text dimColor>this incident is gone</Text>);
    const line = (label: string, value: ReactNode) => (
      <Text wrap="truncate">
        <Text dimColor>{label.padEnd(12)}</Text>
        {value}
      </Text>
    );
    return box(
      <>
        {line('title', incident.title)}
        {line('severity', incident.severity)}
        {line('status', incident.status)}
        {line('flows', incident.flows.join(', '))}
        {line(
          'started',
          `${new Date(incident.startedAt).toISOString().slice(0, 16).replace('T', ' ')} (${age(incident.startedAt, data.now)} ago)`,
        )}
        {line('fixed by', incident.fixedBy ?? '— (set fixed_by to prove the test)')}
        {line('regression', <Text color={stateColor[incident.state]}>{incident.state}</Text>)}
        {line('test', incident.test ?? '— press t to generate it')}
      </>,
    );
  }
  return (
    <ListView
      columns={view.columns}
      rows={rows}
      pos={positionOf(state)}
      height={height}
      width={width}
      empty={view.empty}
    />
  );
}

const hints: Partial<Record<Screen['kind'], string>> = {
  // fits 110 columns; ? lists every key
  feature: 'esc back · w waive it for one of its flows · ? help · q quit',
  run: 'esc back · ? help · q quit',
};

function Footer({
  state,
  filter,
  shown,
  total,
  width,
  screen,
}: {
  state: ReviewState;
  filter: string;
  shown: number;
  total: number;
  width: number;
  screen: Screen['kind'];
}): ReactNode {
  const onFeature = screen === 'feature';
  const { mode, message } = state;
  let prompt: ReactNode;
  if (mode.kind === 'filter')
    prompt = (
      <Text>
        /
        <Text bold>
          <EditLine value={filter} cursor={state.cursor} />
        </Text>
        <Text dimColor> enter keeps · esc clears</Text>
      </Text>
    );
  else if (mode.kind === 'waive') {
    prompt = (
      <Text wrap="truncate">
        Waive <Text bold>{mode.sha.slice(0, 7)}</Text> for {mode.flowId}, reason:{' '}
        <Text bold>
          <EditLine value={mode.reason} cursor={state.cursor} />
        </Text>
        {mode.error ? <Text color="red"> {mode.error}</Text> : <Text dimColor> enter saves · esc cancels</Text>}
      </Text>
    );
  } else if (mode.kind === 'waive-flow')
    prompt = (
      <Text dimColor wrap="truncate">
        ↑↓ or 1-9 picks the flow · enter asks the reason · esc cancels
      </Text>
    );
  else if (mode.kind === 'busy') prompt = <Text color="yellow">{mode.title}</Text>;
  else if (message)
    prompt = (
      <Text color={message.tone === 'ok' ? 'green' : 'red'} wrap="truncate">
        {message.text}
      </Text>
    );
  else if (screen === 'run') prompt = <Text dimColor>the run as its note recorded it</Text>;
  else if (onFeature) prompt = <Text dimColor>each flow judges the change by its own tests, runs and waivers</Text>;
  else
    prompt = filter ? (
      <Text dimColor>
        filter “{filter}”: {shown} of {total} rows · esc clears
      </Text>
    ) : (
      <Text dimColor>{`${total} rows`}</Text>
    );
  return (
    <Box flexDirection="column">
      <Box width={width}>{prompt}</Box>
      <Text dimColor wrap="truncate">
        {hints[screen] ?? listHint}
      </Text>
    </Box>
  );
}
