import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock file holding the owner's pid. A second process waits for the first; a lock
 * left by a killed process (its pid is gone) is taken over.
 */
export async function acquireLock(file: string, onWait: (pid: number) => void = () => {}): Promise<() => void> {
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number.parseInt(readOwner(file), 10);
    if (Number.isFinite(pid) && !alive(pid)) {
      rmSync(file, { force: true });
      continue;
    }
    if (!told && Number.isFinite(pid)) {
      onWait(pid);
      told = true;
    }
    await sleep(50);
  }
}

function readOwner(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
