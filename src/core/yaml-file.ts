import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';

/** Where a problem is in a file: its line (1-based) and why. */
export interface FileProblem {
  line: number | undefined;
  reason: string;
}

export type Parsed<T> = { ok: true; value: T; document: Document } | { ok: false; problem: FileProblem };

/**
 * Parses YAML and validates it with a zod schema, keeping line numbers so that the message
 * can name the line. `lineOffset` is added for YAML embedded after other lines (front matter).
 */
export function parseYamlWith<T>(text: string, schema: z.ZodType<T>, lineOffset = 0): Parsed<T> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line + lineOffset;
    return { ok: false, problem: { line, reason: `invalid YAML: ${firstLine(syntax.message)}` } };
  }
  const result = schema.safeParse(document.toJS() ?? {});
  if (result.success) return { ok: true, value: result.data, document };
  const issue = result.error.issues[0]!;
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  const line = lineOf(document, lineCounter, path);
  const field = path.length > 0 ? `${path.join('.')}: ` : '';
  return {
    ok: false,
    problem: { line: line === undefined ? undefined : line + lineOffset, reason: `${field}${issue.message}` },
  };
}

function lineOf(document: Document, lineCounter: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
