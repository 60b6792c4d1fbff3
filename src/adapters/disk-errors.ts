import { dirname } from 'node:path';
import { OutsideError } from '../errors.js';
import { shellQuoted, shownPath } from './notice.js';

const causes: Record<string, string> = {
  ENOSPC: 'the disk is full',
  SQLITE_FULL: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
};

/**
 * A write the disk refused (full, over quota, read-only), from Node or from SQLite, as an outside
 * failure naming the cause, the file and the fix; undefined for every other error.
 * `file` names what was being written when the error itself does not say (a failed write() never does).
 */
export function diskError(error: unknown, file?: string): OutsideError | undefined {
  const { code = '', path } = error as { code?: string; path?: string };
  const cause = causes[code] ?? (code.startsWith('SQLITE_IOERR') ? 'the disk refused a write' : undefined);
  if (!cause) return undefined;
  const known =
    typeof path === 'string' ? path : (file ?? (code.startsWith('SQLITE_') ? '.verigap/index.db' : undefined));
  const written = known === undefined ? undefined : shownPath(known);
  const fix =
    code === 'EROFS'
      ? `make ${written ?? 'it'} writable, or run verigap in a writable checkout`
      : `free space on the disk that holds ${written ?? 'the repository'} (df -h ${shellQuoted(written ? dirname(written) : '.')}), then run the command again`;
  return new OutsideError(
    `${cause} (${code})${written ? ` while writing ${written}` : ''}; what was being written was discarded`,
    `${fix}; the index .verigap/ may be deleted at any time: it is rebuilt from Git`,
  );
}
