import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { commandNotFound, lockfiles, setupToRun } from '../core/setup-plan.js';
import { OutsideError } from '../errors.js';
import type { Git } from './git.js';
import { onCleanup } from './cleanup.js';
import { outputOf, signalGroup } from './process-group.js';
import { teamEnv } from './safe-env.js';
import { addWorktree } from './worktree.js';

export interface PreparedRevision {
  dir: string;
  commit: string;
  /** node_modules folders linked from the working tree (its lockfiles are the revision's), or none. */
  reused: string[];
  /** What of `setup` ran, or null. */
  setupRan: string | null;
  remove(): Promise<void>;
}

export interface RevisionOptions {
  root: string;
  commit: string;
  /** How messages name it: "the revision before the fix" or "the fix". */
  label: string;
  setup: string | undefined;
  env: NodeJS.ProcessEnv;
  extraEnv: Record<string, string>;
  deadline: number;
}

/** A worktree of `commit`, its dependencies linked when the lockfile is the same, then `setup` run in it. */
export async function prepareRevision(git: Git, options: RevisionOptions): Promise<PreparedRevision> {
  const tree = await addWorktree(git, options.commit);
  try {
    const reused = sameLockfiles(options.root, tree.dir) ? linkDependencies(options.root, tree.dir) : [];
    const command = setupToRun(options.setup, reused.length > 0);
    if (command) await runSetup(command, tree.dir, options);
    return { dir: tree.dir, commit: options.commit, reused, setupRan: command, remove: tree.remove };
  } catch (error) {
    await tree.remove();
    throw error;
  }
}

function sameLockfiles(root: string, tree: string): boolean {
  let any = false;
  for (const name of lockfiles) {
    const [ours, theirs] = [join(root, name), join(tree, name)];
    if (existsSync(ours) !== existsSync(theirs)) return false;
    if (!existsSync(ours)) continue;
    if (!readFileSync(ours).equals(readFileSync(theirs))) return false;
    any = true;
  }
  return any;
}

/** Links the working tree's node_modules (the root's and its workspace packages', three levels deep) into the worktree. */
function linkDependencies(root: string, tree: string): string[] {
  const linked: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name === '.git') continue;
      const path = join(dir, entry.name);
      const target = join(tree, relative(root, path));
      if (entry.name === 'node_modules') {
        if (existsSync(join(target, '..')) && !existsSync(target)) {
          symlinkSync(path, target, 'dir');
          linked.push(relative(root, path));
        }
      } else if (depth < 3 && !entry.name.startsWith('.')) walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return linked;
}

function runSetup(command: string, cwd: string, options: RevisionOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: teamEnv(options.env, options.extraEnv),
    });
    const output = outputOf(child);
    const kill = () => void signalGroup(child, 'SIGKILL');
    const stop = onCleanup(kill);
    const timer = setTimeout(kill, Math.max(0, options.deadline - Date.now()));
    const where = `at ${options.commit.slice(0, 7)} (${options.label}) in ${cwd}`;
    child.on('error', (error) =>
      reject(new OutsideError(`setup \`${command}\` could not start ${where}: ${error.message}`)),
    );
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      void stop();
      if (code === 0) return resolve();
      const why = signal ? `was stopped after readyTimeout` : `exited ${code}`;
      const hint = commandNotFound(code, output.text())
        ? 'a command was not found in the checked-out revision, which has none of your ignored files: install and build what it needs in `setup:` (verigap.yaml)'
        : signal
          ? 'raise readyTimeout: in verigap.yaml (default 2m), or make setup faster'
          : 'check `setup:` in verigap.yaml; it runs in a clean checkout of each revision';
      reject(
        new OutsideError(`setup \`${command}\` ${why} ${where} (the worktree is removed):\n${output.tail()}`, hint),
      );
    });
  });
}
