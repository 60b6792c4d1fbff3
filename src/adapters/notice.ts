import { isAbsolute, relative } from 'node:path';

const said = new Set<string>();

/** A one-line notice on stderr, "verigap: …", shown under --quiet too: it explains what verigap did. */
export function notice(line: string): void {
  process.stderr.write(`verigap: ${line}\n`);
}

/** Like notice(), at most once per process (commands that reopen the repository say it once). */
export function noticeOnce(line: string): void {
  if (said.has(line)) return;
  said.add(line);
  notice(line);
}

/** A path as the user can type it here: relative to the working directory when inside it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A path quoted for a POSIX shell when it needs to be. */
export function shellQuoted(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
