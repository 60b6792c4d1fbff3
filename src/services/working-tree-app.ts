import type { RunningApp } from '../adapters/app-process.js';
import type { Apps } from '../adapters/apps.js';
import { GateError } from '../errors.js';
import type { Repo } from './repo.js';

/** The working tree's app at baseURL: undefined when something already answers there, else started from `serve:` (the caller stops it). */
export async function startAppUnlessListening(
  repo: Repo,
  { env, apps }: { env: NodeJS.ProcessEnv; apps: Apps },
): Promise<RunningApp | undefined> {
  const { baseURL } = repo.config;
  if (await apps.listening(baseURL)) return undefined;
  if (!repo.config.serve)
    throw new GateError(
      `${baseURL} does not answer and verigap.yaml has no \`serve:\``,
      'start the app, pass --base-url, or set serve: (e.g. npm start)',
    );
  return apps.start({
    command: repo.config.serve,
    cwd: repo.root,
    baseURL,
    ready: repo.config.ready ?? baseURL,
    env,
    timeoutMs: repo.config.readyTimeoutMs,
    hasSetup: Boolean(repo.config.setup),
  });
}
