import { describe, expect, it } from 'vitest';
import type { KeyLike } from '../../src/ui/edit-text.js';
import {
  current,
  filterOf,
  handleKey,
  initialState,
  positionOf,
  type Effect,
  type ReviewState,
} from '../../src/ui/review/review-state.js';
import { reviewKeys, sample, stepWindow, type Press } from '../../src/ui/review/review-keys.js';
import { featureRows, filterRows, flowRows, incidentRows, runRows, type Row } from '../../src/ui/review/rows.js';
import { reviewFixture } from '../helpers/review-fixture.js';

const data = reviewFixture();
const HEIGHT = 3;
const key = {
  enter: { return: true },
  esc: { escape: true },
  tab: { tab: true },
  down: { downArrow: true },
  up: { upArrow: true },
  pageDown: { pageDown: true },
} satisfies Record<string, KeyLike>;

/** The rows the app shows for a screen, after its filter: the same builders the app uses. */
function rowsOf(state: ReviewState): readonly Row[] {
  const screen = current(state);
  const rows = ((): Row[] => {
    switch (screen.kind) {
      case 'flows':
        return flowRows(data);
      case 'incidents':
        return incidentRows(data.incidents, data.now);
      case 'unmapped':
        return featureRows(data.unmapped, null, data.now);
      case 'flow': {
        const flow = data.flows.find((f) => f.flow.id === screen.flowId)!;
        return screen.tab === 'runs'
          ? runRows(flow, 'production', data.now)
          : featureRows(flow.features, screen.flowId, data.now);
      }
      default:
        return [];
    }
  })();
  return filterRows(rows, filterOf(state));
}

function press(state: ReviewState, ...keys: (string | KeyLike)[]): { state: ReviewState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const pressed of keys) {
    const ctx = {
      rows: rowsOf(state),
      height: HEIGHT,
      flows: data.flows.map((f) => ({ id: f.flow.id, name: f.flow.name })),
    };
    const result =
      typeof pressed === 'string' ? handleKey(state, pressed, {}, ctx) : handleKey(state, '', pressed, ctx);
    state = result.state;
    if (result.effect) effects.push(result.effect);
  }
  return { state, effects };
}

describe('handleKey: the review, one key at a time', () => {
  it('j/k and arrows move the cursor within the list; enter opens a flow, Esc goes back to where the cursor was', () => {
    const { state } = press(initialState, 'j', key.down, key.up);
    expect(positionOf(state).cursor).toBe(1);
    const opened = press(state, key.enter).state;
    expect(current(opened)).toEqual({ kind: 'flow', flowId: 'checkout', tab: 'features' });
    const back = press(opened, key.esc).state;
    expect(current(back)).toEqual({ kind: 'flows' });
    expect(positionOf(back).cursor).toBe(1);
  });

  it('G, g and page keys stay inside the list, with the window following the cursor', () => {
    const trial = press(initialState, key.enter).state;
    const count = rowsOf(trial).length;
    expect(positionOf(press(trial, 'G').state)).toEqual({ cursor: count - 1, offset: count - HEIGHT });
    expect(positionOf(press(trial, 'G', 'g').state)).toEqual({ cursor: 0, offset: 0 });
    expect(positionOf(press(trial, key.pageDown, key.pageDown, key.pageDown).state).cursor).toBe(count - 1);
  });

  it("tab switches flows ↔ incidents, and cycles a flow's tabs", () => {
    expect(current(press(initialState, key.tab).state)).toEqual({ kind: 'incidents' });
    expect(current(press(initialState, key.tab, key.tab).state)).toEqual({ kind: 'flows' });
    expect(current(press(initialState, key.enter, key.tab, key.tab).state)).toMatchObject({
      kind: 'flow',
      tab: 'runs',
    });
  });

  it('/ filters the current list; Esc in the filter clears it, enter keeps it', () => {
    const filtered = press(initialState, '/', 'check').state;
    expect(filterOf(filtered)).toBe('check');
    expect(rowsOf(filtered).map((row) => row.key)).toEqual(['flow:checkout']);
    expect(filterOf(press(filtered, key.enter).state)).toBe('check');
    expect(filterOf(press(filtered, key.esc).state)).toBe('');
  });

  it('w on a feature asks for a reason, refuses an empty one, and then waives it for the flow in view', () => {
    const trial = press(initialState, key.enter).state;
    const uncovered = rowsOf(trial).findIndex(
      (row) =>
        row.ref.kind === 'feature' && row.ref.verdict.flows.find((f) => f.flowId === 'trial')?.status === 'uncovered',
    );
    expect(uncovered).toBeGreaterThanOrEqual(0);
    const asking = press(trial, ...Array<string>(uncovered).fill('j'), 'w').state;
    expect(asking.mode).toMatchObject({ kind: 'waive', flowId: 'trial', reason: '' });
    expect(press(asking, '  ', key.enter).state.mode).toMatchObject({
      kind: 'waive',
      error: expect.stringMatching(/^a reason is required/),
    });
    const row = rowsOf(trial)[uncovered]!;
    const sha = row.ref.kind === 'feature' ? row.ref.verdict.change.sha : '';
    expect(press(asking, 'Copy change only', key.enter)).toMatchObject({
      state: { mode: { kind: 'busy' } },
      effects: [{ kind: 'waive', flowId: 'trial', sha, reason: 'Copy change only' }],
    });
    expect(press(asking, key.esc).state).toMatchObject({
      mode: { kind: 'browse' },
      message: { text: 'waive cancelled: nothing written' },
    });
  });

  it('w or t where they do not apply says why, and nothing happens', () => {
    expect(press(initialState, 'w')).toMatchObject({
      state: { message: { tone: 'error', text: expect.stringMatching(/^w waives a feature/) } },
      effects: [],
    });
    expect(press(initialState, 't')).toMatchObject({
      state: { message: { tone: 'error', text: expect.stringMatching(/^t generates the regression test/) } },
      effects: [],
    });
  });

  it('m maps an unmapped change to the flow picked', () => {
    const unmapped = press(initialState, 'G', key.enter).state;
    expect(current(unmapped)).toEqual({ kind: 'unmapped' });
    const picking = press(unmapped, 'm').state;
    expect(picking.mode).toMatchObject({ kind: 'map', cursor: 0 });
    const row = rowsOf(unmapped)[0]!;
    expect(press(picking, 'j', key.enter).effects).toEqual([
      { kind: 'map', flowId: 'checkout', sha: row.ref.kind === 'feature' ? row.ref.verdict.change.sha : '' },
    ]);
  });

  it('t on an incident runs its test; q quits; while busy every key waits', () => {
    const { state, effects } = press(initialState, key.tab, 't');
    expect(effects).toEqual([
      { kind: 'test', incidentId: rowsOf(press(initialState, key.tab).state)[0]!.key.replace(/^incident:/, '') },
    ]);
    expect(state.mode).toMatchObject({ kind: 'busy', stages: true });
    expect(press(state, 'q', key.esc).effects).toEqual([]);
    expect(press(initialState, 'q').effects).toEqual([{ kind: 'quit' }]);
  });
});

/** A press of the table as ink reports it. */
const asKey = (p: Press): [string, KeyLike] =>
  'input' in p ? [p.input, {}] : 'ctrl' in p ? [p.ctrl, { ctrl: true }] : ['', { [p.key]: true }];

describe('handleKey: the key table', () => {
  const states: [string, ReviewState][] = [
    ['flows', initialState],
    ["a flow's features, second row", press(initialState, key.enter, 'j').state],
    ["a flow's runs", press(initialState, key.enter, key.tab, key.tab).state],
  ];

  it.each(states)('on %s, every key of a binding does what its first key does', (_, state) => {
    for (const binding of reviewKeys) {
      const [input, first] = sample(binding.action);
      const expected = press(state, ...(input ? [input] : [first]));
      for (const other of binding.presses.slice(1)) {
        const [otherInput, otherKey] = asKey(other);
        const ctx = {
          rows: rowsOf(state),
          height: HEIGHT,
          flows: data.flows.map((f) => ({ id: f.flow.id, name: f.flow.name })),
        };
        const got = handleKey(state, otherInput, otherKey, ctx);
        expect({ action: binding.action, state: got.state, effects: got.effect ? [got.effect] : [] }).toEqual({
          action: binding.action,
          ...expected,
        });
      }
    }
  });

  it('no two bindings share a key', () => {
    const all = reviewKeys.flatMap((binding) => binding.presses.map((p) => JSON.stringify(p)));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('handleKey: [ and ] change the window in place', () => {
  const [longer] = sample('longer');
  const [shorter] = sample('shorter');

  it('] steps 30 → 90 → 365 → all and asks for the data of that window; [ steps back down to 7', () => {
    const { state, effects } = press(initialState, longer);
    expect(state).toMatchObject({ window: 90, mode: { kind: 'busy', title: 'loading the last 90 days…' } });
    expect(effects).toEqual([{ kind: 'window', days: 90 }]);
    // while the window loads, keys wait
    expect(press(state, longer).effects).toEqual([]);
    const browse = (s: ReviewState): ReviewState => ({ ...s, mode: { kind: 'browse' } });
    let at = browse(state);
    const seen: (number | null)[] = [];
    for (const pressed of [longer, longer, shorter, shorter, shorter, shorter]) {
      const next = press(at, pressed);
      expect(next.effects).toEqual([{ kind: 'window', days: next.state.window }]);
      seen.push(next.state.window);
      at = browse(next.state);
    }
    expect(seen).toEqual([365, null, 365, 90, 30, 7]);
  });

  it('at either end it says so and loads nothing; a --days off the steps moves to the next step', () => {
    expect(press({ ...initialState, window: null }, longer)).toMatchObject({
      state: { window: null, message: { text: 'the window is already all history' } },
      effects: [],
    });
    expect(press({ ...initialState, window: 7 }, shorter)).toMatchObject({
      state: { window: 7, message: { text: 'the window is already last 7 days' } },
      effects: [],
    });
    expect([
      stepWindow(14, 'longer'),
      stepWindow(14, 'shorter'),
      stepWindow(1000, 'longer'),
      stepWindow(1000, 'shorter'),
    ]).toEqual([30, 7, null, 365]);
  });

  it('the screen, its cursor and its filter stay while the window changes', () => {
    const filtered = press(initialState, key.enter, '/', 'change', key.enter, 'j').state;
    const { state } = press(filtered, longer);
    expect(current(state)).toEqual(current(filtered));
    expect(positionOf(state)).toEqual(positionOf(filtered));
    expect(filterOf(state)).toBe('change');
  });
});

describe('handleKey: enter on a run', () => {
  it("opens the run's screen (its commit, env and time); esc goes back to the runs; / does not filter it", () => {
    const runs = press(initialState, key.enter, key.tab, key.tab).state;
    expect(current(runs)).toMatchObject({ kind: 'flow', tab: 'runs' });
    const run = data.flows[0]!.runs[0]!;
    const opened = press(runs, key.enter).state;
    expect(current(opened)).toEqual({
      kind: 'run',
      flowId: data.flows[0]!.flow.id,
      env: run.env,
      commit: run.commit,
      at: run.at,
    });
    expect(press(opened, '/').state.mode).toEqual({ kind: 'browse' });
    expect(current(press(opened, key.esc).state)).toEqual(current(runs));
  });
});
