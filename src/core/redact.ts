/** Secrets replaced before any text leaves the machine (SPEC §6.1). */
const builtIn: [string, RegExp][] = [
  ['private-key', /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g],
  ['github-token', /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g],
  ['openai-key', /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b/g],
  ['aws-key', /\bAKIA[0-9A-Z]{16}\b/g],
  ['slack-token', /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g],
  ['stripe-key', /\b[rs]k_(?:live|test)_[A-Za-z0-9]{10,}\b/g],
  ['jwt', /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g],
  ['bearer-token', /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/g],
  ['password', /\b(password|passwd|pwd|secret|api[_-]?key|token)(\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)/gi],
  ['url-credentials', /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi],
  ['email', /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g],
];

export interface Redaction {
  kind: string;
  count: number;
}

export interface Redacted {
  text: string;
  redactions: Redaction[];
}

/** Replaces every match with [REDACTED:<kind>]; the list says what and how often, never the value. */
export function redact(text: string, extra: readonly string[] = []): Redacted {
  const patterns: [string, RegExp][] = [...builtIn, ...extra.map((source, i): [string, RegExp] => [`pattern-${i + 1}`, new RegExp(source, 'g')])];
  const counts = new Map<string, number>();
  let out = text;
  for (const [kind, pattern] of patterns) {
    out = out.replace(pattern, (...args: string[]) => {
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      if (kind === 'password') return `${args[1]}${args[2]}[REDACTED:${kind}]`;
      if (kind === 'bearer-token') return `${args[1]} [REDACTED:${kind}]`;
      if (kind === 'url-credentials') return `${args[1]}[REDACTED:${kind}]@`;
      return `[REDACTED:${kind}]`;
    });
  }
  return { text: out, redactions: [...counts].map(([kind, count]) => ({ kind, count })) };
}
