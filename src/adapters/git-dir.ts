import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';

/** Where a working tree's Git data lives: what `git rev-parse --show-toplevel --git-common-dir` prints. */
export interface GitLocation {
  top: string;
  /** The Git directory all worktrees share (absolute). */
  commonDir: string;
}

/** What changes how git finds its repository: with any of them set, git is asked. */
const discoveryEnv = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
];

/**
 * Finds the working tree around `dir` as git does for a plain checkout or a linked worktree, from the files
 * alone: every git process costs about 7 ms, and a short command (an ingest every few minutes) feels it.
 * Undefined whenever git might answer otherwise, so the caller asks git: one of the variables above set,
 * a folder on another file system than the one below it, `core.worktree` configured, a bare repository,
 * a directory inside `.git`, or files owned by another user (git refuses those, and should say why).
 */
export function findGitLocation(dir: string, env: NodeJS.ProcessEnv = process.env): GitLocation | undefined {
  if (discoveryEnv.some((name) => env[name] !== undefined) || typeof process.getuid !== 'function') return undefined;
  let current: string;
  try {
    current = realpathSync(dir);
  } catch {
    return undefined;
  }
  if (current.split(/[\\/]/).includes('.git')) return undefined;
  const device = statSync(current).dev;
  for (;;) {
    const location = locationAt(current);
    if (location !== null) return location;
    const parent = dirname(current);
    if (parent === current || statSync(parent).dev !== device) return undefined;
    current = parent;
  }
}

/** The location when `top/.git` makes `top` a working tree; null when there is no `.git` here; undefined: ask git. */
function locationAt(top: string): GitLocation | null | undefined {
  const dotGit = join(top, '.git');
  let gitDir: string;
  try {
    const stat = statSync(dotGit);
    gitDir = stat.isDirectory() ? dotGit : linkedGitDir(top, readFileSync(dotGit, 'utf8'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined;
  }
  try {
    if (!existsSync(join(gitDir, 'HEAD'))) return undefined;
    const commonFile = join(gitDir, 'commondir');
    const commonDir = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
    const uid = process.getuid!();
    if ([top, gitDir, commonDir].some((path) => statSync(path).uid !== uid)) return undefined;
    const configs = [join(commonDir, 'config'), join(gitDir, 'config.worktree'), join(commonDir, 'config.worktree')];
    if (
      configs.some((file) => existsSync(file) && /^\s*(worktree|bare\s*=\s*true)\b/im.test(readFileSync(file, 'utf8')))
    )
      return undefined;
    return { top, commonDir: realpathSync(commonDir) };
  } catch {
    return undefined;
  }
}

/** A linked worktree's or submodule's `.git` file: `gitdir: <path>`, relative to the folder it sits in. */
function linkedGitDir(top: string, text: string): string {
  const match = /^gitdir: (.+)$/m.exec(text);
  if (!match) throw new Error('not a gitdir file');
  return resolve(top, match[1]!.trim());
}

/**
 * A ref and its commit's parents as git has just written them (`git notes append` writes a loose ref and a loose
 * commit), read from the files; undefined when they are not there as files (a reftable, a packed object, another
 * object directory), and the caller asks git.
 */
export function readWrittenRef(commonDir: string, ref: string): { tip: string; parents: string[] } | undefined {
  if (process.env.GIT_OBJECT_DIRECTORY !== undefined) return undefined;
  try {
    const tip = readFileSync(join(commonDir, ref), 'utf8').trim();
    if (!isObjectId(tip)) return undefined;
    const object = inflateSync(readFileSync(join(commonDir, 'objects', tip.slice(0, 2), tip.slice(2)))).toString(
      'utf8',
    );
    const header = object.slice(object.indexOf('\0') + 1, object.indexOf('\n\n'));
    if (!object.startsWith('commit ')) return undefined;
    const parents = header
      .split('\n')
      .filter((line) => line.startsWith('parent '))
      .map((line) => line.slice('parent '.length));
    return { tip, parents };
  } catch {
    return undefined;
  }
}

/**
 * Where a ref points, from the files (its loose file, else packed-refs): `tip` undefined when the ref does not
 * exist. Undefined when the files cannot tell (a reftable, a symbolic or unreadable ref): ask git.
 */
export function readRefFromFiles(commonDir: string, ref: string): { tip: string | undefined } | undefined {
  if (existsSync(join(commonDir, 'reftable'))) return undefined;
  try {
    const loose = readFileSync(join(commonDir, ref), 'utf8').trim();
    return isObjectId(loose) ? { tip: loose } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  try {
    const line = readFileSync(join(commonDir, 'packed-refs'), 'utf8')
      .split('\n')
      .find((entry) => entry.endsWith(` ${ref}`));
    const tip = line?.slice(0, line.indexOf(' '));
    return tip === undefined || isObjectId(tip) ? { tip } : undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { tip: undefined } : undefined;
  }
}

const isObjectId = (text: string) => /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(text);

/** A digest of the repository's shallow file ('' when it is not shallow): it changes when the clone is deepened. */
export function shallowFileDigest(commonDir: string): string {
  try {
    return createHash('sha256')
      .update(readFileSync(join(commonDir, 'shallow')))
      .digest('hex');
  } catch {
    return '';
  }
}
