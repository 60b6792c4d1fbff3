import { flowFolder, type Flow } from './flow.js';
import { compileGlobs, isSpecFile } from './glob.js';
import { createPathMapper } from './flow-mapping.js';

type Criticality = Flow['criticality'];

/** One line of `git diff --name-status -M`: a rename or copy also names the path it came from. */
export interface ChangedFile {
  status: string;
  path: string;
  oldPath?: string;
}

export interface AffectedFlow {
  id: string;
  name: string;
  criticality: Criticality;
  paths: string[];
  /** Its E2E test files at the head. */
  tests: string[];
  own_test_changed: boolean;
  last_verified_at: string | null;
}

export type Verdict = 'green' | 'yellow' | 'red';

export interface AffectedProblem {
  kind: 'untested-flow' | 'own-test-missing';
  flow: string;
  message: string;
}

export interface AffectedResult {
  schema: 'verigap.affected/v1';
  base: string;
  head: string;
  changed_files: number;
  flows: AffectedFlow[];
  unmapped_files: string[];
  selection: { files: string[]; grep: string };
  verdict: Verdict;
  problems: AffectedProblem[];
}

export interface AffectedInput {
  base: string;
  head: string;
  changed: readonly ChangedFile[];
  /** The flows as defined on the head side. */
  flows: readonly Flow[];
  /** Every file path in the head tree. */
  headFiles: readonly string[];
  /** Test files at the head that carry `@flow:<id>` tags, with the ids they name. */
  taggedFiles: ReadonlyMap<string, readonly string[]>;
  /** Each flow's last passing run of the verification environment, when the index knows it. */
  lastVerifiedAt?: ReadonlyMap<string, string>;
}

/** A flow's E2E tests at the head (SPEC §1): specs in its folder, files its `tests` globs match, tests tagged `@flow:<id>`. */
export function flowTests(
  flow: Flow,
  headFiles: readonly string[],
  taggedFiles: ReadonlyMap<string, readonly string[]>,
): string[] {
  const folder = flowFolder(flow.id);
  const byGlob = compileGlobs(flow.tests);
  const found = new Set(headFiles.filter((path) => (path.startsWith(folder) && isSpecFile(path)) || byGlob(path)));
  for (const [path, ids] of taggedFiles) if (ids.includes(flow.id)) found.add(path);
  return [...found].sort();
}

const addedOrModified = (status: string) =>
  status === 'A' || status === 'M' || status === 'R' || status === 'C' || status === 'T';

/** Which critical flows a change touches, which tests verify them, and the verdict (SPEC §8). */
export function computeAffected(input: AffectedInput): AffectedResult {
  const mapPath = createPathMapper(input.flows);
  const touched = new Map<string, { code: boolean; testChanged: boolean; testTouched: boolean }>();
  const unmapped: string[] = [];
  const mark = (id: string) => {
    let entry = touched.get(id);
    if (!entry) touched.set(id, (entry = { code: false, testChanged: false, testTouched: false }));
    return entry;
  };
  for (const file of input.changed) {
    // a rename counts on its old and its new path; a deleted file on its path
    const sides = file.oldPath !== undefined ? [file.oldPath, file.path] : [file.path];
    let mapped = false;
    for (const path of sides) {
      for (const { flowId, role } of mapPath(path)) {
        mapped = true;
        const entry = mark(flowId);
        if (role === 'code') entry.code = true;
        else {
          entry.testTouched = true;
          // the file as it is at the head: added, modified or the new side of a rename
          if (path === file.path && addedOrModified(file.status[0] ?? '')) entry.testChanged = true;
        }
      }
    }
    const tagged = input.taggedFiles.get(file.path);
    if (tagged && addedOrModified(file.status[0] ?? '')) {
      for (const id of tagged) {
        if (!input.flows.some((flow) => flow.id === id)) continue;
        mapped = true;
        Object.assign(mark(id), { testTouched: true, testChanged: true });
      }
    }
    if (!mapped) unmapped.push(file.path);
  }

  const flows: AffectedFlow[] = [];
  const problems: AffectedProblem[] = [];
  for (const flow of input.flows) {
    const entry = touched.get(flow.id);
    if (!entry) continue;
    const tests = flowTests(flow, input.headFiles, input.taggedFiles);
    flows.push({
      id: flow.id,
      name: flow.name,
      criticality: flow.criticality,
      paths: [...flow.paths],
      tests,
      own_test_changed: entry.testChanged,
      last_verified_at: input.lastVerifiedAt?.get(flow.id) ?? null,
    });
    if (tests.length === 0) {
      problems.push({
        kind: 'untested-flow',
        flow: flow.id,
        message: `flow ${flow.id} (${flow.name}) has no E2E test: add a spec in ${flowFolder(flow.id)}, a \`tests\` glob, or a test tagged @flow:${flow.id}`,
      });
    } else if (entry.code && !entry.testChanged) {
      problems.push({
        kind: 'own-test-missing',
        flow: flow.id,
        message: `flow ${flow.id} (${flow.name}): its code changed and none of its ${tests.length} E2E test file(s) did`,
      });
    }
  }

  const files = [...new Set(flows.flatMap((flow) => flow.tests))].sort();
  const grep = flows.map((flow) => `@flow:${flow.id}`).join('|');
  const verdict: Verdict = problems.some((p) => p.kind === 'untested-flow')
    ? 'red'
    : problems.length > 0
      ? 'yellow'
      : 'green';
  return {
    schema: 'verigap.affected/v1',
    base: input.base,
    head: input.head,
    changed_files: input.changed.length,
    flows,
    unmapped_files: unmapped,
    selection: { files, grep },
    verdict,
    problems,
  };
}

/** The verdict in one line: the first thing a reviewer reads. */
export function verdictReason({ flows, problems }: Pick<AffectedResult, 'flows' | 'problems'>): string {
  const untested = problems.filter((p) => p.kind === 'untested-flow').map((p) => p.flow);
  const stale = problems.filter((p) => p.kind === 'own-test-missing').map((p) => p.flow);
  const list = (ids: readonly string[]) => ids.map((id) => `\`${id}\``).join(', ');
  if (untested.length > 0) {
    return `${untested.length === 1 ? 'critical flow' : 'critical flows'} ${list(untested)} ${untested.length === 1 ? 'has' : 'have'} no E2E test at all`;
  }
  if (stale.length > 0) {
    return `the code of ${list(stale)} changed without ${stale.length === 1 ? 'its' : 'their'} E2E tests; run them: ${list(flows.map((f) => f.id))}`;
  }
  if (flows.length === 0) return 'no critical flow touched';
  return `${flows.length} critical flow(s) touched (${list(flows.map((f) => f.id))}), each with E2E tests${flows.every((f) => f.own_test_changed) ? ' changed alongside' : ''}`;
}

/** Parses `git diff --name-status -M -z`: a status, then one path (two for a rename or copy). */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const changed: ChangedFile[] = [];
  for (let index = 0; index < fields.length;) {
    const status = fields[index++];
    if (!status) continue;
    if (status.startsWith('R') || status.startsWith('C')) {
      const oldPath = fields[index++] ?? '';
      changed.push({ status: status[0]!, oldPath, path: fields[index++] ?? '' });
    } else changed.push({ status: status[0]!, path: fields[index++] ?? '' });
  }
  return changed;
}
