import { interruptedExitCode } from '../adapters/cleanup.js';
import type { Clock } from '../adapters/clock.js';
import type { Stage, StageListener } from '../core/stages.js';
export type { Stage, StageEvent, StageListener } from '../core/stages.js';

/** Where a run of stages reports: who listens, the times so far, the clock that takes them. */
export interface StageLog {
  listener: StageListener;
  timings: Partial<Record<Stage, number>>;
  clock: Clock;
}

/** Runs one stage, timing it and telling the listener how it went (`failed: true`: it ended, with a "no" as its value). */
export async function stage<T>(
  name: Stage,
  { listener, timings, clock }: StageLog,
  work: () => Promise<{ value: T; detail?: string; failed?: boolean }>,
): Promise<T> {
  const started = clock.elapsed();
  listener({ stage: name, status: 'start' });
  try {
    const { value, detail, failed } = await work();
    const ms = clock.elapsed() - started;
    timings[name] = ms;
    listener({ stage: name, status: failed ? 'failed' : 'done', ms, ...(detail ? { detail } : {}) });
    return value;
  } catch (error) {
    const ms = clock.elapsed() - started;
    timings[name] = ms;
    // after Ctrl-C a stage fails because it was stopped: that is not its result
    if (interruptedExitCode() !== undefined) throw error;
    listener({ stage: name, status: 'failed', ms, detail: (error as Error).message.split('\n')[0] ?? '' });
    throw error;
  }
}
