/**
 * Secrets by format, adapted from gitleaks' default rules (config/gitleaks.toml) for a backtracking
 * engine: every repetition is bounded, and each pattern starts at a literal prefix, a keyword, or a
 * look-behind that lets it start only where a token begins, so one pass costs O(length of the text).
 */
export interface RedactionRule {
  kind: string;
  /** Global. Its capturing groups, if any, hold the secret (the first that took part); the rest stays. */
  pattern: RegExp;
  /** A candidate is redacted only when this holds (a checksum, a shape, what comes before it). */
  valid?: (secret: string, text: string, start: number) => boolean;
}

const rule = (kind: string, source: string, flags = 'g', valid?: (secret: string) => boolean): RedactionRule => ({
  kind,
  pattern: new RegExp(source, flags),
  ...(valid ? { valid } : {}),
});

// `name = value`, `name: value`, `"name": "value"`, `name => value`, also inside an escaped JSON or YAML string
const assignment = String.raw`\\?["'\]]?[ \t]{0,3}(?:=>|:=|=|:)[ \t]{0,3}`;
const value = String.raw`(?:\\?"([^"\\\r\n]{1,512})|\\?'([^'\\\r\n]{1,512})|\x60([^\x60\r\n]{1,512})|([^\s"'\x60&<>\\,;]{1,512}))`;
/** A secret recognised by a keyword in the name it is assigned to (gitleaks' keyword rules). */
const keyed = (kind: string, keyword: string, secret: string) =>
  rule(kind, String.raw`(?:${keyword})[\w.-]{0,30}?${assignment}\\?["'\x60]?(${secret})(?![A-Za-z0-9_-])`, 'gi');
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A value that names a secret without holding one: a type, a keyword, a reference to the environment. */
const reference =
  /^(?:string|number|boolean|undefined|null|none|nil|true|false|any|unknown|await|new|this|=+)[!;,)]?$/i;
const environmentVariable =
  /^(?:\$\{\{.*|\$\{?[A-Z_][A-Z0-9_]*\}?[!;,)]?|(?:process\.)?env\.[A-Z_][A-Z0-9_]*[!;,)]?|os\.environ\[.*)$/;
const heldSecret = (value: string) => !reference.test(value) && !environmentVariable.test(value);

/** In order of precedence: where two rules match the same text, the earlier one names it. */
export const secretRules: RedactionRule[] = [
  rule(
    'private-key',
    String.raw`-----BEGIN[ A-Z0-9]{0,40}(?:PRIVATE|SECRET) KEY(?: BLOCK)?-----(?:(?:[^-]|-(?!----)){0,16384}?-----END[ A-Z0-9]{0,40}(?:PRIVATE|SECRET) KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\]{0,16384})`,
  ),
  rule('gcp-service-account', String.raw`\\?"private_key_id\\?"[ \t]{0,3}:[ \t]{0,3}\\?"([0-9a-f]{40})`),
  rule('aws-access-key-id', String.raw`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`),
  keyed('aws-secret-access-key', 'aws|secret', String.raw`[A-Za-z0-9/+]{40}(?![/+=])`),
  rule('google-api-key', String.raw`\bAIza[0-9A-Za-z_-]{35}`),
  rule('google-oauth-secret', String.raw`\bGOCSPX-[0-9A-Za-z_-]{24,40}`),
  rule('google-oauth-token', String.raw`\bya29\.[0-9A-Za-z_-]{20,2048}`),
  rule('slack-webhook', String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_-]{20,200})`),
  rule('slack-token', String.raw`\bxox[abposre]-(?:\d-)?[0-9A-Za-z-]{10,250}`),
  rule('slack-token', String.raw`\bxapp-\d-[A-Z0-9]{1,30}-\d{1,20}-[a-z0-9]{10,100}`, 'gi'),
  rule('stripe-key', String.raw`\b(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,247}`),
  rule('stripe-webhook-secret', String.raw`\bwhsec_[0-9A-Za-z+/=]{20,100}`),
  rule('azure-storage-key', String.raw`AccountKey=([A-Za-z0-9+/]{20,100}={0,2})`, 'gi'),
  rule('azure-storage-key', String.raw`(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])`),
  rule('azure-sas-signature', String.raw`[?&]sig=([A-Za-z0-9%+/=]{16,200})`),
  rule('azure-client-secret', String.raw`(?<![\w~.-])[\w~.]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])`),
  rule('twilio-account-sid', String.raw`\bAC[0-9a-f]{32}\b`),
  rule('twilio-api-key', String.raw`\bSK[0-9a-fA-F]{32}\b`),
  keyed('twilio-auth-token', 'twilio', '[0-9a-f]{32}'),
  rule('sendgrid-key', String.raw`\bSG\.[0-9A-Za-z_-]{16,32}\.[0-9A-Za-z_-]{16,64}`),
  rule('npm-token', String.raw`\bnpm_[0-9A-Za-z]{30,40}`),
  rule('pypi-token', String.raw`\bpypi-AgE[0-9A-Za-z_-]{40,1200}`),
  rule('gitlab-token', String.raw`\bgl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|oas)-[0-9A-Za-z_.-]{20,300}`),
  rule('gitlab-token', String.raw`\bGR1348941[0-9A-Za-z_-]{20,40}`),
  rule('github-token', String.raw`\b(?:gh[pousr]_[0-9A-Za-z]{20,255}|github_pat_[0-9A-Za-z_]{20,255})`),
  rule('huggingface-token', String.raw`\b(?:hf_|api_org_)[A-Za-z0-9]{30,40}`),
  rule('anthropic-key', String.raw`\bsk-ant-[0-9A-Za-z_-]{20,300}`),
  rule('openai-key', String.raw`(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[0-9A-Za-z_-]{20,300}`),
  rule('jwt', String.raw`(?<![\w-])eyJ[0-9A-Za-z_-]{8,4096}\.[0-9A-Za-z_-]{8,8192}\.[0-9A-Za-z_-]{0,4096}`),
  keyed('datadog-key', String.raw`datadog|(?<![a-z0-9])dd`, '[0-9a-f]{32,40}'),
  rule('newrelic-key', String.raw`\bNR(?:AK|JS|II|AA|RA|AL)-[0-9A-Za-z_-]{19,40}`),
  keyed('newrelic-key', String.raw`new[_.-]?relic`, '[0-9A-Za-z]{40}'),
  rule('sentry-dsn', String.raw`://([0-9a-f]{32})(?::[0-9a-f]{32})?@[^\s/@]{1,253}/\d{1,20}`),
  rule('sentry-token', String.raw`\bsntry[su]_[0-9A-Za-z+/=_]{40,400}`),
  rule('mailgun-key', String.raw`(?<![\w-])(?:pub)?key-[0-9a-f]{32}\b`),
  rule('shopify-token', String.raw`\bshp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}`),
  rule('discord-webhook', String.raw`discord(?:app)?\.com/api/webhooks/(\d{5,30}/[A-Za-z0-9_-]{20,200})`),
  rule(
    'discord-token',
    String.raw`(?<![\w.-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}(?![\w-])`,
  ),
  rule('telegram-bot-token', String.raw`(?:(?<!\w)|(?<=bot))(\d{5,16}:A[A-Za-z0-9_-]{34})(?![\w-])`),
  rule('heroku-key', String.raw`\bHRKU-AA[0-9A-Za-z_-]{58}`),
  keyed('heroku-key', 'heroku', uuid),
  rule('digitalocean-token', String.raw`\bdo[opr]_v1_[0-9a-f]{64}`),
  rule('doppler-token', String.raw`\bdp\.(?:pt|st|sa|ct|scim|audit)\.[0-9A-Za-z]{40,44}`),
  rule('vault-token', String.raw`\bhv[sbr]\.[0-9A-Za-z_-]{24,400}`),
  keyed('vault-token', 'vault', String.raw`s\.[0-9A-Za-z]{24}`),
  rule('databricks-token', String.raw`\bdapi[0-9a-h]{32}(?:-\d)?`),
  rule('linear-key', String.raw`\blin_api_[0-9A-Za-z]{40}`),
  rule('postman-key', String.raw`\bPMAK-[0-9a-f]{24}-[0-9a-f]{34}`, 'gi'),
  rule('grafana-token', String.raw`\b(?:glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}|glc_[0-9A-Za-z+/]{32,400}={0,2})`),
  rule('square-token', String.raw`\bsq0(?:atp|csp)-[0-9A-Za-z_-]{22,43}`),
  rule('facebook-token', String.raw`\bEAA[0-9A-Za-z]{90,400}`),
  rule('age-secret-key', String.raw`\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`),
  rule('alibaba-key', String.raw`\bLTAI[0-9A-Za-z]{20}\b`),
  rule('supabase-token', String.raw`\bsbp_[0-9a-f]{40}`),
  rule('planetscale-token', String.raw`\bpscale_(?:tkn|pw|oauth)_[0-9A-Za-z_.-]{32,64}`),
  rule('pulumi-token', String.raw`\bpul-[0-9a-f]{40}`),
  rule('onepassword-token', String.raw`\bops_eyJ[0-9A-Za-z+/]{100,2000}={0,2}`),
  rule('terraform-token', String.raw`\b[0-9A-Za-z]{14}\.atlasv1\.[0-9A-Za-z_=-]{60,70}`),
  rule('mapbox-token', String.raw`\bsk\.eyJ[0-9A-Za-z_-]{10,2000}\.[0-9A-Za-z_-]{10,200}`),
  rule('flyio-token', String.raw`\b(?:fo1_[\w-]{43}|fm[12][ar]?_[A-Za-z0-9+/=,_-]{40,2000})`),
  rule('notion-token', String.raw`\bntn_[0-9A-Za-z]{40,50}`),
  keyed('okta-token', 'okta', String.raw`00[\w=-]{40}`),
  // credentials in URLs, headers and assignments
  rule(
    'url-credentials',
    String.raw`(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,20}://([^\s/:@?#]{0,128}:[^\s/@?#]{1,256})@`,
  ),
  rule(
    'bearer-token',
    String.raw`(?<![A-Za-z0-9])bearer[ \t]{1,5}([A-Za-z0-9._~+/=-]{12,4096})`,
    'gi',
    (token) => /[^A-Za-z]/.test(token) || token.length >= 24,
  ),
  rule(
    'authorization',
    String.raw`authorization${assignment}\\?["']?(?:(?:bearer|basic|token|digest|negotiate|apikey|sso-key)[ \t]{1,5})?([^\s"'\\,;]{1,4096})`,
    'gi',
  ),
  rule('cookie', String.raw`(?<![\w-])(?:set-)?cookie[ \t]{0,3}:[ \t]{0,3}([^\r\n]{1,4096})`, 'gi'),
  rule(
    'session-id',
    String.raw`(?:sess(?:ion)?[_.-]?id|(?<![A-Za-z0-9])sid|session[_.-]?(?:token|key)|_session|connect\.sid)${assignment}${value}`,
    'gi',
    heldSecret,
  ),
  rule('password', String.raw`(?:password|passwd|passphrase|[_."'-]pwd)${assignment}${value}`, 'gi', heldSecret),
  rule(
    'secret-assignment',
    String.raw`(?:secret|token|api[_-]?key|apikey|[_.-]key|credentials?|signature|[_.-]sig|auth[_-]?code)${assignment}${value}`,
    'gi',
    heldSecret,
  ),
  rule('secret-assignment', String.raw`[a-z0-9]Key${assignment}${value}`, 'g', heldSecret),
];
