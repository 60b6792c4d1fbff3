import { Document, isSeq } from 'yaml';
import { InputError } from '../errors.js';
import { parseYamlDocument } from './yaml-file.js';

/** An incident file's parts: its byte order mark, the YAML between the `---` lines, the line break after the closing one, and the body. */
export interface FrontMatter {
  bom: string;
  yaml: string;
  /** The line break after the closing `---` ('' when the file ends there). */
  closing: string;
  body: string;
}

/**
 * Splits `---` front matter from the body: the opening and closing lines are `---` alone (trailing spaces
 * allowed), so a `----` or `--- x` line inside is YAML, never the end of the front matter.
 */
export function splitFrontMatter(text: string): FrontMatter | undefined {
  const match = /^(\uFEFF?)---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(\r?\n|$)([\s\S]*)$/.exec(text);
  return match ? { bom: match[1]!, yaml: match[2] ?? '', closing: match[3]!, body: match[4]! } : undefined;
}

/**
 * Sets `regression.<key>` values in an incident's front matter, leaving every other line of the
 * file (comments, key order, the Markdown body) as it was.
 */
export function setRegression(text: string, values: Record<string, unknown>): string {
  // a byte order mark before the front matter is the user's and stays
  const parts = splitFrontMatter(text);
  if (!parts)
    throw new InputError(
      'the incident has no front matter: it must start with a "---" line, the fields, and a closing "---"',
    );
  const document = parseYamlDocument(parts.yaml);
  for (const [key, value] of Object.entries(values))
    if (value !== undefined) document.setIn(['regression', key], value);
  return `${parts.bom}---\n${document.toString({ lineWidth: 0, flowCollectionPadding: false })}---${parts.closing || '\n'}${parts.body}`;
}

/** The Markdown of a new incident: front matter in the order of SPEC §2, then the body. */
export function renderIncidentFile(meta: Record<string, unknown>, body: string): string {
  const order = [
    'id',
    'title',
    'severity',
    'status',
    'flows',
    'started_at',
    'detected_at',
    'mitigated_at',
    'resolved_at',
    'detection',
    'introduced_by',
    'fixed_by',
  ];
  const document = new Document(
    Object.fromEntries(order.filter((key) => meta[key] !== undefined).map((key) => [key, meta[key]])),
  );
  const flows = document.get('flows', true);
  if (isSeq(flows)) flows.flow = true;
  return `---\n${document.toString({ lineWidth: 0, flowCollectionPadding: false })}---\n${body.trim()}\n`;
}

export const incidentBodyTemplate = `## What happened

## Steps to reproduce
1. Go to /

## Expected

## Actual

## Root cause

## Action items
`;
