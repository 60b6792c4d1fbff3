// Keeps the layers honest (STYLE.md habit 12): every import in <root>/src must be on the allow-list of its
// folder or file in <root>/src/DEPS.list, and folders marked !pure may not read the clock, chance or the
// process. Imports are read from the TypeScript AST, dynamic import() and require() included; type-only
// imports are exempt, as they vanish from the build.
// Usage: node scripts/check-deps.mjs [root]   (root defaults to the current directory)
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const listName = 'src/DEPS.list';

/** Sections of DEPS.list: `[folder/]` or `[file.ts]`, then one allowed import (or `!pure`, `!clock`) a line; `#` starts a comment. */
export function parseDepsList(text) {
  const sections = new Map();
  let current;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1];
      if (!sections.has(current)) sections.set(current, { pure: false, clockless: false, allowed: [] });
    } else if (current === undefined) {
      throw new Error(`${listName}:${index + 1}: "${line}" comes before any [section]`);
    } else if (line === '!pure') {
      sections.get(current).pure = true;
    } else if (line === '!clock') {
      sections.get(current).clockless = true;
    } else {
      sections.get(current).allowed.push(line);
    }
  });
  return sections;
}

const isSourcePath = (entry) => entry.endsWith('/') || /\.tsx?$/.test(entry);
const covers = (entry, path) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry);
const builtins = new Set(builtinModules);

/** What a specifier names, as DEPS.list spells it: `core/flow.ts`, `node:fs`, `@octokit/rest`. */
function target(specifier, file, srcDir) {
  if (specifier.startsWith('.')) {
    const absolute = resolve(dirname(file), specifier);
    const source =
      [absolute.replace(/\.js$/, '.ts'), absolute.replace(/\.js$/, '.tsx'), absolute].find((candidate) =>
        existsSync(candidate),
      ) ?? absolute;
    return { kind: 'source', name: relative(srcDir, source).split('\\').join('/') };
  }
  if (specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]))
    return { kind: 'builtin', name: specifier.startsWith('node:') ? specifier : `node:${specifier}` };
  return { kind: 'package', name: specifier };
}

function allows(entries, { kind, name }) {
  if (kind === 'source') return entries.some((entry) => isSourcePath(entry) && covers(entry, name));
  return entries.some((entry) => !isSourcePath(entry) && (name === entry || name.startsWith(`${entry}/`)));
}

const typeOnlyImport = (node) => {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
};
const typeOnlyExport = (node) =>
  node.isTypeOnly ||
  (node.exportClause !== undefined &&
    ts.isNamedExports(node.exportClause) &&
    node.exportClause.elements.length > 0 &&
    node.exportClause.elements.every((element) => element.isTypeOnly));
const literal = (node) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
const named = (node, object, property) =>
  ts.isPropertyAccessExpression(node) &&
  ts.isIdentifier(node.expression) &&
  node.expression.text === object &&
  node.name.text === property;

/** The imports a file makes at run time, each with its node: `{ specifier, node }`, or `{ node }` when it cannot be known. */
function runtimeImports(sourceFile) {
  const found = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && !typeOnlyImport(node))
      found.push({ specifier: literal(node.moduleSpecifier), node });
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !typeOnlyExport(node))
      found.push({ specifier: literal(node.moduleSpecifier), node });
    else if (
      ts.isImportEqualsDeclaration(node) &&
      !node.isTypeOnly &&
      ts.isExternalModuleReference(node.moduleReference)
    )
      found.push({ specifier: literal(node.moduleReference.expression), node });
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      found.push({ specifier: literal(node.arguments[0]), node });
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

// node:crypto is allowed in pure code for its digests; its random numbers are not
const randomCalls = /^(randomBytes|randomInt|randomUUID|randomFillSync|getRandomValues)$/;
const calleeName = (call) =>
  ts.isIdentifier(call.expression)
    ? call.expression.text
    : ts.isPropertyAccessExpression(call.expression)
      ? call.expression.name.text
      : '';

/** What a pure file may not do: read the clock (`clock: true`), draw random numbers, or reach the process (env, argv, cwd, exit…). */
function impurities(sourceFile) {
  const found = [];
  const visit = (node) => {
    if (named(node, 'Date', 'now') || named(node, 'performance', 'now'))
      found.push({
        node,
        clock: true,
        why: `${node.getText(sourceFile)} reads the clock; take the time as an argument`,
      });
    else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date' &&
      (node.arguments?.length ?? 0) === 0
    )
      found.push({
        node,
        clock: true,
        why: 'new Date() without an argument reads the clock; take the time as an argument',
      });
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date')
      found.push({ node, clock: true, why: 'Date() reads the clock; take the time as an argument' });
    else if (named(node, 'Math', 'random')) found.push({ node, why: 'Math.random is chance; take it as an argument' });
    else if (ts.isCallExpression(node) && randomCalls.test(calleeName(node)))
      found.push({ node, why: `${calleeName(node)}() is chance; take it as an argument` });
    else if (ts.isIdentifier(node) && node.text === 'process' && readsProcess(node))
      found.push({ node, why: 'process is the world (env, argv, cwd, exit); take what it gives as an argument' });
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** `process` used as a value (process.env, process['cwd'], globalThis.process, passed along), not a property or a declaration's name. */
function readsProcess(node) {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent))
    return (
      parent.expression === node || (ts.isIdentifier(parent.expression) && parent.expression.text === 'globalThis')
    );
  if (
    ts.isPropertyAssignment(parent) ||
    ts.isPropertySignature(parent) ||
    ts.isPropertyDeclaration(parent) ||
    ts.isMethodDeclaration(parent)
  )
    return parent.initializer === node;
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isParameter(parent) ||
    ts.isFunctionDeclaration(parent) ||
    ts.isBindingElement(parent)
  )
    return parent.initializer === node;
  if (
    ts.isImportSpecifier(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isTypeReferenceNode(parent) ||
    ts.isQualifiedName(parent) ||
    ts.isTypeQueryNode(parent)
  )
    return false;
  return true;
}

const sourceFiles = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory()
        ? sourceFiles(path)
        : /\.tsx?$/.test(name) && !name.endsWith('.d.ts')
          ? [path]
          : [];
    });

/** Every break of DEPS.list in <root>/src, as `src/<file>:<line>: <what>` lines. */
export function checkDeps(root) {
  const srcDir = join(root, 'src');
  const sections = parseDepsList(readFileSync(join(root, listName), 'utf8'));
  const problems = [];
  for (const file of sourceFiles(srcDir)) {
    const path = relative(srcDir, file).split('\\').join('/');
    const own = [...sections.entries()].filter(([key]) => covers(key, path));
    const where = (node, sourceFile) =>
      `${posix.join('src', path)}:${sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1}`;
    if (own.length === 0) {
      problems.push(
        `${posix.join('src', path)}:1: no [section] of ${listName} covers this file; add its folder with what it may import`,
      );
      continue;
    }
    const names = own.map(([key]) => `[${key}]`).join(' ');
    const entries = own.flatMap(([, section]) => section.allowed);
    const sourceFile = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    for (const { specifier, node } of runtimeImports(sourceFile)) {
      if (specifier === undefined)
        problems.push(
          `${where(node, sourceFile)}: an import of a computed name cannot be checked against ${names}; import a literal path`,
        );
      else if (!allows(entries, target(specifier, file, srcDir)))
        problems.push(
          `${where(node, sourceFile)}: ${names} may not import '${specifier}' (${target(specifier, file, srcDir).name} is not on its list in ${listName})`,
        );
    }
    if (own.some(([, section]) => section.pure)) {
      for (const { node, why } of impurities(sourceFile))
        problems.push(`${where(node, sourceFile)}: ${names} is pure: ${why}`);
    } else if (own.some(([, section]) => section.clockless)) {
      for (const { node, why } of impurities(sourceFile).filter(({ clock }) => clock))
        problems.push(`${where(node, sourceFile)}: ${names} takes its time from a Clock: ${why}`);
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? '.');
  const problems = checkDeps(root);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`${problems.length} import(s) break ${join(relative('.', root) || '.', listName)}`);
    process.exit(1);
  }
  console.log('layers ok');
}
