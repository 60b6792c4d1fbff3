import { passesIn, type FlowRun } from './features.js';

/** Each flow's last pass in `env` (SPEC §4: flaky counts, a run off the branch does not), as ISO time. */
export function lastVerifiedAt(runs: readonly FlowRun[], env: string): Map<string, string> {
  const last = new Map<string, number>();
  for (const pass of passesIn(runs, env)) last.set(pass.flowId, Math.max(last.get(pass.flowId) ?? 0, pass.at));
  return new Map([...last].map(([id, at]) => [id, new Date(at).toISOString()]));
}
