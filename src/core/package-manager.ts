/** Which package manager a repository uses, told by the lockfile at its root. */
export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface PackageManager {
  name: PackageManagerName;
  /** Yarn only: Berry (2+) has `yarn dlx`, Classic (1.x) has none. */
  yarn?: 'berry' | 'classic';
  /** The lockfile it was told by, or null when there is none (npm then). */
  lockfile: string | null;
}

/** In this order when a repository holds several: a stray package-lock.json beside another manager's lockfile is the usual leftover. */
const lockfiles: [string, PackageManagerName][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * `fileNames`: the names at the repository's root; `yarnLock`: the text of yarn.lock when there is one.
 * Berry's lockfile is YAML with a `__metadata:` block; Classic's is its own format, headed `# yarn lockfile v1`.
 */
export function detectPackageManager(fileNames: Iterable<string>, yarnLock?: string): PackageManager {
  const present = new Set(fileNames);
  const found = lockfiles.find(([file]) => present.has(file));
  if (!found) return { name: 'npm', lockfile: null };
  const [lockfile, name] = found;
  if (name !== 'yarn') return { name, lockfile };
  return { name, yarn: yarnLock !== undefined && /^__metadata:/m.test(yarnLock) ? 'berry' : 'classic', lockfile };
}

/** How init names it: "pnpm", "yarn berry", "yarn classic". */
export function packageManagerLabel(manager: PackageManager): string {
  return manager.yarn ? `${manager.name} ${manager.yarn}` : manager.name;
}
