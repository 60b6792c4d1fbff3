import { posix } from 'node:path';
import ts from 'typescript';

/**
 * Text edits of the team's Playwright config and package.json, made on the TypeScript AST: every byte
 * outside the inserted text stays as the team wrote it.
 */
export type FlowsProjectPlan =
  | { action: 'added'; text: string; detail: string }
  | { action: 'kept'; reason: string }
  | { action: 'manual'; reason: string; where: string; snippet: string };

/** Playwright's default testMatch, for a flows project under a config whose own testMatch is narrower. */
const defaultTestMatch = '**/*.@(spec|test).?(c|m)[jt]s?(x)';

interface Insert {
  at: number;
  text: string;
}
interface ProjectStyle {
  quote: string;
  flowsDir: string;
  testMatch: boolean;
}
type Props = ts.ObjectLiteralExpression;

export interface FlowsProjectOptions {
  /** The main project by name (verigap.yaml `playwright.project`); default: the first that is not a setup project. */
  project?: string | undefined;
  /** flows/ relative to the config's folder, as the project's testDir. */
  flowsDir?: string;
}

interface Context {
  file: ts.SourceFile;
  edit: Editor;
  config: Props;
  /** The file's own string quote, and the testMatch the flows project needs when the config narrows it. */
  style: ProjectStyle;
  flowsDir: string;
}

/** Adds `{ name: 'flows', testDir: './flows', use, dependencies }` to the config's projects (SPEC §3 init). */
export function planFlowsProject(
  source: string,
  fileName: string,
  options: FlowsProjectOptions = {},
): FlowsProjectPlan {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    /\.[mc]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS,
  );
  const edit = new Editor(file);
  const flowsDir = options.flowsDir ?? './flows';
  const config = findConfigObject(file);
  if (typeof config === 'string')
    return manual(
      config,
      `the projects list of ${fileName}`,
      edit.project(undefined, { quote: `'`, flowsDir, testMatch: false }, '  ', ''),
    );
  const context: Context = {
    file,
    edit,
    config,
    flowsDir,
    style: { quote: quoteOf(file, config), flowsDir, testMatch: Boolean(prop(config, 'testMatch')) },
  };
  const projects = prop(config, 'projects');
  return projects ? withProjects(context, projects, fileName, options.project) : withoutProjects(context, fileName);
}

/** One implicit project runs over testDir: `{ name: 'default' }` keeps that run, beside the flows project. */
function withoutProjects({ file, edit, config, style, flowsDir }: Context, fileName: string): FlowsProjectPlan {
  if (config.properties.some(ts.isSpreadAssignment)) {
    return manual(
      'the config spreads another object, which may hold its projects',
      `the projects list of ${fileName}`,
      edit.project(undefined, style, '  ', ''),
    );
  }
  const runs = runsFlows(config, undefined, flowsDir);
  if (runs)
    return {
      action: 'kept',
      reason: `${runs === 'no testDir' ? 'without a testDir it' : `its ${runs}`} already runs flows/`,
    };
  const indent = edit.childIndent(config);
  const unit = indent.slice(edit.lineIndent(config.getStart(file)).length) || '  ';
  const flows = edit.project(undefined, style, '', '');
  const byDefault = `{ name: ${style.quote}default${style.quote} }`;
  const list = edit.multiline(config)
    ? `projects: [${edit.nl}${indent}${unit}${byDefault},${edit.nl}${indent}${unit}${flows},${edit.nl}${indent}]`
    : `projects: [${byDefault}, ${flows}]`;
  return added(
    edit,
    edit.append(config.properties, config, list),
    'beside a "default" project that keeps the current run',
  );
}

function withProjects(
  { file, edit, config, style, flowsDir }: Context,
  projectsProp: ts.ObjectLiteralElementLike,
  fileName: string,
  named: string | undefined,
): FlowsProjectPlan {
  const where = `the projects list at line ${edit.line(projectsProp.getStart(file))} of ${fileName}`;
  const array = ts.isPropertyAssignment(projectsProp) ? unwrap(projectsProp.initializer) : undefined;
  const literals =
    array && ts.isArrayLiteralExpression(array) ? array.elements.map(unwrap).filter(ts.isObjectLiteralExpression) : [];
  if (literals.some((p) => stringOf(prop(p, 'name')) === 'flows'))
    return { action: 'kept', reason: 'it already has a "flows" project' };
  const projects = literals.filter((p) => !p.properties.some(ts.isSpreadAssignment));
  const setups = setupNames(projects);
  const candidates = projects.filter((p) => !isSetup(p, setups));
  for (const project of candidates) {
    const runs = runsFlows(config, project, flowsDir);
    if (runs)
      return {
        action: 'kept',
        reason: `its project "${stringOf(prop(project, 'name')) ?? '(unnamed)'}" already runs flows/ (${runs})`,
      };
  }
  const main = (named ? candidates.find((p) => stringOf(prop(p, 'name')) === named) : undefined) ?? candidates[0];
  const mainIndent = main ? edit.lineIndent(main.getStart(file)) : '';
  const snippet = main
    ? dedent(edit.project(main, style, edit.childIndent(main), mainIndent), mainIndent)
    : edit.project(undefined, style, '  ', '');
  if (!array || !ts.isArrayLiteralExpression(array))
    return manual(`its projects are built by code (\`${oneLine(projectsProp.getText(file))}\`)`, where, snippet);
  const odd = array.elements
    .map(unwrap)
    .find((e) => !ts.isObjectLiteralExpression(e) || e.properties.some(ts.isSpreadAssignment));
  if (odd)
    return manual(
      `its projects list holds \`${oneLine(odd.getText(file))}\`, which verigap does not edit`,
      where,
      snippet,
    );
  const elementIndent = array.elements[0] ? edit.lineIndent(array.elements[0].getStart(file)) : edit.childIndent(array);
  const text = edit.project(main, style, main ? edit.childIndent(main) : `${elementIndent}  `, elementIndent);
  const mainName = main && stringOf(prop(main, 'name'));
  return added(
    edit,
    edit.append(array.elements, array, text),
    main
      ? `with the use and dependencies of ${mainName ? `"${mainName}"` : 'its first project'}`
      : 'no other test project to copy use from',
  );
}

/** Adds `name@range` to devDependencies in sorted place; null when the package already depends on it. */
export function addDevDependency(packageJson: string, name: string, range: string): string | null {
  const parsed = JSON.parse(packageJson) as Record<string, Record<string, string> | undefined> | null;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('it is not a JSON object');
  if (parsed.dependencies?.[name] !== undefined || parsed.devDependencies?.[name] !== undefined) return null;
  const file = ts.parseJsonText('package.json', packageJson);
  const root = file.statements[0]?.expression;
  if (!root || !ts.isObjectLiteralExpression(root)) throw new Error('it is not a JSON object');
  const edit = new Editor(file);
  const entry = `${JSON.stringify(name)}: ${JSON.stringify(range)}`;
  const devProp = prop(root, 'devDependencies');
  const dev = devProp && ts.isPropertyAssignment(devProp) ? devProp.initializer : undefined;
  if (devProp && !(dev && ts.isObjectLiteralExpression(dev))) throw new Error('its devDependencies is not an object');
  if (dev && ts.isObjectLiteralExpression(dev)) {
    const after = dev.properties.find(
      (p) => p.name && ts.isStringLiteral(p.name) && p.name.text.localeCompare(name, 'en') > 0,
    );
    return apply(packageJson, after ? [edit.insertBefore(dev, after, entry)] : edit.append(dev.properties, dev, entry));
  }
  const indent = edit.childIndent(root);
  const unit = indent.slice(edit.lineIndent(root.getStart(file)).length) || '  ';
  const block = edit.multiline(root)
    ? `"devDependencies": {${edit.nl}${indent}${unit}${entry}${edit.nl}${indent}}`
    : `"devDependencies": { ${entry} }`;
  return apply(packageJson, edit.append(root.properties, root, block));
}

function added(edit: Editor, inserts: Insert[], detail: string): FlowsProjectPlan {
  return { action: 'added', text: apply(edit.text, inserts), detail };
}

function manual(reason: string, where: string, snippet: string): FlowsProjectPlan {
  return { action: 'manual', reason, where, snippet };
}

function apply(text: string, inserts: Insert[]): string {
  const ordered = inserts
    .map((insert, index) => ({ ...insert, index }))
    .sort((a, b) => b.at - a.at || b.index - a.index);
  return ordered.reduce((out, { at, text: piece }) => out.slice(0, at) + piece + out.slice(at), text);
}

/** `export default defineConfig({…})`, `export default {…}`, `module.exports = …`, or a top-level const they name. */
function findConfigObject(file: ts.SourceFile): Props | string {
  for (const statement of file.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) return resolve(file, statement.expression, 0);
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      statement.expression.left.getText(file) === 'module.exports'
    )
      return resolve(file, statement.expression.right, 0);
  }
  return 'it has no `export default` or `module.exports =` verigap can read';
}

function resolve(file: ts.SourceFile, node: ts.Expression, depth: number): Props | string {
  const expression = unwrap(node);
  if (ts.isObjectLiteralExpression(expression)) return expression;
  const [first, ...more] =
    ts.isCallExpression(expression) && /(^|\.)defineConfig$/.test(expression.expression.getText(file))
      ? expression.arguments
      : [];
  if (first && more.length === 0) return resolve(file, first, depth + 1);
  if (ts.isIdentifier(expression) && depth < 3) {
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const declaration = statement.declarationList.declarations.find(
        (d) => ts.isIdentifier(d.name) && d.name.text === expression.text,
      );
      if (declaration?.initializer) return resolve(file, declaration.initializer, depth + 1);
    }
  }
  return `its config is built by code (\`${oneLine(expression.getText(file))}\`)`;
}

function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    node = node.expression;
  return node;
}

function prop(object: Props, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find(
    (p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
}

function stringOf(property: ts.ObjectLiteralElementLike | undefined): string | undefined {
  const value = property && ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
  return value && ts.isStringLiteralLike(value) ? value.text : undefined;
}

/** Projects other projects run first (dependencies) or after (teardown). */
function setupNames(projects: Props[]): Set<string> {
  const names = new Set<string>();
  for (const project of projects) {
    const dependencies = prop(project, 'dependencies');
    const values =
      dependencies && ts.isPropertyAssignment(dependencies) && ts.isArrayLiteralExpression(dependencies.initializer)
        ? dependencies.initializer.elements
        : [];
    for (const value of values) if (ts.isStringLiteralLike(value)) names.add(value.text);
    const teardown = stringOf(prop(project, 'teardown'));
    if (teardown) names.add(teardown);
  }
  return names;
}

function isSetup(project: Props, setups: Set<string>): boolean {
  const name = stringOf(prop(project, 'name')) ?? '';
  const testMatch = prop(project, 'testMatch')?.getText() ?? '';
  return setups.has(name) || /setup|teardown/i.test(name) || /setup|teardown/i.test(testMatch);
}

/** How this project (or the config without projects) already runs every spec under flows/, if it does. */
function runsFlows(config: Props, project: Props | undefined, flowsDir: string): string | undefined {
  const own = (name: string) => (project && prop(project, name)) ?? prop(config, name);
  if (own('testMatch') || own('testIgnore')) return undefined;
  const testDir = own('testDir');
  const dir = testDir ? stringOf(testDir) : '.';
  if (dir === undefined || posix.relative(posix.normalize(dir), posix.normalize(flowsDir)).startsWith('..'))
    return undefined;
  return testDir ? `testDir '${dir}'` : 'no testDir';
}

function quoteOf(file: ts.SourceFile, config: Props): string {
  let quote = `'`;
  const visit = (node: ts.Node): boolean =>
    ts.isStringLiteral(node)
      ? ((quote = file.text[node.getStart(file)] ?? quote), true)
      : (ts.forEachChild(node, visit) ?? false);
  visit(config);
  return quote;
}

function dedent(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/** Layout-aware insertion: the new text takes the indentation, commas and line endings of its neighbours. */
class Editor {
  readonly nl: string;
  readonly text: string;
  constructor(private readonly file: ts.SourceFile) {
    this.text = file.text;
    this.nl = file.text.includes('\r\n') ? '\r\n' : '\n';
  }

  line(pos: number): number {
    return this.file.getLineAndCharacterOfPosition(pos).line + 1;
  }

  lineIndent(pos: number): string {
    const text = this.file.text;
    const start = text.lastIndexOf('\n', pos - 1) + 1;
    return /^[ \t]*/.exec(text.slice(start))![0];
  }

  multiline(node: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression): boolean {
    return this.line(node.getStart(this.file)) !== this.line(node.end);
  }

  /** The indentation of the node's first child, or one level deeper than the node's line. */
  childIndent(node: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression): string {
    const first = ts.isObjectLiteralExpression(node) ? node.properties[0] : node.elements[0];
    if (first && this.line(first.getStart(this.file)) !== this.line(node.getStart(this.file)))
      return this.lineIndent(first.getStart(this.file));
    return `${this.lineIndent(node.getStart(this.file))}  `;
  }

  /** The flows project, laid out like `like` (its use and dependencies copied as written), or on one line. */
  project(like: Props | undefined, style: ProjectStyle, propIndent: string, closeIndent: string): string {
    const q = (value: string) => `${style.quote}${value}${style.quote}`;
    const props = [`name: ${q('flows')}`, `testDir: ${q(style.flowsDir)}`];
    if (style.testMatch) props.push(`testMatch: ${q(defaultTestMatch)}`);
    for (const name of ['use', 'dependencies']) {
      const copied = like && prop(like, name);
      if (copied) props.push(copied.getText(this.file));
    }
    if (!propIndent || (like && !this.multiline(like))) return `{ ${props.join(', ')} }`;
    if (!like) props.push('// use and dependencies: those of your main project (storageState, setup projects)');
    const trailing = like ? like.properties.hasTrailingComma : true;
    const body = props.map(
      (p, i) => `${propIndent}${p}${p.startsWith('//') ? '' : i < props.length - 1 || trailing ? ',' : ''}`,
    );
    return `{${this.nl}${body.join(this.nl)}${this.nl}${closeIndent}}`;
  }

  /** Inserts `item` after the last element of a list, on its own line when the list is laid out one per line. */
  append(elements: ts.NodeArray<ts.Node>, container: ts.Node, item: string): Insert[] {
    const text = this.file.text;
    const last = elements[elements.length - 1];
    const open = container.getStart(this.file);
    if (!last) {
      const close = container.end - 1;
      return [
        {
          at: open + 1,
          text: this.line(open) === this.line(close) ? ` ${item} ` : `${this.nl}${this.lineIndent(close)}  ${item}`,
        },
      ];
    }
    const commaEnd = elements.hasTrailingComma ? text.indexOf(',', skipTrivia(text, last.end)) + 1 : last.end;
    if (this.line(elements[0]!.getStart(this.file)) === this.line(open)) {
      return [{ at: commaEnd, text: elements.hasTrailingComma ? ` ${item},` : `, ${item}` }];
    }
    const newline = text.indexOf('\n', commaEnd);
    const lineEnd = newline === -1 ? text.length : text[newline - 1] === '\r' ? newline - 1 : newline;
    const at = /^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(text.slice(commaEnd, lineEnd)) ? lineEnd : commaEnd;
    const row = `${this.nl}${this.lineIndent(last.getStart(this.file))}${item}`;
    return elements.hasTrailingComma
      ? [{ at, text: `${row},` }]
      : [
          { at: last.end, text: ',' },
          { at, text: row },
        ];
  }

  insertBefore(container: ts.ObjectLiteralExpression, before: ts.Node, item: string): Insert {
    const at = before.getStart(this.file);
    return { at, text: this.multiline(container) ? `${item},${this.nl}${this.lineIndent(at)}` : `${item}, ` };
  }
}

/** The position after whitespace and comments. */
function skipTrivia(text: string, pos: number): number {
  for (;;) {
    const rest = text.slice(pos);
    const skipped = /^(\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (!skipped) return pos;
    pos += skipped[0].length;
  }
}
