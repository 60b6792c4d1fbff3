import { configSchema, type ConfigFile } from './config-schema.js';
import { flowSchema } from './flow-schema.js';
import type { Flow } from './flow.js';
import { isFlowId, isIncidentId } from './ids.js';
import { parseIncident } from './incident-schema.js';
import type { Incident } from './incident.js';
import { waiversSchema } from './waiver-schema.js';
import type { Waiver } from './waiver.js';
import { parseYamlWith } from './yaml-file.js';

export interface RawFile {
  file: string;
  text: string;
}

/** verigap's files as read from the working tree, before any validation. */
export interface RawRepoFiles {
  config: RawFile | undefined;
  flows: RawFile[];
  waivers: RawFile[];
  incidents: RawFile[];
}

export interface RepoModel {
  configFile: ConfigFile;
  flows: Flow[];
  incidents: Incident[];
  waivers: Waiver[];
}

export interface Problem {
  file: string;
  line: number | undefined;
  reason: string;
}

const folderOf = (file: string) => file.split('/')[1]!;

/** Validates every file and collects every problem, so that one run shows them all. */
export function validateRepoFiles(raw: RawRepoFiles): { model: RepoModel; problems: Problem[] } {
  const problems: Problem[] = [];
  let configFile: ConfigFile = {};
  if (raw.config) {
    const parsed = parseYamlWith(raw.config.text, configSchema);
    if (parsed.ok) configFile = parsed.value;
    else problems.push({ file: raw.config.file, ...parsed.problem });
  }

  const flows: Flow[] = [];
  for (const { file, text } of raw.flows) {
    const id = folderOf(file);
    if (!isFlowId(id)) {
      problems.push({
        file,
        line: undefined,
        reason: `flow id "${id}" (its folder name) may only hold lowercase letters, digits and "-"; rename the folder`,
      });
      continue;
    }
    const parsed = parseYamlWith(text, flowSchema);
    if (parsed.ok) flows.push({ ...parsed.value, id, file });
    else problems.push({ file, ...parsed.problem });
  }

  const waivers: Waiver[] = [];
  for (const { file, text } of raw.waivers) {
    const parsed = parseYamlWith(text, waiversSchema, 0, []);
    if (parsed.ok) waivers.push(...parsed.value.map((entry) => ({ ...entry, flowId: folderOf(file) })));
    else problems.push({ file, ...parsed.problem });
  }

  const flowIds = new Set(flows.map((flow) => flow.id));
  const incidents: Incident[] = [];
  for (const { file, text } of raw.incidents) {
    const name = file.replace(/^incidents\//, '').replace(/\.md$/, '');
    if (!isIncidentId(name)) {
      problems.push({
        file,
        line: undefined,
        reason:
          'an incident file is named <YYYY-MM-DD-slug>.md (slug: lowercase letters, digits, "-", at most 60 characters); rename it',
      });
      continue;
    }
    const parsed = parseIncident(file, text);
    if (!parsed.ok) {
      problems.push({ file, ...parsed.problem });
      continue;
    }
    const unknown = parsed.incident.flows.filter((id) => !flowIds.has(id));
    if (unknown.length > 0 && raw.flows.length === flows.length) {
      const line = text.split('\n').findIndex((l) => l.startsWith('flows:')) + 1;
      problems.push({
        file,
        line: line || undefined,
        reason: `flows: unknown flow ${unknown.map((id) => `"${id}"`).join(', ')}; known: ${[...flowIds].join(', ') || 'none (add one with verigap flows add)'}`,
      });
      continue;
    }
    incidents.push(parsed.incident);
  }
  return { model: { configFile, flows, incidents, waivers }, problems };
}
