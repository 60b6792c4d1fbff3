// The libraries every command loads (commander, zod, yaml, picomatch) are bundled by scripts/build.mjs each into a
// CommonJS file, dist/bundle/vendor-<name>-<hash>.cjs, loaded here with V8's code cache: Node 20 compiles every ES
// module from its source at each start, and that compile was a fifth of a short command (an ingest every few minutes).
// In the bundle, `import … from 'zod'` (and the others) read from vendorModule(); src/ itself imports the packages.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const loaded = new Map<string, Record<string, unknown>>();

/** The exports of a vendor file beside this module, loaded once. */
export function vendorModule(name: string): Record<string, unknown> {
  let exports = loaded.get(name);
  if (!exports) loaded.set(name, (exports = load(fileURLToPath(new URL(`./${name}`, import.meta.url)), name)));
  return exports;
}

function load(file: string, name: string): Record<string, unknown> {
  const source = readFileSync(file, 'utf8');
  const cacheDir = codeCacheDir();
  const cacheFile = cacheDir && join(cacheDir, `${name}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // not written yet: this run writes it
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  );
  // written once the command has run, so that the functions it compiled are in it too
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected))
    process.once('exit', () => writeCache(cacheFile, name, () => script.createCachedData()));
  return module.exports;
}

/**
 * The user's own cache folder (never a shared one: a code cache is code V8 runs), per Node version and architecture;
 * undefined without a home, or with NODE_DISABLE_COMPILE_CACHE set.
 */
function codeCacheDir(): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  try {
    const root =
      process.env.XDG_CACHE_HOME ||
      (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) ||
      join(homedir(), '.cache');
    return join(root, 'verigap', `${process.version}-${process.arch}`);
  } catch {
    return undefined;
  }
}

/** Writes the cache whole (another start never reads half of it) and drops the library's caches of older builds. */
function writeCache(cacheFile: string, name: string, data: () => Buffer): void {
  try {
    const dir = dirname(cacheFile);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const library = name.replace(/-[^-]+\.cjs$/, '');
    for (const old of readdirSync(dir))
      if (old.startsWith(`${library}-`) && old !== `${name}.v8cache` && old.endsWith('.v8cache'))
        rmSync(join(dir, old), { force: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, data(), { mode: 0o600 });
    renameSync(temp, cacheFile);
  } catch {
    // a cache that cannot be written only costs the next start its compile time
  }
}
