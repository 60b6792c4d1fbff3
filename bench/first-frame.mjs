// Time from starting the real bin in a pseudo-terminal (util-linux `script`) to its first frame's text on
// that terminal: what a person waits for after pressing enter on `verigap review` or `verigap incident new`.
import { spawn } from 'node:child_process';

const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(\x07|\x1b\\)|\x1b./g;

/** Milliseconds until `marker` shows on the terminal; the command is then left with Ctrl-C. */
export function firstFrameMs(cli, args, marker, cwd) {
  const quoted = [cli, ...args].map((arg) => `'${arg}'`).join(' ');
  const env = { ...process.env, TERM: 'xterm-256color' };
  // as a person's shell: vitest's or npm's NODE_ENV and a CI flag would change what ink draws
  delete env.NODE_ENV;
  delete env.CI;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      'script',
      ['-qfec', `stty cols 120 rows 40; exec '${process.execPath}' ${quoted}`, '/dev/null'],
      { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let screen = '';
    let shownAt;
    child.stdout.on('data', (chunk) => {
      if (shownAt !== undefined) return;
      screen += chunk.toString('utf8');
      if (!screen.replace(ansi, '').includes(marker)) return;
      shownAt = performance.now() - started;
      child.stdin.write('\x03');
    });
    child.on('error', reject);
    child.on('close', () =>
      shownAt === undefined
        ? reject(new Error(`${args.join(' ')} never showed "${marker}":\n${screen.replace(ansi, '')}`))
        : resolve(shownAt),
    );
  });
}
