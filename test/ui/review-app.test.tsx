import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewData } from '../../src/services/review.js';
import type { StageEvent } from '../../src/services/stages.js';
import { ReviewApp, type ReviewActions } from '../../src/ui/review/review-app.js';
import { label, reviewKeys } from '../../src/ui/review/review-keys.js';
import { frameWhere, keys, press } from '../helpers/ink-keys.js';
import { reviewFixture, waivedIn } from '../helpers/review-fixture.js';

/** Actions that record what the review asked for, and reload a copy of the data changed by `onReload`. */
function recordingActions(data: ReviewData, onReload: (data: ReviewData) => ReviewData = (d) => d) {
  const calls: string[] = [];
  /** The window of each reload, in days (null: all history). */
  const reloads: (number | null)[] = [];
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
    reload: async (days) => {
      reloads.push(days);
      return onReload(data);
    },
  };
  return { calls, reloads, actions };
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
    // the change of both flows counts as covered in trial's row and uncovered in checkout's (SPEC §5 per-flow rows)
    expect(frame).toMatch(/› Start free trial \(trial\)\s+revenue\s+█+░*\s+2\/3\/1\/1/);
    expect(frame).toMatch(/Check out \(checkout\)\s+revenue\s+█+\s+0\/0\/2\/0/);
    expect(frame).toMatch(/Unmapped changes.*\s2\s/);
  });

  it("with --base: the branch's verdict under the title, and the flows it touches marked (red when nothing tests them)", () => {
    const base = reviewFixture();
    const flow = (id: string, name: string, tests: string[], own: boolean) => ({
      id,
      name,
      criticality: 'revenue' as const,
      paths: [],
      tests,
      own_test_changed: own,
      last_verified_at: null,
    });
    const data: ReviewData = {
      ...base,
      branch_check: {
        baseRef: 'origin/main',
        reason: 'critical flow `checkout` has no E2E test at all',
        result: {
          schema: 'verigap.affected/v1',
          base: 'a'.repeat(40),
          head: 'b'.repeat(40),
          changed_files: 3,
          unmapped_files: [],
          flows: [
            flow('trial', 'Start free trial', ['flows/trial/trial.spec.ts'], true),
            flow('checkout', 'Check out', [], false),
          ],
          selection: { files: ['flows/trial/trial.spec.ts'], grep: '@flow:trial|@flow:checkout' },
          verdict: 'red',
          problems: [{ kind: 'untested-flow', flow: 'checkout', message: 'flow checkout has no E2E test' }],
        },
      },
    };
    const frame = mount(data).lastFrame()!;
    expect(frame).toContain('this branch against origin/main: red · critical flow checkout has no E2E test at all');
    expect(frame).toMatch(/Start free trial \(trial\) · changed here/);
    expect(frame).toMatch(/Check out \(checkout\) · changed here /);
    expect(frame).toMatch(/Unmapped changes/);
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
    expect(features).toContain(' Features 7  Tests 2  Runs 1');
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
    expect(lastFrame()).toMatch(/filter “number 1”: 11 of 41 rows/);
    await press(stdin, '/', keys.esc);
    expect(lastFrame()).toContain('change number 40');
  });

  it('w asks for a reason, refuses an empty one, and hands the waiver over; the reloaded data shows it', async () => {
    const data = reviewFixture();
    const { stdin, lastFrame, calls } = mount(data, (d) => ({
      ...d,
      flows: d.flows.map((f) => ({
        ...f,
        counts: { ...f.counts, waived: f.counts.waived + 1, uncovered: f.counts.uncovered - 1 },
      })),
    }));
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

  it("a change of two flows shows each flow's own status; enter explains why, flow by flow, and esc goes back", async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, keys.enter, 'G');
    expect(lastFrame()).toMatch(
      /› covered\s+beef123\s+feat\(cart\): one cart for trial and \S+\s+#77\s+\S+\s+trial,checkout/,
    );
    expect(lastFrame()).toContain('enter open/why');
    await press(stdin, keys.esc, 'j', keys.enter, 'j');
    expect(lastFrame()).toMatch(/› uncovered\s+beef123\s+feat\(cart\)/);
    await press(stdin, keys.enter);
    const why = lastFrame()!;
    expect(why).toContain('Flows › Check out › beef123');
    expect(why).toMatch(/change\s+beef123 feat\(cart\): one cart for trial and checkout/);
    expect(why).toMatch(/PR\s+#77/);
    expect(why).toMatch(/committed\s+2026-11-17 12:00 \(5d ago\)/);
    expect(why).toMatch(/status\s+uncovered: the weakest of its 2 flow\(s\) not waived/);
    // trial: the spec that existed at the change, not the one added later; no run contains it
    expect(why).toMatch(/trial\s+covered · Start free trial · tested at its commit, not verified in production/);
    expect(why).toMatch(/tests \(1\)\s+flows\/trial\/signup\.spec\.ts/);
    expect(why).not.toContain('2026-11-20-trial-redirect.spec.ts');
    expect(why).toMatch(/runs\s+no passing run in production contains it/);
    expect(why).toMatch(/checkout\s+uncovered · Check out · no E2E test at its commit, not verified in production/);
    expect(why).toMatch(/tests\s+none: no E2E test of checkout existed at beef123/);
    expect(why).toMatch(/waiver\s+none/);
    expect(why).toContain('esc back · w waive it for one of its flows');
    await press(stdin, keys.esc);
    expect(lastFrame()).toContain('Flows › Check out');
    expect(lastFrame()).toMatch(/› uncovered\s+beef123/);
    await press(stdin, keys.esc, 'k', keys.enter, 'G', keys.enter);
    expect(lastFrame()).toContain('Flows › Start free trial › beef123');
  });

  it("a feature's screen shows the run that verified a flow and the waiver that applies, with who decided", async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, keys.enter, 'j', keys.enter);
    const verified = lastFrame()!;
    expect(verified).toContain('Flows › Start free trial › 0000005');
    expect(verified).toMatch(/first run\s+passed in production at 2026-11-22 11:00 \(1h ago\)/);
    expect(verified).toContain('https://ci.example/run/7');
    await press(stdin, keys.esc, 'j', keys.enter);
    const waived = lastFrame()!;
    expect(waived).toMatch(/status\s+waived: waived for every flow it touches/);
    expect(waived).toMatch(/waiver\s+0000004 “Copy change only” by @alice at 2026-11-20 10:00/);
    await press(stdin, 'w');
    expect(lastFrame()).toContain('0000004 is already waived for every flow it touches');
    await press(stdin, keys.esc, keys.esc, 'j', 'j', keys.enter, keys.enter, 'w');
    expect(lastFrame()).toMatch(/status\s+unmapped: it touches no flow's paths/);
    expect(lastFrame()).toContain('map it to a flow first (m)');
  });

  it("w on a feature's screen asks which flow, then the reason; the flow turns waived, its other flow keeps its status", async () => {
    const data = reviewFixture();
    const { stdin, lastFrame, calls } = mount(data, (d) =>
      waivedIn(d, 'beef123' + 'b'.repeat(33), 'checkout', 'Checkout copy only'),
    );
    await press(stdin, 'j', keys.enter, 'j', keys.enter, 'w');
    const chooser = lastFrame()!;
    expect(chooser).toMatch(/Waive beef123 “feat\(cart\): one cart for trial and checkout” for which flow\?/);
    // the flow it was opened from is picked first
    expect(chooser).toMatch(/ {2}1 trial \(Start free trial\) · covered/);
    expect(chooser).toMatch(/› 2 checkout \(Check out\) · uncovered/);
    expect(chooser).toContain('↑↓ or 1-9 picks the flow');
    await press(stdin, keys.esc);
    expect(lastFrame()).toContain('waive cancelled: nothing written');
    await press(stdin, 'w', '1');
    expect(lastFrame()).toContain('Waive beef123 for trial, reason:');
    await press(stdin, keys.esc, 'w', 'k', 'j', keys.enter);
    expect(lastFrame()).toContain('Waive beef123 for checkout, reason:');
    await press(stdin, 'Checkout copy only', keys.enter);
    const after = await frameWhere(lastFrame, (f) => f.includes('waived beef123 for checkout'));
    expect(calls).toEqual(['waive checkout beef123 Checkout copy only']);
    // the reloaded screen: judged on trial alone now
    expect(after).toMatch(/status\s+covered: the weakest of its 1 flow\(s\) not waived \(1 waived\)/);
    expect(after).toMatch(/checkout\s+waived · Check out/);
    expect(after).toMatch(/waiver\s+beef123 “Checkout copy only” by @alice/);
    // one flow left to waive: no chooser
    await press(stdin, 'w');
    expect(lastFrame()).toContain('Waive beef123 for trial, reason:');
    await press(stdin, keys.esc, keys.esc);
    expect(lastFrame()).toMatch(/› waived\s+beef123/);
    expect(lastFrame()).toContain('0 verified · 0 covered · 1 uncovered · 1 waived');
    await press(stdin, 'w');
    expect(lastFrame()).toContain('beef123 is already waived for checkout');
    // in trial's list it is still covered, and can be waived there
    await press(stdin, keys.esc, 'k', keys.enter, 'G');
    expect(lastFrame()).toMatch(/› covered\s+beef123/);
    await press(stdin, 'w');
    expect(lastFrame()).toContain('Waive beef123 for trial, reason:');
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
    const running = await frameWhere(lastFrame, (f) =>
      f.includes('generating the regression test of 2026-11-21-cart-empty'),
    );
    expect(running).toMatch(/✔ redact/);
    expect(running).toMatch(/✔ generate .*steps: 3 statements/);
    expect(running).toMatch(/… run/);
    await frameWhere(lastFrame, (f) =>
      f.includes('flows/checkout/2026-11-21-cart-empty.spec.ts passes on the working tree'),
    );
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
    const { stdin, stdout, lastFrame } = mount();
    await press(stdin, '?');
    expect(lastFrame()).toMatch(/w\s+waive the selected feature/);
    expect(lastFrame()).toMatch(/enter\s+→\s+l\s+open; on a feature, why/);
    expect(lastFrame()).toContain("on a feature's screen: pick the flow first");
    // the help is the key table: every binding, its keys and what it does
    for (const binding of reviewKeys)
      expect(lastFrame()).toContain(`${label(binding).padEnd(20)}${binding.help}`.slice(0, 90));
    // a short terminal: more columns, every key still listed
    Object.assign(stdout, { rows: 14 });
    stdout.emit('resize');
    const short = await frameWhere(lastFrame, (f) => f.split('\n').length === 13);
    for (const binding of reviewKeys)
      expect(short).toContain(`${label(binding).padEnd(20)}${binding.help.slice(0, 10)}`);
    await press(stdin, 'x');
    expect(lastFrame()).toContain('Start free trial (trial)');
  });

  it('] and [ change the window in place: the header names it and the data of that window is loaded', async () => {
    const { stdin, lastFrame, reloads } = mount(reviewFixture(), (d) => ({ ...d, flows: d.flows.slice(0, 1) }));
    expect(lastFrame()).toContain('features of the last 30 days (since');
    await press(stdin, keys.enter, ']');
    await frameWhere(lastFrame, (f) => f.includes('the last 90 days: '));
    expect(reloads).toEqual([90]);
    expect(lastFrame()).toContain('features of the last 90 days');
    // the screen stays: still the flow that was open, now with the reloaded data
    expect(lastFrame()).toContain('Flows › Start free trial');
    await press(stdin, ']', ']');
    await frameWhere(lastFrame, (f) => f.includes('features of all history'));
    await press(stdin, ']');
    expect(lastFrame()).toContain('the window is already all history');
    await press(stdin, '[');
    await frameWhere(lastFrame, (f) => f.includes('the last 365 days: '));
    expect(reloads).toEqual([90, 365, null, 365]);
  });

  it('a window that fails to load says why and keeps the window it had', async () => {
    const data = reviewFixture();
    const app = render(
      <ReviewApp
        data={data}
        days={7}
        verificationEnv="production"
        actions={{
          waive: async () => '',
          map: async () => '',
          test: async () => '',
          reload: async () => {
            throw new Error('the index is locked');
          },
        }}
      />,
    );
    mounted.push(app);
    await press(app.stdin, ']');
    await frameWhere(app.lastFrame, (f) => f.includes('the index is locked'));
    await press(app.stdin, '[');
    expect(app.lastFrame()).toContain('the window is already last 7 days');
  });

  it('enter on a run shows its commit, environment, tests per flow and URL; esc goes back to the runs', async () => {
    const { stdin, lastFrame } = mount();
    await press(stdin, keys.enter, keys.tab, keys.tab);
    expect(lastFrame()).toMatch(/› .*production\s+passed/);
    await press(stdin, keys.enter);
    const frame = lastFrame()!;
    expect(frame).toContain('Flows › Start free trial › run c0ffee1 in production');
    expect(frame).toMatch(/commit\s+c0ffee1234567/);
    expect(frame).toMatch(/environment\s+production/);
    expect(frame).toMatch(/URL\s+https:\/\/ci\.example\/run\/7/);
    expect(frame).toMatch(/checkout \(Check out\)\s+2\s+1\s+0\s+0/);
    expect(frame).toMatch(/trial \(Start free trial\)\s+4\s+0\s+1\s+0/);
    await press(stdin, keys.esc);
    expect(lastFrame()).toMatch(/› .*production\s+passed/);
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
    expect(lastFrame()).toMatch(/› covered\s+beef123\s/);
    await press(stdin, keys.pageUp);
    expect(lastFrame()).not.toMatch(/› covered\s+beef123\s/);
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
