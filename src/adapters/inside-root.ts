import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readlinkSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { diskError } from './disk-errors.js';

/**
 * Where `path` lands on disk once every symbolic link on the way is followed: the real path of its
 * deepest existing ancestor plus the rest. A link that points at nothing yet is followed too, since
 * writing through it would create its target.
 */
export function realLocation(path: string, hops = 0): string {
  try {
    return realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  const parent = dirname(path);
  if (parent === path) return path;
  const realParent = realLocation(parent, hops);
  const target = danglingLinkTarget(path);
  if (target === undefined) return join(realParent, basename(path));
  if (hops >= 40) throw Object.assign(new Error(`too many symbolic links at ${path}`), { code: 'ELOOP' });
  return realLocation(resolve(realParent, target), hops + 1);
}

function danglingLinkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `path` is `root` or below it (both absolute). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The first symbolic link on the way from `root` to `full` whose target leaves `realRoot`, with that target. */
function linkLeaving(root: string, full: string, realRoot: string): { link: string; target: string } | undefined {
  let prefix = root;
  for (const part of relative(root, full).split(sep)) {
    prefix = join(prefix, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(prefix).isSymbolicLink();
    } catch {
      return undefined;
    }
    if (!isLink) continue;
    const target = realLocation(prefix);
    if (!isWithin(realRoot, target)) return { link: relative(root, prefix), target };
  }
  return undefined;
}

export type Access = 'write' | 'read';

/**
 * The absolute path of `path` (relative to `root`, or absolute) once it is sure that writing (or
 * reading) there stays inside `root`: symbolic links are followed, and a path one of them leads out
 * of `root` is refused (InputError naming the link and its target) before anything is touched.
 * Links that stay inside `root` are followed.
 */
export function insideRoot(root: string, path: string, access: Access = 'write', rootName = 'the repository'): string {
  const full = resolve(root, path);
  const shown = relative(root, full) || '.';
  if (!isWithin(resolve(root), full)) {
    throw new InputError(
      `${full} is outside ${rootName} ${root}: verigap ${access === 'write' ? 'writes' : 'reads'} only inside ${rootName} it works on`,
      `give a path inside ${rootName} (e.g. reports/)`,
    );
  }
  let realRoot: string;
  let real: string;
  try {
    realRoot = realLocation(root);
    real = realLocation(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    throw new InputError(
      `${shown}: a loop of symbolic links; nothing was ${access === 'write' ? 'written' : 'read'}`,
      'remove the link that points back at itself, then run again',
    );
  }
  if (isWithin(realRoot, real)) return full;
  const found = linkLeaving(root, full, realRoot) ?? { link: shown, target: real };
  const what =
    access === 'write'
      ? `verigap writes nothing outside ${rootName}, so ${shown} was not written`
      : `verigap reads its files only from inside ${rootName}, so ${shown} was not read`;
  throw new InputError(
    `${found.link} is a symbolic link to ${found.target}, outside ${rootName} ${realRoot}: ${what}`,
    `remove the link (rm ${found.link}) and put a real folder or file there, or point the link inside ${rootName}; then run again`,
  );
}

/** Makes the folder `dir` under `root` (and its parents), refusing one a symbolic link leads out of `root`. */
export function mkdirInside(root: string, dir: string): string {
  const full = insideRoot(root, dir);
  mkdirSync(full, { recursive: true });
  return full;
}

/**
 * Writes `text` to `file` under `root`, folders made as needed, refusing a path a symbolic link leads out of `root`.
 * `wx`: never over an existing file. The file is written whole or not at all (writeWhole).
 */
export function writeInside(root: string, file: string, text: string, options: { flag?: 'wx' } = {}): string {
  const full = insideRoot(root, file);
  mkdirSync(dirname(full), { recursive: true });
  writeWhole(full, text, options.flag === 'wx');
  return full;
}

/**
 * Writes `text` beside `path` first, then gives it that name (a rename, or with `exclusive` a link, which
 * refuses an existing name): a full disk or a kill part-way leaves the old file or none, never half of one.
 * A link to a file inside the repository is written through, as before.
 */
export function writeWhole(path: string, text: string, exclusive = false): void {
  const target = exclusive ? path : realLocation(path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    if (!exclusive) renameSync(temp, target);
    else if (!linked(temp, target)) writeFileSync(target, text, { flag: 'wx' });
  } catch (error) {
    throw diskError(error, path) ?? error;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Links `temp` as `target`; false on a file system without hard links. */
function linked(temp: string, target: string): boolean {
  try {
    linkSync(temp, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return false;
    throw error;
  }
}
