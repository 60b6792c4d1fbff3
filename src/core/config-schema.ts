import { z } from 'zod';
import { isDuration } from './duration.js';
import { userPatternProblem } from './redaction-user-patterns.js';

const regex = z.string().refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

/** `https://js.stripe.com` or `http://127.0.0.1:4000`: an http(s) origin and nothing more (no path, query or user). */
function isHttpOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.pathname === '/' &&
      !/[?#]/.test(text) &&
      !url.username &&
      !url.password
    );
  } catch {
    return false;
  }
}

/** An http(s) URL without credentials in it (a version endpoint is fetched, and its URL is printed). */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

export const configSchema = z.strictObject({
  branch: z.string().min(1).optional(),
  baseURL: z.url({ error: 'baseURL must be a URL, e.g. http://localhost:3000' }).optional(),
  serve: z.string().min(1).optional(),
  setup: z.string().min(1).optional(),
  ready: z.url({ error: 'ready must be a URL, e.g. http://localhost:3000/health' }).optional(),
  readyTimeout: z
    .string()
    .refine(isDuration, 'readyTimeout is a duration such as 90s, 2m or 10m (at most 36500d)')
    .optional(),
  playwright: z
    .strictObject({
      config: z.string().min(1).optional(),
      project: z.string().min(1).optional(),
    })
    .optional(),
  features: z.strictObject({ pattern: regex.optional() }).optional(),
  verification: z
    .strictObject({
      env: z.string().min(1).optional(),
      within: z.string().refine(isDuration, 'within is a duration such as 4h, 24h or 7d (at most 36500d)').optional(),
      environments: z
        .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an environment name is lowercase letters, digits and "-"'))
        .optional(),
      version: z
        .strictObject({
          url: z
            .string()
            .refine(
              isHttpUrl,
              'verification.version.url is the http(s) URL that answers the deployed commit, e.g. https://shop.example.com/version',
            ),
          field: z
            .string()
            .regex(
              /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/,
              'verification.version.field is a dotted path into the JSON answer, e.g. commit or build.sha',
            )
            .optional(),
        })
        .optional(),
    })
    .optional(),
  llm: z
    .strictObject({
      provider: z.enum(['openai', 'steps'], { error: 'llm.provider must be openai or steps' }).optional(),
      model: z.string().min(1).optional(),
      baseURL: z.url().optional(),
    })
    .optional(),
  github: z
    .strictObject({
      repo: z
        .string()
        .regex(/^[^/\s]+\/[^/\s]+$/, 'github.repo is owner/name')
        .optional(),
      apiURL: z.url().optional(),
    })
    .optional(),
  review: z
    .strictObject({
      stage: z
        .boolean({
          error: 'review.stage is true or false: whether `verigap review` stages the files its w and m write',
        })
        .optional(),
    })
    .optional(),
  redact: z
    .array(
      regex.superRefine((source, context) => {
        const problem = userPatternProblem(source);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
    )
    .optional(),
  allowedOrigins: z
    .array(
      z.string().refine(isHttpOrigin, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not an http(s) origin: verigap.yaml's allowedOrigins lists scheme://host[:port] only, e.g. https://js.stripe.com`,
      }),
    )
    .optional(),
});

export type ConfigFile = z.infer<typeof configSchema>;
