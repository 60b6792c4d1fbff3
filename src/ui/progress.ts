import type { SyncProgress } from '../services/sync.js';
import { thousands } from '../core/thousands.js';

/** A progress bar on a TTY (redrawn at most every 80 ms), nothing otherwise. */
export function createProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr): SyncProgress {
  let total = 0;
  let last = 0;
  const draw = (done: number) => {
    const width = 30;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * width);
    stream.write(
      `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${thousands(done)}/${thousands(total)}`,
    );
  };
  return {
    start(count) {
      total = count;
      if (total > 0) draw(0);
    },
    tick(done) {
      const now = Date.now();
      if (now - last < 80) return;
      last = now;
      draw(done);
    },
    done() {
      if (total > 0) {
        draw(total);
        stream.write('\n');
      }
    },
  };
}
