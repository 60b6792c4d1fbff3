import { isSpecFile } from './glob.js';

/**
 * SZZ (Śliwerski, Zimmermann, Zeller): the change that introduced a bug is found from its fix.
 * The lines the fix deleted or modified are blamed in the fix's parent; the changes that last
 * wrote them are the candidates. This file holds the pure parts: reading `git diff -U0`,
 * choosing the lines to blame, reading `git blame --porcelain`, and picking one change.
 */

export interface DiffHunk {
  /** First old line of the hunk; for a pure insertion, the old line the new lines follow (0: top of file). */
  oldStart: number;
  oldCount: number;
  /** The old lines the hunk deletes (a modified line is deleted, then added). */
  deleted: string[];
}

export interface FileDiff {
  /** The path in the fix's parent; null for a file the fix created. */
  oldPath: string | null;
  hunks: DiffHunk[];
}

/** Lines of one file of the fix's parent to blame, as inclusive 1-based ranges. */
export interface BlameTarget {
  path: string;
  ranges: [number, number][];
}

export interface BlamedLine {
  sha: string;
  /** Line number in the blamed revision. */
  line: number;
  /** Committer time of the blamed commit, ms. */
  committedAt: number;
  /** The history ended before the line's origin (shallow clone): the commit is not its author. */
  boundary: boolean;
}

export interface IntroducingCandidate {
  /** The first-parent change that brought the blamed lines onto the tracked branch. */
  sha: string;
  /** Its position on the first-parent chain. */
  seq: number;
  /** Its committer time, ms: when it reached the tracked branch. */
  committedAt: number;
}

/** Parses `git diff -U0 --no-renames` (a/ and b/ prefixes). Binary and mode-only changes have no hunks. */
export function parseZeroContextDiff(diff: string): FileDiff[] {
  const files: FileDiff[] = [];
  const lines = diff.split('\n');
  let current: FileDiff | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('diff --git ')) {
      current = { oldPath: null, hunks: [] };
      files.push(current);
    } else if (current && line.startsWith('--- ')) {
      current.oldPath = diffPath(line.slice(4), 'a/');
    } else if (current && line.startsWith('@@ ')) {
      const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!header) continue;
      const oldCount = header[2] === undefined ? 1 : Number(header[2]);
      const newCount = header[4] === undefined ? 1 : Number(header[4]);
      const hunk: DiffHunk = { oldStart: Number(header[1]), oldCount, deleted: [] };
      // the body is read by count, so a deleted line that reads "--- x" is never taken for a header
      let deletions = oldCount;
      let additions = newCount;
      while ((deletions > 0 || additions > 0) && index + 1 < lines.length) {
        const body = lines[++index]!;
        if (body.startsWith('-')) {
          hunk.deleted.push(body.slice(1));
          deletions--;
        } else if (body.startsWith('+')) additions--;
        else if (!body.startsWith('\\')) {
          index--;
          break;
        }
      }
      current.hunks.push(hunk);
    }
  }
  return files;
}

/** `a/src/x.ts`, `"a/na\303\257ve.ts"` or `/dev/null`, with the tab git adds after a name with spaces. */
function diffPath(field: string, prefix: string): string | null {
  const raw = field.endsWith('\t') ? field.slice(0, -1) : field;
  if (raw === '/dev/null') return null;
  const path = raw.startsWith('"') ? unquoteC(raw) : raw;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Git's C-style quoting of unusual names: octal bytes of UTF-8 and backslash escapes. */
export function unquoteC(quoted: string): string {
  const bytes: number[] = [];
  const body = quoted.slice(1, -1);
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char !== '\\') {
      bytes.push(...new TextEncoder().encode(char));
      continue;
    }
    const next = body[index + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(index + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      index += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

const lockfiles = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'Cargo.lock',
  'Gemfile.lock',
  'poetry.lock',
  'Pipfile.lock',
  'composer.lock',
  'go.sum',
  'mix.lock',
  'pubspec.lock',
  'Podfile.lock',
  'uv.lock',
]);
const prose = /\.(md|markdown|mdx|rst|adoc|txt)$/i;
// verigap's own data: E2E tests and flow files, incident write-ups, reports
const ledger = /^(flows|incidents|reports)\//;

/** Whether a changed file can hold the bug: not a test, not prose, not a lockfile, not verigap's own data. */
export function isBlameableCode(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return !isSpecFile(path) && !prose.test(path) && !lockfiles.has(name) && !ledger.test(path);
}

/** A line that carries code: not blank, not only brackets and punctuation, not only a comment. */
function carriesCode(line: string): boolean {
  return /[\p{L}\p{N}_$]/u.test(line) && !/^\s*(\/\/|\/\*|\*(\s|\/|$)|#(\s|$)|<!--|--\s)/.test(line);
}

/**
 * The lines to blame in the fix's parent. Classic SZZ: the lines the fix deleted or modified that
 * carry code (blank lines, lone brackets and comments would blame whoever formatted the file).
 * When the fix only added lines (a missing guard), each hunk's neighbour stands in: the old line
 * just before the change (line 1 when it starts the file). Neighbours are only a fallback, so a
 * fix that also modified lines is judged on those alone.
 */
export function blameTargets(files: readonly FileDiff[]): BlameTarget[] {
  const code = files.filter(
    (file): file is FileDiff & { oldPath: string } => file.oldPath !== null && isBlameableCode(file.oldPath),
  );
  const modified = code.map((file) => ({
    path: file.oldPath,
    lines: file.hunks.flatMap((hunk) =>
      hunk.deleted.flatMap((text, offset) => (carriesCode(text) ? [hunk.oldStart + offset] : [])),
    ),
  }));
  const chosen = modified.some((file) => file.lines.length > 0)
    ? modified
    : code.map((file) => ({
        path: file.oldPath,
        lines: file.hunks.map((hunk) => Math.max(1, hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1)),
      }));
  return chosen
    .filter((file) => file.lines.length > 0)
    .map((file) => ({ path: file.path, ranges: toRanges(file.lines) }));
}

function toRanges(lines: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const line of [...new Set(lines)].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last && last[1] + 1 === line) last[1] = line;
    else ranges.push([line, line]);
  }
  return ranges;
}

/** Parses `git blame --porcelain`: one entry per blamed line. Commit details appear only at a commit's first line. */
export function parseBlamePorcelain(output: string): BlamedLine[] {
  const found: { sha: string; line: number }[] = [];
  const details = new Map<string, { committedAt: number; boundary: boolean }>();
  let sha = '';
  for (const line of output.split('\n')) {
    if (line.startsWith('\t')) continue;
    const head = /^([0-9a-f]{40}|[0-9a-f]{64}) \d+ (\d+)/.exec(line);
    if (head) {
      sha = head[1]!;
      found.push({ sha, line: Number(head[2]) });
      if (!details.has(sha)) details.set(sha, { committedAt: 0, boundary: false });
    } else if (line.startsWith('committer-time ')) details.get(sha)!.committedAt = Number(line.slice(15)) * 1000;
    else if (line === 'boundary') details.get(sha)!.boundary = true;
  }
  return found.map(({ sha, line }) => ({ sha, line, ...details.get(sha)! }));
}

/** The blamed commits with their committer times, leaving out lines whose origin lies beyond the visible history. */
export function blamedCommits(lines: readonly BlamedLine[]): Map<string, number> {
  return new Map(lines.filter((line) => !line.boundary).map((line) => [line.sha, line.committedAt]));
}

/**
 * The first-parent change that brought a commit of a merged branch onto the tracked branch: of the
 * commits that descend from it, the oldest one on the chain (its merge). undefined when none is.
 */
export function changeBringingIn(
  descendants: readonly { sha: string; committedAt: number }[],
  seqOf: (sha: string) => number | undefined,
): IntroducingCandidate | undefined {
  let oldest: IntroducingCandidate | undefined;
  for (const { sha, committedAt } of descendants) {
    const seq = seqOf(sha);
    if (seq !== undefined && (!oldest || seq < oldest.seq)) oldest = { sha, committedAt, seq };
  }
  return oldest;
}

/**
 * The introducing change: among the changes that reached the tracked branch before the incident
 * started, the most recent one. Recency is the position on the first-parent chain (committer
 * times can go backwards after a rebase), a total order, so no tie-breaker is needed.
 */
export function pickIntroducingChange(candidates: readonly IntroducingCandidate[], startedAt: number): string | null {
  const before = candidates.filter((candidate) => candidate.committedAt < startedAt);
  return (
    before.reduce<IntroducingCandidate | undefined>(
      (latest, candidate) => (latest && latest.seq >= candidate.seq ? latest : candidate),
      undefined,
    )?.sha ?? null
  );
}
