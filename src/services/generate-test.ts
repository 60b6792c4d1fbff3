import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers, startApp, type RunningApp } from '../adapters/app-process.js';
import { ariaSnapshotOf } from '../adapters/browser.js';
import type { Llm, LlmUsage } from '../adapters/llm.js';
import { prepareRun } from '../adapters/playwright-run.js';
import { typeCheckSpec } from '../adapters/typecheck.js';
import { checkSpec, weakenedAssertions, type IncidentAssertion } from '../core/code-policy.js';
import { classifyFailure, explainFailure } from '../core/failure.js';
import type { Flow } from '../core/flow.js';
import { sectionOf, type Incident } from '../core/incident.js';
import { generationPrompt, repairPrompt, systemPrompt, trimToBudget } from '../core/prompt.js';
import { redact, type Redaction } from '../core/redact.js';
import { compileSteps, specSource } from '../core/steps.js';
import { GateError, InputError } from '../errors.js';
import type { Repo } from './repo.js';
import { stage, type Stage, type StageListener } from './stages.js';

export interface GenerateOptions {
  provider: 'openai' | 'steps';
  llm?: Llm | undefined;
  attempts: number;
  snapshotBudget: number;
  env: NodeJS.ProcessEnv;
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
}

/** Redact → ground → generate → check → run (with repairs), SPEC §6 steps 1–5. */
export async function generateRegressionTest(repo: Repo, incident: Incident, flow: Flow, options: GenerateOptions): Promise<GeneratedTest> {
  const { listener, timings } = options;
  // the compiler (~0.8 s to load) loads while the page is grounded and the test generated, not in the check
  import('typescript').catch(() => undefined);
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
    if (app || (await answers(baseURL))) return;
    if (!repo.config.serve) throw new InputError(`${baseURL} does not answer and verigap.yaml has no \`serve:\``, 'start the app, pass --base-url, or set serve: (e.g. npm start)');
    app = await startApp({ command: repo.config.serve, cwd: repo.root, baseURL, ready: repo.config.ready ?? baseURL, env: options.env });
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

    let { code, rationale } = await stage('generate', listener, timings, async () => {
      if (options.provider === 'steps') {
        const steps = sectionOf(incident.body, 'Steps to reproduce') ?? '';
        const headingLine = rawText.split('\n').findIndex((l) => l.trim().toLowerCase() === '## steps to reproduce') + 2;
        const compiled = compileSteps(steps, headingLine);
        if (!compiled.ok) {
          throw new InputError(`${incident.file}: steps that match no rule of the steps grammar:\n${compiled.problems.map((p) => `  line ${p.line}: ${p.text}`).join('\n')}`,
            'rewrite them with the grammar (Go to, Click "…", Fill "…" with "…", Expect the URL to contain …), or use --provider openai');
        }
        if (compiled.assertions === 0) throw new InputError(`${incident.file}: the steps have no "Expect …" line, so nothing states the expected outcome`, 'add one, e.g. "Expect the URL to contain /checkout"');
        return { value: { code: specSource({ incidentId: incident.id, flowId: flow.id, title: incident.title }, compiled.body), rationale: 'compiled from the steps to reproduce' }, detail: `steps: ${compiled.body.length} statements` };
      }
      const reply = await ask(generationPrompt({ incidentId: incident.id, flowId: flow.id, flowName: flow.name, start: flow.start, title: redact(incident.title, repo.config.redact).text, incidentText: redacted.text, ariaSnapshot: grounding.aria, examples: grounding.examples }));
      return { value: reply, detail: `${options.llm!.model}: ${usage.promptTokens + usage.completionTokens} tokens` };
    });

    let original: IncidentAssertion[] | undefined;
    for (let attempt = 1; ; attempt++) {
      // Playwright boots while the spec is checked; it loads the spec only if the check lets it run
      const pending = prepareRun({ root: repo.root, specFile: join(repo.root, specFile), baseURL, repeat: 1, env: options.env });
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
      writeFileSync(join(repo.root, specFile), code);
      const run = await stage('run', listener, timings, async () => {
        await ensureApp();
        const result = await (await pending).start();
        return { value: result, detail: result.crash ? 'Playwright could not run it' : result.attempts.every((a) => a.status === 'passed') ? 'passed' : 'failed' };
      });
      if (run.crash) throw new GateError(`Playwright could not run ${specFile}:\n${run.crash}`);
      const failed = run.attempts.find((a) => a.status !== 'passed');
      if (!failed) return { specFile, code, assertions: checked.assertions, redactions: redacted.redactions, usage, attempts: attempt, rationale };
      const kind = classifyFailure(failed, checked.assertions);
      const why = explainFailure(kind, failed);
      if (kind === 'assertion' || options.provider === 'steps' || attempt >= options.attempts) {
        throw new GateError(`${specFile} ${kind === 'assertion' ? 'fails at its incident assertion on the working tree (is the fix in place at baseURL?)' : 'does not pass on the working tree'}: ${why}\nThe spec was left in place for you to edit.`);
      }
      ({ code, rationale } = await ask(repairPrompt({ code, error: failed.message, step: failed.step, ariaSnapshot: await snapshot() })));
    }
  } finally {
    await app?.stop();
  }
}
