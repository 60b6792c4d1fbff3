/** Which tests the production workflow runs (SPEC §9): the union of the flows' `production:` tags and globs, in Playwright's terms. */
import { escapeRegExp, globRegExpSource } from './glob.js';

export interface ProductionSelection {
  /** The flows that contribute, each with its entries. */
  flows: { id: string; entries: string[] }[];
  tags: string[];
  globs: string[];
  /** `--grep` (Playwright reads it as a case-insensitive regex over the test's title path and tags), or undefined. */
  grep: string | undefined;
  /** File arguments: regex sources over the repository-relative path; the workflow anchors each at the checkout. */
  files: string[];
}

const isTag = (entry: string) => entry.startsWith('@');

/** A glob of the repository as a path relative to the Playwright config's folder, the way Playwright titles a test file. */
function relativeToConfig(glob: string, configDir: string): string {
  if (configDir === '' || configDir === '.') return glob;
  if (glob.startsWith(`${configDir}/`)) return glob.slice(configDir.length + 1);
  return `${'../'.repeat(configDir.split('/').length)}${glob}`;
}

/**
 * The selection, or undefined when no flow has `production:`. `configDir`: the folder of the team's
 * Playwright config, repository-relative ('.' at the root).
 */
export function productionSelection(
  flows: readonly { id: string; production?: string[] | undefined }[],
  configDir: string,
): ProductionSelection | undefined {
  const contributing = flows
    .filter((flow) => (flow.production ?? []).length > 0)
    .map((flow) => ({ id: flow.id, entries: [...flow.production!] }));
  if (contributing.length === 0) return undefined;
  const unique = (entries: string[]) => [...new Set(entries)].sort();
  const all = contributing.flatMap((flow) => flow.entries);
  const tags = unique(all.filter(isTag));
  const globs = unique(all.filter((entry) => !isTag(entry)));
  // the lookahead keeps @production from also picking @production-unsafe
  const byTag = tags.length > 0 ? `(?:${tags.map(escapeRegExp).join('|')})(?![\\w:.-])` : undefined;
  if (!byTag) return { flows: contributing, tags, globs, grep: undefined, files: globs.map(globRegExpSource) };
  if (globs.length === 0) return { flows: contributing, tags, globs, grep: byTag, files: [] };
  // Playwright runs the tests that match the file arguments AND --grep; a union needs one --grep, and
  // its title path holds the test file relative to the config's folder, between spaces
  const byFile = `(?:^| )(?:${globs.map((glob) => globRegExpSource(relativeToConfig(glob, configDir))).join('|')})(?= )`;
  return { flows: contributing, tags, globs, grep: `${byTag}|${byFile}`, files: [] };
}
