/**
 * A corpus of secret formats with fake values made up at run time (a seeded generator: the same
 * values every run, and none of them written in this repository for a secret scanner to trip on).
 * Each entry is a line as it would appear in an incident, the kind redaction must name, and the
 * values that must not survive.
 */
export interface CorpusEntry {
  format: string;
  kind: string;
  text: string;
  values: string[];
}

let seed = 0x5eed1e55;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const hex = '0123456789abcdef';
const alnum = upper + lower + digits;
const base64 = `${alnum}+/`;
const urlSafe = `${alnum}_-`;
const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
const number = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function luhnComplete(partial: string): string {
  for (let check = 0; check < 10; check++) {
    const candidate = partial + check;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

function iban(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  const check = 98 - Number(BigInt(numeric) % 97n);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

const grouped = (text: string, size: number, separator = ' ') =>
  text.match(new RegExp(`.{1,${size}}`, 'g'))!.join(separator);
const pemBody = (lines: number) => Array.from({ length: lines }, () => pick(base64, 64));

function pem(label: string): { text: string; values: string[] } {
  const body = pemBody(6);
  return {
    text: `-----BEGIN ${label}-----\n${body.join('\n')}\n${pick(base64, 20)}==\n-----END ${label}-----`,
    values: body,
  };
}

const entry = (format: string, kind: string, text: (value: string) => string, value: string): CorpusEntry => ({
  format,
  kind,
  text: text(value),
  values: [value],
});

function build(): CorpusEntry[] {
  const rsa = pem('RSA PRIVATE KEY');
  const openssh = pem('OPENSSH PRIVATE KEY');
  const pgp = pem('PGP PRIVATE KEY BLOCK');
  const gcpKey = pemBody(5);
  const gcpKeyId = pick(hex, 40);
  const visa = luhnComplete(`4${pick(digits, 14)}`);
  const amex = luhnComplete(`37${pick(digits, 12)}`);
  const mastercard = luhnComplete(`5${number(1, 5)}${pick(digits, 13)}`);
  const sqlUser = `svc_${pick(lower, 6)}`;
  const sqlPassword = `${pick(alnum, 10)}!${pick(alnum, 4)}`;
  const twilioSid = `AC${pick(hex, 32)}`;
  const twilioToken = pick(hex, 32);
  return [
    entry(
      'AWS access key id',
      'aws-access-key-id',
      (v) => `aws_access_key_id = ${v}`,
      `AKIA${pick(upper + digits, 16)}`,
    ),
    entry(
      'AWS temporary access key id',
      'aws-access-key-id',
      (v) => `AccessKeyId: ${v}`,
      `ASIA${pick(upper + digits, 16)}`,
    ),
    entry(
      'AWS secret access key (credentials file)',
      'aws-secret-access-key',
      (v) => `aws_secret_access_key = ${v}`,
      pick(base64, 40),
    ),
    entry(
      'AWS secret access key (STS JSON)',
      'aws-secret-access-key',
      (v) => `"SecretAccessKey": "${v}",`,
      pick(base64, 40),
    ),
    entry(
      'Google API key',
      'google-api-key',
      (v) => `https://maps.googleapis.com/maps/api/js?key=${v}&callback=init`,
      `AIza${pick(urlSafe, 35)}`,
    ),
    {
      format: 'GCP service-account key',
      kind: 'gcp-service-account',
      text: `{"type": "service_account", "private_key_id": "${gcpKeyId}", "private_key": "-----BEGIN PRIVATE KEY-----\\n${gcpKey.join('\\n')}\\n-----END PRIVATE KEY-----\\n"}`,
      values: [gcpKeyId, ...gcpKey],
    },
    entry(
      'Google OAuth client secret',
      'google-oauth-secret',
      (v) => `client_secret_json: ${v}`,
      `GOCSPX-${pick(urlSafe, 28)}`,
    ),
    entry(
      'Slack bot token',
      'slack-token',
      (v) => `bot posted with ${v}`,
      `xoxb-${pick(digits, 12)}-${pick(digits, 13)}-${pick(alnum, 24)}`,
    ),
    entry(
      'Slack user token',
      'slack-token',
      (v) => `user token ${v}`,
      `xoxp-${pick(digits, 12)}-${pick(digits, 12)}-${pick(digits, 13)}-${pick(hex, 32)}`,
    ),
    entry(
      'Slack webhook',
      'slack-webhook',
      (v) => `alerts go to https://hooks.slack.com/services/${v}`,
      `T${pick(upper + digits, 8)}/B${pick(upper + digits, 10)}/${pick(alnum, 24)}`,
    ),
    entry('Stripe live secret key', 'stripe-key', (v) => `charged with ${v}`, `sk_live_${pick(alnum, 99)}`),
    entry('Stripe restricted key', 'stripe-key', (v) => `restricted ${v}`, `rk_test_${pick(alnum, 24)}`),
    entry('Stripe webhook secret', 'stripe-webhook-secret', (v) => `signing with ${v}`, `whsec_${pick(alnum, 32)}`),
    entry(
      'Azure storage account key',
      'azure-storage-key',
      (v) => `DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=${v};EndpointSuffix=core.windows.net`,
      `${pick(base64, 86)}==`,
    ),
    entry(
      'Azure SAS token',
      'azure-sas-signature',
      (v) =>
        `https://shopdata.blob.core.windows.net/exports/orders.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-01T00:00:00Z&sig=${v}`,
      `${pick(alnum, 40)}%3D`,
    ),
    entry(
      'Azure AD client secret',
      'azure-client-secret',
      (v) => `client credential ${v} expired`,
      `${pick(alnum, 3)}8Q~${pick(urlSafe.replace('-', '') + '.~', 34)}`,
    ),
    {
      format: 'Twilio account SID and auth token',
      kind: 'twilio-auth-token',
      text: `TWILIO_ACCOUNT_SID=${twilioSid}\nTWILIO_AUTH_TOKEN=${twilioToken}`,
      values: [twilioSid, twilioToken],
    },
    entry('Twilio API key', 'twilio-api-key', (v) => `twilio api key ${v}`, `SK${pick(hex, 32)}`),
    entry('SendGrid API key', 'sendgrid-key', (v) => `SENDGRID=${v}`, `SG.${pick(urlSafe, 22)}.${pick(urlSafe, 43)}`),
    entry('npm token', 'npm-token', (v) => `//registry.npmjs.org/:_authToken=${v}`, `npm_${pick(alnum, 36)}`),
    entry('PyPI upload token', 'pypi-token', (v) => `password = ${v}`, `pypi-AgEIcHlwaS5vcmc${pick(urlSafe, 70)}`),
    entry('GitLab personal access token', 'gitlab-token', (v) => `PRIVATE-TOKEN: ${v}`, `glpat-${pick(urlSafe, 20)}`),
    entry(
      'GitHub classic token',
      'github-token',
      (v) => `git clone https://x-access-token:${v}@github.com/acme/shop`,
      `ghp_${pick(alnum, 36)}`,
    ),
    entry(
      'GitHub fine-grained token',
      'github-token',
      (v) => `token ${v}`,
      `github_pat_${pick(alnum, 22)}_${pick(alnum, 59)}`,
    ),
    entry('GitHub app installation token', 'github-token', (v) => `installation ${v}`, `ghs_${pick(alnum, 36)}`),
    entry('Hugging Face token', 'huggingface-token', (v) => `HF hub with ${v}`, `hf_${pick(upper + lower, 34)}`),
    entry(
      'OpenAI project key',
      'openai-key',
      (v) => `model calls with ${v}`,
      `sk-proj-${pick(urlSafe, 74)}T3BlbkFJ${pick(urlSafe, 74)}`,
    ),
    entry('OpenAI legacy key', 'openai-key', (v) => `old key ${v}`, `sk-${pick(alnum, 20)}T3BlbkFJ${pick(alnum, 20)}`),
    entry('Anthropic key', 'anthropic-key', (v) => `claude via ${v}`, `sk-ant-api03-${pick(urlSafe, 93)}AA`),
    entry('JWT', 'jwt', (v) => `id_token=${v}`, `eyJhbGciOiJIUzI1NiJ9.eyJ${pick(urlSafe, 60)}.${pick(urlSafe, 43)}`),
    { format: 'RSA private key', kind: 'private-key', text: rsa.text, values: rsa.values },
    { format: 'OpenSSH private key', kind: 'private-key', text: openssh.text, values: openssh.values },
    { format: 'PGP private key block', kind: 'private-key', text: pgp.text, values: pgp.values },
    entry('DB_PASSWORD assignment', 'password', (v) => `DB_PASSWORD=${v}`, `${pick(alnum, 12)}#${pick(alnum, 3)}`),
    entry('*_SECRET assignment', 'secret-assignment', (v) => `export SESSION_SIGNING_SECRET="${v}"`, pick(alnum, 32)),
    entry('*_TOKEN assignment', 'secret-assignment', (v) => `DEPLOY_TOKEN: ${v}`, pick(alnum, 28)),
    entry('*_KEY assignment', 'secret-assignment', (v) => `ENCRYPTION_KEY=${v}`, pick(hex, 64)),
    entry(
      'JSON password',
      'password',
      (v) => `{"user": "ops", "password": "${v}"}`,
      `${pick(lower, 8)} ${pick(digits, 4)}`,
    ),
    entry('JSON secret', 'secret-assignment', (v) => `{"client_id": "web", "secret": "${v}"}`, pick(alnum, 30)),
    entry('JSON token', 'secret-assignment', (v) => `{"token": "${v}", "expires": 3600}`, pick(alnum, 40)),
    entry('generic api_key', 'secret-assignment', (v) => `api_key: "${v}"`, pick(alnum, 32)),
    {
      format: 'URL with user:password',
      kind: 'url-credentials',
      text: `DATABASE_URL=postgres://${sqlUser}:${sqlPassword}@db.internal:5432/shop`,
      values: [sqlPassword],
    },
    entry(
      'Bearer authorization header',
      'bearer-token',
      (v) => `Authorization: Bearer ${v}`,
      `${pick(urlSafe, 40)}.${pick(urlSafe, 12)}`,
    ),
    entry(
      'Basic authorization header',
      'authorization',
      (v) => `curl -H "Authorization: Basic ${v}" https://api.internal/`,
      Buffer.from(`${pick(lower, 6)}:${pick(alnum, 14)}`).toString('base64'),
    ),
    entry('Cookie header', 'cookie', (v) => `Cookie: _ga=GA1.2.3; session=${v}`, pick(urlSafe, 48)),
    entry('Set-Cookie header', 'cookie', (v) => `Set-Cookie: sid=${v}; Path=/; HttpOnly; Secure`, pick(alnum, 40)),
    entry('Session id in a URL', 'session-id', (v) => `/account;jsessionid=${v}?tab=orders`, pick(upper + digits, 32)),
    entry('Visa card number', 'card-number', (v) => `card ${v} was declined`, grouped(visa, 4)),
    entry(
      'Amex card number',
      'card-number',
      (v) => `card: ${v}`,
      `${amex.slice(0, 4)}-${amex.slice(4, 10)}-${amex.slice(10)}`,
    ),
    entry('Mastercard number', 'card-number', (v) => `pan=${v}`, mastercard),
    entry('E.164 phone number', 'phone', (v) => `SMS sent to ${v} twice`, `+4915${pick(digits, 9)}`),
    entry(
      'US phone number',
      'phone',
      (v) => `call back on ${v}`,
      `(${number(2, 9)}${pick(digits, 2)}) ${number(2, 9)}${pick(digits, 2)}-${pick(digits, 4)}`,
    ),
    entry(
      'International phone number with spaces',
      'phone',
      (v) => `tel: ${v}`,
      `+44 20 ${pick(digits, 4)} ${pick(digits, 4)}`,
    ),
    entry('UK national phone number', 'phone', (v) => `landline ${v}`, `020 ${pick(digits, 4)} ${pick(digits, 4)}`),
    entry(
      'IPv4 address',
      'ip-address',
      (v) => `request from ${v} at 10:31`,
      `${number(11, 99)}.${number(0, 255)}.${number(0, 255)}.${number(1, 254)}`,
    ),
    entry(
      'IPv6 address',
      'ip-address',
      (v) => `client ${v} (mobile)`,
      `2a02:${pick(hex, 4)}:${pick(hex, 4)}::${pick(hex, 3)}`,
    ),
    entry(
      'E-mail address',
      'email',
      (v) => `reported by ${v}.`,
      `${pick(lower, 6)}.${pick(lower, 7)}@${pick(lower, 8)}-mail.com`,
    ),
    entry('IBAN', 'iban', (v) => `refund to ${v}`, grouped(iban('DE', pick(digits, 18)), 4)),
    entry(
      'US SSN',
      'us-ssn',
      (v) => `SSN on file: ${v}`,
      `${number(100, 665)}-${number(10, 99)}-${number(1000, 9999)}`,
    ),
    entry('Datadog API key', 'datadog-key', (v) => `DD_API_KEY=${v}`, pick(hex, 32)),
    entry('New Relic user key', 'newrelic-key', (v) => `newrelic ${v}`, `NRAK-${pick(upper + digits, 27)}`),
    entry(
      'Sentry DSN',
      'sentry-dsn',
      (v) => `SENTRY_DSN=https://${v}@o${pick(digits, 6)}.ingest.sentry.io/${pick(digits, 7)}`,
      pick(hex, 32),
    ),
    entry('Mailgun key', 'mailgun-key', (v) => `mailgun ${v}`, `key-${pick(hex, 32)}`),
    entry('Shopify access token', 'shopify-token', (v) => `X-Shopify-Access-Token: ${v}`, `shpat_${pick(hex, 32)}`),
    entry(
      'Discord webhook',
      'discord-webhook',
      (v) => `https://discord.com/api/webhooks/${v}`,
      `${pick(digits, 18)}/${pick(urlSafe, 68)}`,
    ),
    entry(
      'Discord bot token',
      'discord-token',
      (v) => `bot ${v}`,
      `M${pick(alnum, 25)}.${pick(urlSafe, 6)}.${pick(urlSafe, 38)}`,
    ),
    entry(
      'Telegram bot token',
      'telegram-bot-token',
      (v) => `https://api.telegram.org/bot${v}/sendMessage`,
      `${pick(digits, 10)}:AA${pick(urlSafe, 33)}`,
    ),
    entry(
      'Heroku API key',
      'heroku-key',
      (v) => `HEROKU_API_KEY=${v}`,
      `${pick(hex, 8)}-${pick(hex, 4)}-${pick(hex, 4)}-${pick(hex, 4)}-${pick(hex, 12)}`,
    ),
    entry('DigitalOcean token', 'digitalocean-token', (v) => `doctl auth init -t ${v}`, `dop_v1_${pick(hex, 64)}`),
    entry('Doppler token', 'doppler-token', (v) => `doppler ${v}`, `dp.pt.${pick(alnum, 43)}`),
    entry('Vault token', 'vault-token', (v) => `VAULT ${v}`, `hvs.${pick(urlSafe, 95)}`),
    entry('Databricks token', 'databricks-token', (v) => `databricks ${v}`, `dapi${pick(hex, 32)}`),
    entry(
      'age secret key',
      'age-secret-key',
      (v) => `# ${v}`,
      `AGE-SECRET-KEY-1${pick('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`,
    ),
  ];
}

export const secretCorpus: CorpusEntry[] = build();

/** Ordinary incident text that must come out exactly as it went in. */
export const ordinaryTexts: string[] = [
  'Started 2026-11-19 10:30 UTC, resolved 2026-11-19T14:05:00Z; 3h 35m.',
  'Regressed in v1.2.3 (was fine in 1.2.2 and 1.10.0-beta.4); Node 20.11.1, Chrome/120.0.0.0, Safari/537.36.',
  'Bisected to 5869d24 and b2c26a74f1e0c3d5a6b7c8d9e0f1a2b3c4d5e6f7 (git sha).',
  'Total: 5 items, subtotal $1,299.00, 1,234,567 views, 42 % off.',
  'See https://shop.example.com/pricing?plan=pro&ref=mail#faq and http://localhost:3000/checkout.',
  'Order 7f3c9a2e-4b1d-4e8f-9a6b-2c5d7e9f1a3b failed (request id 0b8e3c1f-6a2d-4f7e-8c9b-1d2e3f4a5b6c).',
  'Served from 127.0.0.1:4173 and ::1; cron ran at 10:30:45 and 23:59:59.',
  'Line 42:17 threw TypeError; HTTP 500 then 502; order ORD-2026-004512; build #8812.',
  'Steps: Go to /pricing, Click "Start free trial", Expect the URL to contain /checkout.',
  'The password reset e-mail never arrives; the token expired; Basic plan users only.',
  'Publishable key pk_test_51HxY2bCq9 is in the page source (public by design).',
  'git@github.com:acme/shop.git was cloned; npm i @acme/ui@2.3.4.',
  'Latency p95 1.5s, p99 2.25s; 99.95% uptime; timeout 30000 ms.',
  'Color #ff0000 and rgb(255, 0, 0); ISBN 978-3-16-148410-0.',
  'function connect(apiKey: string, token: string | undefined) { const secret = process.env.APP_SECRET; }',
  'env: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }}, DB_PASSWORD: $DB_PASSWORD, password: null }',
];
