import type { IncidentMeta } from './incident-schema.js';

export type { IncidentMeta };

export interface Incident extends IncidentMeta {
  file: string;
  body: string;
}

/** The Markdown section under `## <heading>`, up to the next heading of the same level. */
export function sectionOf(body: string, heading: string): string | undefined {
  const lines = body.split('\n');
  const start = lines.findIndex((line) => line.trim().toLowerCase() === `## ${heading.toLowerCase()}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}
