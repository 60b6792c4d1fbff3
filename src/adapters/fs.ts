import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawFile, RawRepoFiles } from '../core/repo-model.js';
import { derivationRules } from '../core/derivation-rules.js';

function read(root: string, file: string): RawFile | undefined {
  const path = join(root, file);
  return existsSync(path) ? { file, text: readFileSync(path, 'utf8') } : undefined;
}

function entries(dir: string) {
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)) : [];
}

/** Reads verigap.yaml, flows/<id>/{flow,waivers}.yaml and incidents/*.md (README.md excepted). */
export function readRepoFiles(root: string): RawRepoFiles {
  const flows: RawFile[] = [];
  const waivers: RawFile[] = [];
  for (const entry of entries(join(root, 'flows'))) {
    if (!entry.isDirectory()) continue;
    const flow = read(root, `flows/${entry.name}/flow.yaml`);
    if (!flow) continue;
    flows.push(flow);
    const waiver = read(root, `flows/${entry.name}/waivers.yaml`);
    if (waiver) waivers.push(waiver);
  }
  const incidents = entries(join(root, 'incidents'))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md')
    .map((entry) => read(root, `incidents/${entry.name}`)!);
  return { config: read(root, 'verigap.yaml'), flows, waivers, incidents };
}

/** A fingerprint of the files, so an unchanged repository skips parsing altogether. */
export function hashRepoFiles(files: RawRepoFiles): string {
  // the validation rules' version too: a release that changes them validates the files again
  const hash = createHash('sha256').update(`models:${derivationRules.models}\0`);
  for (const file of [files.config, ...files.flows, ...files.waivers, ...files.incidents]) {
    if (file) hash.update(file.file).update('\0').update(file.text).update('\0');
  }
  return hash.digest('hex');
}
