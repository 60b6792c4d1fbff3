// Time from a keypress to the next frame in `verigap review`, rendered by ink exactly as the command does
// (same component, same render options) into an in-memory terminal of 120×40.
import { EventEmitter } from 'node:events';
import { setTimeout } from 'node:timers';

class Terminal extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  waiting = null;
  write(chunk) {
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.(chunk);
    return true;
  }
  nextWrite() {
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

class Keyboard extends EventEmitter {
  isTTY = true;
  pending = null;
  setRawMode() {}
  setEncoding() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
  read() {
    const data = this.pending;
    this.pending = null;
    return data;
  }
  press(data) {
    this.pending = data;
    this.emit('readable');
    this.emit('data', data);
  }
}

/** A review of one flow with `count` features, statuses cycling as in a real history. */
export function syntheticReview(count) {
  const now = Date.parse('2026-11-22T12:00:00Z');
  const statuses = ['verified', 'covered', 'uncovered', 'waived'];
  const features = Array.from({ length: count }, (_, i) => ({
    change: {
      seq: i + 1,
      sha: (i + 1).toString(16).padStart(40, '0'),
      committedAt: now - (count - i) * 60_000,
      subject: `feat(billing): change ${i + 1} of the checkout flow`,
      pr: i + 1,
      flows: ['checkout'],
      testFlows: [],
    },
    status: statuses[i % 4],
    verifiedAt: null,
    withOwnTest: false,
    flows: [
      {
        flowId: 'checkout',
        status: statuses[i % 4],
        waiver: null,
        firstPass: null,
        tests: statuses[i % 4] === 'uncovered' ? 0 : 1,
      },
    ],
  }));
  const counts = { unmapped: 0, verified: 0, covered: 0, uncovered: 0, waived: 0 };
  for (const f of features) counts[f.status]++;
  return {
    branch: 'main',
    since: now - 90 * 86_400_000,
    now,
    flows: [
      {
        flow: {
          id: 'checkout',
          name: 'Check out',
          file: 'flows/checkout/flow.yaml',
          criticality: 'revenue',
          paths: ['src/**'],
          tests: [],
        },
        tests: [],
        features,
        counts,
        lastVerifiedAt: null,
        runs: [],
      },
    ],
    unmapped: [],
    incidents: [],
    specs: [],
    waivers: [],
  };
}

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds from each key to the frame it causes: open the flow, then scroll, page, jump and filter. */
export async function keypressLatencies(count) {
  // ink draws only a last frame when it believes it is in CI; the review command clears an empty CI the same way
  if (!process.env.CI) delete process.env.CI;
  process.env.NODE_ENV ??= 'production'; // as the command loads React
  const { render } = await import('ink');
  const { createElement } = await import('react');
  const { ReviewApp } = await import('../dist/ui/review/review-app.js');
  const stdout = new Terminal();
  const stdin = new Keyboard();
  const actions = {
    waive: async () => '',
    map: async () => '',
    test: async () => '',
    reload: async () => syntheticReview(count),
  };
  const app = render(
    createElement(ReviewApp, { data: syntheticReview(count), actions, verificationEnv: 'production' }),
    { stdout, stdin, stderr: stdout, exitOnCtrlC: false, patchConsole: false, maxFps: 60 },
  );
  await settle(50);
  const sequence = [
    '\r',
    ...Array(30).fill('j'),
    '\x1b[6~',
    ...Array(20).fill('k'),
    'G',
    ...Array(30).fill('k'),
    'g',
    ...Array(30).fill('j'),
    '/',
    '1',
    '2',
    '3',
    '\r',
    ...Array(5).fill('j'),
  ];
  const latencies = [];
  for (const key of sequence) {
    const frame = stdout.nextWrite();
    const started = performance.now();
    stdin.press(key);
    // a key that changes nothing draws nothing: such a key is not counted
    if (!(await Promise.race([frame.then(() => true), settle(500).then(() => false)]))) continue;
    latencies.push(performance.now() - started);
    await settle(20); // a fast typist's gap, so ink's 60 fps throttle is not what is measured
  }
  app.unmount();
  return latencies;
}

export const percentileOf = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
