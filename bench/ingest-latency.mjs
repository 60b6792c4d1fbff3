// Times `verify ingest` of small single-run reports, one after another, on a clone of the bench history
// (the cached history itself is never written to), each next to a `node -e 0` so both see the same load.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { time } from './measure.mjs';

/** A Playwright JSON report of one passing test; `minute` makes each report another run. */
function smallReport(rootDir, minute) {
  const file = 'flows/billing/checkout.spec.ts';
  return {
    config: { rootDir, metadata: {} },
    suites: [
      {
        title: file,
        file,
        specs: [
          {
            title: 'pays @flow:billing',
            file,
            tags: ['@flow:billing'],
            tests: [{ status: 'expected', projectName: 'chromium' }],
          },
        ],
      },
    ],
    stats: { startTime: new Date(Date.UTC(2026, 0, 1) + minute * 60_000).toISOString(), duration: 30_000 },
  };
}

const floorScript = join(dirname(fileURLToPath(import.meta.url)), 'ingest-floor.mjs');

/** Wall times (ms) of `count` ingests, of as many `node -e 0` and of the floor program (ingest-floor.mjs), interleaved. */
export async function ingestLatencies(history, cli, count) {
  const dir = mkdtempSync(join(tmpdir(), 'verigap-bench-ingest-'));
  const clone = join(dir, 'repo');
  try {
    execFileSync('git', ['clone', '--quiet', history, clone]);
    execFileSync('git', ['remote', 'remove', 'origin'], { cwd: clone });
    const env = { ...process.env, CI: '1' };
    execFileSync(process.execPath, [cli, 'sync'], { cwd: clone, env, stdio: 'ignore' });
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: clone, encoding: 'utf8' }).trim();
    const ingestOne = (minute) => {
      const file = join(dir, `run-${minute}.json`);
      writeFileSync(file, JSON.stringify(smallReport(clone, minute)));
      return time(process.execPath, [cli, 'verify', 'ingest', file, '--commit', head, '--env', 'production'], {
        cwd: clone,
        env,
      });
    };
    for (let warm = 0; warm < 3; warm++) ingestOne(10_000 + warm);
    const ingest = [];
    const node = [];
    const floor = [];
    for (let i = 0; i < count; i++) {
      node.push(time(process.execPath, ['-e', '0']));
      floor.push(time(process.execPath, [floorScript, head], { cwd: clone, env }));
      ingest.push(ingestOne(i));
    }
    return { ingest, node, floor };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const percentileOf = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
