import { join } from 'node:path';
import { LineCounter } from 'yaml';
import { insideRoot, writeInside } from '../adapters/inside-root.js';
import { givenIntroducedBy, incidentSchema } from '../core/incident-schema.js';
import { incidentBodyTemplate, renderIncidentFile, splitFrontMatter } from '../core/front-matter.js';
import { slugify } from '../core/ids.js';
import { parseWhen } from '../core/when.js';
import { documentValue, firstDuplicateKey, parseYamlDocument } from '../core/yaml-file.js';
import { isThere, readTextFile } from '../adapters/fs.js';
import { FileError, InputError } from '../errors.js';
import type { Repo } from './repo.js';

/** What `incident new` (flags, --from or the form) knows about a new incident. */
export interface NewIncident {
  title?: string | undefined;
  flows?: string[] | undefined;
  severity?: string | undefined;
  started?: string | undefined;
  detected?: string | undefined;
  resolved?: string | undefined;
  fixedBy?: string | undefined;
  introducedBy?: string | undefined;
  detection?: string | undefined;
  body?: string | undefined;
}

/** Reads `--from FILE`: an incident Markdown file whose front matter may leave out the id. */
export function readIncidentDraft(file: string): NewIncident {
  const match = splitFrontMatter(readTextFile(file, file, 'an incident file'));
  if (!match) throw new FileError(file, 1, 'expected YAML front matter between "---" lines, then the Markdown body');
  const lineCounter = new LineCounter();
  const document = parseYamlDocument(match.yaml, lineCounter);
  const syntax = document.errors[0];
  // the front matter starts on the file's second line
  if (syntax)
    throw new FileError(
      file,
      lineCounter.linePos(syntax.pos[0]).line + 1,
      `invalid YAML: ${syntax.message.split('\n')[0]}`,
      'fix the front matter',
    );
  const duplicate = firstDuplicateKey(document, lineCounter, 1);
  if (duplicate) throw new FileError(file, duplicate.line, duplicate.reason, 'fix the front matter');
  const value = documentValue(document, lineCounter, 1);
  if (!value.ok) throw new FileError(file, value.problem.line, value.problem.reason, 'fix the front matter');
  const js: unknown = value.value;
  const meta = (js !== null && typeof js === 'object' && !Array.isArray(js) ? js : {}) as Record<string, unknown>;
  const text_ = (key: string) =>
    meta[key] === undefined
      ? undefined
      : String(meta[key] instanceof Date ? (meta[key] as Date).toISOString() : meta[key]);
  return {
    title: text_('title'),
    flows: Array.isArray(meta.flows) ? meta.flows.map(String) : text_('flows')?.split(','),
    severity: text_('severity'),
    started: text_('started_at'),
    detected: text_('detected_at'),
    resolved: text_('resolved_at'),
    fixedBy: text_('fixed_by'),
    introducedBy: text_('introduced_by'),
    detection: text_('detection'),
    body: match.body,
  };
}

const flagOf: Record<string, string> = {
  title: '--title',
  flows: '--flow',
  severity: '--severity',
  started_at: '--started',
  detected_at: '--detected',
  resolved_at: '--resolved',
  fixed_by: '--fixed-by',
  introduced_by: '--introduced-by',
  detection: '--detection',
};

/** The file text of a new incident under `id` (default: its date and slug), validated with the same schema as the files. */
export function renderNewIncident(
  input: NewIncident,
  now: number,
  id?: string,
): { id: string; text: string; flows: string[]; startedAt: string } {
  const time = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const parsed = parseWhen(value, now);
    if (!parsed.ok) throw new InputError(`${flag} ${parsed.reason}`);
    return new Date(parsed.time).toISOString();
  };
  const started = time('--started', input.started) ?? new Date(now).toISOString();
  const resolved = time('--resolved', input.resolved);
  const meta = {
    id: id ?? baseId(input, now),
    title: input.title,
    severity: input.severity,
    status: resolved ? 'resolved' : 'open',
    flows: input.flows,
    started_at: started,
    detected_at: time('--detected', input.detected),
    resolved_at: resolved,
    detection: input.detection,
    introduced_by: givenIntroducedBy(input.introducedBy),
    fixed_by: input.fixedBy,
  };
  const parsed = incidentSchema.safeParse(meta);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${flagOf[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`);
  }
  return {
    id: meta.id,
    flows: parsed.data.flows,
    startedAt: started,
    text: renderIncidentFile(meta, input.body?.trim() ? input.body : incidentBodyTemplate),
  };
}

function baseId(input: NewIncident, now: number): string {
  const parsed = input.started === undefined ? undefined : parseWhen(input.started, now);
  const started = new Date(parsed?.ok ? parsed.time : now).toISOString();
  return `${started.slice(0, 10)}-${slugify(input.title ?? '')}`;
}

/** Validates with the same schema as the files, then writes incidents/<date>-<slug>.md under a free id. */
export function writeIncident(
  repo: Repo,
  input: NewIncident,
  now: number,
): { id: string; file: string; startedAt: string } {
  insideRoot(repo.root, 'incidents');
  const base = baseId(input, now);
  let id = base;
  for (let n = 2; isThere(join(repo.root, 'incidents', `${id}.md`)); n++) id = `${base.slice(0, 10 + 1 + 57)}-${n}`;
  const rendered = renderNewIncident(input, now, id);
  const unknown = rendered.flows.filter((flow) => !repo.model.flows.some((f) => f.id === flow));
  if (unknown.length > 0)
    throw new InputError(
      `--flow: unknown flow ${unknown.join(', ')}; known: ${repo.model.flows.map((f) => f.id).join(', ') || 'none'}`,
      'add it first: verigap flows add <id> --name … --paths …',
    );
  const file = `incidents/${id}.md`;
  writeInside(repo.root, file, rendered.text, { flag: 'wx' });
  return { id, file, startedAt: rendered.startedAt };
}
