import { namesIn, readText } from '../adapters/fs.js';
import { join, relative } from 'node:path';
import type { RunningApp } from '../adapters/app-process.js';
import type { Apps } from '../adapters/apps.js';
import type { Browser } from '../adapters/browser.js';
import { insideRoot } from '../adapters/inside-root.js';
import type { Llm, LlmUsage } from '../adapters/llm.js';
import type { PlaywrightInUse, PreparedRun } from '../adapters/playwright-run.js';
import { typeCheckSpec } from '../adapters/typecheck.js';
import { brokenLock, lockedExpects } from '../core/assertion-lock.js';
import { checkSpec, type IncidentAssertion } from '../core/code-policy.js';
import { exploreSpec } from '../core/explore.js';
import { checkAllowlist } from '../core/spec-allowlist.js';
import { classifyFailure, explainFailure } from '../core/failure.js';
import type { Flow } from '../core/flow.js';
import type { Incident } from '../core/incident.js';
import { oversizedIncident } from '../core/incident-size.js';
import { generationPrompt, refusalPrompt, repairPrompt, trimToBudget } from '../core/prompt.js';
import { redact, type Redaction } from '../core/redact.js';
import { compileSteps, problemText, specSource } from '../core/steps.js';
import { markdownSection } from '../core/steps-markdown.js';
import { GateError, InputError, OutsideError } from '../errors.js';
import { startAppUnlessListening } from './working-tree-app.js';
import { dropDraftSpec, keepDraftSpec } from '../adapters/drafts.js';
import { stepsSession, type Explored, type SessionReply } from './model-steps.js';
import type { Repo } from './repo.js';
import { stage, type StageLog } from './stages.js';

export interface GenerateOptions {
  provider: 'openai' | 'steps';
  llm?: Llm | undefined;
  attempts: number;
  /** How many times the model may ask for the snapshot after steps of its own (default 3). */
  exploreRounds?: number;
  snapshotBudget: number;
  env: NodeJS.ProcessEnv;
  playwright: PlaywrightInUse;
  log: StageLog;
  browser: Browser;
  apps: Apps;
}

export interface GeneratedTest {
  specFile: string;
  code: string;
  assertions: IncidentAssertion[];
  redactions: Redaction[];
  usage: LlmUsage;
  attempts: number;
  rationale: string;
  /** The steps the test was compiled from: the incident's, or the model's (written into the incident). */
  steps: string[];
  /** The incident's outcome for messages, e.g. `step 3, "Expect the URL to contain /checkout"`. */
  outcome: string | undefined;
}

/**
 * Redact → ground → generate → check → run (with repairs), SPEC §6 steps 1–5. Both providers give steps and
 * the steps compiler writes the spec: a model's reply is read as data, never run. Decides only: the spec runs
 * from a private copy and nothing is written into the repository (a spec that failed its run is kept in
 * .verigap/drafts/ to look at).
 */
export async function generateRegressionTest(
  repo: Repo,
  incident: Incident,
  flow: Flow,
  options: GenerateOptions,
): Promise<GeneratedTest> {
  const { log, browser } = options;
  const { listener, timings } = log;
  const rawText = readText(join(repo.root, incident.file));
  // before anything starts: a pasted log makes a prompt nobody wants, and redaction's time grows with it
  const oversized = oversizedIncident(incident.file, Buffer.byteLength(rawText));
  if (oversized) throw new InputError(oversized.message, oversized.hint);
  // the compiler (~0.8 s to load) loads while the page is grounded and the test generated, not in the check
  import('typescript').catch(() => undefined);
  const baseURL = repo.config.baseURL;
  // the steps provider needs the app only to run the spec: without it, generate and check go on offline
  const offline =
    options.provider === 'steps' && !repo.config.serve && !(await options.apps.listening(baseURL))
      ? `the app at ${baseURL} does not answer: start it (serve: in verigap.yaml) and run verigap incident test ${incident.id}`
      : undefined;
  // the shared browser (~1 s to launch) starts now, while the incident is redacted, grounded and checked
  if (!offline && options.playwright.packageDir === browser.ownPlaywrightDir())
    browser.warmUp(options.env).catch(() => undefined);
  const origin = new URL(baseURL).origin;
  // refused before any work: a flow folder a symbolic link leads out of the repository
  const specFile = `flows/${flow.id}/${incident.id}.spec.ts`;
  insideRoot(repo.root, specFile);
  const context = { incidentId: incident.id, flowId: flow.id, origin };
  const allowlist = { origins: [origin, ...repo.config.allowedOrigins] };
  // what the steps compiler lets a step navigate to or request
  const origins = { baseURL, allowedOrigins: repo.config.allowedOrigins };

  const redacted = await stage('redact', log, async () => {
    const result = redact(rawText, repo.config.redact);
    return {
      value: result,
      detail: result.redactions.length
        ? result.redactions.map((r) => `${r.count} ${r.kind}`).join(', ')
        : 'nothing to redact',
    };
  });

  let app: RunningApp | undefined;
  const ensureApp = async () => {
    app ??= await startAppUnlessListening(repo, options);
  };
  const snapshot = async () => {
    if (options.provider !== 'openai') return null;
    return trimToBudget(
      redact(await browser.ariaSnapshot(new URL(flow.start ?? '/', baseURL).href, options.env), repo.config.redact)
        .text,
      options.snapshotBudget,
    );
  };

  if (offline) listener({ stage: 'ground', status: 'skipped', detail: offline });

  try {
    const grounding = offline
      ? { aria: null, examples: [] }
      : await stage('ground', log, async () => {
          await ensureApp();
          const aria = await snapshot();
          const folder = join(repo.root, 'flows', flow.id);
          const examples = namesIn(folder)
            .filter((f) => f.endsWith('.spec.ts') && f !== `${incident.id}.spec.ts`)
            .slice(0, 2)
            .map((f) => ({
              file: `flows/${flow.id}/${f}`,
              code: redact(readText(join(folder, f)), repo.config.redact).text.slice(0, 4000),
            }));
          return {
            value: { aria, examples },
            detail: `${aria ? `ARIA snapshot ${Buffer.byteLength(aria)} bytes, ` : ''}${examples.length} example spec(s)`,
          };
        });

    const header = { incidentId: incident.id, flowId: flow.id, title: redact(incident.title, repo.config.redact).text };
    const exploreSteps = async (steps: string[]): Promise<Explored | { refused: string }> => {
      const compiled = compileSteps(steps.join('\n'), 1, origins);
      if (!compiled.ok)
        return { refused: `the steps do not compile: ${compiled.problems.map(problemText).join('; ')}` };
      const spec = exploreSpec(header, compiled.body);
      // defense in depth, as before every run: the compiled statements, then the whole spec, which has no incident assertion to carry
      const problems = [
        ...checkAllowlist(specSource(header, compiled.body), allowlist),
        ...checkSpec(spec, context).problems.filter((p) => !p.startsWith('no incident assertion')),
      ];
      if (problems.length > 0) return { refused: problems.join('; ') };
      await ensureApp();
      const run = await browser.explore({
        root: repo.root,
        code: spec,
        baseURL,
        env: options.env,
        playwright: options.playwright,
        allowedOrigins: repo.config.allowedOrigins,
      });
      return {
        snapshot: run.snapshot === null ? null : trimToBudget(run.snapshot, options.snapshotBudget),
        failure: run.failure && trimToBudget(run.failure, 4_096),
      };
    };
    const session =
      options.provider === 'openai'
        ? stepsSession({
            llm: options.llm!,
            outgoing: (text) => redact(text, repo.config.redact).text,
            explore: exploreSteps,
            exploreRounds: options.exploreRounds ?? 3,
            policy: origins,
          })
        : undefined;
    let locked: { normalized: string[]; texts: string[] } | undefined;
    const ask = async (prompt: string): Promise<Candidate> => {
      const before = timings.generate ?? 0;
      const reply = await stage<SessionReply>('generate', log, async () => {
        const value = await session!.ask(prompt);
        const spent = `${options.llm!.model}, ${session!.usage.promptTokens + session!.usage.completionTokens} tokens${session!.explored ? `, explored ${session!.explored}×` : ''}`;
        if (!value.ok) return { value, detail: `refused (${spent}): ${value.reason}`, failed: true };
        return {
          value,
          detail: `${value.steps.length} steps (${spent}):\n${value.steps.map((step, index) => `    ${index + 1}. ${step}`).join('\n')}`,
        };
      });
      timings.generate = before + (timings.generate ?? 0);
      return candidateOf(reply);
    };
    const candidateOf = (reply: SessionReply): Candidate => {
      if (!reply.ok) return { refused: reply.reason };
      const broken = locked && brokenLock(locked.normalized, reply.steps);
      if (broken) return { refused: broken };
      const compiled = compileSteps(reply.steps.join('\n'), 1, origins);
      if (!compiled.ok)
        return { refused: `the steps do not compile: ${compiled.problems.map(problemText).join('; ')}` };
      locked ??= {
        normalized: lockedExpects(reply.steps),
        texts: reply.steps.filter((step) => /^expect\s/i.test(step)),
      };
      return { code: specSource(header, compiled.body), steps: reply.steps, rationale: reply.rationale };
    };

    let candidate: Candidate;
    if (session) {
      candidate = await ask(
        generationPrompt({
          incidentId: incident.id,
          flowId: flow.id,
          flowName: flow.name,
          start: flow.start,
          title: redact(incident.title, repo.config.redact).text,
          incidentText: redacted.text,
          ariaSnapshot: grounding.aria,
          examples: grounding.examples,
        }),
      );
    } else {
      candidate = await stage('generate', log, async () => {
        const steps = markdownSection(incident.body, 'Steps to reproduce');
        if (steps === undefined) {
          throw new InputError(
            `${incident.file} has no "## Steps to reproduce" section, so the steps provider has nothing to compile`,
            'write the steps there, one a line (Go to /pricing, Click "Start free trial", Expect the URL to contain /checkout), or let a model write them from the incident\'s prose: --provider openai with OPENAI_API_KEY set',
          );
        }
        // the section's first line in the file: the lines before the body (front matter), then its line in the body
        const firstLine = rawText.split('\n').length - incident.body.split('\n').length + steps.line;
        const compiled = compileSteps(steps.text, firstLine, origins);
        if (!compiled.ok) {
          throw new InputError(
            `${incident.file}: steps that do not compile:\n${compiled.problems.map((p) => `  line ${p.line}: ${p.text}${p.reason ? ` — ${p.reason}` : ' (matches no rule of the steps grammar)'}`).join('\n')}`,
            'rewrite them with the grammar (Go to, Click "…", Fill "…" with "…", Expect the URL to contain …; see the README), or use --provider openai',
          );
        }
        if (compiled.assertions === 0)
          throw new InputError(
            `${incident.file}: the steps have no "Expect …" line, so nothing states the expected outcome`,
            'add the outcome the bug broke, e.g. "Expect the URL to contain /checkout"',
          );
        const value = {
          code: specSource(header, compiled.body),
          steps: compiled.steps.map((step) => step.text),
          rationale: 'compiled from the steps to reproduce',
        };
        return { value, detail: `${compiled.steps.length} steps, ${compiled.assertions} incident assertion(s)` };
      });
    }

    const refusals: string[] = [];
    for (let attempt = 1; ; attempt++) {
      let problems: string[];
      let pending: Promise<PreparedRun> | undefined;
      let checked: { problems: string[]; assertions: IncidentAssertion[] } | undefined;
      if ('refused' in candidate) problems = [candidate.refused];
      else {
        // Playwright boots while the spec is checked; it loads the spec only if the check lets it run
        if (!offline)
          pending = browser.prepareRun({
            root: repo.root,
            spec: { file: specFile, code: candidate.code },
            baseURL,
            repeat: 1,
            env: options.env,
            playwright: options.playwright,
            allowedOrigins: repo.config.allowedOrigins,
          });
        pending?.catch(() => undefined);
        const { code } = candidate;
        checked = await stage('check', log, async () => {
          const policy = checkSpec(code, context);
          const found = [...checkAllowlist(code, allowlist), ...policy.problems];
          if (found.length === 0) found.push(...(await typeCheckSpec(code)));
          return {
            value: { problems: found, assertions: policy.assertions },
            detail: found.length ? `${found.length} problem(s)` : 'policy and types ok',
          };
        });
        problems = checked.problems;
      }
      if (problems.length > 0 || !checked || 'refused' in candidate) {
        await pending?.then(
          (run) => run.cancel(),
          () => undefined,
        );
        refusals.push(...problems.map((p) => (session ? `attempt ${attempt}: ${p}` : p)));
        if (!session || attempt >= options.attempts) {
          throw new GateError(
            `the generated test was refused and not written${session ? " (a model's reply is compiled as steps, never run as code)" : ''}:\n${refusals.map((p) => `  ${p}`).join('\n')}`,
          );
        }
        candidate = await ask(refusalPrompt(problems, locked?.texts ?? []));
        continue;
      }
      if (offline) {
        listener({ stage: 'run', status: 'skipped', detail: offline });
        const draft = keepDraftSpec(repo.root, incident.id, candidate.code);
        throw new GateError(
          `${specFile} was generated and passed its check, but not run: ${offline}.\nNothing was written into flows/; the spec is in ${draft} to look at.`,
        );
      }
      const outcome = outcomeOf(candidate.steps);
      const run = await stage('run', log, async () => {
        await ensureApp();
        const result = await (await pending!).start();
        if (result.crash)
          throw new OutsideError(
            `Playwright could not run ${specFile} against ${baseURL}:\n${result.crash}`,
            "the lines above are Playwright's own; a slow app may need a warm-up (start it yourself, then run again)",
          );
        const passed = result.attempts.every((a) => a.status === 'passed');
        return {
          value: result,
          detail: `${passed ? 'passed' : 'failed'} · ${runnerOf(options.playwright, repo.root)}`,
          failed: !passed,
        };
      });
      const failed = run.attempts.find((a) => a.status !== 'passed');
      if (!failed) {
        dropDraftSpec(repo.root, incident.id);
        const usage: LlmUsage = session ? { ...session.usage } : { promptTokens: 0, completionTokens: 0 };
        return {
          specFile,
          code: candidate.code,
          assertions: checked.assertions,
          redactions: redacted.redactions,
          usage,
          attempts: attempt,
          rationale: candidate.rationale,
          steps: candidate.steps,
          outcome,
        };
      }
      const kind = classifyFailure(failed, checked.assertions);
      const why = explainFailure(kind, failed, outcome);
      if (kind === 'assertion' || !session || attempt >= options.attempts) {
        const draft = keepDraftSpec(repo.root, incident.id, candidate.code);
        throw new GateError(
          `${specFile} ${kind === 'assertion' ? `fails at its incident assertion at ${baseURL} (is the fix there?)` : `does not pass at ${baseURL}`}: ${why}\nNothing was written into flows/; the spec is in ${draft} to look at.`,
        );
      }
      refusals.push(`attempt ${attempt}: ${why}`);
      // what the page showed before the failing step, so the model can fix the actions that lead there
      const before = failed.stepNumber
        ? candidate.steps.slice(0, failed.stepNumber - 1)
        : candidate.steps.filter((step) => !/^expect\s/i.test(step));
      const explored = before.length > 0 ? await exploreSteps(before) : { snapshot: grounding.aria };
      const ariaSnapshot = 'snapshot' in explored ? explored.snapshot : null;
      const step = failed.stepNumber ? `step ${failed.stepNumber}, "${failed.stepText}"` : failed.step;
      candidate = await ask(
        repairPrompt({
          error: trimToBudget(failed.message, 4_096),
          step,
          ariaSnapshot,
          lockedExpects: locked?.texts ?? [],
        }),
      );
    }
  } finally {
    await app?.stop();
  }
}

/** Steps that compiled into a spec, or the reason the model's reply was refused. */
type Candidate = { code: string; steps: string[]; rationale: string } | { refused: string };

/** The incident's outcome for messages: its first Expect step, e.g. `step 3, "Expect the URL to contain /checkout"`. */
function outcomeOf(steps: readonly string[]): string | undefined {
  const index = steps.findIndex((step) => /^expect\s/i.test(step));
  return index < 0 ? undefined : `step ${index + 1}, "${steps[index]}"`;
}

/** Which Playwright ran the test, in a few words for the run line. */
function runnerOf(playwright: PlaywrightInUse, root: string): string {
  if (playwright.config) return `your Playwright, ${relative(root, playwright.config)}`;
  if (playwright.unusedConfig)
    return `verigap's own Playwright (${playwright.unusedConfig} not loaded: @playwright/test is not installed)`;
  return playwright.own ? "verigap's own Playwright" : 'your Playwright, no config';
}
