// The libraries every command loads (commander, zod, yaml, picomatch) are bundled each into its own CommonJS file,
// dist/bundle/vendor-<name>.cjs, which src/vendor.ts loads with V8's code cache: Node 20 compiles every ES module
// from its source at each start, and a short command (an ingest every few minutes) spent a fifth of its time there.
// Each file holds only what verigap uses of its library (read from the compiled code), so nothing more runs than did.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const vendored = ['commander', 'zod', 'yaml', 'picomatch'];

/** Every .js file under dir. */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/**
 * What the compiled code takes from each library, read from its syntax tree: the named imports, whether it takes
 * the default export, and, for zod's `z`, the members it reads (`z.object`, `z.string`…; types are gone from compiled
 * code). A `z` used otherwise than as `z.<member>` stops the build: the vendor file would miss what it needs.
 */
export function usedExports(compiledDir) {
  const used = Object.fromEntries(
    vendored.map((library) => [library, { names: new Set(), takesDefault: false, members: new Set() }]),
  );
  for (const { file, text } of sources(compiledDir)) {
    const tree = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const zodNames = new Set();
    for (const statement of tree.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const entry = used[statement.moduleSpecifier.text];
      const clause = statement.importClause;
      if (!entry || !clause) continue;
      if (clause.name) entry.takesDefault = true;
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const element of clause.namedBindings.elements) {
          const imported = (element.propertyName ?? element.name).text;
          entry.names.add(imported);
          if (statement.moduleSpecifier.text === 'zod' && imported === 'z') zodNames.add(element.name.text);
        }
      }
    }
    if (zodNames.size === 0) continue;
    const visit = (node) => {
      if (ts.isIdentifier(node) && zodNames.has(node.text) && !ts.isImportSpecifier(node.parent)) {
        const read = ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node;
        if (!read)
          throw new Error(
            `${file}: zod's z is used as a whole (line ${tree.getLineAndCharacterOfPosition(node.getStart()).line + 1}); scripts/vendor.mjs bundles only the members read as z.<name>`,
          );
        used.zod.members.add(node.parent.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return Object.fromEntries(
    Object.entries(used).map(([library, { names, takesDefault, members }]) => [
      library,
      { names: [...names].sort(), takesDefault, members: [...members].sort() },
    ]),
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
