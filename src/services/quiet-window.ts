import { quietWindowNote, type QuietWindow } from '../core/quiet-window.js';
import type { Repo } from './repo.js';
import { trackedBranch } from './sync.js';

/** Why the window `since`–`until` (ms) is empty, from the index; undefined when it is not. */
export async function quietWindow(
  repo: Repo,
  window: Pick<QuietWindow, 'since' | 'until' | 'now' | 'flag'>,
): Promise<string | undefined> {
  const newest = repo.store.queries.newestBefore(window.until);
  if (newest === null || newest >= window.since) return undefined;
  const { branch } = await trackedBranch(repo);
  return quietWindowNote({ ...window, newest, branch });
}
