/** Things to undo however the command ends: servers to stop, worktrees to remove (also on Ctrl-C). */
const tasks = new Set<() => Promise<void> | void>();
let installed = false;
let inFlight: Promise<void> = Promise.resolve();
let interruptCode: number | undefined;
/** Things being started (a browser launching, a worktree being added) that will register their undo when done. */
let starting = 0;

function install(): void {
  if (installed) return;
  installed = true;
  // a closed terminal (SIGHUP) stops the servers, browsers and Playwright runs too
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      interruptCode = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal];
      void settle().finally(() => {
        process.stderr.write(
          `\nverigap: stopped (${signal}); the servers, worktrees and temporary files it started are removed\n`,
        );
        process.exit(interruptCode);
      });
    });
  }
}

/** Work already under way when the signal came may still start things: undo those too, until nothing new appears. */
async function settle(): Promise<void> {
  const giveUp = Date.now() + 10_000;
  do {
    await runCleanups();
    await new Promise((resolve) => setTimeout(resolve, 150));
  } while ((tasks.size > 0 || starting > 0) && Date.now() < giveUp);
}

/** Runs a start whose undo is registered when it resolves; after Ctrl-C, the exit waits for it (and undoes it). */
export async function whileStarting<T>(start: () => Promise<T>): Promise<T> {
  stopIfInterrupted();
  starting++;
  try {
    return await start();
  } finally {
    starting--;
  }
}

/** After Ctrl-C nothing new is started. */
export function stopIfInterrupted(): void {
  if (interruptCode !== undefined) throw new InterruptedError();
}

export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
  }
}

/** Registers an undo task; after Ctrl-C it is undone at once and the caller stops (InterruptedError). */
export function onCleanup(task: () => Promise<void> | void): () => Promise<void> {
  install();
  tasks.add(task);
  if (interruptCode !== undefined) throw new InterruptedError();
  return async () => {
    if (!tasks.delete(task)) return;
    await task();
  };
}

/**
 * Runs `work`; when the command is stopped meanwhile (Ctrl-C, SIGTERM), `onStop` runs before the
 * process exits (releasing a lock, say). Once `work` is done, `onStop` is forgotten.
 */
export async function untilDone<T>(onStop: () => Promise<void> | void, work: () => Promise<T>): Promise<T> {
  install();
  stopIfInterrupted();
  tasks.add(onStop);
  try {
    return await work();
  } finally {
    tasks.delete(onStop);
  }
}

/** Runs every pending task, newest first; resolves when these and any cleanup already under way are done. */
export function runCleanups(): Promise<void> {
  const pending = [...tasks].reverse();
  tasks.clear();
  inFlight = inFlight.then(async () => {
    for (const task of pending)
      await Promise.resolve()
        .then(task)
        .catch(() => undefined);
  });
  return inFlight;
}

/** 130 or 143 once Ctrl-C or SIGTERM arrived: what failed after it failed because of it. */
export function interruptedExitCode(): number | undefined {
  return interruptCode;
}
