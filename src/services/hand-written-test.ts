import { isAbsolute, relative } from 'node:path';
import { isThere, readText } from '../adapters/fs.js';
import ts from 'typescript';
import { insideRoot, writeInside, writeWhole } from '../adapters/inside-root.js';
import type { PlaywrightInUse } from '../adapters/playwright-run.js';
import type { World } from '../adapters/world.js';
import { incidentAssertions } from '../core/code-policy.js';
import { classifyFailure, explainFailure } from '../core/failure.js';
import { setRegression } from '../core/front-matter.js';
import { GateError, InputError, OutsideError } from '../errors.js';
import { openPullRequest, type PrOutcome } from './open-pr.js';
import { proofRecordOf, proveRegressionTest, type Proof } from './prove.js';
import { startAppUnlessListening } from './working-tree-app.js';
import type { Repo } from './repo.js';
import { stage, type Stage, type StageListener, type StageLog } from './stages.js';

export interface HandWrittenOptions extends World {
  incidentId: string;
  /** The spec a person wrote (`--spec FILE`), as an absolute path. */
  file: string;
  prove: boolean;
  pr: boolean;
  repeat: number;
  deployments?: { before: string; after: string } | undefined;
  env: NodeJS.ProcessEnv;
  listener: StageListener;
}

export interface HandWrittenResult {
  incident: string;
  /** Where the regression test is (or would be, once proven) in the repository. */
  spec: string;
  provider: 'spec';
  proof: Proof | null;
  pr: PrOutcome | null;
  playwright: { own: boolean; config: string | null };
  /** What verigap's guard stopped during the runs: "blocked: navigation to … (another origin)". */
  blocked: string[];
  notes: string[];
  timings_ms: Partial<Record<Stage, number>>;
}

/** SPEC §6.3: a person's spec carries the incident's tags and a marked incident assertion, awaited directly in the test body. */
function checkHandWritten(
  code: string,
  file: string,
  incidentId: string,
  flowId: string,
): ReturnType<typeof incidentAssertions> {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const assertions = incidentAssertions(source, code);
  const problems: string[] = [];
  for (const tag of [`@incident:${incidentId}`, `@flow:${flowId}`])
    if (!code.includes(tag)) problems.push(`the test's title or tags must carry ${tag}`);
  if (assertions.length === 0)
    problems.push(
      'no incident assertion: mark the expect() that states the outcome the bug broke with a // @incident-assertion comment',
    );
  for (const a of assertions)
    if (a.matcher === '')
      problems.push(
        `line ${a.startLine}: a // @incident-assertion comment must mark an awaited expect(…) statement directly in the test body`,
      );
  if (problems.length > 0)
    throw new InputError(
      `${file} cannot be proven as the regression test of ${incidentId}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  return assertions;
}

/** Runs the spec once against baseURL (the working tree's app, started from `serve` when nothing answers). */
async function runOnWorkingTree(
  repo: Repo,
  specFile: string,
  code: string,
  assertions: ReturnType<typeof incidentAssertions>,
  playwright: PlaywrightInUse,
  { env, apps, browser }: HandWrittenOptions,
) {
  const { baseURL } = repo.config;
  const app = await startAppUnlessListening(repo, { env, apps });
  try {
    const run = await browser.runSpec({
      root: repo.root,
      spec: { file: specFile, code, trusted: true },
      baseURL,
      repeat: 1,
      env,
      playwright,
      allowedOrigins: repo.config.allowedOrigins,
    });
    if (run.crash) throw new OutsideError(`Playwright could not run ${specFile} against ${baseURL}:\n${run.crash}`);
    const failed = run.attempts.find((a) => a.status !== 'passed' || a.altered);
    if (failed) {
      const why = failed.altered
        ? `its result is not its own: it is ${failed.altered}`
        : explainFailure(classifyFailure(failed, assertions), failed);
      throw new GateError(
        `${specFile} does not pass at ${baseURL}: ${why}${run.blocked.length ? `\n${run.blocked.join('\n')}` : ''}`,
      );
    }
    return run;
  } finally {
    await app?.stop();
  }
}

/**
 * `incident test <id> --spec FILE`: a test a person wrote, for a bug the steps grammar cannot state. It is
 * theirs, trusted like the rest of the repository (no allowlist), but held to the same rules: the tags, a marked
 * incident assertion, the guard of origins, and the proof. It is recorded as the incident's regression test only
 * once proven.
 */
export async function testHandWritten(repo: Repo, options: HandWrittenOptions): Promise<HandWrittenResult> {
  const incident = repo.model.incidents.find((i) => i.id === options.incidentId);
  if (!incident)
    throw new InputError(
      `no incident "${options.incidentId}" (incidents/${options.incidentId}.md)`,
      'see verigap incident list',
    );
  const flow = repo.model.flows.find((f) => f.id === incident.flows[0]);
  if (!flow) throw new InputError(`${incident.file}: flow "${incident.flows[0]}" does not exist`);
  if (!isThere(options.file)) throw new InputError(`--spec ${options.file} does not exist`);
  const inRepo = relative(repo.root, options.file);
  const specFile = !inRepo.startsWith('..') && !isAbsolute(inRepo) ? inRepo : `flows/${flow.id}/${incident.id}.spec.ts`;
  insideRoot(repo.root, specFile);
  const code = readText(options.file);
  const playwright = options.browser.playwrightOf(repo.root, repo.config.playwright);
  const timings: Partial<Record<Stage, number>> = {};
  const { listener } = options;
  const log: StageLog = { listener, timings, clock: options.clock };

  const assertions = await stage('check', log, async () => {
    const value = checkHandWritten(code, specFile, incident.id, flow.id);
    return { value, detail: `${value.length} incident assertion(s), tags ok (a person's spec: no allowlist)` };
  });
  // proving runs it on the fix anyway; without --prove it runs once on the working tree
  let run: { blocked: string[] } = { blocked: [] };
  let proof: Proof | null = null;
  if (options.prove) {
    listener({ stage: 'run', status: 'skipped' });
    proof = await stage('prove', log, async () => {
      const value = await proveRegressionTest(
        repo,
        incident,
        { specFile, code, assertions, trusted: true },
        { ...options, playwright },
      );
      return {
        value,
        detail: `fails on ${value.fails_on.slice(0, 7)} at the incident assertion, passes on ${value.passes_on.slice(0, 7)} (${value.repeat}×)`,
      };
    });
  } else {
    run = await stage('run', log, async () => {
      const value = await runOnWorkingTree(repo, specFile, code, assertions, playwright, options);
      return { value, detail: `passed${value.blocked.length ? `, ${value.blocked.length} blocked` : ''}` };
    });
    listener({ stage: 'prove', status: 'skipped' });
  }

  let pr: PrOutcome | null = null;
  if (proof) {
    insideRoot(repo.root, specFile);
    const incidentPath = insideRoot(repo.root, incident.file);
    let incidentText = setRegression(readText(incidentPath), { test: specFile, proof: proofRecordOf(proof) });
    try {
      if (options.pr) {
        pr = await stage('pr', log, async () => {
          const value = await openPullRequest(
            repo,
            incident,
            { spec: specFile, code, incidentText },
            { provider: 'spec', model: null, tokens: 0, proof },
            options,
          );
          incidentText = value.incidentText;
          return { value, detail: `${value.pr.created ? 'opened' : 'updated'} ${value.pr.url}` };
        });
      } else listener({ stage: 'pr', status: 'skipped' });
    } finally {
      writeInside(repo.root, specFile, code);
      writeWhole(incidentPath, incidentText);
    }
  } else listener({ stage: 'pr', status: 'skipped' });

  const blocked = [...new Set([...run.blocked, ...(proof?.blocked ?? [])])];
  return {
    incident: incident.id,
    spec: specFile,
    provider: 'spec',
    proof,
    pr,
    playwright: { own: playwright.own, config: playwright.config },
    blocked,
    notes: proof
      ? []
      : [`${specFile} passes on the working tree; it becomes the incident's regression test once proven: add --prove`],
    timings_ms: timings,
  };
}
