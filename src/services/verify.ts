import { isAbsolute, join, relative } from 'node:path';
import { createNotes } from '../adapters/notes.js';
import { createPathMapper } from '../core/flow-mapping.js';
import {
  countByFlowAndIncident,
  parsePlaywrightReport,
  reportedTests,
  type PlaywrightReport,
  type ReportedTest,
} from '../core/playwright-report.js';
import { parseRunNote, runKey, runNoteSchema, sameRun, serializeRun, type RunNote } from '../core/run.js';
import { modifiedAt, readTextFile } from '../adapters/fs.js';
import { parseIsoTime, parseWhen } from '../core/when.js';
import { FileError, InputError } from '../errors.js';
import type { Repo } from './repo.js';
import { indexAppendedRun, indexedNoteOf } from './appended-run.js';
import type { VersionSource } from './deployed-commit.js';

export interface IngestOptions {
  files: string[];
  commit?: string | undefined;
  env: string;
  at?: string | undefined;
  /** What `--at "2h ago"` or `--at now` is read against. */
  now: number;
  runUrl?: string | undefined;
  push?: boolean;
  /** `--commit-from`: the version endpoint that publishes the deployed sha (`--commit` wins over it). */
  commitFrom?: VersionSource | undefined;
  /** Called when the commit comes from the report's metadata rather than --commit. */
  onCommitFromReport?: (sha: string) => void;
}

/** Reads and validates every report before anything is written. */
export function readReports(files: string[], cwd: string): PlaywrightReport[] {
  return files.map((file) => {
    const path = isAbsolute(file) ? file : join(cwd, file);
    const text = readTextFile(path, file, 'a Playwright JSON report');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new FileError(
        file,
        undefined,
        `not JSON (${(error as Error).message})`,
        "produce it with Playwright's JSON reporter: reporter: [['json', { outputFile: 'results.json' }]]",
      );
    }
    // a report without run times (Playwright 1.21 and older) is timed by when its file was written
    const parsed = parsePlaywrightReport(json, modifiedAt(path));
    if (!parsed.ok) {
      throw new FileError(
        file,
        undefined,
        `not a Playwright JSON report (${parsed.path}: ${parsed.reason})`,
        "produce it with reporter: [['json', { outputFile: 'results.json' }]], or `npx playwright merge-reports --reporter json` for shards",
      );
    }
    return parsed.report;
  });
}

/** Maps a report's file (relative to its rootDir, maybe on another machine) to a repository path. */
function repoPathOf(root: string, rootDir: string, file: string, known: () => readonly string[]): string {
  const local = relative(root, join(rootDir, file)).split('\\').join('/');
  if (!local.startsWith('..') && !isAbsolute(local)) return local;
  return known().find((path) => path === file || path.endsWith(`/${file}`)) ?? file;
}

export interface IngestResult {
  /** The run as recorded: when it already was, the earlier line (its run URL may differ). */
  run: RunNote;
  pushed: boolean;
  /** False when the same run was already recorded on that commit, so nothing was written. */
  written: boolean;
}

/** Records a verification run as a Git note on the deployed commit, then indexes it. */
export async function ingestRun(repo: Repo, options: IngestOptions, cwd: string): Promise<IngestResult> {
  const reports = readReports(options.files, cwd);
  const at = options.at === undefined ? endOf(reports) : atFlag(options.at, options.now);
  const deployed = await deployedRevision(options, reports);

  // the test files the index knows, read only for a report written on another machine (its rootDir is elsewhere)
  let known: string[] | undefined;
  const knownSpecs = () => (known ??= [...repo.store.queries.specsNow().values()].flat());
  const mapPath = createPathMapper(repo.model.flows);
  const tests: ReportedTest[] = reports.flatMap((report) =>
    reportedTests(report).map((test) => ({
      ...test,
      file: repoPathOf(repo.root, report.config.rootDir, test.file, knownSpecs),
    })),
  );
  const flowsOfFile = (file: string) =>
    mapPath(file)
      .filter((m) => m.role === 'test')
      .map((m) => m.flowId);
  const { flows, incidents } = countByFlowAndIncident(tests, flowsOfFile);
  const runOn = (commit: string): RunNote => {
    const identity = { env: options.env, at: new Date(at).toISOString(), commit };
    const run: RunNote = {
      schema: 'verigap.run/v1',
      ...identity,
      run_url: options.runUrl ?? null,
      tests: tests.length,
      duration_ms: Math.max(...reports.map((r) => r.stats.duration)),
      flows,
      incidents,
      key: runKey(reports, identity),
    };
    // the line sync will read back: what it would refuse is refused here, before anything is written
    const checked = runNoteSchema.safeParse(run);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new InputError(
        `this run cannot be recorded: ${issue.path.join('.')}: ${issue.message}`,
        'check --env, --at and the report (its duration and counts)',
      );
    }
    return run;
  };
  // a line naming another key is another run: only the others are parsed (the note of a commit checked every 15 minutes grows long)
  const recordedIn = (note: string, run: RunNote) => {
    const ownKey = `"key":"${run.key}"`;
    const candidates = note
      .split('\n')
      .filter((line) => !line.includes('"key":"') || line.includes(ownKey))
      .join('\n');
    return parseRunNote(candidates).find((other) => sameRun(other, run));
  };
  // A retried CI job ingests the same report again: the check runs under the notes lock, so racing ingests record it once too.
  let run: RunNote | undefined;
  let recorded: RunNote | undefined;
  const notes = createNotes(repo.git);
  const appended = await notes.append(
    deployed.revision,
    (commit, note) => {
      run ??= runOn(commit);
      recorded = recordedIn(note, run);
      return recorded ? undefined : serializeRun(run);
    },
    (notesTip) => indexedNoteOf(repo, deployed.revision, notesTip),
  );
  if (!appended || !run) throw deployed.unknown;
  if (deployed.fromReport) options.onCommitFromReport?.(appended.commit);
  const { move } = appended;
  // the new line alone goes into an index that was current with the notes; the push merges other writers' notes, which the next sync reads
  const indexed = move !== undefined && (await indexAppendedRun(repo, appended.commit, serializeRun(run), move));
  if (options.push) await notes.push();
  // an index that was not current (never synced, notes fetched since) is brought up to date as it always was
  // loaded only then: an ingest runs every few minutes, and most never sync
  if (!indexed) await (await import('./sync.js')).syncRepo(repo);
  return { run: recorded ?? run, pushed: Boolean(options.push), written: move !== undefined };
}

/**
 * The deployed revision, resolved under the notes lock with the commit's note: --commit, else the version
 * endpoint, else the report's metadata (with a warning). `unknown` is what to say when it names no commit here.
 */
async function deployedRevision(
  options: IngestOptions,
  reports: PlaywrightReport[],
): Promise<{ revision: string; unknown: InputError; fromReport: boolean }> {
  if (options.commit === undefined && options.commitFrom) {
    const { readDeployedCommit } = await import('./deployed-commit.js');
    const { sha, shown } = await readDeployedCommit(options.commitFrom);
    // never a note on the wrong commit: a deployment ahead of this clone is said, not guessed
    return {
      revision: sha,
      fromReport: false,
      unknown: new InputError(
        `commit ${sha}, deployed according to ${shown}, does not exist in this repository`,
        'fetch it first (git fetch origin), or check that the endpoint belongs to this repository',
      ),
    };
  }
  const wanted = options.commit ?? reports.map((r) => r.config.metadata?.gitCommit?.hash).find(Boolean);
  if (!wanted)
    throw new InputError(
      'which commit was deployed? the report has no metadata.gitCommit',
      'pass --commit <sha> or --commit-from URL (the commit live in the environment)',
    );
  return {
    revision: wanted,
    fromReport: options.commit === undefined,
    unknown: new InputError(
      `commit ${wanted} does not exist in this repository`,
      'fetch it first (git fetch origin), or check the --commit value',
    ),
  };
}

/** The end of the run: the latest start time plus duration of its reports (both validated, so a real time). */
function endOf(reports: PlaywrightReport[]): string {
  const end = Math.max(
    ...reports.map((r) => {
      const start = parseIsoTime(r.stats.startTime);
      return start.ok ? start.time + r.stats.duration : 0;
    }),
  );
  return new Date(end).toISOString();
}

/** `--at`: the one time grammar (a real day, never what `Date.parse` makes of "0", the year 2000). */
function atFlag(text: string, now: number): string {
  const parsed = parseWhen(text, now);
  if (!parsed.ok)
    throw new InputError(`--at ${parsed.reason}`, 'or leave --at out: the run is recorded at the end of the report');
  return new Date(parsed.time).toISOString();
}
