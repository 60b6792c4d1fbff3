import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewData } from '../../src/services/review.js';
import type { StageEvent } from '../../src/services/stages.js';
import { ReviewApp, type ReviewActions } from '../../src/ui/review/review-app.js';
import { frameWhere, keys, press } from '../helpers/ink-keys.js';
import { reviewFixture } from '../helpers/review-fixture.js';

/** Actions that record what the review asked for, and reload a copy of the data changed by `onReload`. */
function recordingActions(data: ReviewData, onReload: (data: ReviewData) => ReviewData = (d) => d) {
  const calls: string[] = [];
  const actions: ReviewActions = {
    waive: async (flowId, sha, reason) => {
      calls.push(`waive ${flowId} ${sha.slice(0, 7)} ${reason}`);
      return `waived ${sha.slice(0, 7)} for ${flowId}`;
    },
    map: async (flowId, sha) => {
      calls.push(`map ${flowId} ${sha.slice(0, 7)}`);
      return `mapped ${sha.slice(0, 7)} to ${flowId}`;
    },
    test: async (id, onStage) => {
      calls.push(`test ${id}`);
      const stages: StageEvent[] = [
        { stage: 'redact', status: 'done', ms: 3, detail: 'nothing to redact' },
        { stage: 'generate', status: 'done', ms: 10, detail: 'steps: 3 statements' },
        { stage: 'run', status: 'start' },
      ];
      for (const event of stages) onStage(event);
      await new Promise((resolve) => setTimeout(resolve, 150));
      return `flows/checkout/${id}.spec.ts passes on the working tree`;
    },
    reload: async () => onReload(data),
  };
  return { calls, actions };
}

const mounted: { unmount(): void }[] = [];
function mount(data = reviewFixture(), onReload?: (data: ReviewData) => ReviewData) {
  const recorder = recordingActions(data, onReload);
  const app = render(<ReviewApp data={data} actions={recorder.actions} verificationEnv="production" />);
  mounted.push(app);
  return { ...app, ...recorder };
}

afterEach(() => {
  for (const app of mounted.splice(0)) app.unmount();
});

describe('verigap review (ink)', () => {
  it('opens on the flows overview: a status bar and counts per flow, and the unmapped changes', () => {
    const { lastFrame } = mount();
    const frame = lastFrame()!;
    expect(frame).toContain('verigap review · main');
    expect(frame).toMatch(/› Start free trial \(trial\)\s+revenue\s+█+░*\s+2\/2\/1\/1/);
    expect(frame).toContain('Check out (checkout)');
    expect(frame).toMatch(/Unmapped changes.*\s2\s/);
  });

  it('j/k and the arrows move the selection; enter opens a flow on its features, esc and backspace go back', async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, 'j');
    expect(lastFrame()).toMatch(/› Check out/);
    await press(stdin, 'k');
    expect(lastFrame()).toMatch(/› Start free trial/);
    await press(stdin, keys.down, keys.up, keys.enter);
    const features = lastFrame()!;
    expect(features).toContain('Flows › Start free trial');
    expect(features).toContain(' Features 6  Tests 2  Runs 1');
    // newest first, each with status, change, subject, PR, age and affected flows
    expect(features).toMatch(/› covered\s+0000006\s+feat\(trial\): change number 6\s+#6\s+\S+\s+trial/);
    await press(stdin, keys.esc);
    expect(lastFrame()).toMatch(/› Start free trial \(trial\)/);
    await press(stdin, keys.enter, keys.backspace);
    expect(lastFrame()).toContain('Flows  Incidents');
  });

  it('tab walks a flow through its features, tests and verification runs', async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, keys.enter, keys.tab);
    expect(lastFrame()).toContain('flows/trial/signup.spec.ts');
    await press(stdin, keys.tab);
    expect(lastFrame()).toMatch(/production\s+passed\s+4\/0\/1\s+c0ffee1\s+https:\/\/ci\.example/);
    await press(stdin, keys.shiftTab, keys.shiftTab);
    expect(lastFrame()).toContain('feat(trial): change number 6');
  });

  it('tab on the overview shows the incidents with their regression state; enter opens one', async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, keys.tab);
    const incidents = lastFrame()!;
    expect(incidents).toMatch(/SEV2\s+Trial signup never reaches checkout \(2026-11…\s+resolved\s+trial\s+proven/);
    expect(incidents).toMatch(/SEV1\s+Cart empties on reload .*\s+open\s+checkout\s+none/);
    await press(stdin, 'j', keys.enter);
    const detail = lastFrame()!;
    expect(detail).toContain('Incidents › 2026-11-21-cart-empty');
    expect(detail).toMatch(/test\s+— press t to generate it/);
  });

  it('/ filters the list as you type; enter keeps the filter, esc clears it', async () => {
    const { stdin, lastFrame } = mount(reviewFixture(40));
    await press(stdin, keys.enter, '/', 'number 1');
    const filtered = lastFrame()!;
    expect(filtered).toContain('/number 1');
    expect(filtered).toContain('change number 19');
    expect(filtered).not.toContain('change number 22');
    await press(stdin, keys.enter);
    expect(lastFrame()).toMatch(/filter “number 1”: 11 of 40 rows/);
    await press(stdin, '/', keys.esc);
    expect(lastFrame()).toContain('change number 40');
  });

  it('w asks for a reason, refuses an empty one, and hands the waiver over; the reloaded data shows it', async () => {
    const data = reviewFixture();
    const { stdin, lastFrame, calls } = mount(data, (d) => ({ ...d, flows: d.flows.map((f) => ({ ...f, counts: { ...f.counts, waived: f.counts.waived + 1, uncovered: f.counts.uncovered - 1 } })) }));
    await press(stdin, keys.enter, 'j', 'j', 'j');
    expect(lastFrame()).toMatch(/› uncovered\s+0000003/);
    await press(stdin, 'w');
    expect(lastFrame()).toContain('Waive 0000003 for trial, reason:');
    await press(stdin, keys.enter);
    expect(lastFrame()).toContain('a reason is required');
    await press(stdin, 'Copy change only', keys.enter);
    await frameWhere(lastFrame, (f) => f.includes('waived 0000003 for trial'));
    expect(calls).toEqual(['waive trial 0000003 Copy change only']);
    expect(lastFrame()).toContain('· 2 waived ·');
  });

  it('w on a waived or an unmapped change explains instead of writing; esc cancels a waiver', async () => {
    const { stdin, lastFrame, calls } = mount();
    await press(stdin, keys.enter, 'j', 'j', 'w');
    expect(lastFrame()).toContain('0000004 is already waived');
    await press(stdin, 'k', 'w', 'Later', keys.esc);
    expect(lastFrame()).toContain('waive cancelled: nothing written');
    await press(stdin, keys.esc, 'j', 'j', keys.enter, 'w');
    expect(lastFrame()).toContain('map it to a flow first (m)');
    expect(calls).toEqual([]);
  });

  it('m on an unmapped change picks a flow and hands the mapping over', async () => {
    const { stdin, lastFrame, calls } = mount();
    await press(stdin, 'm');
    expect(lastFrame()).toContain('m maps an unmapped change');
    await press(stdin, 'G', keys.enter);
    expect(lastFrame()).toContain('Unmapped changes');
    await press(stdin, 'm');
    expect(lastFrame()).toMatch(/Map the paths of 000232a .* to which flow\?/);
    await press(stdin, 'j', keys.enter);
    await frameWhere(lastFrame, (f) => f.includes('mapped 000232a to checkout'));
    expect(calls).toEqual(['map checkout 000232a']);
  });

  it('t on an incident shows each stage live, then the result', async () => {
    const { stdin, lastFrame, calls } = mount();
    await press(stdin, keys.tab, 'j', 't');
    const running = await frameWhere(lastFrame, (f) => f.includes('generating the regression test of 2026-11-21-cart-empty'));
    expect(running).toMatch(/✔ redact/);
    expect(running).toMatch(/✔ generate .*steps: 3 statements/);
    expect(running).toMatch(/… run/);
    await frameWhere(lastFrame, (f) => f.includes('flows/checkout/2026-11-21-cart-empty.spec.ts passes on the working tree'));
    expect(calls).toEqual(['test 2026-11-21-cart-empty']);
  });

  it('an action that fails is shown in red and the review keeps going', async () => {
    const data = reviewFixture();
    const recorder = recordingActions(data);
    recorder.actions.waive = async () => {
      throw new Error('flows/trial/waivers.yaml: expected a list');
    };
    const app = render(<ReviewApp data={data} actions={recorder.actions} verificationEnv="production" />);
    mounted.push(app);
    await press(app.stdin, keys.enter, 'j', 'j', 'j', 'w', 'x', keys.enter);
    await frameWhere(app.lastFrame, (f) => f.includes('flows/trial/waivers.yaml: expected a list'));
    await press(app.stdin, 'k');
    expect(app.lastFrame()).toMatch(/› waived\s+0000004/);
  });

  it('? shows the keys and any key closes it', async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, '?');
    expect(lastFrame()).toMatch(/w\s+waive the selected feature/);
    await press(stdin, 'x');
    expect(lastFrame()).toContain('Start free trial (trial)');
  });

  it('q quits: the app stops drawing and takes no more keys', async () => {
    const { stdin, frames } = mount();
    await press(stdin, 'q');
    const drawn = frames.length;
    await press(stdin, 'j', 'j', keys.enter);
    expect(frames.length).toBe(drawn);
  });

  it('10,000 rows: only a window is drawn, and G / PgUp / g scroll it', async () => {
    const { stdin, lastFrame } = mount(reviewFixture(10_000));
    await press(stdin, keys.enter);
    const first = lastFrame()!;
    expect(first.split('\n').length).toBeLessThanOrEqual(24);
    expect(first).toContain('change number 10000');
    await press(stdin, 'G');
    expect(lastFrame()).toMatch(/› verified\s+0000001\s/);
    await press(stdin, keys.pageUp);
    expect(lastFrame()).not.toMatch(/› verified\s+0000001\s/);
    await press(stdin, 'g');
    expect(lastFrame()).toMatch(/› \w+\s+0002710\s/);
  });

  it('re-lays out when the terminal is resized', async () => {
    const app = mount(reviewFixture(60));
    await press(app.stdin, keys.enter);
    expect(app.lastFrame()!.split('\n').length).toBe(23);
    Object.defineProperty(app.stdout, 'columns', { value: 60, configurable: true });
    Object.assign(app.stdout, { rows: 12 });
    app.stdout.emit('resize');
    const small = await frameWhere(app.lastFrame, (f) => f.split('\n').length === 11);
    expect(Math.max(...small.split('\n').map((line) => line.length))).toBeLessThanOrEqual(60);
  });
});
