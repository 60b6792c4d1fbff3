import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listening, startApp, type RunningApp } from '../adapters/app-process.js';
import { ariaSnapshotOf } from '../adapters/browser.js';
import type { Llm, LlmUsage } from '../adapters/llm.js';
import { ownPlaywrightDir, prepareRun, type PlaywrightInUse } from '../adapters/playwright-run.js';
import { sharedBrowserEndpoint } from '../adapters/browser-server.js';
import { typeCheckSpec } from '../adapters/typecheck.js';
import { checkSpec, weakenedAssertions, type IncidentAssertion } from '../core/code-policy.js';
import { classifyFailure, explainFailure } from '../core/failure.js';
import type { Flow } from '../core/flow.js';
import { sectionOf, type Incident } from '../core/incident.js';
import { generationPrompt, repairPrompt, systemPrompt, trimToBudget } from '../core/prompt.js';
import { redact, type Redaction } from '../core/redact.js';
import { compileSteps, specSource } from '../core/steps.js';
import { GateError, InputError, OutsideError } from '../errors.js';
import { draftsFolder } from './drafts.js';
import type { Repo } from './repo.js';
import { stage, type Stage, type StageListener } from './stages.js';

export interface GenerateOptions {
  provider: 'openai' | 'steps';
  llm?: Llm | undefined;
  attempts: number;
  snapshotBudget: number;
  env: NodeJS.ProcessEnv;
  playwright: PlaywrightInUse;
  listener: StageListener;
  timings: Partial<Record<Stage, number>>;
}

export interface GeneratedTest {
  specFile: string;
  code: string;
  assertions: IncidentAssertion[];
  redactions: Redaction[];
  usage: LlmUsage;
  attempts: number;
  rationale: string;
  /** The incident's outcome for messages, e.g. `step 3, "Expect the URL to contain /checkout"`. */
  outcome: string | undefined;
}

/**
 * Redact → ground → generate → check → run (with repairs), SPEC §6 steps 1–5. Decides only: the spec runs
 * from a private copy and nothing is written into the repository (a spec that failed its run is kept in
 * .verigap/drafts/ to look at).
 */
export async function generateRegressionTest(repo: Repo, incident: Incident, flow: Flow, options: GenerateOptions): Promise<GeneratedTest> {
  const { listener, timings } = options;
  // the compiler (~0.8 s to load) loads while the page is grounded and the test generated, not in the check
  import('typescript').catch(() => undefined);
  // the shared browser (~1 s to launch) starts now, while the incident is redacted, grounded and checked
  if (options.playwright.packageDir === ownPlaywrightDir()) sharedBrowserEndpoint(options.env).catch(() => undefined);
  const baseURL = repo.config.baseURL;
  const origin = new URL(baseURL).origin;
  const specFile = `flows/${flow.id}/${incident.id}.spec.ts`;
  const context = { incidentId: incident.id, flowId: flow.id, origin };
  const rawText = readFileSync(join(repo.root, incident.file), 'utf8');

  const redacted = await stage('redact', listener, timings, async () => {
    const result = redact(rawText, repo.config.redact);
    return { value: result, detail: result.redactions.length ? result.redactions.map((r) => `${r.count} ${r.kind}`).join(', ') : 'nothing to redact' };
  });

  let app: RunningApp | undefined;
  const ensureApp = async () => {
    if (app || (await listening(baseURL))) return;
    if (!repo.config.serve) throw new InputError(`${baseURL} does not answer and verigap.yaml has no \`serve:\``, 'start the app, pass --base-url, or set serve: (e.g. npm start)');
    app = await startApp({ command: repo.config.serve, cwd: repo.root, baseURL, ready: repo.config.ready ?? baseURL, env: options.env, timeoutMs: repo.config.readyTimeoutMs, hasSetup: Boolean(repo.config.setup) });
  };
  const snapshot = async () => {
    if (options.provider !== 'openai') return null;
    return trimToBudget(redact(await ariaSnapshotOf(new URL(flow.start ?? '/', baseURL).href, options.env), repo.config.redact).text, options.snapshotBudget);
  };

  try {
    const grounding = await stage('ground', listener, timings, async () => {
      await ensureApp();
      const aria = await snapshot();
      const folder = join(repo.root, 'flows', flow.id);
      const examples = existsSync(folder)
        ? readdirSync(folder).filter((f) => f.endsWith('.spec.ts') && f !== `${incident.id}.spec.ts`).slice(0, 2)
          .map((f) => ({ file: `flows/${flow.id}/${f}`, code: redact(readFileSync(join(folder, f), 'utf8').slice(0, 4000), repo.config.redact).text }))
        : [];
      return { value: { aria, examples }, detail: `${aria ? `ARIA snapshot ${Buffer.byteLength(aria)} bytes, ` : ''}${examples.length} example spec(s)` };
    });

    const usage: LlmUsage = { promptTokens: 0, completionTokens: 0 };
    const ask = async (prompt: string) => {
      const reply = await options.llm!.complete(systemPrompt, prompt);
      Object.assign(usage, reply.usage);
      return reply;
    };

    let outcome: string | undefined;
    let { code, rationale } = await stage('generate', listener, timings, async () => {
      if (options.provider === 'steps') {
        const steps = sectionOf(incident.body, 'Steps to reproduce');
        if (steps === undefined) {
          throw new InputError(`${incident.file} has no "## Steps to reproduce" section, so the steps provider has nothing to compile`,
            'write the steps there, one a line (Go to /pricing, Click "Start free trial", Expect the URL to contain /checkout), or let a model write them from the incident\'s prose: --provider openai with OPENAI_API_KEY set');
        }
        const headingLine = rawText.split('\n').findIndex((l) => l.trim().toLowerCase() === '## steps to reproduce') + 2;
        const compiled = compileSteps(steps, headingLine);
        if (!compiled.ok) {
          throw new InputError(`${incident.file}: steps that match no rule of the steps grammar:\n${compiled.problems.map((p) => `  line ${p.line}: ${p.text}`).join('\n')}`,
            'rewrite them with the grammar (Go to, Click "…", Fill "…" with "…", Expect the URL to contain …; see the README), or use --provider openai');
        }
        if (compiled.assertions === 0) throw new InputError(`${incident.file}: the steps have no "Expect …" line, so nothing states the expected outcome`, 'add the outcome the bug broke, e.g. "Expect the URL to contain /checkout"');
        const expectStep = compiled.steps.find((step) => /^expect\b/i.test(step.text));
        outcome = expectStep && `step ${expectStep.number}, "${expectStep.text}"`;
        return { value: { code: specSource({ incidentId: incident.id, flowId: flow.id, title: incident.title }, compiled.body), rationale: 'compiled from the steps to reproduce' }, detail: `${compiled.steps.length} steps, ${compiled.assertions} incident assertion(s)` };
      }
      const reply = await ask(generationPrompt({ incidentId: incident.id, flowId: flow.id, flowName: flow.name, start: flow.start, title: redact(incident.title, repo.config.redact).text, incidentText: redacted.text, ariaSnapshot: grounding.aria, examples: grounding.examples }));
      return { value: reply, detail: `${options.llm!.model}: ${usage.promptTokens + usage.completionTokens} tokens` };
    });

    let original: IncidentAssertion[] | undefined;
    for (let attempt = 1; ; attempt++) {
      // Playwright boots while the spec is checked; it loads the spec only if the check lets it run
      const pending = prepareRun({ root: repo.root, spec: { file: specFile, code }, baseURL, repeat: 1, env: options.env, playwright: options.playwright });
      pending.catch(() => undefined);
      const checked = await stage('check', listener, timings, async () => {
        const policy = checkSpec(code, context);
        const problems = [...policy.problems];
        if (problems.length === 0) problems.push(...(await typeCheckSpec(code)));
        if (original && problems.length === 0) {
          const weakened = weakenedAssertions(original, policy.assertions);
          if (weakened.length > 0) problems.push(`the repair weakened or removed the incident assertion ${weakened.join(', ')}: refused`);
        }
        return { value: { problems, assertions: policy.assertions }, detail: problems.length ? `${problems.length} problem(s)` : 'policy and types ok' };
      });
      if (checked.problems.length > 0) {
        await pending.then((run) => run.cancel(), () => undefined);
        if (options.provider === 'steps' || attempt >= options.attempts) {
          throw new GateError(`the generated test was refused and not written:\n${checked.problems.map((p) => `  ${p}`).join('\n')}`);
        }
        ({ code, rationale } = await ask(repairPrompt({ code, error: checked.problems.join('\n'), step: null, ariaSnapshot: null })));
        continue;
      }
      original ??= checked.assertions;
      const run = await stage('run', listener, timings, async () => {
        await ensureApp();
        const result = await (await pending).start();
        if (result.crash) throw new OutsideError(`Playwright could not run ${specFile} against ${baseURL}:\n${result.crash}`, 'the lines above are Playwright\'s own; a slow app may need a warm-up (start it yourself, then run again)');
        const passed = result.attempts.every((a) => a.status === 'passed');
        return { value: result, detail: `${passed ? 'passed' : 'failed'} · ${runnerOf(options.playwright, repo.root)}`, failed: !passed };
      });
      const failed = run.attempts.find((a) => a.status !== 'passed');
      if (!failed) {
        rmSync(join(draftsFolder(repo.root), `${incident.id}.spec.ts`), { force: true });
        return { specFile, code, assertions: checked.assertions, redactions: redacted.redactions, usage, attempts: attempt, rationale, outcome };
      }
      const kind = classifyFailure(failed, checked.assertions);
      const why = explainFailure(kind, failed, outcome);
      if (kind === 'assertion' || options.provider === 'steps' || attempt >= options.attempts) {
        const draft = keepDraft(repo.root, incident.id, code);
        throw new GateError(`${specFile} ${kind === 'assertion' ? `fails at its incident assertion at ${baseURL} (is the fix there?)` : `does not pass at ${baseURL}`}: ${why}\nNothing was written into flows/; the spec is in ${draft} to look at.`);
      }
      ({ code, rationale } = await ask(repairPrompt({ code, error: failed.message, step: failed.step, ariaSnapshot: await snapshot() })));
    }
  } finally {
    await app?.stop();
  }
}

/** Which Playwright ran the test, in a few words for the run line. */
function runnerOf(playwright: PlaywrightInUse, root: string): string {
  if (playwright.config) return `your Playwright, ${relative(root, playwright.config)}`;
  if (playwright.unusedConfig) return `verigap's own Playwright (${playwright.unusedConfig} not loaded: @playwright/test is not installed)`;
  return playwright.own ? 'verigap\'s own Playwright' : 'your Playwright, no config';
}

/** A spec that did not pass, kept in the git-ignored local store for the user to look at. */
function keepDraft(root: string, incidentId: string, code: string): string {
  const file = join(draftsFolder(root), `${incidentId}.spec.ts`);
  mkdirSync(draftsFolder(root), { recursive: true });
  writeFileSync(file, code);
  return relative(root, file);
}
