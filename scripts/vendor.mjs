// The libraries every command loads (commander, zod, yaml, picomatch) are bundled each into its own CommonJS file,
// dist/bundle/vendor-<name>.cjs, which src/vendor.ts loads with V8's code cache: Node 20 compiles every ES module
// from its source at each start, and a short command (an ingest every few minutes) spent a fifth of its time there.
// Each file holds only what verigap uses of its library (read from the compiled code), so nothing more runs than did.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const vendored = ['commander', 'zod', 'yaml', 'picomatch'];

/** Every .js file under dir. */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => readFileSync(join(entry.parentPath ?? entry.path, entry.name), 'utf8'));
}

/**
 * What the compiled code takes from each library: its named imports, whether it takes the default export, and,
 * for zod's `z`, the members it reads (`z.object`, `z.string`…, also `z` and `.record(…)` on two lines, as Prettier
 * breaks a long chain; types are gone from compiled code).
 */
export function usedExports(compiledDir) {
  const texts = sources(compiledDir);
  return Object.fromEntries(
    vendored.map((library) => {
      const names = new Set();
      let takesDefault = false;
      for (const text of texts) {
        for (const match of text.matchAll(/^import\s+(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*'([^']+)';/gm)) {
          if (match[3] !== library) continue;
          if (match[1]) takesDefault = true;
          for (const part of (match[2] ?? '').split(',')) {
            const name = part.trim().split(/\s+as\s+/)[0];
            if (name) names.add(name);
          }
        }
      }
      const members =
        library === 'zod'
          ? [
              ...new Set(
                texts.flatMap((text) => [...text.matchAll(/\bz\s*\.\s*([A-Za-z_$][\w$]*)/g)].map((m) => m[1])),
              ),
            ].sort()
          : [];
      return [library, { names: [...names].sort(), takesDefault, members }];
    }),
  );
}

/** The entry of vendor-<library>.cjs: exactly what is used, so the bundler leaves the rest out. */
export function vendorEntry(library, { names, takesDefault, members }) {
  const lines = [];
  // named, as a CommonJS file with a default export alone would be that export itself
  if (takesDefault) lines.push(`import vendorDefault from '${library}';`, 'export { vendorDefault };');
  if (library === 'zod') {
    lines.push(
      `import { z as zod } from 'zod';`,
      `export const z = { ${members.map((member) => `${member}: zod.${member}`).join(', ')} };`,
    );
  } else if (names.length > 0) {
    lines.push(`export { ${names.join(', ')} } from '${library}';`);
  }
  return `${lines.join('\n')}\n`;
}

/** The module the bundle imports instead of the library: the same names, read from vendor-<library>.cjs. */
export function vendorImport(loader, file, { names, takesDefault }) {
  const lines = [
    `import { vendorModule } from ${JSON.stringify(loader)};`,
    `const library = vendorModule(${JSON.stringify(file)});`,
  ];
  if (takesDefault) lines.push('export default library.vendorDefault;');
  // bound once, as an ES module's imports are
  names.forEach((name, index) => lines.push(`const binding${index} = library[${JSON.stringify(name)}];`));
  if (names.length > 0)
    lines.push(`export { ${names.map((name, index) => `binding${index} as ${name}`).join(', ')} };`);
  return `${lines.join('\n')}\n`;
}
