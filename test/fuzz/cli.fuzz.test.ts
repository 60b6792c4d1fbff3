import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunNote } from '../../src/core/run.js';
import { cliPath, removeTempDirs, TestRepo, tempDir } from '../helpers/git-repo.js';
import { describeFailures, FUZZ_SEED, HANG_MS, preview, type CaseFailure } from './fuzz-case.js';
import {
  caseRng,
  corruptBytes,
  hostileFlag,
  jsonText,
  mutateJson,
  mutateText,
  seeds,
  validFriendly,
  validTimes,
  validWeeks,
  type Rng,
} from './generators.js';

/**
 * The CLI end to end on a sample of fuzzed inputs: mutated files in a real repository, mutated notes,
 * reports and flags. Every run ends in an exit code of SPEC §3, never "unexpected error", and writes
 * nothing outside the repository: the folder around it (with HOME and TMPDIR inside it) is compared
 * before and after each run.
 */

afterAll(removeTempDirs);

const CASES = 80;
const parent = tempDir('verigap-fuzz-cli-');
const outside = join(parent, 'outside');
const env = {
  HOME: join(parent, 'home'),
  TMPDIR: join(parent, 'tmp'),
  XDG_CONFIG_HOME: join(parent, 'home', '.config'),
};
let repo: TestRepo;

const files: Record<string, string> = {
  'verigap.yaml': seeds.config.replace('redact:\n', '').replace("  - 'cus_[A-Za-z0-9]+'\n", ''),
  'flows/trial/flow.yaml': seeds.flow
    .replace(/^paths:.*$/m, 'paths: [src/billing/**]')
    .replace(/^tests:.*$/m, 'tests: []'),
  'flows/trial/waivers.yaml': seeds.waivers,
  'incidents/2026-11-20-trial-redirect.md': seeds.incident.replace(/^regression:[\s\S]*?(?=^---)/m, ''),
};
const report = JSON.stringify(seeds.report);

beforeAll(() => {
  for (const dir of [outside, env.HOME, env.TMPDIR]) mkdirSync(dir, { recursive: true });
  repo = TestRepo.create('main', join(parent, 'repo'));
  repo.commit(
    'chore: start',
    { ...files, 'flows/trial/a.spec.ts': "import { test } from '@playwright/test';\n", 'src/billing/a.ts': '1\n' },
    '2026-11-18T10:00:00Z',
  );
  repo.commit('feat(billing): trials', { 'src/billing/a.ts': '2\n' }, '2026-11-19T10:00:00Z');
  writeFileSync(join(outside, 'results.json'), report);
  const first = run(['verify', 'ingest', join(outside, 'results.json'), '--commit', 'HEAD', '--env', 'production']);
  if (first.code !== 0) throw new Error(`the sample repository does not ingest its valid report: ${first.stderr}`);
});

/** Every file under `dir` (but the repository) with its size and modification time. */
function snapshot(dir = parent, into = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === repo.dir) continue;
    const stat = statSync(path, { throwIfNoEntry: false });
    into.set(path, stat ? `${entry.isDirectory() ? 'dir' : stat.size}@${stat.mtimeMs}` : 'gone');
    if (entry.isDirectory()) snapshot(path, into);
  }
  return into;
}

function run(args: string[]) {
  const started = performance.now();
  // no process receives a NUL in an argument (the C strings of argv end there), so it is cut there as a shell would
  const result = spawnSync(process.execPath, [cliPath, ...args.map((arg) => arg.split('\0')[0]!)], {
    cwd: repo.dir,
    encoding: 'utf8',
    timeout: HANG_MS * 2,
    killSignal: 'SIGKILL',
    env: {
      ...process.env,
      NO_COLOR: '1',
      CI: '1',
      OPENAI_API_KEY: '',
      GITHUB_TOKEN: '',
      GH_TOKEN: '',
      BASE_URL: '',
      GITHUB_STEP_SUMMARY: '',
      ...env,
    },
  });
  return {
    code: result.status,
    signal: result.signal,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ms: performance.now() - started,
  };
}

interface CliCase {
  args: string[];
  /** What an exit 2 must name (a file, a flag). */
  names: RegExp;
  /** Words stderr must hold when the command succeeds: a note line that is no run is reported, never skipped silently. */
  warns?: RegExp;
  /** Undoes what the case changed in the repository. */
  restore?: () => void;
}

const listing = () =>
  rngPick([
    ['flows', 'list'],
    ['incident', 'list'],
    ['report', '--format', 'json', '--since', '30d'],
    ['sync'],
    ['flows', 'show', 'trial'],
  ]);
let rngPick: <T>(items: readonly T[]) => T;

/** One case: a mutated file, note or report, or fuzzed flags; the command that reads it. */
function makeCase(rng: Rng): CliCase {
  rngPick = rng.pick;
  const kind = rng.pick(['file', 'file', 'file', 'note', 'report', 'flags', 'flags', 'flags']);
  if (kind === 'file') {
    const file = rng.pick(Object.keys(files));
    const text = mutateText(files[file]!, rng);
    writeFileSync(join(repo.dir, file), rng.chance(0.1) ? corruptBytes(text, rng) : text);
    return {
      args: ['--json', ...listing()],
      names: new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      restore: () => writeFileSync(join(repo.dir, file), files[file]!),
    };
  }
  if (kind === 'note') {
    const lines = Array.from({ length: 1 + rng.int(4) }, () =>
      rng.pick([
        () => JSON.stringify(seeds.note),
        () => jsonText(mutateJson(seeds.note, rng)),
        () => mutateText(JSON.stringify(seeds.note), rng),
      ])(),
    );
    const commit = repo.head('HEAD~1');
    const note = { ...seeds.note, commit };
    const text = lines.join('\n').replaceAll('a'.repeat(40), note.commit);
    execFileSync('git', ['notes', '--ref', 'verigap', 'add', '-f', '-F', '-', commit], {
      cwd: repo.dir,
      input: text,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const refused = readRunNote(text).problems.length > 0;
    return {
      args: ['--json', ...listing()],
      names: /note|verigap/,
      ...(refused ? { warns: /is not a verification run/ } : {}),
      restore: () =>
        execFileSync('git', ['notes', '--ref', 'verigap', 'remove', '--ignore-missing', commit], {
          cwd: repo.dir,
          stdio: 'ignore',
        }),
    };
  }
  if (kind === 'report') {
    const text = rng.chance(0.7)
      ? jsonText(mutateJson(seeds.report, rng))
      : mutateText(JSON.stringify(seeds.report, null, 2), rng);
    writeFileSync(join(outside, 'results.json'), rng.chance(0.1) ? corruptBytes(text, rng) : text);
    return {
      args: ['--json', 'verify', 'ingest', join(outside, 'results.json'), '--commit', 'HEAD', '--env', 'production'],
      names: /results\.json|--commit|run/,
    };
  }
  const flag = (valid: readonly string[]) => hostileFlag(rng, valid);
  return rng.pick<() => CliCase>([
    () => ({
      args: [
        'report',
        '--format',
        'json',
        ...rng.pick([
          ['--since', flag(validTimes)],
          ['--since', flag(validTimes), '--until', flag(validTimes)],
          ['--week', flag(validWeeks)],
          ['--until', flag(validTimes)],
        ]),
      ],
      names: /--since|--until|--week|window/,
    }),
    () => ({
      args: [
        'report',
        '--since',
        '30d',
        '--fail-under',
        `${rng.pick(['coverage', 'verified'])}=${flag(['0.8'])}`,
        '--max-verify-p90',
        flag(['24h']),
      ],
      names: /--fail-under|--max-verify-p90/,
    }),
    () => ({
      args: [
        'report',
        '--since',
        '30d',
        '--format',
        flag(['md', 'json', 'html', 'md,json']),
        '--out',
        rng.pick(['reports', '../outside', join(outside, 'r'), '/', '..', 'reports/../../outside', flag(['reports'])]),
      ],
      names: /--format|--out|outside|repository|\.\./,
    }),
    () => ({ args: ['--json', 'flows', 'list', '--days', flag(['30', '7'])], names: /--days/ }),
    () => ({ args: ['--json', 'review', '--days', flag(['30'])], names: /--days/ }),
    () => ({
      args: [
        '--json',
        'incident',
        'new',
        '--title',
        flag(['Trial broke']),
        '--flow',
        flag(['trial']),
        '--severity',
        flag(['SEV2']),
        '--started',
        flag(validFriendly),
        ...(rng.chance(0.5) ? ['--detected', flag(validFriendly)] : []),
        ...(rng.chance(0.4) ? ['--resolved', flag(validFriendly)] : []),
        ...(rng.chance(0.3) ? ['--fixed-by', flag(['5d6e7f8', '42'])] : []),
        '--no-test',
      ],
      names: /--[a-z]/,
    }),
    () => {
      writeFileSync(join(outside, 'draft.md'), mutateText(seeds.incident, rng));
      return {
        args: ['--json', 'incident', 'new', '--from', join(outside, 'draft.md'), '--no-test'],
        names: /draft\.md|--[a-z]/,
      };
    },
    () => {
      writeFileSync(join(outside, 'results.json'), report);
      return {
        args: [
          '--json',
          'verify',
          'ingest',
          join(outside, 'results.json'),
          '--commit',
          rng.chance(0.7) ? 'HEAD' : flag(['HEAD', 'HEAD~1']),
          '--env',
          flag(['production', 'staging']),
          '--at',
          flag(validTimes),
          '--run-url',
          flag(['https://ci.example.com/1']),
        ],
        names: /--[a-z]|commit|env/,
      };
    },
    () => ({
      args: [
        '--json',
        'flows',
        'add',
        flag(['checkout', 'a-b']),
        '--name',
        flag(['Check out']),
        '--paths',
        flag(['src/checkout/**', 'a/**,b/*.ts']),
        '--within',
        flag(['4h']),
        '--start',
        flag(['/checkout']),
      ],
      names: /--[a-z]|flow|id/,
    }),
  ])();
}

describe(`fuzz: the CLI (seed ${FUZZ_SEED})`, () => {
  it(`${CASES} runs: exit 0-3, no "unexpected error", no hang, exit 2 names the input, nothing written outside the repository`, () => {
    const failures: CaseFailure[] = [];
    const tally: Record<string, number> = {};
    for (let index = 0; index < CASES; index++) {
      const rng = caseRng(FUZZ_SEED, 'cli', index);
      // the case writes its inputs first (into the repository, or beside it as a user would); then nothing else may change there
      const fuzzCase = makeCase(rng);
      const before = snapshot();
      const result = run(fuzzCase.args);
      fuzzCase.restore?.();
      const fail = (what: string) =>
        failures.push({
          kind: 'cli',
          index,
          what: `${what}\n    stderr: ${preview(result.stderr)}`,
          input: preview(fuzzCase.args.join(' ')),
        });
      const after = snapshot();
      const command = `${fuzzCase.args
        .filter((arg) => /^[a-z]+$/.test(arg))
        .slice(0, 2)
        .join(' ')} → exit ${result.code}`;
      tally[command] = (tally[command] ?? 0) + 1;
      const written = [...new Set([...before.keys(), ...after.keys()])].filter(
        (path) => before.get(path) !== after.get(path),
      );
      if (result.signal || result.ms > HANG_MS * 2)
        fail(`hang: ${Math.round(result.ms)} ms (${result.signal ?? 'finished'})`);
      else if (![0, 1, 2, 3].includes(result.code ?? -1)) fail(`exit ${result.code}`);
      else if (/unexpected error/.test(result.stderr)) fail('crash: unexpected error');
      else if (result.code === 3) fail('exit 3 with git at hand');
      else if (result.code === 2 && !fuzzCase.names.test(result.stderr))
        fail(`exit 2 that names none of ${fuzzCase.names}`);
      else if (result.code === 0 && fuzzCase.warns && !fuzzCase.warns.test(result.stderr))
        fail(`silent skip: stderr does not say ${fuzzCase.warns}`);
      else if (fuzzCase.args[0] === '--json' && result.code === 0 && !isJson(result.stdout))
        fail(`--json printed no JSON document: ${preview(result.stdout)}`);
      if (written.length > 0) fail(`wrote outside the repository: ${written.join(', ')}`);
    }
    console.log(`fuzz CLI (seed ${FUZZ_SEED}): ${CASES} runs`, tally);
    expect(failures, describeFailures(failures)).toEqual([]);
  }, 600_000);
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
