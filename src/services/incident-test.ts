import { insideRoot, writeInside, writeWhole } from '../adapters/inside-root.js';
import { readText } from '../adapters/fs.js';
import type { World } from '../adapters/world.js';
import { setRegression } from '../core/front-matter.js';
import { withStepsToReproduce } from '../core/steps-section.js';
import { InputError } from '../errors.js';
import { generateRegressionTest, type GeneratedTest } from './generate-test.js';
import { openPullRequest, type PrOutcome } from './open-pr.js';
import { proofRecordOf, proveRegressionTest, type Proof } from './prove.js';
import type { Repo } from './repo.js';
import { stage, type Stage, type StageListener, type StageLog } from './stages.js';

/** What to do, and the world it is done in: GitHub, the model, the browser, the app's process, the clock. */
export interface IncidentTestOptions extends World {
  incidentId: string;
  prove: boolean;
  pr: boolean;
  attempts: number;
  repeat: number;
  /** Prove against two deployed revisions instead of serving worktrees. */
  deployments?: { before: string; after: string } | undefined;
  env: NodeJS.ProcessEnv;
  listener: StageListener;
}

export interface IncidentTestResult {
  incident: string;
  spec: string;
  provider: 'openai' | 'steps';
  model: string | null;
  /** The steps the test was compiled from; a model's are written into the incident's "Steps to reproduce". */
  steps: string[];
  tokens: { prompt: number; completion: number };
  redactions: GeneratedTest['redactions'];
  attempts: number;
  proof: Proof | null;
  pr: PrOutcome | null;
  /** Which Playwright ran it: the repository's own (with its config) or verigap's. */
  playwright: { own: boolean; config: string | null };
  notes: string[];
  timings_ms: Partial<Record<Stage, number>>;
}

function proveDetail(proof: Proof): string {
  const how =
    proof.mode === 'deployments'
      ? `against ${proof.before_url} and ${proof.after_url}`
      : proof.mode === 'both'
        ? 'both revisions at once'
        : `one revision after the other (${proof.one_by_one_because})`;
  const reused = proof.setup.some((s) => s.reused.length > 0) ? ', dependencies reused' : '';
  return `fails on ${proof.fails_on.slice(0, 7)} at the incident assertion, passes on ${proof.passes_on.slice(0, 7)} (${proof.repeat}×), ${how}${reused}`;
}

/**
 * SPEC §6 end to end, as a plan and one apply: generate, run and prove decide without touching the
 * repository; then the spec and the incident are written once, and the pull request opened once.
 */
export async function testIncident(repo: Repo, options: IncidentTestOptions): Promise<IncidentTestResult> {
  const incident = repo.model.incidents.find((i) => i.id === options.incidentId);
  if (!incident)
    throw new InputError(
      `no incident "${options.incidentId}" (incidents/${options.incidentId}.md)`,
      'see verigap incident list',
    );
  const flow = repo.model.flows.find((f) => f.id === incident.flows[0]);
  if (!flow) throw new InputError(`${incident.file}: flow "${incident.flows[0]}" does not exist`);
  if (!URL.canParse(repo.config.baseURL)) {
    throw new InputError(
      `baseURL "${repo.config.baseURL}" is not a URL (from --base-url, BASE_URL or verigap.yaml)`,
      'use an absolute URL such as http://localhost:3000',
    );
  }
  const provider = repo.config.llm.provider;
  const apiKey = options.env.OPENAI_API_KEY;
  if (provider === 'openai' && !apiKey)
    throw new InputError(
      '--provider openai needs OPENAI_API_KEY in the environment',
      'set it, or use --provider steps (offline)',
    );
  const llm =
    provider === 'openai'
      ? await options.llm.connect({
          apiKey: apiKey!,
          baseURL: repo.config.llm.baseURL,
          model: repo.config.llm.model,
          apiVersion: options.env.OPENAI_API_VERSION,
        })
      : undefined;
  const playwright = options.browser.playwrightOf(repo.root, repo.config.playwright);
  const timings: Partial<Record<Stage, number>> = {};
  const { listener, clock } = options;
  const log: StageLog = { listener, timings, clock };

  const generated = await generateRegressionTest(repo, incident, flow, {
    provider,
    llm,
    attempts: options.attempts,
    snapshotBudget: 16_384,
    env: options.env,
    playwright,
    log,
    browser: options.browser,
    apps: options.apps,
  });

  let proof: Proof | null = null;
  if (options.prove) {
    proof = await stage('prove', log, async () => {
      const value = await proveRegressionTest(repo, incident, generated, {
        repeat: options.repeat,
        env: options.env,
        playwright,
        deployments: options.deployments,
        browser: options.browser,
        apps: options.apps,
        clock,
      });
      return { value, detail: proveDetail(value) };
    });
  } else listener({ stage: 'prove', status: 'skipped' });

  // apply: the spec and the incident are written once, whatever the pull request does
  // refused before the pull request and before any write: a path a symbolic link leads out of the repository
  insideRoot(repo.root, generated.specFile);
  const incidentPath = insideRoot(repo.root, incident.file);
  let incidentText = setRegression(readText(incidentPath), {
    test: generated.specFile,
    ...(proof ? { proof: proofRecordOf(proof) } : {}),
  });
  // the model's steps, in plain words, beside the test they compiled to: regenerated offline with --provider steps
  if (provider === 'openai') incidentText = withStepsToReproduce(incidentText, generated.steps);
  let pr: PrOutcome | null = null;
  try {
    if (options.pr) {
      const tokens = generated.usage.promptTokens + generated.usage.completionTokens;
      pr = await stage('pr', log, async () => {
        const facts = { provider, model: llm?.model ?? null, tokens, proof: proof ?? undefined };
        const value = await openPullRequest(
          repo,
          incident,
          { spec: generated.specFile, code: generated.code, incidentText },
          facts,
          options,
        );
        incidentText = value.incidentText;
        return { value, detail: `${value.pr.created ? 'opened' : 'updated'} ${value.pr.url}` };
      });
    } else listener({ stage: 'pr', status: 'skipped' });
  } finally {
    writeInside(repo.root, generated.specFile, generated.code);
    writeWhole(incidentPath, incidentText);
  }

  const notes = playwright.unusedConfig
    ? [
        `${playwright.unusedConfig} is here but @playwright/test is not installed (npm install?), so the test ran under verigap's own Playwright without your config's use and setup projects (not signed in, if they sign in)`,
      ]
    : playwright.own
      ? [
          "This repository has no @playwright/test, so the test ran under verigap's own Playwright. To run it in your CI with `npx playwright test`: verigap init --playwright",
        ]
      : [];
  return {
    incident: incident.id,
    spec: generated.specFile,
    provider,
    model: llm?.model ?? null,
    steps: generated.steps,
    tokens: { prompt: generated.usage.promptTokens, completion: generated.usage.completionTokens },
    redactions: generated.redactions,
    attempts: generated.attempts,
    proof,
    pr,
    playwright: { own: playwright.own, config: playwright.config },
    notes,
    timings_ms: timings,
  };
}

/** From a terminal UI: generate and run the test, and prove it when fixed_by and serve make that possible; one line to show. */
export async function testFromTerminal(
  repo: Repo,
  options: Pick<IncidentTestOptions, 'incidentId' | 'env' | 'listener'> & World,
): Promise<string> {
  const { incidentId } = options;
  const incident = repo.model.incidents.find((i) => i.id === incidentId);
  const prove = Boolean(incident?.fixed_by && repo.config.serve);
  const result = await testIncident(repo, { ...options, prove, pr: false, attempts: 3, repeat: 3 });
  if (result.proof) return `${result.spec} is proven: it fails before the fix and passes on it`;
  return `${result.spec} passes on the working tree${prove ? '' : ' (set fixed_by and serve: to prove it)'}`;
}
