import type { ConfigFile } from './core/config-schema.js';
import { parseDuration } from './core/duration.js';

export type { ConfigFile };

/** The configuration every command sees: defaults, then verigap.yaml, then the environment, then flags. */
export interface Config {
  branch: string | undefined;
  baseURL: string;
  serve: string | undefined;
  /** Run once in each checked-out revision before `serve` (install, build). */
  setup: string | undefined;
  ready: string | undefined;
  /** How long setup + serve may take to answer `ready`, in ms. */
  readyTimeoutMs: number;
  playwright: { config: string | undefined; project: string | undefined };
  featurePattern: string;
  verification: {
    env: string;
    within: string;
    environments: string[];
    version: { url: string; field: string } | undefined;
  };
  llm: { provider: 'openai' | 'steps'; model: string; baseURL: string | undefined };
  github: { repo: string | undefined; apiURL: string };
  /** `stage`: w and m in `verigap review` also `git add` the file they write (off: the index is the person's). */
  review: { stage: boolean };
  redact: string[];
  /** Origins (scheme://host:port) besides baseURL's that the app's pages may load from during a test run. */
  allowedOrigins: string[];
}

export const defaultFeaturePattern = '^(feat|feature)(\\(.+\\))?!?:';

/** Only non-secret settings are read from the environment here; secrets are read where used. */
export interface ConfigEnv {
  BASE_URL?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
  OPENAI_API_KEY?: string | undefined;
  GITHUB_API_URL?: string | undefined;
}

export interface ConfigFlags {
  baseURL?: string | undefined;
  provider?: 'openai' | 'steps' | undefined;
}

export function mergeConfig(file: ConfigFile, env: ConfigEnv, flags: ConfigFlags = {}): Config {
  const hasKey = Boolean(env.OPENAI_API_KEY);
  return {
    branch: file.branch,
    baseURL: flags.baseURL ?? (env.BASE_URL || undefined) ?? file.baseURL ?? 'http://localhost:3000',
    serve: file.serve,
    setup: file.setup,
    ready: file.ready,
    readyTimeoutMs: parseDuration(file.readyTimeout ?? '2m')!,
    playwright: { config: file.playwright?.config, project: file.playwright?.project },
    featurePattern: file.features?.pattern ?? defaultFeaturePattern,
    verification: {
      env: file.verification?.env ?? 'production',
      within: file.verification?.within ?? '24h',
      environments: file.verification?.environments ?? [],
      version: file.verification?.version
        ? { url: file.verification.version.url, field: file.verification.version.field ?? 'commit' }
        : undefined,
    },
    llm: {
      provider: flags.provider ?? file.llm?.provider ?? (hasKey ? 'openai' : 'steps'),
      model: file.llm?.model ?? 'gpt-4.1-mini',
      baseURL: env.OPENAI_BASE_URL || file.llm?.baseURL,
    },
    github: {
      repo: file.github?.repo,
      apiURL: file.github?.apiURL ?? (env.GITHUB_API_URL || 'https://api.github.com'),
    },
    review: { stage: file.review?.stage ?? false },
    redact: file.redact ?? [],
    allowedOrigins: (file.allowedOrigins ?? []).map((url) => new URL(url).origin),
  };
}
