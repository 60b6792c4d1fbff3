import {
  LineCounter,
  parseDocument,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Node,
} from 'yaml';
import type { z } from 'zod';
import { thousands } from './thousands.js';

/** Where a problem is in a file: its line (1-based) and why. */
export interface FileProblem {
  line: number | undefined;
  reason: string;
}

export type Parsed<T> = { ok: true; value: T; document: Document } | { ok: false; problem: FileProblem };

/**
 * Parses YAML and validates it with a zod schema, keeping line numbers so that the message
 * can name the line. `lineOffset` is added for YAML embedded after other lines (front matter).
 * `whenEmpty` is what a file with no value (empty, or only comments) stands for.
 */
export function parseYamlWith<T>(
  text: string,
  schema: z.ZodType<T>,
  lineOffset = 0,
  whenEmpty: unknown = {},
): Parsed<T> {
  // the yaml package reads about 1 MB in 2 s: a larger file is refused before it is parsed
  if (text.length > yamlSizeLimit) {
    return {
      ok: false,
      problem: {
        line: undefined,
        reason: `the YAML is ${thousands(Math.ceil(text.length / 1024))} KB; verigap reads at most ${yamlSizeLimit / 1024 / 1024} MB of YAML in one file (split or shorten it)`,
      },
    };
  }
  const lineCounter = new LineCounter();
  const document = parseYamlDocument(text, lineCounter);
  const syntax = document.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line + lineOffset;
    return { ok: false, problem: { line, reason: `invalid YAML: ${firstLine(syntax.message)}` } };
  }
  const duplicate = firstDuplicateKey(document, lineCounter, lineOffset);
  if (duplicate) return { ok: false, problem: duplicate };
  const value = documentValue(document, lineCounter, lineOffset);
  if (!value.ok) return value;
  const result = schema.safeParse(document.contents === null ? whenEmpty : (value.value ?? whenEmpty));
  if (result.success) return { ok: true, value: result.data, document };
  const issue = result.error.issues[0]!;
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  // an unknown key is named on its own line; a file of 50,000 of them gets a message of three
  const where = unknownKeys.length > 0 ? [...path, unknownKeys[0]!] : path;
  const line =
    unknownKeys.length > 0
      ? (keyLine(document, lineCounter, where) ?? lineOf(document, lineCounter, path))
      : lineOf(document, lineCounter, path);
  const field = path.length > 0 ? `${path.join('.')}: ` : '';
  const reason = unknownKeys.length > 0 ? unknownKeysReason(unknownKeys) : issue.message;
  return {
    ok: false,
    problem: { line: line === undefined ? undefined : line + lineOffset, reason: `${field}${reason}` },
  };
}

/** The most YAML verigap parses in one file (verigap.yaml, flow.yaml, waivers.yaml, an incident's front matter). */
export const yamlSizeLimit = 1024 * 1024;

/**
 * The document as plain values, or the problem with its aliases: `*name` with no `&name` before it, or aliases
 * that expand past the yaml package's bound (a "billion laughs" document), which `toJS` throws on.
 */
export function documentValue(
  document: Document,
  lineCounter: LineCounter,
  lineOffset = 0,
): { ok: true; value: unknown } | { ok: false; problem: FileProblem } {
  try {
    return { ok: true, value: document.toJS() };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const unresolved = /^Unresolved alias/.test(error.message);
    let line: number | undefined;
    visit(document, {
      Alias(_, node) {
        // the alias the message names, or (too many aliases) the first one
        if (unresolved && !error.message.endsWith(`: ${node.source}`)) return undefined;
        line = node.range ? lineCounter.linePos(node.range[0]).line + lineOffset : undefined;
        return visit.BREAK;
      },
    });
    const reason = unresolved
      ? `invalid YAML: ${firstLine(error.message)}`
      : 'invalid YAML: its aliases (*name) expand to more values than verigap reads (a "billion laughs" document?); write the values out';
    return { ok: false, problem: { line, reason } };
  }
}

function unknownKeysReason(keys: readonly string[]): string {
  const shown = keys
    .slice(0, 3)
    .map((key) => `"${key}"`)
    .join(', ');
  const more = keys.length > 3 ? ` and ${thousands(keys.length - 3)} more` : '';
  return `unknown key${keys.length > 1 ? 's' : ''} ${shown}${more}: remove or rename ${keys.length > 1 ? 'them' : 'it'}`;
}

function keyLine(document: Document, lineCounter: LineCounter, path: (string | number)[]): number | undefined {
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
  return isNode(pair?.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
}

/**
 * Parses a YAML document without the `yaml` package's duplicate-key check, which compares every
 * key with every earlier one (50,000 keys: 46 s); `firstDuplicateKey` does the same job in linear time.
 */
export function parseYamlDocument(text: string, lineCounter?: LineCounter): Document {
  return parseDocument(text, { ...(lineCounter ? { lineCounter } : {}), prettyErrors: false, uniqueKeys: false });
}

/**
 * The first key that appears twice in one map of the document, anywhere in it, with its line:
 * one pass over every node (iterative, so deep nesting cannot overflow the stack), one Map per map.
 * `lineOffset` is added to both lines named, for YAML embedded after other lines (front matter).
 */
export function firstDuplicateKey(
  document: Document,
  lineCounter: LineCounter,
  lineOffset = 0,
): { line: number; reason: string } | undefined {
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    const children: unknown[] = [];
    if (isMap(node)) {
      const seen = new Map<unknown, Node>();
      for (const pair of node.items) {
        // like the yaml package, scalar keys are compared by value and other keys by identity
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        const earlier = seen.get(key);
        if (earlier !== undefined && isNode(pair.key)) {
          const line = lineCounter.linePos(pair.key.range?.[0] ?? 0).line + lineOffset;
          const first = earlier.range ? lineCounter.linePos(earlier.range[0]).line + lineOffset : undefined;
          return {
            line,
            reason: `invalid YAML: Map keys must be unique ("${String(key)}" is already set${first ? ` at line ${first}` : ''}; keep one)`,
          };
        }
        if (isNode(pair.key)) seen.set(key, pair.key);
        children.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) children.push(item);
    } else if (isPair(node)) {
      children.push(node.key, node.value);
    }
    // reversed, so that maps are visited in document order and the first duplicate is the one named
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
  }
  return undefined;
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
