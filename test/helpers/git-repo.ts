import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

const created: string[] = [];

export function tempDir(prefix = 'verigap-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

let clock = Date.parse('2026-11-02T09:00:00Z');

/** A real Git repository in a temporary folder, with helpers that keep commit times in order. */
export class TestRepo {
  constructor(readonly dir: string) {}

  static create(branch = 'main', dir = tempDir()): TestRepo {
    mkdirSync(dir, { recursive: true });
    const repo = new TestRepo(dir);
    repo.git('init', '-q', '-b', branch);
    repo.git('config', 'user.email', 'dev@example.com');
    repo.git('config', 'user.name', 'Dev');
    repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }

  git(...args: string[]): string {
    const time = new Date(clock).toISOString();
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: time, GIT_COMMITTER_DATE: time, GIT_CONFIG_NOSYSTEM: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  write(files: Record<string, string | null>): void {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (text === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
      }
    }
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  /** Writes the files (null deletes), commits them all, and returns the new commit. */
  commit(message: string, files: Record<string, string | null> = {}, at?: string): string {
    clock = at ? Date.parse(at) : clock + 3_600_000;
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  head(ref = 'HEAD'): string {
    return this.git('rev-parse', ref).trim();
  }

  /** Runs the built CLI in this repository. */
  verigap(args: string[], env: Record<string, string | undefined> = {}) {
    const result = spawnSync(process.execPath, [cli, ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: cleanEnv({
        ...process.env,
        NO_COLOR: '1',
        CI: '1',
        OPENAI_API_KEY: '',
        GITHUB_TOKEN: '',
        GH_TOKEN: '',
        BASE_URL: undefined,
        ...env,
      }),
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Like verigap(), without blocking this process: stand-in servers in the test keep answering. */
  verigapAsync(
    args: string[],
    env: Record<string, string | undefined> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], {
        cwd: this.dir,
        env: cleanEnv({
          ...process.env,
          NO_COLOR: '1',
          CI: '1',
          OPENAI_API_KEY: '',
          GITHUB_TOKEN: '',
          GH_TOKEN: '',
          BASE_URL: undefined,
          ...env,
        }),
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  verigapJson<T = any>(args: string[], env: Record<string, string | undefined> = {}): T {
    const result = this.verigap(['--json', ...args], env);
    if (result.code !== 0) throw new Error(`verigap ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }
}

export const cliPath = cli;

/** Vitest sets BASE_URL=/ (Vite's), which must not leak into the CLI; undefined values are dropped. */
function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv;
}
