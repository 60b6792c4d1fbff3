// Compiles src/ to dist/, then bundles the command line from it into dist/bundle/ (the `verigap` bin).
//
// Why a bundle: a command's start was mostly module loading (about 150 ms of `verigap affected` went to
// resolving and compiling zod's, yaml's and our own few hundred files one by one). The small pure-JS
// libraries are bundled in; every other dependency (native, heavy, or loaded only when used) stays a
// package. The compiled files stay in dist/ too: Playwright loads dist/core/playwright-config.js by path.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { build } from 'rolldown';
import { usedExports, vendorEntry, vendored, vendorImport } from './vendor.mjs';

const bundled = new Set(['commander', 'yaml', 'zod', 'picomatch', 'markdown-it', 'ink', 'react']);
const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));
const packageOf = (id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);
const builtins = new Set(builtinModules);
const isExternal = (id) =>
  // ink imports it only for its DEV=true devtools, which need it installed by hand
  id === 'react-devtools-core' ||
  id.startsWith('node:') ||
  builtins.has(packageOf(id)) ||
  (packageOf(id) in dependencies && !bundled.has(packageOf(id)));

/**
 * The terminal UI's chunk (ink, React, yoga) is loaded before the first frame of `review` and `incident new`, so it
 * is kept small and quick to start: React's packages pick their production build here (the development one doubles
 * the chunk V8 must compile, and makes every frame 3× slower), and yoga decodes its inlined wasm itself instead of
 * through fetch(), whose first call loads Node's undici (about 150 ms).
 */
const terminalUi = {
  name: 'verigap-terminal-ui',
  transform(code, id) {
    if (/node_modules\/(react|react-reconciler|scheduler)\/[^/]+\.js$/.test(id))
      return { code: code.replaceAll("process.env.NODE_ENV === 'production'", 'true'), map: null };
    if (/node_modules\/yoga-layout\/dist\/binaries\/yoga-wasm-base64-esm\.js$/.test(id)) {
      const patched = code.replace('"function"!=typeof fetch', 'true');
      if (patched === code)
        throw new Error('yoga-layout changed how it loads its wasm: update verigap-terminal-ui in scripts/build.mjs');
      return { code: patched, map: null };
    }
    return null;
  },
};

// built beside dist/ and swapped in at the end: a command or test running meanwhile never finds dist/ half there
const out = `dist.building-${process.pid}`;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(out, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { stdio: 'inherit' });
  cpSync('src/adapters/store/migrations', `${out}/adapters/store/migrations`, { recursive: true });
  // the JSON Schemas of verigap.yaml, flow.yaml and waivers.yaml, from the zod schemas that validate them
  const { jsonSchemaOf, schemaFiles } = await import(pathToFileURL(`${out}/core/json-schemas.js`).href);
  mkdirSync(`${out}/schemas`);
  for (const file of schemaFiles)
    writeFileSync(`${out}/schemas/${file}`, `${JSON.stringify(jsonSchemaOf(file), null, 2)}\n`);

  // each library verigap loads at every start, in its own CommonJS file (see scripts/vendor.mjs)
  const used = usedExports(out);
  const vendorFiles = {};
  for (const library of vendored) {
    const entry = `\0vendor-entry:${library}`;
    await build({
      input: { [library]: entry },
      platform: 'node',
      external: isExternal,
      logLevel: 'warn',
      plugins: [
        {
          name: 'verigap-vendor-entry',
          resolveId: (id) => (id === entry ? id : null),
          load: (id) => (id === entry ? vendorEntry(library, used[library]) : null),
        },
      ],
      output: { dir: `${out}/bundle`, format: 'cjs', entryFileNames: `vendor-${library}.cjs`, codeSplitting: false },
    });
    const hash = createHash('sha256')
      .update(readFileSync(`${out}/bundle/vendor-${library}.cjs`))
      .digest('hex')
      .slice(0, 12);
    vendorFiles[library] = `vendor-${library}-${hash}.cjs`;
    renameSync(`${out}/bundle/vendor-${library}.cjs`, `${out}/bundle/${vendorFiles[library]}`);
  }
  const loader = resolve(`${out}/vendor.js`);
  const vendorImports = {
    name: 'verigap-vendor-imports',
    resolveId: (id) => (vendored.includes(id) ? `\0vendor:${id}` : null),
    load: (id) =>
      id.startsWith('\0vendor:')
        ? vendorImport(loader, vendorFiles[id.slice('\0vendor:'.length)], used[id.slice('\0vendor:'.length)])
        : null,
  };

  await build({
    input: { cli: `${out}/cli.js` },
    platform: 'node',
    external: isExternal,
    logLevel: 'warn',
    plugins: [terminalUi, vendorImports],
    output: { dir: `${out}/bundle`, format: 'esm', sourcemap: true, chunkFileNames: '[name]-[hash].js' },
  });
  // the store finds its migrations beside the module that opens it
  cpSync('src/adapters/store/migrations', `${out}/bundle/migrations`, { recursive: true });
  // the bin: paths that modules compute from their own URL (../core/…, ../../package.json) hold from dist/bundle/ as from dist/<folder>/
  rmSync(`${out}/cli.js.map`, { force: true });
  writeFileSync(`${out}/cli.js`, "#!/usr/bin/env node\nimport './bundle/cli.js';\n");
  // `npx verigap` runs it directly, so it must stay executable across rebuilds
  chmodSync(`${out}/cli.js`, 0o755);
  const old = `dist.old-${process.pid}`;
  if (existsSync('dist')) renameSync('dist', old);
  renameSync(out, 'dist');
  rmSync(old, { recursive: true, force: true });
} finally {
  rmSync(out, { recursive: true, force: true });
}
