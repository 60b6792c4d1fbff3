import { isSeq, type Document } from 'yaml';
import { isThere, readText } from '../adapters/fs.js';
import type { AffectedResult } from '../core/affected.js';
import { parseYamlDocument } from '../core/yaml-file.js';
import { schemaModeline } from '../core/json-schemas.js';
import { insideRoot, writeWhole } from '../adapters/inside-root.js';
import type { FeatureVerdict, SpecInterval } from '../core/features.js';
import { flowFolder } from '../core/flow.js';
import { regressionState, type RegressionState } from '../core/regression-state.js';
import type { Waiver } from '../core/waiver.js';
import { InputError } from '../errors.js';
import { judgeRecentFeatures, summarizeFlows, type FlowSummary } from './flows.js';
import type { Repo } from './repo.js';
import { trackedBranch } from './sync.js';

export interface ReviewRun {
  env: string;
  at: number;
  commit: string;
  url: string | null;
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  /** The run's counts for every flow it included, this one among them. */
  flows: RunFlowCounts[];
}

export interface RunFlowCounts {
  flowId: string;
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
}

export interface ReviewFlow extends FlowSummary {
  /** Verification runs that included the flow, newest first. */
  runs: ReviewRun[];
}

export interface ReviewIncident {
  id: string;
  title: string;
  severity: string;
  status: string;
  flows: string[];
  startedAt: number;
  state: RegressionState;
  test: string | null;
  fixedBy: string | null;
}

/** Everything `verigap review` shows: a snapshot of the index, recomputed after each action. */
export interface ReviewData {
  branch: string;
  since: number;
  now: number;
  flows: ReviewFlow[];
  /** Features whose paths match no flow's `paths` (candidates for `m`). */
  unmapped: FeatureVerdict[];
  incidents: ReviewIncident[];
  /** Every E2E test file's lifetime, so a feature's screen lists the tests at its commit (`testsAt`). */
  specs: readonly SpecInterval[];
  /** The waivers as written, for who decided and when (a verdict carries only flow, sha and reason). */
  waivers: readonly Waiver[];
  /** With `--base`: what the checked-out branch changes against it (SPEC §8), shown beside the flows. */
  branch_check?: BranchCheck;
}

/** The branch under review against its base: the same answer `verigap affected` gives. */
export interface BranchCheck {
  baseRef: string;
  result: AffectedResult;
  reason: string;
}

/** `branch`: the tracked branch when the caller knows it (a sync just answered it: two git calls fewer before the first frame). */
export async function loadReview(repo: Repo, since: number, now: number, known?: string): Promise<ReviewData> {
  const branch = known ?? (await trackedBranch(repo)).branch;
  const recent = judgeRecentFeatures(repo, since, now);
  const runs = repo.store.runs
    .all()
    .reverse()
    .map((run) => ({
      ...run,
      perFlow: Object.entries(run.flows)
        .map(([flowId, counts]) => ({ flowId, ...counts }))
        .sort((a, b) => a.flowId.localeCompare(b.flowId)),
    }));
  const specsNow = repo.store.queries.specsNow();
  const onBranch = new Set([...specsNow.values()].flat());
  return {
    branch,
    since,
    now,
    flows: summarizeFlows(repo, since, now, recent).map((summary) => ({
      ...summary,
      runs: runs
        .filter((run) => Object.hasOwn(run.flows, summary.flow.id))
        .map((run) => ({
          env: run.env,
          at: Date.parse(run.at),
          commit: run.commit,
          url: run.run_url,
          ...run.flows[summary.flow.id]!,
          flows: run.perFlow,
        })),
    })),
    unmapped: recent.verdicts.filter((verdict) => verdict.status === 'unmapped'),
    incidents: repo.model.incidents
      .map((incident) => ({
        id: incident.id,
        title: incident.title,
        severity: incident.severity,
        status: incident.status,
        flows: incident.flows,
        startedAt: Date.parse(incident.started_at),
        state: regressionState(incident, onBranch),
        test: incident.regression?.test ?? null,
        fixedBy: incident.fixed_by ?? null,
      }))
      .sort((a, b) => b.startedAt - a.startedAt),
    specs: recent.specs,
    waivers: repo.model.waivers,
  };
}

/** Who decides: `git config user.email` (or name), as `by:` of a waiver. */
async function reviewer(repo: Repo): Promise<string | undefined> {
  const email = (await repo.git.run(['config', 'user.email'], { allowFail: true })).trim();
  const name = (await repo.git.run(['config', 'user.name'], { allowFail: true })).trim();
  return email || name || undefined;
}

/** Stages a file the review wrote only when verigap.yaml asks (`review.stage`): the index may hold the person's own partly staged work. */
async function stageIfAsked(repo: Repo, file: string): Promise<void> {
  if (repo.config.review.stage) await repo.git.run(['add', '--', file]);
}

/** Appends a waiver to flows/<flow>/waivers.yaml (comments and order kept); staged only with `review.stage`. */
export async function waiveFeature(
  repo: Repo,
  input: { flowId: string; sha: string; reason: string; now: number },
): Promise<string> {
  const reason = input.reason.trim();
  if (!reason) throw new InputError('a waiver needs a reason: say why this change needs no E2E test of this flow');
  if (!repo.model.flows.some((flow) => flow.id === input.flowId)) throw new InputError(`no flow "${input.flowId}"`);
  const file = `${flowFolder(input.flowId)}waivers.yaml`;
  const path = insideRoot(repo.root, file);
  const existed = isThere(path);
  const doc: Document = parseYamlDocument(existed ? readText(path) : '');
  if (doc.errors.length > 0) throw new InputError(`${file}: ${doc.errors[0]!.message}`, 'fix the file first');
  if (doc.contents === null) doc.contents = doc.createNode([]);
  if (!isSeq(doc.contents))
    throw new InputError(`${file}: expected a list of { sha, reason, by, at }`, 'fix the file first');
  const by = await reviewer(repo);
  doc.contents.add(
    doc.createNode({
      sha: input.sha.slice(0, 12),
      reason,
      ...(by ? { by } : {}),
      at: new Date(input.now).toISOString(),
    }),
  );
  // a new file names its JSON Schema for editors, as verigap.yaml and flow.yaml do; an existing one is left as it is
  writeWhole(path, existed ? doc.toString() : `${schemaModeline(file, 'waivers.schema.json')}\n${doc.toString()}`);
  await stageIfAsked(repo, file);
  return file;
}

/** A repository path as a glob that matches only itself. */
const literalGlob = (path: string) => path.replace(/[*?{}[\]()!+@\\]/g, '\\$&');

/** Appends the paths a change touched to a flow's `paths:` in flow.yaml (comments kept); staged only with `review.stage`. */
export async function mapChangePaths(
  repo: Repo,
  input: { flowId: string; sha: string },
): Promise<{ file: string; added: string[] }> {
  const flow = repo.model.flows.find((f) => f.id === input.flowId);
  if (!flow) throw new InputError(`no flow "${input.flowId}"`);
  const paths = repo.store.queries
    .pathsOf(input.sha)
    .map(literalGlob)
    .filter((glob) => !flow.paths.includes(glob));
  const file = `${flowFolder(flow.id)}flow.yaml`;
  const path = insideRoot(repo.root, file);
  if (paths.length === 0) return { file, added: [] };
  const doc: Document = parseYamlDocument(readText(path));
  const list = doc.get('paths');
  if (isSeq(list)) for (const glob of paths) list.add(doc.createNode(glob));
  else doc.set('paths', doc.createNode(paths));
  writeWhole(path, doc.toString());
  await stageIfAsked(repo, file);
  return { file, added: paths };
}
