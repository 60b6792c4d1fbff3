import type { KeyLike } from '../edit-text.js';

/** One way to press a key: a character (`j`), a named key (`downArrow`) or ctrl with a character. */
export type Press = { input: string } | { key: keyof KeyLike } | { ctrl: string };

export type ReviewAction =
  | 'down'
  | 'up'
  | 'page-down'
  | 'page-up'
  | 'top'
  | 'bottom'
  | 'open'
  | 'back'
  | 'tab'
  | 'filter'
  | 'shorter'
  | 'longer'
  | 'waive'
  | 'map'
  | 'test'
  | 'help'
  | 'quit';

export interface KeyBinding {
  action: ReviewAction;
  presses: readonly Press[];
  /** The help screen's line, and maybe a second one under it. */
  help: string;
  more?: string;
  /** Its part of the one-line hint under a list (the hint stays under 110 columns; `?` lists the rest). */
  hint?: string;
}

/**
 * Every key of the review, in the order the help lists them: the reducer matches keys with `pressed`, the help
 * screen prints `label` and `help`, the hint under a list is `listHint`, and the tests press `sample`: one table,
 * so they cannot drift apart.
 */
export const reviewKeys: readonly KeyBinding[] = [
  { action: 'down', presses: [{ key: 'downArrow' }, { input: 'j' }], help: 'move down', hint: '↑↓/jk' },
  { action: 'up', presses: [{ key: 'upArrow' }, { input: 'k' }], help: 'move up' },
  { action: 'page-down', presses: [{ key: 'pageDown' }, { ctrl: 'd' }], help: 'a page down' },
  { action: 'page-up', presses: [{ key: 'pageUp' }, { ctrl: 'u' }], help: 'a page up' },
  { action: 'top', presses: [{ input: 'g' }], help: 'top of the list' },
  { action: 'bottom', presses: [{ input: 'G' }], help: 'bottom of the list' },
  {
    action: 'open',
    presses: [{ key: 'return' }, { key: 'rightArrow' }, { input: 'l' }],
    help: 'open; on a feature, why it has its status; on a run, its commit, tests and URL',
    hint: 'enter open/why',
  },
  {
    action: 'back',
    presses: [{ key: 'escape' }, { key: 'backspace' }, { key: 'delete' }, { key: 'leftArrow' }, { input: 'h' }],
    help: 'back',
    hint: 'esc back',
  },
  {
    action: 'tab',
    presses: [{ key: 'tab' }],
    help: 'flows ⇄ incidents; in a flow: features → tests → runs (shift-tab back)',
    hint: 'tab',
  },
  { action: 'filter', presses: [{ input: '/' }], help: 'filter the list (esc clears)', hint: '/ filter' },
  {
    action: 'shorter',
    presses: [{ input: '[' }],
    help: 'a shorter window: all → 365 → 90 → 30 → 7 days',
    hint: '[ ] window',
  },
  { action: 'longer', presses: [{ input: ']' }], help: 'a longer window: 7 → 30 → 90 → 365 days → all' },
  {
    action: 'waive',
    presses: [{ input: 'w' }],
    help: 'waive the selected feature for this flow, with a reason (writes flows/<id>/waivers.yaml)',
    hint: 'w waive',
    more: "on a feature's screen: pick the flow first (↑↓ or 1-9, enter)",
  },
  {
    action: 'map',
    presses: [{ input: 'm' }],
    help: "map an unmapped change's paths to a flow (writes its flow.yaml)",
    hint: 'm map',
  },
  {
    action: 'test',
    presses: [{ input: 't' }],
    help: "generate, run and prove the selected incident's regression test",
    hint: 't test',
  },
  { action: 'help', presses: [{ input: '?' }], help: 'this help', hint: '? help' },
  { action: 'quit', presses: [{ input: 'q' }], help: 'quit', hint: 'q quit' },
];

const byAction = new Map(reviewKeys.map((binding) => [binding.action, binding]));

const matches = (press: Press, input: string, key: KeyLike): boolean => {
  if ('input' in press) return input === press.input && !key.ctrl;
  if ('ctrl' in press) return Boolean(key.ctrl) && input === press.ctrl;
  return Boolean(key[press.key]);
};

/** Whether this keystroke is one of the action's keys. */
/** The hint under a list: the bindings' hints, in the table's order. */
export const listHint = reviewKeys.flatMap((binding) => (binding.hint ? [binding.hint] : [])).join(' · ');

export const pressed = (action: ReviewAction, input: string, key: KeyLike): boolean =>
  byAction.get(action)!.presses.some((press) => matches(press, input, key));

const keyNames: Partial<Record<keyof KeyLike, string>> = {
  downArrow: '↓',
  upArrow: '↑',
  leftArrow: '←',
  rightArrow: '→',
  pageDown: 'PgDn',
  pageUp: 'PgUp',
  return: 'enter',
  escape: 'esc',
  backspace: '⌫',
  delete: 'del',
  tab: 'tab',
};

/** How the help screen names the action's keys: `↓ j`, `PgDn ctrl-d`. */
export const label = (binding: KeyBinding): string =>
  binding.presses
    .map((press) =>
      'input' in press ? press.input : 'ctrl' in press ? `ctrl-${press.ctrl}` : (keyNames[press.key] ?? press.key),
    )
    .join(' ');

/** The action's first key as ink reports it (input, key), for tests that press it. */
export function sample(action: ReviewAction): [string, KeyLike] {
  const press = byAction.get(action)!.presses[0]!;
  if ('input' in press) return [press.input, {}];
  if ('ctrl' in press) return [press.ctrl, { ctrl: true }];
  return ['', { [press.key]: true }];
}

/** The review's windows, in days (`null`: all history), that `[` and `]` step through. */
export const reviewWindows: readonly (number | null)[] = [7, 30, 90, 365, null];

/** The next window from `days` (which --days may have set off the steps), shorter or longer; the same at either end. */
export function stepWindow(days: number | null, direction: 'shorter' | 'longer'): number | null {
  const rank = (d: number | null) => d ?? Infinity;
  // not `find(…) ?? days`: null, all history, is a step
  const steps =
    direction === 'longer'
      ? reviewWindows.filter((w) => rank(w) > rank(days))
      : reviewWindows.filter((w) => rank(w) < rank(days)).reverse();
  return steps.length > 0 ? steps[0]! : days;
}

export const windowText = (days: number | null): string => (days === null ? 'all history' : `last ${days} days`);
