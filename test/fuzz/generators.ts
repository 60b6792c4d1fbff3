/**
 * Seeded inputs for the fuzz tests: valid seed documents of every kind verigap reads, and
 * mutators that break them the ways files, notes and flags break in the wild. Everything comes
 * from one PRNG, so a (seed, case index) pair replays a failure exactly.
 */

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)]!, chance: (p: number) => next() < p };
}

export interface Rng {
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** A case's own generator: the same (seed, kind, index) always gives the same input. */
export function caseRng(seed: number, kind: string, index: number): Rng {
  let hash = seed ^ 0x9e3779b9;
  for (const char of `${kind}#${index}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return prng(hash);
}

const billionLaughs = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
].join('\n');

/** Values that have broken parsers before: in place of a scalar, a key, or a line. */
export function hostileScalar(rng: Rng): string {
  const values: (() => string)[] = [
    () => '',
    () => '""',
    () => "''",
    () => '~',
    () => 'null',
    () => '-1',
    () => '0',
    () => '1e308',
    () => '-1e308',
    () => '.nan',
    () => '.inf',
    () => 'NaN',
    () => '99999999999999999999999',
    () => '0x1F',
    () => '0o17',
    () => '1_000',
    () => 'true',
    () => 'yes',
    () => '[]',
    () => '{}',
    () => '[a, [b, [c]]]',
    () => '{a: 1, b: [2]}',
    () => '"\\u0000"',
    () => '"\\x1b[31m"',
    () => '"\\ud800"',
    () => '"\u202e"',
    () => '\ufeff',
    () => '"\\t\\r\\n"',
    () => '__proto__',
    () => 'constructor',
    () => '{__proto__: {polluted: 1}}',
    () => '{constructor: {prototype: {polluted: 1}}}',
    () => 'x'.repeat(100 * 1024),
    () => `"${'é'.repeat(20_000)}"`,
    () => '&anchor value',
    () => '*undefined_alias',
    () => '*a',
    () => '!!binary aGVsbG8=',
    () => '!!timestamp 2026-13-45',
    () => '!!set {a, b}',
    () => '!!omap [a: 1]',
    () => '!custom x',
    () => '!!js/function "f"',
    () => '2026-11-20',
    () => '2026-02-30T10:00:00Z',
    () => '0000-01-01T00:00:00Z',
    () => '9999-12-31T23:59:59Z',
    () => '2026-11-20T25:61:61Z',
    () => '2026-11-20 17:00:00',
    () => '1e505010',
    () => '0123456',
    () => '#comment',
    () => '| \n  block',
    () => '>-\n  folded',
    () => '['.repeat(200) + ']'.repeat(200),
    () => '{a: '.repeat(150) + '1' + '}'.repeat(150),
    () => '"unterminated',
    () => "'",
    () => ':',
    () => '- -',
    () => '? ',
    () => '../../../etc/passwd',
    () => '/abs/path',
    () => 'C:\\win',
    () => 'http://evil.example/x',
    () => 'javascript:alert(1)',
    () => '\u0000\u0001\u0002',
    () => '\t',
    () => '\r',
    () => '\u2028',
    () => '@',
    () => '`',
    () => '%TAG ! tag:x',
    () => '---',
    () => '...',
  ];
  return rng.pick(values)();
}

const mutators: ((lines: string[], rng: Rng) => string[])[] = [
  (lines, rng) => lines.filter((_, index) => index !== rng.int(lines.length)),
  (lines, rng) => {
    const at = rng.int(lines.length);
    return [...lines.slice(0, at + 1), lines[at] ?? '', ...lines.slice(at + 1)];
  },
  (lines, rng) => {
    const [a, b] = [rng.int(lines.length), rng.int(lines.length)];
    const out = [...lines];
    [out[a], out[b]] = [out[b]!, out[a]!];
    return out;
  },
  // a value replaced: after the first ": " (or the list dash) of a line
  (lines, rng) => {
    const at = rng.int(lines.length);
    const line = lines[at] ?? '';
    const cut = line.indexOf(': ');
    const dash = /^(\s*(?:-|\d+\.)\s+)/.exec(line);
    const replaced =
      cut >= 0
        ? `${line.slice(0, cut + 2)}${hostileScalar(rng)}`
        : dash
          ? `${dash[1]}${hostileScalar(rng)}`
          : hostileScalar(rng);
    return lines.map((l, index) => (index === at ? replaced : l));
  },
  // a key replaced
  (lines, rng) => {
    const at = rng.int(lines.length);
    const line = lines[at] ?? '';
    const cut = line.indexOf(':');
    const key = rng.pick([
      '__proto__',
      'constructor',
      'prototype',
      '<<',
      'toString',
      '',
      '"a:b"',
      'x'.repeat(2000),
      '? [k]',
      'ID',
      'id ',
    ]);
    return lines.map((l, index) => (index === at && cut >= 0 ? `${key}${l.slice(cut)}` : l));
  },
  (lines, rng) => [
    ...lines.slice(0, rng.int(lines.length + 1)),
    hostileScalar(rng),
    ...lines.slice(rng.int(lines.length + 1)),
  ],
  (lines, rng) => lines.map((line) => (rng.chance(0.3) ? line.replace(/^ +/, '\t') : line)),
  (lines) => lines.map((line) => `${line}\r`),
  (lines, rng) => lines.map((line) => (rng.chance(0.2) ? `  ${line}` : line)),
  (lines) => [billionLaughs, ...lines],
  (lines, rng) => {
    const at = rng.int(lines.length);
    return lines.map((line, index) => (index === at ? line.repeat(2 + rng.int(30)) : line));
  },
  (lines, rng) => Array.from({ length: 2 + rng.int(rng.chance(0.2) ? 2000 : 20) }, () => lines).flat(),
  (lines, rng) => lines.map((line) => (rng.chance(0.2) ? `${line} # ${hostileScalar(rng).slice(0, 40)}` : line)),
  (lines) => ['\ufeff' + (lines[0] ?? ''), ...lines.slice(1)],
  (lines, rng) =>
    lines.map((line) =>
      rng.chance(0.15)
        ? [...line].map((c) => (rng.chance(0.1) ? String.fromCharCode(rng.int(0x80)) : c)).join('')
        : line,
    ),
];

/** A document broken by one to three mutations, then maybe truncated at a random point. */
export function mutateText(seed: string, rng: Rng): string {
  let lines = seed.split('\n');
  for (let count = 1 + rng.int(3); count > 0; count--) lines = rng.pick(mutators)(lines, rng);
  const text = lines.join('\n');
  if (rng.chance(0.12)) return text.slice(0, rng.int(text.length + 1));
  // a parser takes seconds on a few hundred KB: most of those are cut, so the run has many cases, not a few slow ones
  return text.length > 64 * 1024 && text.length <= 1024 * 1024 && rng.chance(0.85)
    ? text.slice(0, rng.int(64 * 1024))
    : text;
}

/** Invalid UTF-8 somewhere in the bytes (a lone continuation byte, an overlong form, a surrogate). */
export function corruptBytes(text: string, rng: Rng): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const bad = rng.pick([[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x82]]);
  const at = rng.int(bytes.length + 1);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
}

/** Mutates a JSON value in place of a random node: deleted keys, wrong types, hostile numbers and strings, deep nesting. */
export function mutateJson(value: unknown, rng: Rng): unknown {
  const hostile = (): unknown =>
    rng.pick<() => unknown>([
      () => null,
      () => -1,
      () => 1e308,
      () => -0,
      () => 1.5,
      () => Number.MAX_SAFE_INTEGER * 4,
      () => '',
      () => 'x'.repeat(100 * 1024),
      () => '\u0000\ud800',
      () => [],
      () => ({}),
      () => true,
      () => '2026-02-30T00:00:00Z',
      () => '9999-12-31T23:59:59.999Z',
      () => '../../etc/passwd',
      () => '@flow:__proto__',
      () => JSON.parse('{"__proto__": {"polluted": 1}}'),
      () => ({ constructor: { prototype: { x: 1 } } }),
      () => `${DEEP}${rng.int(5000)}`,
    ])();
  const clone = structuredClone(value);
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 40 || node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      nodes.push({ parent: node as Record<string, unknown>, key: Array.isArray(node) ? Number(key) : key });
      walk(child, depth + 1);
    }
  };
  walk(clone, 0);
  for (let count = 1 + rng.int(3); count > 0 && nodes.length > 0; count--) {
    const { parent, key } = rng.pick(nodes);
    const action = rng.int(5);
    if (action === 0 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
    else if (action === 1 && Array.isArray(parent))
      parent.push(...Array.from({ length: rng.int(300) }, () => structuredClone(parent[key as number])));
    else if (action === 2 && !Array.isArray(parent))
      (parent as Record<string, unknown>)[rng.pick(['__proto__', 'constructor', 'extra', 'tags'])] = hostile();
    else (parent as Record<string, unknown>)[key] = hostile();
  }
  return clone;
}

const DEEP = '\u0000deep:';

/** The JSON text of a mutated value; a deep suite tree is spliced in as text, since JSON.stringify recurses and would overflow. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(
    /"\\u0000deep:(\d+)"/g,
    (_, depth: string) =>
      `${'{"title":"s","suites":['.repeat(Number(depth))}{"title":"deep","specs":[]}${']}'.repeat(Number(depth))}`,
  );
}

/** Strings for flags and times: valid forms, near misses, and garbage. */
export function hostileFlag(rng: Rng, valid: readonly string[]): string {
  if (rng.chance(0.25)) return rng.pick(valid);
  const base = rng.pick(valid);
  return rng.pick<() => string>([
    () => hostileScalar(rng),
    () => base.replace(/\d/, String(rng.int(10))),
    () => base.slice(0, rng.int(base.length)),
    () => `${base}${base}`,
    () => `-${base}`,
    () => ` ${base} `,
    () => base.toUpperCase(),
    () => `${rng.int(1e9)}${rng.pick(['s', 'm', 'h', 'd', 'w', 'y', 'ms', ''])}`,
    () => `${rng.next() * 10 ** rng.int(25)}${rng.pick(['d', 'h', ' ago', 'm ago', 'min ago'])}`,
    () => `${1000 + rng.int(9000)}-W${rng.int(60)}`,
    () =>
      `${rng.int(10_000)}-${rng.int(14)}-${rng.int(33)}T${rng.int(26)}:${rng.int(62)}:${rng.int(62)}${rng.pick(['Z', '+24:00', '-0930', '', '+99:99', '.123456789Z'])}`,
    () => '1'.repeat(rng.int(400)),
    () => String(10 ** rng.int(25)),
    () => '1e15',
    () => 'Infinity',
    () => '1e400d',
    () => '0x10d',
    () => '1.5.2h',
    () => '--since',
    () => '=',
    () => '\u0000',
  ])();
}

export const seeds = {
  config: [
    'branch: main',
    'baseURL: http://localhost:3000',
    'serve: npm start',
    'setup: npm ci',
    'ready: http://localhost:3000/health',
    'readyTimeout: 2m',
    'allowedOrigins: [https://js.stripe.com]',
    'playwright:',
    '  config: playwright.config.ts',
    '  project: chromium',
    'features:',
    "  pattern: '^(feat|feature)(\\(.+\\))?!?:'",
    'verification:',
    '  env: production',
    '  within: 24h',
    '  environments: [staging]',
    'llm:',
    '  provider: steps',
    '  model: gpt-4.1-mini',
    'github:',
    '  repo: acme/shop',
    '  apiURL: https://api.github.com',
    'redact:',
    "  - 'cus_[A-Za-z0-9]+'",
    '',
  ].join('\n'),
  flow: [
    'name: Start free trial',
    'description: A visitor starts a trial from the pricing page and lands on checkout.',
    'criticality: revenue',
    "owner: '@billing'",
    'paths: [src/billing/**, web/pages/pricing.tsx, "src/{a,b}/*.ts"]',
    'tests: [e2e/pricing*.spec.ts]',
    'start: /pricing',
    'within: 4h',
    '',
  ].join('\n'),
  waivers: [
    '- sha: 1a2b3c4d',
    '  reason: Copy change only',
    "  by: '@alice'",
    '  at: 2026-11-20T10:00:00Z',
    '- sha: abcdef0123456',
    '  reason: Docs',
    '',
  ].join('\n'),
  incident: [
    '---',
    'id: 2026-11-20-trial-redirect',
    'title: Trial signup never reaches checkout',
    'severity: SEV2',
    'status: resolved',
    'flows: [trial]',
    'started_at: 2026-11-20T17:00:00Z',
    'detected_at: 2026-11-23T09:10:00Z',
    'mitigated_at: 2026-11-23T11:00:00Z',
    'resolved_at: 2026-11-23T12:00:00Z',
    'detection: customer-report',
    'introduced_by: 1a2b3c4',
    'fixed_by: 5d6e7f8',
    'regression:',
    '  test: flows/trial/2026-11-20-trial-redirect.spec.ts',
    '  pr: https://github.com/acme/shop/pull/42',
    '  proof: { fails_on: 1a2b3c4, passes_on: 5d6e7f8, at: 2026-11-24T10:00:00Z }',
    '---',
    '## What happened',
    'Visitors clicking **Start Free Trial** stayed on /pricing.',
    '## Steps to reproduce',
    '1. Go to /pricing',
    '2. Click "Start Free Trial"',
    '3. Fill "Email" with "a@example.com"',
    '4. Expect the URL to contain /checkout',
    '## Expected',
    'Checkout.',
    '## Actual',
    'Nothing.',
    '',
  ].join('\n'),
  steps: [
    '1. Go to /pricing',
    '2. Click "Start Free Trial"',
    '3. Click the "Plans" link',
    '4. Fill "Email" with "a@example.com"',
    '5. Select "Pro" in "Plan"',
    '6. Check "I agree"',
    '7. Press Enter',
    '8. Wait for the text "Welcome"',
    '9. Expect the URL to contain /checkout',
    '10. Expect the text "Trial started" to be visible',
    '11. Expect the "Pay" button to be enabled',
    '12. Expect the "Cart" list to have 3 items',
    '13. Expect 2 "Remove" buttons',
    '14. Expect the title to be "Checkout"',
    '15. Expect GET /api/trial to return 200 with "active"',
    '- Expect the "Total" cell to contain the text "$10"',
    '<!-- a hidden comment -->',
    '```',
    'Go to /code',
    '```',
  ].join('\n'),
  report: {
    config: { rootDir: '/repo', metadata: { gitCommit: { hash: '0'.repeat(40) } } },
    suites: [
      {
        title: 'flows/trial/a.spec.ts',
        file: 'flows/trial/a.spec.ts',
        specs: [
          {
            title: 'starts a trial @flow:trial',
            file: 'flows/trial/a.spec.ts',
            tags: ['@incident:2026-11-20-trial-redirect'],
            tests: [{ status: 'expected', projectName: 'chromium' }],
          },
        ],
        suites: [
          {
            title: 'nested',
            specs: [
              {
                title: 'flaky one',
                file: 'flows/trial/a.spec.ts',
                tags: ['flow:trial'],
                tests: [{ status: 'flaky' }, { status: 'unexpected' }],
              },
            ],
          },
        ],
      },
      {
        title: 'e2e/other.spec.ts',
        file: 'e2e/other.spec.ts',
        specs: [{ title: 'other', file: 'e2e/other.spec.ts', tests: [{ status: 'skipped' }] }],
      },
    ],
    stats: {
      startTime: '2026-11-20T17:00:00.000Z',
      duration: 12_345,
      expected: 1,
      unexpected: 1,
      flaky: 1,
      skipped: 1,
    },
  } as Record<string, unknown>,
  note: {
    schema: 'verigap.run/v1',
    env: 'production',
    at: '2026-11-20T17:00:12.345Z',
    commit: 'a'.repeat(40),
    run_url: 'https://ci.example.com/runs/1',
    tests: 4,
    duration_ms: 12_345,
    flows: { trial: { passed: 2, failed: 0, flaky: 1, skipped: 1 } },
    incidents: { '2026-11-20-trial-redirect': { passed: 1, failed: 0, flaky: 0, skipped: 0 } },
    key: '0123456789abcdef',
  } as Record<string, unknown>,
};

export const validTimes = [
  '7d',
  '24h',
  '90s',
  '2w',
  '1.5h',
  '36500d',
  '2025-01-01',
  '2026-11-20T17:00:00Z',
  '2026-11-20T17:00:00+02:00',
  '2026-11-20T17:00',
  '2024-02-29',
  '2026-11-20 17:00',
  '3d ago',
  'yesterday 14:00',
  'today 09:30',
  'now',
];
export const validFriendly = [
  'now',
  '2h ago',
  '30m ago',
  '1d ago',
  '5 min ago',
  '2026-11-20T17:00:00Z',
  '2026-11-20T17:00+0200',
  '2026-08-08',
  '2026-08-07 14:00',
  '2w ago',
  'yesterday 14:00',
  'today 09:30',
];
export const validWeeks = ['2026-W47', 'last', '2020-W53', '2026-W01'];
