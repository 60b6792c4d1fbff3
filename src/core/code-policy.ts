import ts from 'typescript';
import { firstInvisible } from './invisible-characters.js';
import { resolveTarget } from './origin-policy.js';

/** What a generated spec may do (SPEC §6.4), checked on the TypeScript AST, never with regexes. */
export interface PolicyContext {
  incidentId: string;
  flowId: string;
  /** Origin of baseURL: navigation and requests elsewhere are refused. */
  origin: string;
  /** Other origins a navigation or request may reach (`allowedOrigins:`). */
  allowedOrigins?: readonly string[] | undefined;
}

export interface IncidentAssertion {
  /** 1-based line range of the statement. */
  startLine: number;
  endLine: number;
  /** The matcher chain after expect(…), whitespace removed: what a repair may not change. */
  matcher: string;
}

export interface PolicyResult {
  problems: string[];
  assertions: IncidentAssertion[];
}

const forbiddenIdentifiers = new Set([
  'process',
  'require',
  'eval',
  'Function',
  'globalThis',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'module',
  '__dirname',
  '__filename',
]);
const forbiddenModules =
  /^(node:)?(child_process|fs|fs\/promises|net|http|https|http2|dgram|tls|os|vm|worker_threads|cluster)$/;
const escapes = new Set(['skip', 'fixme', 'only', 'fail']);
const unsafeAncestors = new Set([
  ts.SyntaxKind.TryStatement,
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ConditionalExpression,
  ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.SwitchStatement,
]);

export function checkSpec(code: string, context: PolicyContext): PolicyResult {
  const file = ts.createSourceFile('spec.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const problems: string[] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const refuse = (node: ts.Node, why: string) => problems.push(`line ${lineOf(node)}: ${why}`);

  const syntax =
    ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } })
      .diagnostics ?? [];
  for (const d of syntax)
    problems.push(
      `line ${d.start === undefined ? '?' : file.getLineAndCharacterOfPosition(d.start).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );

  let titled = false;
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const name = (node.moduleSpecifier as ts.StringLiteral).text;
      if (name !== '@playwright/test')
        refuse(node, `imports "${name}": a regression test may import only @playwright/test`);
    }
    if (ts.isImportEqualsDeclaration(node)) refuse(node, 'import = require() is not allowed');
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      refuse(node, 'dynamic import() is not allowed');
    if (ts.isIdentifier(node) && forbiddenIdentifiers.has(node.text) && !isPropertyName(node))
      refuse(
        node,
        `uses ${node.text}: generated tests run without access to the process, the file system or the network`,
      );
    if (ts.isStringLiteralLike(node) && forbiddenModules.test(node.text))
      refuse(node, `mentions the "${node.text}" module`);
    if (
      ts.isPropertyAccessExpression(node) &&
      escapes.has(node.name.text) &&
      /^(test|describe|it)\b/.test(node.expression.getText(file))
    ) {
      refuse(node, `${node.getText(file)} is not allowed: a regression test may not be skipped, focused or inverted`);
    }
    if (ts.isCallExpression(node) && isTestCall(node, file)) titled ||= carriesTags(node, context);
    const navigation = ts.isCallExpression(node) ? navigationOf(node, file) : undefined;
    if (navigation) {
      const target = (node as ts.CallExpression).arguments[0];
      if (!target || !ts.isStringLiteralLike(target))
        refuse(node, `${navigation}() takes a literal path (e.g. "/pricing") so the origin can be checked`);
      else {
        const problem = targetProblem(target.text, context);
        if (problem) refuse(target, `${navigation}(): ${problem}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!titled) problems.push(`the test title must carry @incident:${context.incidentId} and @flow:${context.flowId}`);

  const assertions = incidentAssertions(file, code);
  if (assertions.length === 0)
    problems.push(
      'no incident assertion: mark the expect() that states the expected outcome with a // @incident-assertion comment',
    );
  for (const a of assertions)
    if (a.matcher === '')
      problems.push(
        `line ${a.startLine}: a // @incident-assertion comment must mark an awaited expect(…) statement directly in the test body`,
      );
  return { problems, assertions };
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    (ts.isBindingElement(parent) && parent.propertyName === node)
  );
}

/**
 * `page.goto` or a request of `page.request` (or any `….request`): the calls whose first argument is where the
 * spec goes. Only these are URL-checked; every other string is data (a text typed into a field, a title).
 */
function navigationOf(node: ts.CallExpression, file: ts.SourceFile): string | undefined {
  const callee = node.expression;
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)
      ? callee.argumentExpression.text
      : undefined;
  if (!name || !(ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee))) return undefined;
  const object = callee.expression.getText(file).replace(/\s+/g, '');
  if (name === 'goto') return `${object}.goto`;
  if (/^(get|post|put|patch|delete|head|fetch)$/.test(name) && /(^|\.)request$/.test(object))
    return `${object}.${name}`;
  return undefined;
}

/** Why a navigation target is refused, resolved the way the browser resolves it; undefined when it stays on an allowed origin. */
function targetProblem(target: string, context: PolicyContext): string | undefined {
  const invisible = firstInvisible(target);
  if (invisible) return `${JSON.stringify(target)} holds ${invisible.codePoint} (${invisible.kind})`;
  const resolved = resolveTarget(target, { baseURL: context.origin, allowedOrigins: context.allowedOrigins });
  return resolved.ok ? undefined : resolved.reason;
}

function isTestCall(node: ts.CallExpression, file: ts.SourceFile): boolean {
  return node.expression.getText(file) === 'test' && node.arguments.length >= 2;
}

function carriesTags(node: ts.CallExpression, context: PolicyContext): boolean {
  const text = node.arguments.map((arg) => (ts.isStringLiteralLike(arg) ? arg.text : arg.getText())).join(' ');
  return text.includes(`@incident:${context.incidentId}`) && text.includes(`@flow:${context.flowId}`);
}

// a commented-out assertion that kept its marker marks nothing: not itself, not the statement below it
const isMarker = (comment: string) =>
  comment.includes('@incident-assertion') && !/\bexpect\s*(\.\s*poll\s*)?\(/.test(comment);

/** Statements marked by a // @incident-assertion comment, leading or trailing on their line. */
export function incidentAssertions(file: ts.SourceFile, code: string): IncidentAssertion[] {
  const found: IncidentAssertion[] = [];
  const marked = (statement: ts.Statement) => {
    const comments = [
      ...(ts.getLeadingCommentRanges(code, statement.getFullStart()) ?? []),
      ...(ts.getTrailingCommentRanges(code, statement.getEnd()) ?? []),
    ];
    return comments.some((c) => isMarker(code.slice(c.pos, c.end)));
  };
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node) && marked(node)) {
      const line = (pos: number) => file.getLineAndCharacterOfPosition(pos).line + 1;
      found.push({
        startLine: line(node.getStart(file)),
        endLine: line(node.getEnd()),
        matcher: matcherOf(node, file),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** `.not.toBeVisible()` of `await expect(x).not.toBeVisible()`; '' when the statement is not a safe assertion. */
function matcherOf(statement: ts.ExpressionStatement, file: ts.SourceFile): string {
  for (let node: ts.Node = statement.parent; !ts.isSourceFile(node); node = node.parent)
    if (unsafeAncestors.has(node.kind)) return '';
  if (!ts.isAwaitExpression(statement.expression)) return '';
  let expectCall: ts.CallExpression | undefined;
  const find = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isExpect(node.expression)) expectCall ??= node;
    ts.forEachChild(node, find);
  };
  find(statement.expression);
  if (!expectCall) return '';
  return statement.expression
    .getText(file)
    .slice(expectCall.getEnd() - statement.expression.getStart(file))
    .replace(/\s+/g, '');
}

/** `expect` or `expect.poll` (an outcome behind the page, polled until it holds). */
function isExpect(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'expect';
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'expect' &&
    callee.name.text === 'poll'
  );
}

/** A repair may change locators and waits; it may not drop or change an incident assertion's matcher. */
export function weakenedAssertions(
  before: readonly IncidentAssertion[],
  after: readonly IncidentAssertion[],
): string[] {
  const remaining = after.map((a) => a.matcher);
  const missing: string[] = [];
  for (const { matcher } of before) {
    const index = remaining.indexOf(matcher);
    if (index < 0) missing.push(matcher);
    else remaining.splice(index, 1);
  }
  return missing;
}
