import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/core/config-schema.js';
import { flowSchema } from '../../src/core/flow-schema.js';
import { parseYamlWith } from '../../src/core/yaml-file.js';

const flow = (extra: string) => parseYamlWith(`name: Checkout\npaths: [src/checkout/**]\n${extra}`, flowSchema);

describe('flow.yaml production fields (SPEC §9)', () => {
  it('accepts tags and globs of production-safe tests and a schedule from 5m to 24h', () => {
    for (const extra of [
      "production: ['@production']\nschedule: 15m\n",
      'production: [e2e/checkout.smoke.spec.ts, "@smoke"]\nschedule: 24h\n',
      'schedule: 5m\n',
      '',
    ]) {
      expect(flow(extra).ok, extra).toBe(true);
    }
  });

  it('refuses a schedule outside 5m–24h and a production entry that escapes the repository, naming the line', () => {
    for (const [extra, message] of [
      ['schedule: 1m\n', 'schedule is how often production is checked, from 5m to 24h'],
      ['schedule: 2d\n', 'from 5m to 24h'],
      ['schedule: often\n', 'from 5m to 24h'],
      ["production: ['../secrets/**']\n", 'production lists tags such as "@production"'],
      ["production: ['@']\n", 'production lists tags'],
      ['production: "@production"\n', 'production must be a list'],
    ] as const) {
      const parsed = flow(extra);
      expect(parsed.ok, extra).toBe(false);
      if (!parsed.ok) {
        expect(parsed.problem.reason).toContain(message);
        expect(parsed.problem.line).toBe(3);
      }
    }
  });
});

describe('verigap.yaml verification.version', () => {
  it('takes a URL and a dotted field', () => {
    expect(
      parseYamlWith(
        'verification:\n  version:\n    url: https://shop.example.com/version\n    field: build.sha\n',
        configSchema,
      ).ok,
    ).toBe(true);
  });

  it('refuses a URL that is not http(s) or carries credentials, and a field that is not a dotted path', () => {
    for (const text of [
      'verification:\n  version:\n    url: file:///etc/passwd\n',
      'verification:\n  version:\n    url: https://user:secret@shop.example.com/version\n',
      'verification:\n  version:\n    url: https://shop.example.com/version\n    field: "build[0]"\n',
    ]) {
      const parsed = parseYamlWith(text, configSchema);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.problem.reason).toMatch(/verification\.version\.(url|field)/);
    }
  });
});
