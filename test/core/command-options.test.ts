import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseOptions } from '../../src/core/options/parse.js';
import { reportOptions } from '../../src/core/options/report.js';
import { incidentNewOptions, incidentTestOptions } from '../../src/core/options/incident.js';
import {
  addFlowOptions,
  affectedOptions,
  flowsOptions,
  initOptions,
  reviewOptions,
  syncOptions,
} from '../../src/core/options/commands.js';
import { ingestOptions, statusOptions } from '../../src/core/options/verify.js';

/** The message and hint of the InputError a parse throws. */
function refusal(run: () => unknown): { message: string; hint: string | undefined; exitCode: number } {
  try {
    run();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { message: error.message, hint: error.hint, exitCode: error.exitCode };
  }
  throw new Error('expected an InputError');
}

describe('report options', () => {
  it('splits the formats and parses the gates', () => {
    expect(
      parseOptions(reportOptions, {
        since: '30d',
        format: 'md, html',
        out: 'reports',
        failUnder: 'coverage=0.8,verified=0.6',
        maxVerifyP90: '24h',
        maxUntestedIncidentAge: '7d',
      }),
    ).toEqual({
      since: '30d',
      format: ['md', 'html'],
      out: 'reports',
      gates: { coverage: 0.8, verified: 0.6, maxVerifyP90Hours: 24, maxUntestedIncidentAgeHours: 168 },
    });
    expect(parseOptions(reportOptions, { format: 'md' }).gates).toEqual({
      maxVerifyP90Hours: undefined,
      maxUntestedIncidentAgeHours: undefined,
    });
  });

  it('refuses with the flag and what is allowed, in the order a person fixes them (exit 2)', () => {
    const cases: [Record<string, string>, string][] = [
      [{ format: 'md,pdf' }, '--format: unknown pdf; use md, json, html (comma-separated)'],
      [
        { format: 'md, json', failUnder: 'x=1' },
        '--format md, json makes 2 files: add --out reports/ (without --out, the one format asked for is printed)',
      ],
      [
        { format: 'md', failUnder: 'coverage=2', maxVerifyP90: 'soon' },
        '--fail-under "coverage=2": expected coverage=<0..1> or verified=<0..1>, e.g. --fail-under coverage=0.8,verified=0.6',
      ],
      [
        { format: 'md', maxVerifyP90: 'soon' },
        '--max-verify-p90 "soon" must be a duration such as 24h or 7d (at most 36500d)',
      ],
      [
        { format: 'md', maxUntestedIncidentAge: '99999d' },
        '--max-untested-incident-age "99999d" must be a duration such as 24h or 7d (at most 36500d)',
      ],
    ];
    for (const [raw, message] of cases)
      expect(refusal(() => parseOptions(reportOptions, raw))).toEqual({ message, hint: undefined, exitCode: 2 });
  });
});

describe('incident test options', () => {
  const defaults = { prove: false, pr: false, attempts: '3', repeat: '3' };

  it('parses the counts and pairs the deployed URLs', () => {
    expect(
      parseOptions(incidentTestOptions, {
        ...defaults,
        prove: true,
        attempts: '5',
        beforeUrl: 'https://pr-41.example.com',
        afterUrl: 'http://127.0.0.1:3000',
      }),
    ).toEqual({
      prove: true,
      pr: false,
      attempts: 5,
      repeat: 3,
      deployments: { before: 'https://pr-41.example.com', after: 'http://127.0.0.1:3000' },
    });
    expect(parseOptions(incidentTestOptions, { ...defaults, spec: 'e2e/a.spec.ts' }).deployments).toBeUndefined();
  });

  it('refuses each bad flag or combination with its message and hint', () => {
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ attempts: '0', repeat: 'x' }, '--attempts must be a whole number from 1 to 20, got "0"'],
      [{ repeat: '21' }, '--repeat must be a whole number from 1 to 20, got "21"'],
      [
        { prove: true, beforeUrl: 'nope' },
        '--before-url and --after-url go together: the deployed revision before the fix, and the deployed fix',
      ],
      [
        { beforeUrl: 'http://a.test', afterUrl: 'http://b.test' },
        '--before-url and --after-url are for --prove',
        'add --prove',
      ],
      [
        { prove: true, beforeUrl: 'ftp://a.test', afterUrl: 'b.test' },
        '--before-url "ftp://a.test" is not an http(s) URL',
        'e.g. --before-url https://pr-41.preview.example.com',
      ],
      [
        { prove: true, beforeUrl: 'http://a.test', afterUrl: 'b.test' },
        '--after-url "b.test" is not an http(s) URL',
        'e.g. --before-url https://pr-41.preview.example.com',
      ],
      [
        { pr: true, spec: 'e2e/a.spec.ts' },
        "--pr with --spec needs --prove: a test you wrote is recorded as the incident's regression test once it is proven",
        'add --prove',
      ],
    ];
    for (const [raw, message, hint] of cases)
      expect(refusal(() => parseOptions(incidentTestOptions, { ...defaults, ...raw }))).toEqual({
        message,
        hint,
        exitCode: 2,
      });
    // --pr without --spec is the generated test's pull request, proven or not
    expect(parseOptions(incidentTestOptions, { ...defaults, pr: true }).pr).toBe(true);
  });
});

describe('the other commands', () => {
  it('--days of flows and review: a whole number of days', () => {
    expect(parseOptions(flowsOptions, { days: '90' })).toEqual({ days: 90 });
    expect(parseOptions(reviewOptions, { days: '30', base: 'origin/main' })).toEqual({ days: 30, base: 'origin/main' });
    for (const days of ['0', '1.5', 'x', '36501'])
      expect(refusal(() => parseOptions(reviewOptions, { days }))).toEqual({
        message: `--days must be a whole number of days from 1 to 36500 (e.g. 30), got "${days}"`,
        hint: undefined,
        exitCode: 2,
      });
  });

  it('flows add: glob lists, commas inside braces kept', () => {
    expect(
      parseOptions(addFlowOptions, {
        name: 'Cart',
        paths: 'src/{a,b}/**, web/x.tsx',
        criticality: 'other',
        production: '@production',
      }),
    ).toEqual({
      name: 'Cart',
      paths: ['src/{a,b}/**', 'web/x.tsx'],
      tests: [],
      criticality: 'other',
      production: ['@production'],
    });
    expect(refusal(() => parseOptions(addFlowOptions, { name: 'Cart', paths: 'src/**', tests: 'e2e/{a,b' }))).toEqual({
      message: '--tests glob "e2e/{a,b" has a "{" without its "}" (or the other way round)',
      hint: 'close the group, e.g. --tests "src/{billing,pricing}/**,web/pricing.tsx"',
      exitCode: 2,
    });
  });

  it('affected --pr: a pull request number', () => {
    expect(parseOptions(affectedOptions, { pr: '42', head: 'HEAD', requireOwnTest: false, comment: true }).pr).toBe(42);
    expect(parseOptions(affectedOptions, { head: 'HEAD' }).pr).toBeUndefined();
    for (const pr of ['0', '#42', '4.2'])
      expect(refusal(() => parseOptions(affectedOptions, { pr })).message).toBe(
        `--pr "${pr}" must be a pull request number, e.g. --pr 42`,
      );
  });

  it('init --production needs --ci github', () => {
    expect(parseOptions(initOptions, { ci: 'github', production: 'https://shop.example.com' })).toEqual({
      ci: 'github',
      playwright: false,
      production: 'https://shop.example.com',
    });
    expect(refusal(() => parseOptions(initOptions, { production: 'https://shop.example.com' }))).toEqual({
      message: '--production writes the production workflow of --ci github',
      hint: 'run verigap init --ci github --production https://shop.example.com',
      exitCode: 2,
    });
  });

  it('incident new: the flows as a list', () => {
    expect(parseOptions(incidentNewOptions, { title: 'Broken', flow: 'trial, checkout', test: false })).toEqual({
      title: 'Broken',
      flows: ['trial', 'checkout'],
      test: false,
    });
    expect(parseOptions(incidentNewOptions, {})).toEqual({ test: true, flows: undefined });
  });

  it('verify, status and sync: the values commander hands over, typed', () => {
    expect(parseOptions(ingestOptions, { commitFrom: true, push: false })).toEqual({ commitFrom: true, push: false });
    expect(parseOptions(statusOptions, { failOn: 'stale' })).toEqual({ failOn: 'stale' });
    expect(parseOptions(syncOptions, { rebuild: true })).toEqual({ rebuild: true });
  });
});
