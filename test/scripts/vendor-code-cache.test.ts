import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, removeTempDirs, tempDir } from '../helpers/git-repo.js';
// @ts-expect-error: a build script, plain JavaScript
import { usedExports } from '../../scripts/vendor.mjs';

afterAll(removeTempDirs);

/** The built bin, with its code cache in `cache`. */
function verigap(args: string[], cache: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cacheFiles = (cache: string) => {
  const dir = join(cache, 'verigap', `${process.version}-${process.arch}`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.v8cache'))
    .map((name) => join(dir, name));
};

describe('the bundled libraries are loaded with a code cache in the user cache folder', () => {
  it('writes it on the first run, uses it as it is on the next, and rewrites a damaged one', () => {
    const cache = tempDir();
    const first = verigap(['--help'], cache);
    expect(first.code).toBe(0);
    const [commander] = cacheFiles(cache).filter((file) => file.includes('vendor-commander-'));
    expect(commander).toBeDefined();
    expect(statSync(join(cache, 'verigap')).mode & 0o777).toBe(0o700);
    const written = readFileSync(commander!);

    // accepted: the next run leaves it as it is, and prints the same
    const second = verigap(['--help'], cache);
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(commander!).equals(written)).toBe(true);

    // damaged: V8 refuses it, the command works all the same, and the cache is written again
    writeFileSync(commander!, Buffer.from('not a code cache'));
    const third = verigap(['--help'], cache);
    expect(third.code).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    expect(readFileSync(commander!).length).toBeGreaterThan(1000);
  });

  it('writes nothing with NODE_DISABLE_COMPILE_CACHE, or where the folder cannot be written', () => {
    const cache = tempDir();
    expect(verigap(['--version'], cache, { NODE_DISABLE_COMPILE_CACHE: '1' }).code).toBe(0);
    expect(readdirSync(cache)).toEqual([]);
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const blocked = verigap(['--version'], file);
    expect(blocked.code).toBe(0);
    expect(blocked.stderr).toBe('');
  });
});

describe('what the vendor files hold is read from the compiled code', () => {
  it('finds z.<member> however it is laid out, and stops at a z used as a whole', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'a.js'),
      "import { z } from 'zod';\nexport const s = z\n  .record(z.string(), z  .  number());\n",
    );
    writeFileSync(
      join(dir, 'b.js'),
      "import { Command as Program } from 'commander';\nimport pm from 'picomatch';\nexport { Program, pm };\n",
    );
    const used = usedExports(dir);
    expect(used.zod.members).toEqual(['number', 'record', 'string']);
    expect(used.commander.names).toEqual(['Command']);
    expect(used.picomatch.takesDefault).toBe(true);
    writeFileSync(join(dir, 'c.js'), "import { z } from 'zod';\nexport const all = z;\n");
    expect(() => usedExports(dir)).toThrow(/c\.js: zod's z is used as a whole \(line 2\)/);
  });
});
