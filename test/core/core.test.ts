import { describe, expect, it } from 'vitest';
import { compileGlobs, isSpecFile } from '../../src/core/glob.js';
import { isIncidentId, slugify, staysInRepo } from '../../src/core/ids.js';
import { pullRequestOf } from '../../src/core/change.js';
import { parseDuration } from '../../src/core/duration.js';
import { createPathMapper } from '../../src/core/flow-mapping.js';
import { parseIncident } from '../../src/core/incident-schema.js';
import { sectionOf } from '../../src/core/incident.js';
import { mergeConfig } from '../../src/config.js';

describe('globs (SPEC §2)', () => {
  it('anchor at the root: src/** matches src/a/b.ts, not lib/src/b.ts', () => {
    const match = compileGlobs(['src/**']);
    expect(match('src/a/b.ts')).toBe(true);
    expect(match('lib/src/b.ts')).toBe(false);
  });
  it('* and ? stay within a segment; {a,b} are alternatives', () => {
    expect(compileGlobs(['e2e/pricing*.spec.ts'])('e2e/pricing-annual.spec.ts')).toBe(true);
    expect(compileGlobs(['e2e/*.ts'])('e2e/a/b.ts')).toBe(false);
    expect(compileGlobs(['web/?.tsx'])('web/a.tsx')).toBe(true);
    expect(compileGlobs(['web/{pricing,checkout}.tsx'])('web/checkout.tsx')).toBe(true);
    expect(compileGlobs(['web/{pricing,checkout}.tsx'])('web/cart.tsx')).toBe(false);
  });
  it("spec files are Playwright's default testMatch", () => {
    expect(['a.spec.ts', 'x/b.test.mjs', 'c.spec.tsx'].every(isSpecFile)).toBe(true);
    expect(['a.ts', 'spec.ts', 'a.spec.md'].some(isSpecFile)).toBe(false);
  });
});

describe('flow mapping', () => {
  it('maps code by paths and tests by folder or tests globs', () => {
    const map = createPathMapper([
      {
        id: 'trial',
        file: '',
        name: 'Trial',
        criticality: 'revenue',
        paths: ['src/billing/**'],
        tests: ['e2e/pricing*.spec.ts'],
      },
      {
        id: 'login',
        file: '',
        name: 'Login',
        criticality: 'trust',
        paths: ['src/auth/**', 'src/billing/session.ts'],
        tests: [],
      },
    ]);
    expect(map('src/billing/session.ts')).toEqual([
      { flowId: 'trial', role: 'code' },
      { flowId: 'login', role: 'code' },
    ]);
    expect(map('flows/trial/a.spec.ts')).toEqual([{ flowId: 'trial', role: 'test' }]);
    expect(map('e2e/pricing-annual.spec.ts')).toEqual([{ flowId: 'trial', role: 'test' }]);
    expect(map('flows/trial/helpers.ts')).toEqual([]);
  });
});

describe('ids, subjects and durations', () => {
  it('incident ids and slugs', () => {
    expect(isIncidentId('2026-11-20-trial-redirect')).toBe(true);
    expect(isIncidentId('2026-11-20-../x')).toBe(false);
    expect(slugify('Trial signup: never reaches /checkout!')).toBe('trial-signup-never-reaches-checkout');
    expect(slugify('x'.repeat(80)).length).toBe(60);
  });
  it('paths that leave the repository', () => {
    expect(staysInRepo('flows/a/b.spec.ts')).toBe(true);
    expect(['../x', '/etc/passwd', 'a/../../x', 'C:\\x'].some(staysInRepo)).toBe(false);
  });
  it('PR numbers from squash and merge subjects', () => {
    expect(pullRequestOf('feat: trial (#42)')).toBe(42);
    expect(pullRequestOf('Merge pull request #7 from acme/trial')).toBe(7);
    expect(pullRequestOf('fix: issue #5 in title')).toBeNull();
  });
  it('durations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('incident files', () => {
  const text =
    '---\nid: 2026-11-20-x\ntitle: X\nseverity: SEV1\nstatus: open\nflows: [a]\nstarted_at: 2026-11-20T17:00:00Z\n---\n## Steps to reproduce\n1. Go to /pricing\n\n## Expected\nCheckout\n';
  it('parses front matter and sections', () => {
    const parsed = parseIncident('incidents/2026-11-20-x.md', text);
    expect(parsed.ok && parsed.incident.severity).toBe('SEV1');
    expect(parsed.ok && sectionOf(parsed.incident.body, 'Steps to reproduce')).toBe('1. Go to /pricing');
  });
  it('a regression test path outside the repository is refused at its line', () => {
    const outside = text.replace('---\n## Steps', 'regression:\n  test: ../../etc/passwd\n---\n## Steps');
    expect(parseIncident('incidents/2026-11-20-x.md', outside)).toEqual({
      ok: false,
      problem: {
        line: 9,
        reason: 'regression.test: regression.test is a path inside the repository, e.g. flows/trial/<id>.spec.ts',
      },
    });
  });
  it('fixed_by: an unquoted PR number is read as one; a SHA that YAML reads as a float is refused with how to quote it', () => {
    const pr = parseIncident('incidents/2026-11-20-x.md', text.replace('---\n## Steps', 'fixed_by: 42\n---\n## Steps'));
    expect(pr.ok && pr.incident.fixed_by).toBe('42');
    const float = parseIncident(
      'incidents/2026-11-20-x.md',
      text.replace('---\n## Steps', 'fixed_by: 1e505010\n---\n## Steps'),
    );
    expect(float).toMatchObject({
      ok: false,
      problem: { line: 8, reason: expect.stringContaining('quote a SHA that YAML reads as a number') },
    });
  });
  it('an id that does not match the file name is refused at its line', () => {
    const parsed = parseIncident('incidents/2026-11-21-y.md', text);
    expect(parsed).toEqual({
      ok: false,
      problem: { line: 2, reason: 'id "2026-11-20-x" does not match the file name (expected "2026-11-21-y")' },
    });
  });
});

describe('config', () => {
  it('merges defaults, file, environment and flags in that order', () => {
    const config = mergeConfig(
      { baseURL: 'http://file:1', verification: { within: '4h' } },
      { BASE_URL: 'http://env:2' },
      { baseURL: 'http://flag:3' },
    );
    expect(config.baseURL).toBe('http://flag:3');
    expect(config.verification).toEqual({ env: 'production', within: '4h', environments: [] });
    expect(config.llm.provider).toBe('steps');
    expect(mergeConfig({}, { OPENAI_API_KEY: 'k' }).llm.provider).toBe('openai');
    // review's w and m leave the index alone unless asked
    expect(config.review).toEqual({ stage: false });
    expect(mergeConfig({ review: { stage: true } }, {}).review).toEqual({ stage: true });
  });
});

import { isoWeekOf, isoWeekStart, resolveWindow } from '../../src/core/window.js';

describe('windows', () => {
  it('ISO weeks, including the ones that straddle a new year', () => {
    expect(new Date(isoWeekStart('2026-W47')!).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(new Date(isoWeekStart('2026-W01')!).toISOString()).toBe('2025-12-29T00:00:00.000Z');
    expect(isoWeekOf(Date.parse('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(Date.parse('2026-11-22T23:59:59Z'))).toBe('2026-W47');
    expect(isoWeekStart('2025-W53')).toBeUndefined();
  });
  it('since/until: durations, dates at midnight UTC, half-open, never empty', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const week = resolveWindow({ since: '7d' }, now);
    expect(week.ok && [week.window.since, week.window.until]).toEqual([now - 7 * 86_400_000, now]);
    const dated = resolveWindow({ since: '2025-01-01', until: '2025-02-01' }, now);
    expect(dated.ok && new Date(dated.window.since).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(resolveWindow({ since: '2026-11-20', until: '2026-11-20' }, now)).toMatchObject({ ok: false });
    expect(resolveWindow({ week: '2026-W99' }, now)).toMatchObject({ ok: false });
  });
  it('--week last is the last full ISO week before now: on Monday morning, the week that just ended; across a new year too', () => {
    const weekOf = (now: string) => {
      const result = resolveWindow({ week: 'last' }, Date.parse(now));
      return result.ok
        ? [result.window.week, new Date(result.window.since).toISOString(), new Date(result.window.until).toISOString()]
        : result.reason;
    };
    expect(weekOf('2026-11-23T06:00:00Z')).toEqual([
      '2026-W47',
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    expect(weekOf('2026-11-29T23:59:59Z')).toEqual([
      '2026-W47',
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    expect(weekOf('2027-01-04T06:00:00Z')).toEqual([
      '2026-W53',
      '2026-12-28T00:00:00.000Z',
      '2027-01-04T00:00:00.000Z',
    ]);
  });
});
