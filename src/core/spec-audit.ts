import ts from 'typescript';
import { incidentAssertions } from './code-policy.js';

const skips = new Set(['skip', 'fixme']);
const runners = new Set(['test', 'it', 'describe']);

/**
 * Whether a merged regression spec still protects its flow (SPEC §6, the ledger audit), read on
 * the TypeScript AST with the generator's own policy (src/core/code-policy.ts), so words in a
 * comment or a string never count. `skipped`: any real call of test.skip / test.fixme /
 * test.describe.skip / describe.skip / it.skip …, conditional ones included (the generator
 * refuses them all). `assertion-removed`: no awaited expect(…) statement is marked
 * `// @incident-assertion` any more, or the marked one sits in a try, an if or a loop.
 */
export function auditRegressionSpec(code: string): 'skipped' | 'assertion-removed' | null {
  const file = ts.createSourceFile('spec.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  let skipped = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isSkipCall(node.expression)) skipped = true;
    if (!skipped) ts.forEachChild(node, visit);
  };
  visit(file);
  if (skipped) return 'skipped';
  return incidentAssertions(file, code).some((assertion) => assertion.matcher !== '') ? null : 'assertion-removed';
}

/** `test.skip`, `test['fixme']`, `test.describe.skip`: a skip name called on a chain that starts at a runner. */
function isSkipCall(callee: ts.Expression): boolean {
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)
      ? callee.argumentExpression.text
      : undefined;
  if (name === undefined || !skips.has(name)) return false;
  let root: ts.Expression = (callee as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
  return ts.isIdentifier(root) && runners.has(root.text);
}
