import type { Apps } from '../adapters/apps.js';
import type { Browser } from '../adapters/browser.js';
import type { Clock } from '../adapters/clock.js';
import type { PlaywrightInUse } from '../adapters/playwright-run.js';
import type { IncidentAssertion } from '../core/code-policy.js';
import { redact } from '../core/redact.js';
import type { Incident } from '../core/incident.js';
import { InputError } from '../errors.js';
import { fixedByCommit } from './fixed-by.js';
import type { Repo } from './repo.js';
import { againstDeployments, servedLocally } from './prove-sides.js';
import { judgeBefore, judgeFix } from './prove-verdict.js';

/** SPEC §6.6's proof record, as written into the incident's front matter. */
export interface ProofRecord {
  fails_on: string;
  passes_on: string;
  at: string;
  repeat: number;
  failure: string;
  failed_at_line: number | null;
  before_ms: number;
  after_ms: number;
  /** both: two revisions served at once on two ports; one-by-one: one after the other; deployments: two deployed URLs. */
  mode: 'both' | 'one-by-one' | 'deployments';
  before_url?: string;
  after_url?: string;
}

export interface Proof extends ProofRecord {
  /** The whole proof; with both sides at once, each side's time is this too. */
  total_ms: number;
  /** Why the revisions ran one after the other, when they did. */
  one_by_one_because?: string;
  /** Per revision: the node_modules reused from the working tree and what of `setup` ran. */
  setup: { commit: string; reused: string[]; ran: string | null }[];
  /** What verigap's guard stopped on either side: "blocked: navigation to http://127.0.0.1:4000/ (another origin)". */
  blocked: string[];
}

export interface SpecUnderProof {
  specFile: string;
  code: string;
  assertions: readonly IncidentAssertion[];
  /** The incident's outcome, for messages: `step 3, "Expect the URL to contain /checkout"`. */
  outcome?: string | undefined;
  /** A spec a person wrote (`--spec FILE`): trusted like their repository, so not held to the compiler's allowlist. */
  trusted?: boolean;
}

export interface ProveOptions {
  repeat: number;
  env: NodeJS.ProcessEnv;
  playwright: PlaywrightInUse;
  browser: Browser;
  apps: Apps;
  clock: Clock;
  /** Prove against two deployments instead of serving worktrees. */
  deployments?: { before: string; after: string } | undefined;
}

/** fixed_by as a commit: a SHA, or a PR number / URL found in the indexed subjects. */
async function fixCommit(repo: Repo, incident: Incident): Promise<string> {
  const ref = incident.fixed_by;
  if (!ref)
    throw new InputError(
      `${incident.file}: --prove needs fixed_by (the commit or PR that fixed the incident)`,
      'add fixed_by: <sha> to the front matter',
    );
  const sha = await fixedByCommit(repo, ref);
  if (!sha)
    throw new InputError(
      `${incident.file}: fixed_by "${ref}" is not a commit or merged PR of this repository`,
      'fetch it, or correct fixed_by',
    );
  return sha;
}

/**
 * SPEC §6.6: on the parent of fixed_by every run must fail at the incident assertion; on fixed_by every
 * run must pass. Locally both revisions are served at once (the fix on a second port, one Playwright run
 * with a project per revision), or one after the other when that cannot work; against deployments, the two
 * URLs are judged the same way and nothing is started. Servers, worktrees and configs are always removed.
 */
export async function proveRegressionTest(
  repo: Repo,
  incident: Incident,
  spec: SpecUnderProof,
  options: ProveOptions,
): Promise<Proof> {
  const fixed = await fixCommit(repo, incident);
  const before = await repo.git.resolve(`${fixed}^1`);
  if (!before) throw new InputError(`fixed_by ${fixed.slice(0, 7)} has no parent to prove against`);
  const started = options.clock.elapsed();
  const runs = options.deployments
    ? await againstDeployments(repo, spec, options, before, fixed, options.deployments)
    : await servedLocally(repo, spec, options, before, fixed);
  judgeBefore(spec, before, runs.before);
  judgeFix(spec, fixed, runs.fixed, options.deployments?.after);
  const first = runs.before.attempts[0]!;
  return {
    fails_on: before,
    passes_on: fixed,
    at: new Date(options.clock.now()).toISOString(),
    repeat: options.repeat,
    // the page's words, recorded in the incident and shown: redacted like everything verigap writes
    failure: redact(
      first.message
        .split('\n')
        .find((l) => l.trim())
        ?.trim() ?? '',
      repo.config.redact,
    ).text,
    failed_at_line: first.line,
    before_ms: Math.round(runs.before.ms),
    after_ms: Math.round(runs.fixed.ms),
    mode: runs.mode,
    ...(options.deployments ? { before_url: options.deployments.before, after_url: options.deployments.after } : {}),
    total_ms: Math.round(options.clock.elapsed() - started),
    ...(runs.because ? { one_by_one_because: runs.because } : {}),
    setup: runs.setup,
    blocked: [...new Set([...runs.before.blocked, ...runs.fixed.blocked])],
  };
}

/** What the incident's front matter keeps of a proof (SPEC §6.6): the record, without the run's details. */
export const proofRecordOf = ({
  fails_on,
  passes_on,
  at,
  repeat,
  failure,
  failed_at_line,
  before_ms,
  after_ms,
  mode,
  before_url,
  after_url,
}: Proof): ProofRecord => ({
  fails_on,
  passes_on,
  at,
  repeat,
  failure,
  failed_at_line,
  before_ms,
  after_ms,
  mode,
  ...(before_url ? { before_url, after_url } : {}),
});
