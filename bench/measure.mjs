// Timing helpers for the benchmark: wall time of a command and the peak memory of a Node child.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const rssHook = join(dirname(fileURLToPath(import.meta.url)), 'max-rss.mjs');

/** Runs a command and returns its wall time in ms (stdout discarded, as a user piping it away would). */
export function time(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** Runs a Node script and returns its wall time and peak resident memory (MB). */
export function timeNode(args, options = {}) {
  const rssFile = join(tmpdir(), `verigap-rss-${process.pid}`);
  const ms = time(process.execPath, ['--import', rssHook, ...args], {
    ...options,
    env: { ...process.env, ...options.env, VERIGAP_RSS_FILE: rssFile },
  });
  const mb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  rmSync(rssFile, { force: true });
  return { ms, mb };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Median wall time of `runs` runs, alternating with nothing so caches are warm for both sides. */
export function medianTime(runs, fn) {
  return median(Array.from({ length: runs }, fn));
}
