import { stringify } from 'yaml';
import { isThere } from '../adapters/fs.js';
import type { Git } from '../adapters/git.js';
import { insideRoot, writeInside } from '../adapters/inside-root.js';
import { flowSchema } from '../core/flow-schema.js';
import { schemaModeline } from '../core/json-schemas.js';
import { globsMatchingNothing } from '../core/glob.js';
import { isFlowId } from '../core/ids.js';
import { InputError } from '../errors.js';

export interface NewFlow {
  name: string;
  paths: string[];
  tests?: string[] | undefined;
  criticality?: string | undefined;
  owner?: string | undefined;
  description?: string | undefined;
  start?: string | undefined;
  within?: string | undefined;
  production?: string[] | undefined;
  schedule?: string | undefined;
}

/** Validates a flow like flow.yaml files are validated and writes flows/<id>/flow.yaml (never over an existing one). */
export function writeFlow(root: string, id: string, flow: NewFlow): string {
  if (!isFlowId(id))
    throw new InputError(`flow id "${id}" may only hold lowercase letters, digits and "-" (e.g. start-trial)`);
  const parsed = flowSchema.safeParse({ criticality: 'other', ...flow, tests: flow.tests ?? [] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`--${String(issue.path[0] ?? 'options')}: ${issue.message}`);
  }
  const file = `flows/${id}/flow.yaml`;
  if (isThere(insideRoot(root, file))) throw new InputError(`${file} already exists`, 'edit it, or choose another id');
  const data = Object.fromEntries(
    Object.entries(parsed.data).filter(
      ([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0),
    ),
  );
  writeInside(
    root,
    file,
    `${schemaModeline(file, 'flow.schema.json')}\n${stringify(data, { flowCollectionPadding: false })}`,
  );
  return file;
}

/**
 * The globs, per option, that match no file committed at HEAD: most likely a typo. Before the
 * first commit there is nothing to compare with, so nothing is reported.
 */
export async function globsMatchingNoFileAtHead(
  git: Git,
  lists: Record<string, string[]>,
): Promise<{ option: string; glob: string }[]> {
  const globs = Object.entries(lists).flatMap(([option, list]) => list.map((glob) => ({ option, glob })));
  if (globs.length === 0 || !(await git.resolve('HEAD'))) return [];
  // --full-tree: paths from the repository root even when --repo points into a subfolder.
  const files = (await git.run(['ls-tree', '-r', '-z', '--full-tree', '--name-only', 'HEAD']))
    .split('\0')
    .filter(Boolean);
  const unmatched = new Set(
    globsMatchingNothing(
      globs.map((g) => g.glob),
      files,
    ),
  );
  return globs.filter((g) => unmatched.has(g.glob));
}
