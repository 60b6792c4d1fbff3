import ts from 'typescript';
import { compileSteps, specSource } from './steps.js';
import { exploreHook } from './explore.js';

/**
 * SPEC §6.4's allowlist: a spec verigap wrote may hold only the statements its steps compiler emits.
 * Literals are data; everything else (callees, matchers, arguments' shapes) must match a statement the
 * compiler emits for one of the sample steps below, so a new compiler rule needs a sample here first
 * (it is refused until then: this check fails closed).
 */
const SAMPLE_STEPS = [
  'Go to /a',
  'Click "A"',
  'Click the "A" button',
  'Fill "A" with "B"',
  'Select "A" in "B"',
  'Check "A"',
  'Uncheck "A"',
  'Press Enter',
  'Click the checkbox in the "A" list item',
  'Check the checkbox in the "A" list item',
  'Uncheck the checkbox in the "A" list item',
  'Wait for the text "A"',
  'Expect the URL to contain /a',
  'Expect the text "A" to be visible',
  'Expect the text "A" not to be visible',
  ...['visible', 'hidden', 'enabled', 'disabled', 'checked', 'unchecked'].map(
    (state) => `Expect the "A" button to be ${state}`,
  ),
  'Expect the "A" status to contain the text "B"',
  'Expect the "A" textbox to have the value "B"',
  'Expect 2 "A" buttons',
  'Expect the "A" list to have 2 items',
  'Expect the title to be "A"',
  'Expect GET /a to return 200',
  'Expect GET /a to return 200 with "B"',
  'Expect POST /a to return 201',
];

export interface AllowlistContext {
  /** Origins a navigation or request literal may name: baseURL's first, then the other sides' and allowedOrigins. */
  origins: readonly string[];
  /** An explore spec: the compiled test may be followed by verigap's snapshot hook, exactly as it emits it. */
  explore?: boolean;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The statement with every string, regex and number literal replaced by a fixed one: what the compiler chose, not what it was given. */
function shapeOf(node: ts.Node, file: ts.SourceFile): string {
  const literals: ts.TransformerFactory<ts.Node> = (context) => {
    const visit = (child: ts.Node): ts.Node => {
      if (ts.isStringLiteral(child)) return ts.factory.createStringLiteral('S');
      if (ts.isRegularExpressionLiteral(child)) return ts.factory.createRegularExpressionLiteral('/R/');
      if (ts.isNumericLiteral(child)) return ts.factory.createNumericLiteral(0);
      return ts.visitEachChild(child, visit, context);
    };
    return (root) => ts.visitNode(root, visit)!;
  };
  const [shaped] = ts.transform(node, [literals]).transformed;
  return printer.printNode(ts.EmitHint.Unspecified, shaped!, file).replace(/\s+/g, ' ');
}

const parse = (code: string) => ts.createSourceFile('spec.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);

/** The test body of a spec in verigap's layout, or null. */
function testBody(file: ts.SourceFile): ts.Block | null {
  const call = file.statements[1];
  if (!call || !ts.isExpressionStatement(call) || !ts.isCallExpression(call.expression)) return null;
  const arrow = call.expression.arguments[1];
  return arrow && ts.isArrowFunction(arrow) && ts.isBlock(arrow.body) ? arrow.body : null;
}

let allowed: { shapes: Set<string>; names: Set<string> } | undefined;

/** The statement shapes and the names the compiler emits, from compiling the samples once. */
function compilerShapes() {
  if (allowed) return allowed;
  const compiled = compileSteps(SAMPLE_STEPS.join('\n'));
  if (!compiled.ok)
    throw new Error(
      `spec-allowlist: a sample step no longer compiles: ${compiled.problems.map((p) => p.text).join(', ')}`,
    );
  const file = parse(specSource({ incidentId: 'i', flowId: 'f', title: 't' }, compiled.body));
  const statements = testBody(file)?.statements ?? [];
  const names = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, collect);
  };
  statements.forEach(collect);
  allowed = { shapes: new Set(statements.map((s) => shapeOf(s, file))), names };
  return allowed;
}

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u3000]/u;
const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a navigation or request target is refused, resolved the way the browser resolves it (WHATWG URL against baseURL); null when fine. */
export function targetProblem(target: string, origins: readonly string[]): string | null {
  const invisible = INVISIBLE.exec(target);
  if (invisible)
    return `"${JSON.stringify(target).slice(1, -1)}" contains the control or invisible character ${codePoint(invisible[0])}`;
  if (target !== target.trim()) return `"${target}" starts or ends with white space`;
  let url: URL;
  try {
    url = new URL(target, `${origins[0]}/`);
  } catch {
    return `"${target}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `"${target}" uses the ${url.protocol} scheme, not http(s)`;
  if (!origins.includes(url.origin)) return `"${target}" reaches ${url.origin}, outside baseURL's origin ${origins[0]}`;
  return null;
}

/** The first argument of page.goto, page.request.get and page.request.fetch: the URLs a compiled spec reaches. */
function targetsOf(statement: ts.Node): ts.StringLiteral[] {
  const found: ts.StringLiteral[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      /^(goto|get|fetch)$/.test(node.expression.name.text)
    ) {
      const target = node.arguments[0];
      if (target && ts.isStringLiteral(target)) found.push(target);
    }
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

function unknownNames(statement: ts.Node, names: Set<string>): string[] {
  const unknown = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !names.has(node.text)) unknown.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return [...unknown];
}

/** Is the file's frame exactly `import { test, expect } from '@playwright/test'` and one `test(title, async ({ page }) => { … })`? */
function frameProblems(file: ts.SourceFile, lineOf: (node: ts.Node) => number, explore: boolean): string[] {
  const [imported, call, ...after] = file.statements;
  const rest = explore && after.length === 1 && isExploreHook(after[0]!, file) ? [] : after;
  const problems: string[] = [];
  const importOk =
    imported &&
    ts.isImportDeclaration(imported) &&
    shapeOf(imported, file) === 'import { test, expect } from "S";' &&
    (imported.moduleSpecifier as ts.StringLiteral).text === '@playwright/test';
  if (!importOk)
    problems.push(
      `line ${imported ? lineOf(imported) : 1}: a compiled spec starts with \`import { test, expect } from '@playwright/test';\` and imports nothing else`,
    );
  const test =
    call && ts.isExpressionStatement(call) && ts.isCallExpression(call.expression) ? call.expression : undefined;
  const [title, arrow] = test?.arguments ?? [];
  const param = arrow && ts.isArrowFunction(arrow) && arrow.parameters.length === 1 ? arrow.parameters[0]! : undefined;
  const binding = param && ts.isObjectBindingPattern(param.name) ? param.name.elements : undefined;
  const frameOk =
    test &&
    ts.isIdentifier(test.expression) &&
    test.expression.text === 'test' &&
    !test.typeArguments &&
    test.arguments.length === 2 &&
    title &&
    ts.isStringLiteral(title) &&
    arrow &&
    ts.isArrowFunction(arrow) &&
    ts.isBlock(arrow.body) &&
    !arrow.type &&
    !arrow.typeParameters &&
    arrow.modifiers?.length === 1 &&
    arrow.modifiers[0]!.kind === ts.SyntaxKind.AsyncKeyword &&
    param &&
    !param.type &&
    !param.initializer &&
    !param.dotDotDotToken &&
    binding?.length === 1 &&
    ts.isIdentifier(binding[0]!.name) &&
    binding[0]!.name.text === 'page' &&
    !binding[0]!.propertyName &&
    !binding[0]!.initializer &&
    !binding[0]!.dotDotDotToken;
  if (!frameOk)
    problems.push(
      `line ${call ? lineOf(call) : 1}: a compiled spec has one \`test("<title>", async ({ page }) => { … })\` and nothing else at its top level`,
    );
  for (const statement of rest)
    problems.push(
      `line ${lineOf(statement)}: a compiled spec has nothing after its test (\`${firstLine(statement, file)}\`)`,
    );
  return problems;
}

let hookPrinted: string | undefined;

/** Is the statement verigap's explore hook, as it emits it (comments and spacing aside)? */
function isExploreHook(statement: ts.Statement, file: ts.SourceFile): boolean {
  if (hookPrinted === undefined) {
    const hook = parse(exploreHook);
    hookPrinted = printer.printNode(ts.EmitHint.Unspecified, hook.statements[0]!, hook).replace(/\s+/g, ' ');
  }
  return printer.printNode(ts.EmitHint.Unspecified, statement, file).replace(/\s+/g, ' ') === hookPrinted;
}

const firstLine = (node: ts.Node, file: ts.SourceFile) => {
  const text = node.getText(file).split('\n')[0]!;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** The reasons a spec is not made only of statements the steps compiler emits; empty when it is. */
export function checkAllowlist(code: string, context: AllowlistContext): string[] {
  const file = parse(code);
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const syntax =
    ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } })
      .diagnostics ?? [];
  if (syntax.length > 0) {
    return syntax.map(
      (d) =>
        `line ${d.start === undefined ? '?' : file.getLineAndCharacterOfPosition(d.start).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
  }
  const problems = frameProblems(file, lineOf, context.explore ?? false);
  const body = testBody(file);
  if (problems.length > 0 || !body) return problems;
  const { shapes, names } = compilerShapes();
  for (const statement of body.statements) {
    const where = `line ${lineOf(statement)}: \`${firstLine(statement, file)}\``;
    if (!shapes.has(shapeOf(statement, file))) {
      const unknown = unknownNames(statement, names);
      problems.push(
        `${where} is not a statement the steps compiler emits (${unknown.length > 0 ? `no step compiles to ${unknown.join(', ')}` : "its shape differs from every step's"})`,
      );
      continue;
    }
    for (const target of targetsOf(statement)) {
      const why = targetProblem(target.text, context.origins);
      if (why) problems.push(`${where}: ${why}`);
    }
  }
  return problems;
}
