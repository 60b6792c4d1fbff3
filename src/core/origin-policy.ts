/** Where a compiled step may navigate or send a request: baseURL's origin, and the origins listed in `allowedOrigins:`. */
export interface OriginPolicy {
  baseURL: string;
  allowedOrigins?: readonly string[] | undefined;
}

export type ResolvedTarget = { ok: true; emit: string } | { ok: false; reason: string };

// without a policy (the incident form checks single lines) only the scheme can be judged; the spec check judges the origin
const UNKNOWN_BASE = 'http://base.invalid/';

/**
 * A step's URL resolved as the browser resolves it (WHATWG URL against baseURL: leading C0 controls and spaces
 * stripped, `\` read as `/`, hosts mapped through IDNA), refused unless it is http(s) on an allowed origin.
 * `emit` is what the spec may name: the resolved path on baseURL's origin (so a proof against another
 * deployment stays on that deployment), the resolved URL on an allowed origin.
 */
export function resolveTarget(target: string, policy: OriginPolicy | undefined): ResolvedTarget {
  let url: URL;
  try {
    url = new URL(target, policy?.baseURL ?? UNKNOWN_BASE);
  } catch {
    return { ok: false, reason: `${JSON.stringify(target)} is not a URL or a path` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      reason: `${JSON.stringify(target)} uses the ${url.protocol} scheme: only http(s) pages of baseURL's origin may be opened`,
    };
  }
  const base = new URL(policy?.baseURL ?? UNKNOWN_BASE).origin;
  if (url.origin === base) return { ok: true, emit: pathOf(url) };
  if (!policy || policy.allowedOrigins?.includes(url.origin)) return { ok: true, emit: url.href };
  return {
    ok: false,
    reason: `${JSON.stringify(target)} reaches ${url.origin}, outside baseURL's origin ${base}${policy.allowedOrigins?.length ? ' and allowedOrigins' : ''}`,
  };
}

/** The path, query and fragment; a path that starts with `//` gets `/.` in front, or it would name a host. */
function pathOf(url: URL): string {
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? `/.${path}` : path;
}

/**
 * Is "the URL contains `part`" true of every page of baseURL's origin? Then it proves nothing: `/`, the host,
 * `http`, `:3000/`. Without a policy, what every http and https URL contains.
 */
export function vacuousUrlPart(part: string, policy: OriginPolicy | undefined): boolean {
  if (policy) {
    const origin = new URL(policy.baseURL).origin;
    return `${origin}/`.includes(part);
  }
  return 'http://'.includes(part) && 'https://'.includes(part);
}
