import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectPackageManager, type PackageManager } from '../core/package-manager.js';

/** The package manager of the lockfile in `dir`; yarn.lock is read too, for Berry or Classic. */
export function packageManagerAt(dir: string): PackageManager {
  const names = readdirSync(dir);
  return detectPackageManager(
    names,
    names.includes('yarn.lock') ? readFileSync(join(dir, 'yarn.lock'), 'utf8') : undefined,
  );
}

/**
 * The folders ('' for the root), at most `depth` levels down, whose package.json declares `dependency`;
 * dependencies, hidden folders and unreadable package.json files are passed over.
 */
export function packageFoldersDeclaring(root: string, dependency: string, depth = 3): string[] {
  const found: string[] = [];
  const visit = (folder: string, level: number) => {
    const path = folder ? join(root, folder) : root;
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return;
    }
    if (
      entries.some((entry) => entry.isFile() && entry.name === 'package.json') &&
      declares(join(path, 'package.json'), dependency)
    )
      found.push(folder);
    if (level >= depth) return;
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
        visit(folder ? `${folder}/${entry.name}` : entry.name, level + 1);
    }
  };
  visit('', 0);
  return found;
}

function declares(packageJson: string, dependency: string): boolean {
  try {
    const json = JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some(
      (field) => json[field]?.[dependency] !== undefined,
    );
  } catch {
    return false;
  }
}
