import { execFileSync } from 'node:child_process';
import { cliPath } from './git-repo.js';

/** A real terminal: tmux on its own socket, driven with send-keys and read with capture-pane. */
export class Terminal {
  private static count = 0;
  private readonly socket = `verigap-test-${process.pid}-${Terminal.count++}`;
  private session = 0;

  constructor(private readonly cwd: string) {
    try {
      execFileSync('tmux', ['-V']);
    } catch {
      throw new Error('tmux is needed for the terminal test: apt-get install -y tmux');
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { cwd: this.cwd, encoding: 'utf8' });
  }

  /**
   * Runs a verigap command in a fresh 120×32 window, with the environment of a person's shell (no NODE_ENV,
   * which vitest sets; CI exported empty, as some shells do); the shell prints its exit code when it ends.
   */
  start(args: string): void {
    const previous = this.session > 0 ? this.target() : null;
    this.session++;
    const command = `cd '${this.cwd}' && env -u BASE_URL -u NODE_ENV CI= TERM=xterm-256color node '${cliPath}' ${args}; echo "EXIT $?"; sleep 60`;
    this.tmux('new-session', '-d', '-s', this.target(), '-x', '120', '-y', '32', command);
    // the old session goes only once the new one runs: a server stopped and started at once races in tmux
    if (previous) this.tmux('kill-session', '-t', previous);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.target());
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Key names (Tab, Enter, C-s, Space, Up) or, with literal, text typed as is. */
  keys(...names: string[]): void {
    this.tmux('send-keys', '-t', this.target(), ...names);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', this.target(), '-l', text);
  }

  /** Text pasted as a terminal pastes it: bracketed when the program asked for it, line breaks as \r. */
  paste(text: string): void {
    this.tmux('set-buffer', '-b', 'verigap-paste', '--', text);
    this.tmux('paste-buffer', '-p', '-d', '-b', 'verigap-paste', '-t', this.target());
  }

  private target(): string {
    return `v${this.session}`;
  }

  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // no server yet
    }
  }
}
