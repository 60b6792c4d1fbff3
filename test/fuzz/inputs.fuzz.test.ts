import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRepoFiles } from '../../src/adapters/fs.js';
import { mergeConfig } from '../../src/config.js';
import { checkSpec } from '../../src/core/code-policy.js';
import { createPathMapper } from '../../src/core/flow-mapping.js';
import { setRegression } from '../../src/core/front-matter.js';
import { parseIncident } from '../../src/core/incident-schema.js';
import { oversizedIncident } from '../../src/core/incident-size.js';
import { countByFlowAndIncident, reportedTests } from '../../src/core/playwright-report.js';
import { compileUserPattern } from '../../src/core/redaction-user-patterns.js';
import { validateRepoFiles, type RawRepoFiles } from '../../src/core/repo-model.js';
import { readRunNote, runKey, runNoteSchema, type RunNote } from '../../src/core/run.js';
import { compileSteps, problemText, specSource } from '../../src/core/steps.js';
import { withStepsToReproduce } from '../../src/core/steps-section.js';
import { markdownSection } from '../../src/core/steps-markdown.js';
import { parseDays, parseDuration } from '../../src/core/duration.js';
import { parseIsoTime, parseWhen } from '../../src/core/when.js';
import { resolveWindow, trendWeeks } from '../../src/core/window.js';
import { parseOptions } from '../../src/core/options/parse.js';
import { reportOptions } from '../../src/core/options/report.js';
import { renderNewIncident } from '../../src/services/incident-writer.js';
import { readReports } from '../../src/services/verify.js';
import { InputError } from '../../src/errors.js';
import { removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { describeFailures, FUZZ_SEED, runCase, type CaseFailure } from './fuzz-case.js';
import {
  caseRng,
  corruptBytes,
  jsonText,
  hostileFlag,
  hostileScalar,
  mutateJson,
  mutateText,
  seeds,
  validFriendly,
  validTimes,
  validWeeks,
  type Rng,
} from './generators.js';

afterAll(removeTempDirs);

const NOW = Date.parse('2026-11-25T12:00:00Z');
const FLOW_OK = 'name: Trial\npaths: [src/**]\n';
const counts: Record<string, number> = {};

/** Runs `cases` cases of one kind and fails with every crash, hang and silent skip, each with its seed and index. */
function fuzz(kind: string, cases: number, one: (rng: Rng, index: number, failures: CaseFailure[]) => void): void {
  it(`${kind}: ${cases} cases, no crash, hang or silent skip`, () => {
    const failures: CaseFailure[] = [];
    for (let index = 0; index < cases; index++) one(caseRng(FUZZ_SEED, kind, index), index, failures);
    counts[kind] = cases;
    expect(failures, describeFailures(failures)).toEqual([]);
  });
}

// CR alone ends a line too (in Markdown and in the steps compiler)
const lineCount = (text: string) => text.split(/\r\n?|\n/).length;
const lineProblem = (line: number | undefined, text: string) =>
  line !== undefined && !(Number.isInteger(line) && line >= 1 && line <= lineCount(text) + 1)
    ? `line ${line} is not a line of the file (${lineCount(text)} lines)`
    : undefined;

/** A mutated text, or (now and then) its bytes with invalid UTF-8 in them. */
function mutatedFile(seed: string, rng: Rng): string | Buffer {
  const text = mutateText(seed, rng);
  return rng.chance(0.06) ? corruptBytes(text, rng) : text;
}

/**
 * Writes the repository's verigap files into a fresh folder and reads them as every command does
 * (readRepoFiles, then validateRepoFiles): a typed error, or a model and problems.
 */
function readAndValidate(files: Record<string, string | Buffer>): {
  raw: RawRepoFiles;
  model: ReturnType<typeof validateRepoFiles>['model'];
  problems: ReturnType<typeof validateRepoFiles>['problems'];
} {
  const root = join(scratch, 'repo');
  rmSync(root, { recursive: true, force: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const raw = readRepoFiles(root);
  return { raw, ...validateRepoFiles(raw) };
}
const scratch = tempDir('verigap-fuzz-');

/** Every problem names `file` with a real line; and when there is none, `present()` says the file made it into the model. */
function judged(
  result: ReturnType<typeof readAndValidate>,
  file: string,
  text: string | Buffer,
  present: () => boolean,
): string | undefined {
  const shown = typeof text === 'string' ? text : text.toString('latin1');
  for (const problem of result.problems) {
    if (problem.file !== file) return `a problem names ${problem.file}, not ${file}: ${problem.reason}`;
    if (!problem.reason.trim()) return 'a problem without a reason';
    const bad = lineProblem(problem.line, shown);
    if (bad) return bad;
  }
  if (result.problems.length === 0 && !present()) return `silent skip: ${file} is neither in the model nor reported`;
  return undefined;
}

/** A typed error about an unreadable file must name it. */
function typedErrorNames(file: string, check: () => string | undefined): () => string | undefined {
  return () => {
    try {
      return check();
    } catch (error) {
      if (error instanceof InputError && !error.message.includes(file))
        return `an error that does not name ${file}: ${error.message}`;
      throw error;
    }
  };
}

describe(`fuzz: files of the repository (seed ${FUZZ_SEED})`, () => {
  fuzz('verigap.yaml', 300, (rng, index, failures) => {
    const text = mutatedFile(seeds.config, rng);
    runCase(
      failures,
      'verigap.yaml',
      index,
      text,
      typedErrorNames('verigap.yaml', () => {
        const result = readAndValidate({ 'verigap.yaml': text });
        const verdict = judged(result, 'verigap.yaml', text, () => result.raw.config !== undefined);
        if (verdict || result.problems.length > 0) return verdict;
        // what the commands do next with a valid file
        const config = mergeConfig(result.model.configFile, {}, {});
        new RegExp(config.featurePattern).test('feat: x');
        for (const pattern of config.redact) compileUserPattern(pattern);
        return Number.isFinite(config.readyTimeoutMs) ? undefined : `readyTimeoutMs ${config.readyTimeoutMs}`;
      }),
    );
  });

  fuzz('flow.yaml', 300, (rng, index, failures) => {
    const text = mutatedFile(seeds.flow, rng);
    const folder = rng.chance(0.1)
      ? rng.pick(['Trial', 'trial_x', '-x', 'a'.repeat(70), 'con', '__proto__', 'constructor', 'tri al'])
      : 'trial';
    const file = `flows/${folder}/flow.yaml`;
    runCase(
      failures,
      'flow.yaml',
      index,
      { folder, text },
      typedErrorNames(file, () => {
        const result = readAndValidate({ [file]: text, 'src/a.ts': '' });
        const verdict = judged(result, file, text, () => result.model.flows.some((flow) => flow.file === file));
        if (verdict || result.problems.length > 0) return verdict;
        const mapper = createPathMapper(result.model.flows);
        for (const path of [
          'src/billing/a.ts',
          'web/pages/pricing.tsx',
          `flows/${folder}/x.spec.ts`,
          'e2e/pricing-a.spec.ts',
          '',
        ])
          mapper(path);
        return undefined;
      }),
    );
  });

  fuzz('waivers.yaml', 200, (rng, index, failures) => {
    const text = mutatedFile(seeds.waivers, rng);
    const file = 'flows/trial/waivers.yaml';
    runCase(
      failures,
      'waivers.yaml',
      index,
      text,
      typedErrorNames(file, () => {
        const result = readAndValidate({ 'flows/trial/flow.yaml': FLOW_OK, [file]: text });
        return judged(
          result,
          file,
          text,
          () => result.raw.waivers.length === 1 && result.model.waivers.every((waiver) => waiver.flowId === 'trial'),
        );
      }),
    );
  });

  fuzz('incident', 400, (rng, index, failures) => {
    const text = mutatedFile(seeds.incident, rng);
    const name = rng.chance(0.1)
      ? rng.pick([
          '2026-11-20-Trial.md',
          '2026-11-20-.md',
          'x.md',
          '2026-11-20-trial-redirect.MD',
          'readme.md',
          '.md',
          `2026-11-20-${'a'.repeat(61)}.md`,
        ])
      : '2026-11-20-trial-redirect.md';
    const file = `incidents/${name}`;
    runCase(
      failures,
      'incident',
      index,
      { name, text },
      typedErrorNames(file, () => {
        const result = readAndValidate({ 'flows/trial/flow.yaml': FLOW_OK, [file]: text });
        // README.md is documentation, and a name that does not end in .md is not an incident file
        const isIncidentFile = name.endsWith('.md') && name.toLowerCase() !== 'readme.md';
        const verdict = judged(
          result,
          file,
          text,
          () => !isIncidentFile || result.model.incidents.some((incident) => incident.file === file),
        );
        if (verdict || result.problems.length > 0 || !isIncidentFile) return verdict;
        // what `incident test` does next, with an incident it reads (at most 256 KB): the steps section, compiled; the steps and the proof written back
        if (oversizedIncident(file, Buffer.byteLength(text))) return undefined;
        const incident = result.model.incidents[0]!;
        const section = markdownSection(incident.body, 'Steps to reproduce');
        if (section) {
          const compiled = compileSteps(section.text, section.line);
          if (!compiled.ok)
            for (const problem of compiled.problems) if (!problemText(problem)) return 'a step problem without words';
        }
        const source = text as string;
        withStepsToReproduce(source, ['Go to /pricing', 'Expect the URL to contain /checkout']);
        const updated = setRegression(source, {
          test: `flows/trial/${incident.id}.spec.ts`,
          proof: { fails_on: 'a'.repeat(40), passes_on: 'b'.repeat(40), at: new Date(NOW).toISOString() },
        });
        const reread = parseIncident(file, updated);
        return reread.ok
          ? undefined
          : `the incident no longer reads after its regression is written: ${reread.problem.reason}`;
      }),
    );
  });

  fuzz('steps', 300, (rng, index, failures) => {
    const text = rng.chance(0.8)
      ? mutateText(seeds.steps, rng)
      : Array.from(
          { length: 1 + rng.int(8) },
          () =>
            `${rng.pick(['Go to', 'Click', 'Fill', 'Expect', 'Press', 'Select', 'Expect GET'])} ${hostileScalar(rng)}`,
        ).join('\n');
    const policy = rng.chance(0.5)
      ? { baseURL: 'http://localhost:3000', allowedOrigins: ['https://js.stripe.com'] }
      : undefined;
    runCase(failures, 'steps', index, text, () => {
      const compiled = compileSteps(text, 1, policy);
      if (!compiled.ok) {
        if (compiled.problems.length === 0) return 'refused without a problem';
        for (const problem of compiled.problems) {
          if (!problemText(problem)) return 'a problem without words';
          const bad = lineProblem(problem.line, text);
          if (bad) return bad;
        }
        return undefined;
      }
      // nothing a reader sees is dropped: every visible line is a step, or the whole text is refused
      if (compiled.steps.some((step, at) => step.number !== at + 1)) return 'steps are not numbered 1..n';
      // and what compiles passes the spec check the runner applies (the compiler and the check must agree)
      const code = specSource({ incidentId: '2026-11-20-x', flowId: 'trial', title: 'fuzz' }, compiled.body);
      const checked = checkSpec(code, {
        incidentId: '2026-11-20-x',
        flowId: 'trial',
        origin: 'http://localhost:3000',
        allowedOrigins: ['https://js.stripe.com'],
      });
      const onOrigin = policy !== undefined;
      return onOrigin && checked.problems.length > 0
        ? `compiled steps fail the spec check: ${checked.problems.join('; ')}`
        : undefined;
    });
  });
});

describe(`fuzz: runs (seed ${FUZZ_SEED})`, () => {
  fuzz('playwright-json', 300, (rng, index, failures) => {
    const text = rng.chance(0.75)
      ? jsonText(mutateJson(seeds.report, rng))
      : mutateText(JSON.stringify(seeds.report, null, 2), rng);
    const file = 'results.json';
    runCase(
      failures,
      'playwright-json',
      index,
      text,
      typedErrorNames(file, () => {
        writeFileSync(join(scratch, file), text);
        const [report] = readReports([file], scratch);
        const tests = reportedTests(report!);
        // silent skip: every test of every spec in the tree is counted once
        let expected = 0;
        const stack = [...report!.suites];
        while (stack.length > 0) {
          const suite = stack.pop()!;
          for (const spec of suite.specs ?? []) expected += spec.tests.length;
          stack.push(...(suite.suites ?? []));
        }
        if (tests.length !== expected) return `silent skip: ${expected} tests in the report, ${tests.length} read`;
        const { flows, incidents } = countByFlowAndIncident(tests, (path) =>
          path.startsWith('flows/trial/') ? ['trial'] : [],
        );
        const identity = {
          env: 'production',
          at: new Date(Date.parse(report!.stats.startTime) + report!.stats.duration).toISOString(),
          commit: 'a'.repeat(40),
        };
        const run: RunNote = {
          schema: 'verigap.run/v1',
          ...identity,
          run_url: null,
          tests: tests.length,
          duration_ms: report!.stats.duration,
          flows,
          incidents,
          key: runKey([report!], identity),
        };
        runNoteSchema.safeParse(run);
        return undefined;
      }),
    );
  });

  fuzz('run-note', 300, (rng, index, failures) => {
    const lines = Array.from({ length: 1 + rng.int(6) }, () =>
      rng.pick<() => string>([
        () => JSON.stringify(seeds.note),
        () => jsonText(mutateJson(seeds.note, rng)),
        () => mutateText(JSON.stringify(seeds.note), rng),
        () => '',
        () => '   ',
        () => hostileScalar(rng),
      ])(),
    );
    const text = lines.join(rng.chance(0.2) ? '\r\n' : '\n');
    runCase(failures, 'run-note', index, text, () => {
      const { runs, problems } = readRunNote(text);
      const nonBlank = text.split('\n').filter((line) => line.trim() !== '').length;
      if (runs.length + problems.length !== nonBlank)
        return `silent skip: ${nonBlank} lines, ${runs.length} runs and ${problems.length} problems`;
      for (const problem of problems)
        if (!problem.reason.trim() || lineProblem(problem.line, text))
          return `problem at line ${problem.line}: "${problem.reason}"`;
      for (const run of runs) if (Number.isNaN(Date.parse(run.at))) return `a run at "${run.at}" counted`;
      return undefined;
    });
  });
});

describe(`fuzz: flags and times (seed ${FUZZ_SEED})`, () => {
  fuzz('times', 400, (rng, index, failures) => {
    const [since, until, week] = [
      hostileFlag(rng, validTimes),
      hostileFlag(rng, validTimes),
      hostileFlag(rng, validWeeks),
    ];
    const options = rng.pick([{ since }, { since, until }, { until }, { week }, { week, since }, {}]);
    const friendly = hostileFlag(rng, validFriendly);
    runCase(failures, 'times', index, { options, friendly }, () => {
      for (const text of [since, until]) {
        const instant = parseWhen(text, NOW);
        if (instant.ok) new Date(instant.time).toISOString();
        else if (!instant.reason) return 'refused without a reason';
        const iso = parseIsoTime(text);
        if (iso.ok) new Date(iso.time).toISOString();
        const duration = parseDuration(text);
        if (duration !== undefined && !(duration >= 0 && Number.isFinite(duration))) return `duration ${duration}`;
      }
      const resolved = resolveWindow(options, NOW);
      if (resolved.ok) {
        if (!(resolved.window.since < resolved.window.until)) return 'an empty window accepted';
        new Date(resolved.window.since).toISOString();
        trendWeeks(resolved.window);
      } else if (!/--since|--until|--week|window/.test(resolved.reason))
        return `a refusal that names no flag: ${resolved.reason}`;
      const friendlyTime = parseWhen(friendly, NOW);
      if (friendlyTime.ok && !parseIsoTime(new Date(friendlyTime.time).toISOString()).ok)
        return `"${friendly}" read as ${friendlyTime.time}, which is no ISO time`;
      if (!friendlyTime.ok && !friendlyTime.reason.includes(`"${friendly.trim()}" is not a time`))
        return `a refusal that names no input: ${friendlyTime.reason}`;
      return undefined;
    });
  });

  fuzz('flags', 300, (rng, index, failures) => {
    const gates = {
      format: 'md',
      failUnder: rng.chance(0.5)
        ? `${rng.pick(['coverage', 'verified', 'x', ''])}=${hostileFlag(rng, ['0.8', '1', '0'])}`
        : undefined,
      maxVerifyP90: rng.chance(0.5) ? hostileFlag(rng, ['24h', '7d']) : undefined,
      maxUntestedIncidentAge: rng.chance(0.5) ? hostileFlag(rng, ['7d']) : undefined,
    };
    const input = {
      title: rng.chance(0.8) ? hostileFlag(rng, ['Trial signup broke', 'Ünïcödé tïtle']) : undefined,
      flows: rng.chance(0.8) ? hostileFlag(rng, ['trial', 'trial,checkout']).split(',') : undefined,
      severity: rng.chance(0.8) ? hostileFlag(rng, ['SEV1', 'SEV2']) : undefined,
      started: rng.chance(0.7) ? hostileFlag(rng, validFriendly) : undefined,
      detected: rng.chance(0.4) ? hostileFlag(rng, validFriendly) : undefined,
      resolved: rng.chance(0.4) ? hostileFlag(rng, validFriendly) : undefined,
      fixedBy: rng.chance(0.3) ? hostileFlag(rng, ['5d6e7f8', '42', 'https://github.com/a/b/pull/1']) : undefined,
      detection: rng.chance(0.3) ? hostileFlag(rng, ['monitor']) : undefined,
      body: rng.chance(0.3) ? mutateText(seeds.steps, rng) : undefined,
    };
    const days = hostileFlag(rng, ['30', '7', '36500']);
    runCase(failures, 'flags', index, { gates, input, days }, () => {
      // --days of flows and review: a window whose start can still be printed
      const window = parseDays(days);
      if (window !== undefined) new Date(NOW - window * 86_400_000).toISOString();
      try {
        parseOptions(reportOptions, gates);
      } catch (error) {
        if (!(error instanceof InputError && /--fail-under|--max-/.test(error.message))) throw error;
      }
      // what `incident new` writes, it must read back as the same incident
      const rendered = renderNewIncident(input, NOW);
      const file = `incidents/${rendered.id}.md`;
      const reread = parseIncident(file, rendered.text);
      if (!reread.ok)
        return `incident new wrote a file it cannot read: line ${reread.problem.line}: ${reread.problem.reason}`;
      return reread.incident.title === input.title
        ? undefined
        : `title ${JSON.stringify(input.title)} read back as ${JSON.stringify(reread.incident.title)}`;
    });
  });

  it('runs at least 2,000 cases in all', () => {
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    console.log(`fuzz (seed ${FUZZ_SEED}): ${JSON.stringify(counts)}, ${total} in-process cases`);
    expect(total).toBeGreaterThanOrEqual(2_000);
  });
});
