import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { insideRoot, writeInside } from './inside-root.js';

/** What a form has typed so far, kept under .verigap/drafts/ (git-ignored) so Ctrl-C or a crash loses nothing. */
export interface Draft<T> {
  file: string;
  savedAt: number;
  values: T;
}

/** Where drafts live: the form's values, and a regression test that did not pass. */
export const draftsFolder = (root: string) => join(root, '.verigap', 'drafts');

/** The newest draft of `kind`, if any (unreadable files are left alone, not offered). */
export function latestDraft<T>(root: string, kind: string): Draft<T> | undefined {
  let names: string[];
  try {
    names = readdirSync(draftsFolder(root)).filter((name) => name.startsWith(`${kind}-`) && name.endsWith('.json'));
  } catch {
    return undefined;
  }
  const drafts = names.flatMap((name) => {
    try {
      const data = JSON.parse(readFileSync(join(draftsFolder(root), name), 'utf8')) as { savedAt: number; values: T };
      return [{ file: join(draftsFolder(root), name), savedAt: data.savedAt, values: data.values }];
    } catch {
      return [];
    }
  });
  return drafts.sort((a, b) => b.savedAt - a.savedAt)[0];
}

/** Saves (atomically: a half-written draft is never left) and discards one draft file. */
export function draftStore<T>(
  root: string,
  kind: string,
  file = join(draftsFolder(root), `${kind}-${Date.now()}-${process.pid}.json`),
) {
  return {
    file,
    save(values: T, now = Date.now()): void {
      insideRoot(root, file);
      renameSync(writeInside(root, `${file}.tmp`, JSON.stringify({ savedAt: now, values })), file);
    },
    discard(): void {
      rmSync(insideRoot(root, file), { force: true });
    },
  };
}

/** Keeps a generated test that has not passed yet in .verigap/drafts/<id>.spec.ts; returns its repository path. */
export function keepDraftSpec(root: string, incidentId: string, code: string): string {
  return relative(root, writeInside(root, join(draftsFolder(root), `${incidentId}.spec.ts`), code));
}

/** Drops that draft once the test has passed. */
export function dropDraftSpec(root: string, incidentId: string): void {
  rmSync(insideRoot(root, join(draftsFolder(root), `${incidentId}.spec.ts`)), { force: true });
}
