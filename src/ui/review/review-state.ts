import { statusIn, type FeatureVerdict, type FlowStatus } from '../../core/features.js';
import { editText, type KeyLike } from '../edit-text.js';
import { fitWindow, moveCursor, top, type ListPos } from '../list-window.js';
import { pressed, stepWindow, windowText } from './review-keys.js';
import type { Row } from './rows.js';

export type FlowTab = 'features' | 'tests' | 'runs';
export const flowTabs: readonly FlowTab[] = ['features', 'tests', 'runs'];

export type Screen =
  | { kind: 'flows' }
  | { kind: 'incidents' }
  | { kind: 'flow'; flowId: string; tab: FlowTab }
  | { kind: 'unmapped' }
  | { kind: 'incident'; incidentId: string }
  /** Why a feature has its status, flow by flow; `flowId` is the flow it was opened from. */
  | { kind: 'feature'; sha: string; flowId: string | null }
  /** One verification run, opened from a flow's runs: its commit, environment, tests per flow and URL. */
  | { kind: 'run'; flowId: string; env: string; commit: string; at: number };

export type Mode =
  | { kind: 'browse' }
  | { kind: 'filter' }
  | { kind: 'help' }
  | { kind: 'waive'; flowId: string; sha: string; subject: string; reason: string; error: string | null }
  /** Which of a feature's flows to waive it for (its flows not waived yet), before the reason. */
  | { kind: 'waive-flow'; sha: string; subject: string; flows: { id: string; status: FlowStatus }[]; cursor: number }
  | { kind: 'map'; sha: string; subject: string; cursor: number }
  | { kind: 'busy'; title: string; /** the pipeline's stages are shown live */ stages?: boolean };

export interface Message {
  text: string;
  tone: 'ok' | 'error';
}

export interface ReviewState {
  /** Screens opened, the current one last. */
  stack: Screen[];
  positions: Record<string, ListPos>;
  filters: Record<string, string>;
  mode: Mode;
  message: Message | null;
  /** The cursor in the line being edited (the filter, a waiver's reason); Infinity is its end. */
  cursor: number;
  /** The window of features shown, in days; null is all history. */
  window: number | null;
}

/** What the app must do outside the state: write a file, run the pipeline, leave. */
export type Effect =
  | { kind: 'quit' }
  | { kind: 'waive'; flowId: string; sha: string; reason: string }
  | { kind: 'map'; flowId: string; sha: string }
  | { kind: 'test'; incidentId: string }
  /** Load the review again for another window. */
  | { kind: 'window'; days: number | null };

export interface KeyContext {
  /** The current screen's rows after its filter. */
  rows: readonly Row[];
  /** How many rows the list shows. */
  height: number;
  flows: readonly { id: string; name: string }[];
}

export const initialState: ReviewState = {
  stack: [{ kind: 'flows' }],
  positions: {},
  filters: {},
  mode: { kind: 'browse' },
  message: null,
  cursor: Infinity,
  window: 30,
};

export const current = (state: ReviewState): Screen => state.stack[state.stack.length - 1]!;

export function screenKey(screen: Screen): string {
  switch (screen.kind) {
    case 'flow':
      return `flow:${screen.flowId}:${screen.tab}`;
    case 'incident':
      return `incident:${screen.incidentId}`;
    case 'feature':
      return `feature:${screen.flowId ?? ''}:${screen.sha}`;
    case 'run':
      return `run:${screen.flowId}:${screen.env}:${screen.commit}:${screen.at}`;
    default:
      return screen.kind;
  }
}

export const positionOf = (state: ReviewState): ListPos => state.positions[screenKey(current(state))] ?? top;
export const filterOf = (state: ReviewState): string => state.filters[screenKey(current(state))] ?? '';

const withPosition = (state: ReviewState, pos: ListPos): ReviewState => ({
  ...state,
  positions: { ...state.positions, [screenKey(current(state))]: pos },
});
const push = (state: ReviewState, screen: Screen): ReviewState => ({
  ...state,
  stack: [...state.stack, screen],
  message: null,
});
const replaceTop = (state: ReviewState, screen: Screen): ReviewState => ({
  ...state,
  stack: [...state.stack.slice(0, -1), screen],
  message: null,
});
const say = (state: ReviewState, text: string, tone: Message['tone'] = 'error'): ReviewState => ({
  ...state,
  message: { text, tone },
});

type Result = { state: ReviewState; effect?: Effect };

/** One keystroke: the next state and, maybe, an effect for the app to carry out. Pure, so every key is testable. */
export function handleKey(state: ReviewState, input: string, key: KeyLike, ctx: KeyContext): Result {
  // a paste is text for the line being edited, never keys: a "q" in it does not quit
  if (key.paste && state.mode.kind !== 'filter' && state.mode.kind !== 'waive') return { state };
  switch (state.mode.kind) {
    case 'busy':
      return { state };
    case 'help':
      return {
        state: { ...state, mode: { kind: 'browse' } },
        ...(pressed('quit', input, key) ? { effect: { kind: 'quit' } } : {}),
      };
    case 'filter':
      return { state: filterKey(state, input, key) };
    case 'waive':
      return waiveKey(state, state.mode, input, key);
    case 'waive-flow':
      return { state: waiveFlowKey(state, state.mode, input, key) };
    case 'map':
      return mapKey(state, state.mode, input, key, ctx);
    case 'browse':
      return browseKey(state, input, key, ctx);
  }
}

function filterKey(state: ReviewState, input: string, key: KeyLike): ReviewState {
  const screen = screenKey(current(state));
  if (key.escape) return { ...state, mode: { kind: 'browse' }, filters: { ...state.filters, [screen]: '' } };
  if (key.return || key.downArrow || key.upArrow) return { ...state, mode: { kind: 'browse' } };
  const next = editText(filterOf(state), state.cursor, input, key);
  if (next === null) return state;
  if (next.value === filterOf(state)) return { ...state, cursor: next.cursor };
  return {
    ...state,
    cursor: next.cursor,
    filters: { ...state.filters, [screen]: next.value },
    positions: { ...state.positions, [screen]: top },
  };
}

function waiveKey(state: ReviewState, mode: Extract<Mode, { kind: 'waive' }>, input: string, key: KeyLike): Result {
  if (key.escape) return { state: cancelWaiver(state) };
  if (key.return) {
    const reason = mode.reason.trim();
    if (!reason)
      return {
        state: {
          ...state,
          mode: { ...mode, error: 'a reason is required: say why this change needs no E2E test of this flow' },
        },
      };
    return {
      state: { ...state, mode: { kind: 'busy', title: `waiving ${mode.sha.slice(0, 7)}…` } },
      effect: { kind: 'waive', flowId: mode.flowId, sha: mode.sha, reason },
    };
  }
  const next = editText(mode.reason, state.cursor, input, key);
  return {
    state:
      next === null ? state : { ...state, cursor: next.cursor, mode: { ...mode, reason: next.value, error: null } },
  };
}

const askReason = (state: ReviewState, verdict: FeatureVerdict, flowId: string): ReviewState => ({
  ...state,
  message: null,
  cursor: Infinity,
  mode: { kind: 'waive', flowId, sha: verdict.change.sha, subject: verdict.change.subject, reason: '', error: null },
});

const cancelWaiver = (state: ReviewState) =>
  say({ ...state, mode: { kind: 'browse' } }, 'waive cancelled: nothing written', 'ok');

function waiveFlowKey(
  state: ReviewState,
  mode: Extract<Mode, { kind: 'waive-flow' }>,
  input: string,
  key: KeyLike,
): ReviewState {
  if (key.escape || pressed('quit', input, key)) return cancelWaiver(state);
  if (pressed('down', input, key))
    return { ...state, mode: { ...mode, cursor: Math.min(mode.flows.length - 1, mode.cursor + 1) } };
  if (pressed('up', input, key)) return { ...state, mode: { ...mode, cursor: Math.max(0, mode.cursor - 1) } };
  const picked = /^[1-9]$/.test(input) ? Number(input) - 1 : key.return ? mode.cursor : -1;
  const flow = mode.flows[picked];
  if (!flow) return state;
  return {
    ...state,
    cursor: Infinity,
    mode: { kind: 'waive', flowId: flow.id, sha: mode.sha, subject: mode.subject, reason: '', error: null },
  };
}

/** `w` on a feature's own screen: the flow to waive it for is asked (the flow it was opened from first), unless one is left. */
function waiveWhich(state: ReviewState, verdict: FeatureVerdict, from: string | null): ReviewState {
  const sha = verdict.change.sha.slice(0, 7);
  if (verdict.flows.length === 0)
    return say(state, `${sha} touches no flow, so there is nothing to waive: map it to a flow first (m)`);
  const open = verdict.flows
    .filter((flow) => flow.status !== 'waived')
    .map((flow) => ({ id: flow.flowId, status: flow.status }));
  if (open.length === 0) return say(state, `${sha} is already waived for every flow it touches`, 'ok');
  if (open.length === 1) return askReason(state, verdict, open[0]!.id);
  return {
    ...state,
    message: null,
    mode: {
      kind: 'waive-flow',
      sha: verdict.change.sha,
      subject: verdict.change.subject,
      flows: open,
      cursor: Math.max(
        0,
        open.findIndex((flow) => flow.id === from),
      ),
    },
  };
}

function mapKey(
  state: ReviewState,
  mode: Extract<Mode, { kind: 'map' }>,
  input: string,
  key: KeyLike,
  ctx: KeyContext,
): Result {
  if (key.escape || pressed('quit', input, key))
    return { state: say({ ...state, mode: { kind: 'browse' } }, 'mapping cancelled: nothing written', 'ok') };
  const count = ctx.flows.length;
  if (pressed('down', input, key))
    return { state: { ...state, mode: { ...mode, cursor: Math.min(count - 1, mode.cursor + 1) } } };
  if (pressed('up', input, key))
    return { state: { ...state, mode: { ...mode, cursor: Math.max(0, mode.cursor - 1) } } };
  const flow = ctx.flows[mode.cursor];
  if (key.return && flow)
    return {
      state: { ...state, mode: { kind: 'busy', title: `mapping ${mode.sha.slice(0, 7)} to ${flow.id}…` } },
      effect: { kind: 'map', flowId: flow.id, sha: mode.sha },
    };
  return { state };
}

function browseKey(state: ReviewState, input: string, key: KeyLike, ctx: KeyContext): Result {
  const screen = current(state);
  const pos = positionOf(state);
  const selected = ctx.rows[fitWindow(pos, ctx.rows.length, ctx.height).cursor];
  const move = (delta: number) => ({
    state: withPosition({ ...state, message: null }, moveCursor(pos, delta, ctx.rows.length, ctx.height)),
  });

  const is = (action: Parameters<typeof pressed>[0]) => pressed(action, input, key);
  if (is('quit')) return { state, effect: { kind: 'quit' } };
  if (is('help')) return { state: { ...state, mode: { kind: 'help' } } };
  // a feature's or a run's screen is one thing, not a list
  if (is('filter') && screen.kind !== 'feature' && screen.kind !== 'run')
    return { state: { ...state, mode: { kind: 'filter' }, message: null, cursor: Infinity } };
  if (is('down')) return move(1);
  if (is('up')) return move(-1);
  if (is('page-down')) return move(ctx.height);
  if (is('page-up')) return move(-ctx.height);
  if (is('top')) return move(-Infinity);
  if (is('bottom')) return move(Infinity);
  if (is('shorter') || is('longer')) {
    const days = stepWindow(state.window, is('shorter') ? 'shorter' : 'longer');
    if (days === state.window) return { state: say(state, `the window is already ${windowText(days)}`, 'ok') };
    return {
      state: {
        ...state,
        window: days,
        message: null,
        mode: { kind: 'busy', title: `loading the ${windowText(days)}…` },
      },
      effect: { kind: 'window', days },
    };
  }

  if (is('back')) {
    if (state.stack.length > 1) return { state: { ...state, stack: state.stack.slice(0, -1), message: null } };
    if (filterOf(state)) return { state: { ...state, filters: { ...state.filters, [screenKey(screen)]: '' } } };
    return { state };
  }
  if (is('tab')) {
    if (screen.kind === 'flows' || screen.kind === 'incidents')
      return { state: replaceTop(state, { kind: screen.kind === 'flows' ? 'incidents' : 'flows' }) };
    if (screen.kind === 'flow') {
      const index = flowTabs.indexOf(screen.tab) + (key.shift ? -1 : 1);
      return { state: replaceTop(state, { ...screen, tab: flowTabs[(index + flowTabs.length) % flowTabs.length]! }) };
    }
    return { state };
  }
  if (is('open')) {
    if (!selected) return { state };
    const ref = selected.ref;
    if (ref.kind === 'flow') return { state: push(state, { kind: 'flow', flowId: ref.flow.flow.id, tab: 'features' }) };
    if (ref.kind === 'unmapped-group') return { state: push(state, { kind: 'unmapped' }) };
    if (ref.kind === 'incident' && screen.kind !== 'incident')
      return { state: push(state, { kind: 'incident', incidentId: ref.incident.id }) };
    if (ref.kind === 'feature' && screen.kind !== 'feature')
      return { state: push(state, { kind: 'feature', sha: ref.verdict.change.sha, flowId: ref.flowId }) };
    if (ref.kind === 'run' && screen.kind === 'flow')
      return {
        state: push(state, {
          kind: 'run',
          flowId: screen.flowId,
          env: ref.run.env,
          commit: ref.run.commit,
          at: ref.run.at,
        }),
      };
    return { state };
  }
  if (is('waive')) {
    if (selected?.ref.kind !== 'feature')
      return { state: say(state, 'w waives a feature: open a flow and pick one of its changes') };
    const { verdict, flowId } = selected.ref;
    if (screen.kind === 'feature') return { state: waiveWhich(state, verdict, screen.flowId) };
    if (!flowId)
      return {
        state: say(
          state,
          `${verdict.change.sha.slice(0, 7)} touches no flow, so there is nothing to waive: map it to a flow first (m)`,
        ),
      };
    // the flow in view: a waiver for another flow leaves this one to decide
    if (statusIn(verdict, flowId) === 'waived')
      return { state: say(state, `${verdict.change.sha.slice(0, 7)} is already waived for ${flowId}`, 'ok') };
    return { state: askReason(state, verdict, flowId) };
  }
  if (is('map')) {
    if (selected?.ref.kind !== 'feature' || selected.ref.verdict.status !== 'unmapped') {
      return { state: say(state, 'm maps an unmapped change to a flow: open "Unmapped changes" on the flows screen') };
    }
    if (ctx.flows.length === 0)
      return { state: say(state, 'there is no flow to map to yet: verigap flows add <id> --name … --paths …') };
    const { change } = selected.ref.verdict;
    return {
      state: { ...state, message: null, mode: { kind: 'map', sha: change.sha, subject: change.subject, cursor: 0 } },
    };
  }
  if (is('test')) {
    if (selected?.ref.kind !== 'incident')
      return { state: say(state, 't generates the regression test of an incident: press tab for the incidents') };
    return {
      state: {
        ...state,
        message: null,
        mode: { kind: 'busy', title: `generating the regression test of ${selected.ref.incident.id}`, stages: true },
      },
      effect: { kind: 'test', incidentId: selected.ref.incident.id },
    };
  }
  return { state };
}
