import type { Config } from '../config.js';
import { InputError } from '../errors.js';

const knownEnvs = ['production', 'staging', 'preview', 'development', 'test', 'qa', 'canary'];

/** `--env`, or verification.env without it; a name outside the known ones is a typo until verigap.yaml lists it. */
export function resolveEnv(config: Config, flag: string | undefined): string {
  const env = flag ?? config.verification.env;
  const allowed = new Set([...knownEnvs, config.verification.env, ...config.verification.environments]);
  if (!allowed.has(env)) {
    throw new InputError(
      `unknown env "${env}"; known: ${[...allowed].join(', ')}`,
      'use one of those, or list it under verification.environments in verigap.yaml',
    );
  }
  return env;
}
