/** Things to undo however the command ends: servers to stop, worktrees to remove (also on Ctrl-C). */
const tasks = new Set<() => Promise<void> | void>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void runCleanups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

export function onCleanup(task: () => Promise<void> | void): () => Promise<void> {
  install();
  tasks.add(task);
  return async () => {
    if (!tasks.delete(task)) return;
    await task();
  };
}

export async function runCleanups(): Promise<void> {
  const pending = [...tasks].reverse();
  tasks.clear();
  for (const task of pending) await Promise.resolve().then(task).catch(() => undefined);
}
