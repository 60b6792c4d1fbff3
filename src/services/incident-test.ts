import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLlm } from '../adapters/llm.js';
import { setRegression } from '../core/front-matter.js';
import { InputError } from '../errors.js';
import { generateRegressionTest, type GeneratedTest } from './generate-test.js';
import { openPullRequest, type PrOutcome } from './open-pr.js';
import { proveRegressionTest, type Proof } from './prove.js';
import type { Repo } from './repo.js';
import { stage, type Stage, type StageListener } from './stages.js';

export interface IncidentTestOptions {
  incidentId: string;
  prove: boolean;
  pr: boolean;
  attempts: number;
  repeat: number;
  env: NodeJS.ProcessEnv;
  listener: StageListener;
  now: () => number;
}

export interface IncidentTestResult {
  incident: string;
  spec: string;
  provider: 'openai' | 'steps';
  model: string | null;
  tokens: { prompt: number; completion: number };
  redactions: GeneratedTest['redactions'];
  attempts: number;
  proof: Proof | null;
  pr: PrOutcome | null;
  timings_ms: Partial<Record<Stage, number>>;
}

/** SPEC §6 end to end: generate and run the test, prove it, open the PR; the incident file records each step. */
export async function testIncident(repo: Repo, options: IncidentTestOptions): Promise<IncidentTestResult> {
  const incident = repo.model.incidents.find((i) => i.id === options.incidentId);
  if (!incident) throw new InputError(`no incident "${options.incidentId}" (incidents/${options.incidentId}.md)`, 'see verigap incident list');
  const flow = repo.model.flows.find((f) => f.id === incident.flows[0]);
  if (!flow) throw new InputError(`${incident.file}: flow "${incident.flows[0]}" does not exist`);
  if (!URL.canParse(repo.config.baseURL)) {
    throw new InputError(`baseURL "${repo.config.baseURL}" is not a URL (from --base-url, BASE_URL or verigap.yaml)`, 'use an absolute URL such as http://localhost:3000');
  }
  const provider = repo.config.llm.provider;
  const apiKey = options.env.OPENAI_API_KEY;
  if (provider === 'openai' && !apiKey) throw new InputError('--provider openai needs OPENAI_API_KEY in the environment', 'set it, or use --provider steps (offline)');
  const llm = provider === 'openai'
    ? await createLlm({ apiKey: apiKey!, baseURL: repo.config.llm.baseURL, model: repo.config.llm.model, apiVersion: options.env.OPENAI_API_VERSION })
    : undefined;
  const timings: Partial<Record<Stage, number>> = {};
  const { listener } = options;

  const generated = await generateRegressionTest(repo, incident, flow, { provider, llm, attempts: options.attempts, snapshotBudget: 16_384, env: options.env, listener, timings });
  const file = join(repo.root, incident.file);
  writeFileSync(file, setRegression(readFileSync(file, 'utf8'), { test: generated.specFile }));

  let proof: Proof | null = null;
  if (options.prove) {
    proof = await stage('prove', listener, timings, async () => {
      const value = await proveRegressionTest(repo, incident, generated.specFile, generated.assertions, { repeat: options.repeat, env: options.env, now: options.now });
      return { value, detail: `fails on ${value.fails_on.slice(0, 7)} at the incident assertion, passes on ${value.passes_on.slice(0, 7)} (${value.repeat}×)` };
    });
    writeFileSync(file, setRegression(readFileSync(file, 'utf8'), { proof: { fails_on: proof.fails_on, passes_on: proof.passes_on, at: proof.at } }));
  } else listener({ stage: 'prove', status: 'skipped' });

  let pr: PrOutcome | null = null;
  const tokens = generated.usage.promptTokens + generated.usage.completionTokens;
  if (options.pr) {
    pr = await stage('pr', listener, timings, async () => {
      const facts = { provider, model: llm?.model ?? null, tokens, proof: proof ?? undefined };
      const first = await openPullRequest(repo, incident, generated.specFile, facts, options.env);
      writeFileSync(file, setRegression(readFileSync(file, 'utf8'), { pr: first.pr.url }));
      // the incident now names its PR: commit that too, on the same branch (no new PR)
      const value = await openPullRequest(repo, incident, generated.specFile, facts, options.env);
      return { value, detail: `${value.pr.created || first.pr.created ? 'opened' : 'updated'} ${value.pr.url}` };
    });
  } else listener({ stage: 'pr', status: 'skipped' });

  return {
    incident: incident.id, spec: generated.specFile, provider, model: llm?.model ?? null,
    tokens: { prompt: generated.usage.promptTokens, completion: generated.usage.completionTokens },
    redactions: generated.redactions, attempts: generated.attempts, proof, pr, timings_ms: timings,
  };
}

/** From a terminal UI: generate and run the test, and prove it when fixed_by and serve make that possible; one line to show. */
export async function testFromTerminal(repo: Repo, incidentId: string, env: NodeJS.ProcessEnv, listener: StageListener): Promise<string> {
  const incident = repo.model.incidents.find((i) => i.id === incidentId);
  const prove = Boolean(incident?.fixed_by && repo.config.serve);
  const result = await testIncident(repo, { incidentId, prove, pr: false, attempts: 3, repeat: 3, env, listener, now: Date.now });
  if (result.proof) return `${result.spec} is proven: it fails before the fix and passes on it`;
  return `${result.spec} passes on the working tree${prove ? '' : ' (set fixed_by and serve: to prove it)'}`;
}
