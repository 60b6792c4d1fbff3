import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RawFile, RawRepoFiles } from '../core/repo-model.js';
import { derivationRules } from '../core/derivation-rules.js';
import { decodeUtf8 } from '../core/utf8.js';
import { FileError, InputError } from '../errors.js';
import { insideRoot, realLocation } from './inside-root.js';

/**
 * Reads a text file the user gave or the repository holds, refusing what would otherwise crash
 * or be rewritten: a folder in its place, a missing file, bytes that are not UTF-8.
 * `shownAs` is how messages name it (a repository-relative path, or the path as typed).
 */
export function readTextFile(path: string, shownAs: string, what = 'a text file'): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new FileError(shownAs, undefined, 'no such file', 'check the path');
  if (stat.isDirectory())
    throw new FileError(
      shownAs,
      undefined,
      `is a folder, not ${what}`,
      `move or rename the folder, and put ${what} at ${shownAs}`,
    );
  const decoded = decodeUtf8(readFileSync(path));
  if (!decoded.ok) {
    const byte = `0x${decoded.byte.toString(16).padStart(2, '0')}`;
    throw new FileError(
      shownAs,
      decoded.line,
      `invalid UTF-8 at byte ${decoded.offset} (${byte}); verigap reads and writes its files as UTF-8 and will not replace that byte`,
      `save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 ${shownAs})`,
    );
  }
  return decoded.text;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Why `file` is not read (it is a symbolic link), or undefined when it is a real file or folder. */
function linkProblem(root: string, file: string): string | undefined {
  if (!isLink(join(root, file))) return undefined;
  try {
    insideRoot(root, file, 'read');
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return `${file} is a symbolic link to ${realLocation(join(root, file))}: Git keeps the link, not what it points at, so verigap reads verigap.yaml, flows and incidents only from real files and folders`;
}

function read(root: string, file: string, links: string[]): RawFile | undefined {
  const problem = linkProblem(root, file);
  if (problem) {
    links.push(problem);
    return undefined;
  }
  const path = join(root, file);
  return existsSync(path)
    ? { file, text: readTextFile(path, file, file.endsWith('.md') ? 'a Markdown file' : 'a YAML file') }
    : undefined;
}

/** A folder's entries by name, in code-unit order: the same on every machine, and no ICU collator to start (8 ms). */
function entries(dir: string) {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    : [];
}

/**
 * Reads verigap.yaml, flows/<id>/{flow,waivers}.yaml and incidents/*.md (README.md excepted).
 * None of them is read through a symbolic link, and none is skipped without a word: a linked
 * file or folder is refused (InputError listing each link and its target).
 */
export function readRepoFiles(root: string): RawRepoFiles {
  const links: string[] = [];
  const folder = (name: string) => {
    const problem = linkProblem(root, name);
    if (problem) links.push(problem);
    return problem ? [] : entries(join(root, name));
  };
  const flows: RawFile[] = [];
  const waivers: RawFile[] = [];
  for (const entry of folder('flows')) {
    if (entry.isSymbolicLink()) links.push(linkProblem(root, `flows/${entry.name}`)!);
    if (!entry.isDirectory()) continue;
    const flow = read(root, `flows/${entry.name}/flow.yaml`, links);
    if (!flow) continue;
    flows.push(flow);
    const waiver = read(root, `flows/${entry.name}/waivers.yaml`, links);
    if (waiver) waivers.push(waiver);
  }
  const incidents = folder('incidents')
    .filter(
      (entry) =>
        (entry.isFile() || entry.isSymbolicLink()) &&
        entry.name.endsWith('.md') &&
        entry.name.toLowerCase() !== 'readme.md',
    )
    .flatMap((entry) => read(root, `incidents/${entry.name}`, links) ?? []);
  const config = read(root, 'verigap.yaml', links);
  if (links.length > 0)
    throw new InputError(
      links.join('\n'),
      'replace each link with the file or folder itself (Git keeps a link, not its content), then run again',
    );
  return { config, flows, waivers, incidents };
}

/** A fingerprint of the files, so an unchanged repository skips parsing altogether. */
export function hashRepoFiles(files: RawRepoFiles): string {
  // the validation rules' version too: a release that changes them validates the files again
  const hash = createHash('sha256').update(`models:${derivationRules.models}\0`);
  for (const file of [files.config, ...files.flows, ...files.waivers, ...files.incidents]) {
    if (file) hash.update(file.file).update('\0').update(file.text).update('\0');
  }
  return hash.digest('hex');
}

/** Whether anything is at `path` (services ask here, never node:fs: file I/O stays in adapters). */
export const isThere = (path: string): boolean => existsSync(path);

/** A file's text as UTF-8, for files verigap wrote or git keeps (a file a person names goes through readTextFile). */
export const readText = (path: string): string => readFileSync(path, 'utf8');

/** The names in a folder, or none when it is not there. */
export const namesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

/** When a file was last written (ms). */
export const modifiedAt = (path: string): number => statSync(path).mtimeMs;
