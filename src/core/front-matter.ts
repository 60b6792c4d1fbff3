import { Document, isSeq } from 'yaml';
import { parseYamlDocument } from './yaml-file.js';

/**
 * Sets `regression.<key>` values in an incident's front matter, leaving every other line of the
 * file (comments, key order, the Markdown body) as it was.
 */
export function setRegression(text: string, values: Record<string, unknown>): string {
  // a byte order mark before the front matter is the user's and stays
  const match = /^(\uFEFF?)---\r?\n([\s\S]*?\r?\n)---(\r?\n[\s\S]*)$/.exec(text);
  if (!match) throw new Error('the incident has no front matter');
  const document = parseYamlDocument(match[2]!);
  for (const [key, value] of Object.entries(values)) if (value !== undefined) document.setIn(['regression', key], value);
  return `${match[1]}---\n${document.toString({ lineWidth: 0, flowCollectionPadding: false })}---${match[3]}`;
}

/** The Markdown of a new incident: front matter in the order of SPEC §2, then the body. */
export function renderIncidentFile(meta: Record<string, unknown>, body: string): string {
  const order = ['id', 'title', 'severity', 'status', 'flows', 'started_at', 'detected_at', 'mitigated_at', 'resolved_at', 'detection', 'introduced_by', 'fixed_by'];
  const document = new Document(Object.fromEntries(order.filter((key) => meta[key] !== undefined).map((key) => [key, meta[key]])));
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
