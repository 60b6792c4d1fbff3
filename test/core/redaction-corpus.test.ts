import { describe, expect, it } from 'vitest';
import { redact, redactionKinds } from '../../src/core/redact.js';
import { validateRepoFiles } from '../../src/core/repo-model.js';
import { compileUserPattern, userPatternProblem } from '../../src/core/redaction-user-patterns.js';
import { oversizedIncident } from '../../src/core/incident-size.js';
import { ordinaryTexts, secretCorpus } from './redaction-corpus.js';

describe('the redaction corpus: secret formats with made-up values', () => {
  it('holds at least 40 formats, each a kind the rules know', () => {
    expect(new Set(secretCorpus.map((entry) => entry.format)).size).toBe(secretCorpus.length);
    expect(secretCorpus.length).toBeGreaterThanOrEqual(40);
    for (const entry of secretCorpus) expect(redactionKinds).toContain(entry.kind);
  });

  it.each(secretCorpus.map((entry) => [entry.format, entry] as const))(
    'redacts %s, naming its kind and never its value',
    (_format, entry) => {
      const { text, redactions } = redact(entry.text);
      for (const value of entry.values) expect(text, entry.text).not.toContain(value);
      expect(
        redactions.map((r) => r.kind),
        text,
      ).toContain(entry.kind);
      expect(text).toContain(`[REDACTED:${entry.kind}]`);
      for (const value of entry.values) expect(JSON.stringify(redactions)).not.toContain(value);
    },
  );

  it('redacts all of them in one text, and a second pass changes nothing', () => {
    const all = secretCorpus.map((entry) => entry.text).join('\n\n');
    const once = redact(all);
    for (const value of secretCorpus.flatMap((entry) => entry.values)) expect(once.text).not.toContain(value);
    const twice = redact(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.redactions).toEqual([]);
  });

  it.each(ordinaryTexts.map((text) => [text]))('leaves ordinary text alone: %s', (text) => {
    expect(redact(text)).toEqual({ text, redactions: [] });
  });

  it('keeps the name of an assignment or header and redacts its value only', () => {
    expect(redact('DB_PASSWORD=s3cr3t-Pa55 and "token": "abcdefghij0123456789"').text).toBe(
      'DB_PASSWORD=[REDACTED:password] and "token": "[REDACTED:secret-assignment]"',
    );
    expect(redact('https://deploy:hunter2hunter2@ci.example.com/hook').text).toBe(
      'https://[REDACTED:url-credentials]@ci.example.com/hook',
    );
    expect(redact('https://hooks.slack.com/services/T0000AAAA/B0000BBBBBB/abcdefghijklmnopqrstuvwx').text).toBe(
      'https://hooks.slack.com/services/[REDACTED:slack-webhook]',
    );
  });

  it('checks card numbers with Luhn and IBANs with mod 97, so look-alikes stay', () => {
    expect(redact('card 4111 1111 1111 1111').redactions).toEqual([{ kind: 'card-number', count: 1 }]);
    expect(redact('card 4111 1111 1111 1112').redactions).toEqual([]);
    expect(redact('GB82 WEST 1234 5698 7654 32').redactions).toEqual([{ kind: 'iban', count: 1 }]);
    expect(redact('GB83 WEST 1234 5698 7654 32').redactions).toEqual([]);
  });
});

describe("the team's own redact: patterns", () => {
  it('run after the built-in rules, bounded', () => {
    expect(redact('customer cus_J8kL2 and order ACME-123456', ['cus_[A-Za-z0-9]+', 'ACME-\\d{6}'])).toEqual({
      text: 'customer [REDACTED:pattern-1] and order [REDACTED:pattern-2]',
      redactions: [
        { kind: 'pattern-1', count: 1 },
        { kind: 'pattern-2', count: 1 },
      ],
    });
    expect(compileUserPattern('cus_[A-Za-z0-9]+').source).toBe('cus_[A-Za-z0-9]{1,256}');
    expect(compileUserPattern('a*?b{2,}c{1,99999}(?:d|e)?').source).toBe('a{0,256}?b{2,257}c{1,1024}(?:d|e)?');
    // a leading repeated class starts where its run starts, so a long run costs one scan, not one per position
    expect(compileUserPattern('[a-z]+@corp\\.example').source).toBe('(?<![a-z])[a-z]{1,256}@corp\\.example');
    expect(compileUserPattern('\\w+|x').source).toBe('\\w{1,256}|x');
  });

  it.each([
    ['(a+)+$', /exponential time: the repeated group \(a\+\)/],
    ['(a|ab)*c', /exponential time: the repeated group \(a\|ab\)/],
    ['(?:\\w{1,20}){1,20}@', /exponential time/],
    ['(["\']).*\\1', /back-reference \(\\1\)/],
    ['(?<q>x)\\k<q>', /back-reference/],
  ])('refuses %s', (source, reason) => {
    expect(userPatternProblem(source)).toMatch(reason);
    expect(() => compileUserPattern(source)).toThrow(reason);
  });

  it.each([
    'cus_[A-Za-z0-9]+',
    'ACME-\\d{6}',
    '(?:\\d{1,3}\\.){3}\\d{1,3}',
    '[a-z]+@corp\\.example',
    '(?:[A-Z0-9]{4} ?){2,7}',
    'internal\\.corp\\.example\\.com',
  ])('accepts %s', (source) => {
    expect(userPatternProblem(source)).toBeUndefined();
  });

  it('refuses a catastrophic pattern when verigap.yaml is read, naming the file, the line and the pattern', () => {
    const { problems } = validateRepoFiles({
      config: {
        file: 'verigap.yaml',
        text: "baseURL: http://localhost:3000\nredact:\n  - 'cus_[A-Za-z0-9]+'\n  - '(a+)+$'\n",
      },
      flows: [],
      waivers: [],
      incidents: [],
    });
    expect(problems).toEqual([
      {
        file: 'verigap.yaml',
        line: 4,
        reason: expect.stringMatching(/^redact\.1: redact pattern '\(a\+\)\+\$' can take exponential time/),
      },
    ]);
  });
});

describe('the size limit of an incident', () => {
  it('refuses more than 256 KB with the file, its size and the limit', () => {
    expect(oversizedIncident('incidents/x.md', 256 * 1024)).toBeUndefined();
    expect(oversizedIncident('incidents/x.md', 368_640)).toEqual({
      message: 'incidents/x.md is 360 KB (368,640 bytes), over the 256 KB limit for an incident',
      hint: expect.stringMatching(/link logs/),
    });
  });
});
