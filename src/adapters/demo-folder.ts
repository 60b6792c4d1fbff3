import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { insideRoot } from './inside-root.js';
import { InputError } from '../errors.js';

const demoEntries = ['shop', 'origin.git'];

/** The folder the demo builds in: new, empty, or an earlier demo's (which is replaced); everything it writes stays inside. */
export function demoFolder(dirOption: string | undefined): string {
  if (!dirOption) return mkdtempSync(join(tmpdir(), 'verigap-demo-'));
  const root = resolve(dirOption);
  const fix = 'pass --dir with a new or empty folder, or the folder of an earlier demo';
  if (existsSync(root) && !statSync(root).isDirectory())
    throw new InputError(`--dir ${root} is a file, not a folder`, fix);
  let entries: string[];
  try {
    entries = existsSync(root) ? readdirSync(root) : [];
  } catch (error) {
    throw new InputError(`--dir ${root} cannot be read: ${(error as Error).message}`, fix);
  }
  // an earlier demo's entries are real folders: a link is followed nowhere, and replaced by nothing
  for (const entry of entries.filter((name) => demoEntries.includes(name)))
    insideRoot(root, entry, 'write', 'the demo folder');
  const foreign = entries.filter(
    (entry) => !demoEntries.includes(entry) || lstatSync(join(root, entry)).isSymbolicLink(),
  );
  if (foreign.length > 0)
    throw new InputError(
      `--dir ${root} holds files that are not an earlier verigap demo (${foreign.slice(0, 3).join(', ')})`,
      fix,
    );
  if (entries.length > 0 && !existsSync(join(root, 'shop', 'verigap.yaml'))) {
    throw new InputError(
      `--dir ${root} holds ${entries.join(' and ')} but not the shop of an earlier verigap demo (an interrupted run?)`,
      `remove the folder (rm -r ${root}) or ${fix}`,
    );
  }
  for (const entry of demoEntries) rmSync(join(root, entry), { recursive: true, force: true });
  return root;
}
