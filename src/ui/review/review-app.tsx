import { Box, useApp } from 'ink';
import { useMemo, useState, type ReactNode } from 'react';
import { useLatestState } from '../latest-state.js';
import type { ReviewData } from '../../services/review.js';
import type { Stage, StageEvent } from '../../core/stages.js';
import { recordStage } from '../stage-progress.js';
import { useKeys } from '../use-keys.js';
import { useTerminalSize } from '../terminal-size.js';
import { windowText } from './review-keys.js';
import {
  current,
  filterOf,
  handleKey,
  initialState,
  type Effect,
  type ReviewState,
  type Screen,
} from './review-state.js';
import { viewCache } from './review-views.js';
import { Body } from './review-body.js';
import { FlowHeader, Footer, Header } from './review-chrome.js';

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
