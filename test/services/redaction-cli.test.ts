import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { answers } from '../../src/adapters/app-process.js';
import { incidentBody, shopWithIncident, standInsForFile } from '../helpers/demo-shop-incident.js';
import { secretCorpus } from '../core/redaction-corpus.js';

const standIns = standInsForFile();

const titleEmail = 'ops.lead@shop-example.net';
const titleKey = `sk_live_${'Zx9'.repeat(10)}Q`;
const values = [...secretCorpus.flatMap((entry) => entry.values), titleEmail, titleKey];
const corpusText = secretCorpus.map((entry) => entry.text).join('\n\n');
const provable = '1. Go to /pricing\n2. Click "Start free trial"\n3. Expect the URL to contain /checkout';

/** The demo shop with one incident whose "What happened" holds every secret of the corpus (and its title two). */
const shopWithSecrets = () =>
  shopWithIncident(
    incidentBody(provable, ` The customer pasted all this:\n\n${corpusText}`),
    (title) => `${title} (reported by ${titleEmail} with ${titleKey})`,
  );

/** Every file under the repository but .git, with its text. */
function filesOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (name === '.git' || name === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'latin1'));
    }
  };
  walk(dir);
  return files;
}

const occurrences = (text: string, value: string) => text.split(value).length - 1;

/** Fails naming the value and where it was found, never printing more of the text than the value. */
function expectNone(where: string, text: string): void {
  const found = values.filter((value) => text.includes(value));
  expect(found.map((value) => `${where} holds ${value}`)).toEqual([]);
}

/**
 * Files verigap wrote or changed hold none of the values; the incident (the user's own words) holds what
 * it held. The store (.verigap/index.db) mirrors the working tree's incidents on the same disk, so it holds
 * what they hold and is left out.
 */
function expectFilesClean(before: Map<string, string>, dir: string): void {
  for (const [file, text] of filesOf(dir)) {
    if (before.get(file) === text || file.startsWith('.verigap/index.db')) continue;
    if (file.startsWith('incidents/')) {
      for (const value of values)
        expect(occurrences(text, value), `${file}: ${value}`).toBe(occurrences(before.get(file) ?? '', value));
    } else expectNone(file, text);
  }
}

describe('nothing secret leaves the machine, through the real CLI', () => {
  it('sends no value of the corpus to the model (generation, explore and repair), writes none and prints none', async () => {
    const { shop, repo, id } = await shopWithSecrets();
    // the page shows them too, so the ARIA snapshots carry them; an existing spec of the flow has some in a comment
    const escaped = corpusText.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const server = repo.read('server.mjs');
    repo.write({
      'page-secrets.html': escaped,
      'server.mjs': `import { readFileSync } from 'node:fs';\nconst pageSecrets = readFileSync(new URL('./page-secrets.html', import.meta.url), 'utf8');\n${server.replace('<h1>Pricing</h1>', '<h1>Pricing</h1><pre>${pageSecrets}</pre>')}`,
      'flows/trial/support.spec.ts': `// staging credentials, do not commit:\n${secretCorpus
        .slice(0, 12)
        .map((entry) => `// ${entry.text.replace(/\n/g, '\n// ')}`)
        .join('\n')}\nexport {};\n`,
    });
    const before = filesOf(repo.dir);
    standIns.llm.requests.length = 0;
    // explore the page, then steps that fail before their Expect (a repair is asked for), twice
    const failing = JSON.stringify({
      steps: ['Go to /pricing', 'Click "Begin trial"', 'Expect the URL to contain /checkout'],
      rationale: 'clicks the trial button',
    });
    standIns.llm.replies = [JSON.stringify({ explore: ['Go to /pricing'] }), failing, failing, failing, failing];
    const env = { OPENAI_API_KEY: 'sk-test-verigap-key-123456789012345', OPENAI_BASE_URL: `${standIns.llm.url}/v1` };
    const result = await repo.verigapAsync(
      ['--json', 'incident', 'test', id, '--provider', 'openai', '--attempts', '2'],
      env,
    );

    expect(standIns.llm.requests.length, result.stderr).toBeGreaterThanOrEqual(2);
    const received = standIns.llm.requests.map((request) => {
      const { messages } = JSON.parse(request.body) as { messages: { content: string }[] };
      return `${request.url}\n${request.body}\n${messages.map((m) => m.content).join('\n')}`;
    });
    received.forEach((text, index) => expectNone(`request ${index + 1}`, text));
    const sent = received.join('\n');
    for (const kind of [
      'private-key',
      'aws-secret-access-key',
      'card-number',
      'email',
      'phone',
      'ip-address',
      'password',
    ])
      expect(sent).toContain(`[REDACTED:${kind}]`);
    expect(sent).toContain('ARIA snapshot');
    expectNone('stdout', result.stdout);
    expectNone('stderr', result.stderr);
    expectFilesClean(before, repo.dir);
    expect(await answers(`http://127.0.0.1:${shop.port}/health`)).toBe(false);
  }, 240_000);

  it('opens a pull request whose title and body hold no value of the corpus', async () => {
    const { repo, id } = await shopWithSecrets();
    const before = filesOf(repo.dir);
    standIns.github.pulls.length = 0;
    standIns.github.requests.length = 0;
    const result = await repo.verigapAsync(['incident', 'test', id, '--pr'], {
      GITHUB_TOKEN: 'ghs_verigapTestToken1234567890abcdef',
      GITHUB_API_URL: standIns.github.url,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(standIns.github.pulls).toHaveLength(1);
    expect(standIns.github.pulls[0]!.body).toContain('[REDACTED:');
    expect(standIns.github.pulls[0]!.title).toMatch(/\[REDACTED:email\].*\[REDACTED:stripe-key\]/);
    standIns.github.requests.forEach((request, index) =>
      expectNone(`GitHub request ${index + 1}`, `${request.url}\n${request.body}`),
    );
    expectNone('stdout', result.stdout);
    expectNone('stderr', result.stderr);
    expectFilesClean(before, repo.dir);
  }, 240_000);
});

describe('limits that keep redaction fast', () => {
  it('refuses an incident over 256 KB before anything else, naming the file, its size and the limit (exit 2)', async () => {
    const { shop, repo, id, file } = await shopWithSecrets();
    repo.write({
      [file]: repo.read(file).replace('## Steps to reproduce', `${'a@a.a@'.repeat(60_000)}\n\n## Steps to reproduce`),
    });
    standIns.llm.requests.length = 0;
    const result = await repo.verigapAsync(['incident', 'test', id, '--provider', 'openai'], {
      OPENAI_API_KEY: 'sk-test-verigap-key-123456789012345',
      OPENAI_BASE_URL: `${standIns.llm.url}/v1`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`${file} is 3[56]\\d KB \\([\\d,]+ bytes\\), over the 256 KB limit for an incident`),
    );
    expect(standIns.llm.requests).toHaveLength(0);
    expect(await answers(`http://127.0.0.1:${shop.port}/health`)).toBe(false);
  });

  it('refuses a redact: pattern that can take exponential time when verigap.yaml is read (exit 2)', async () => {
    const { repo } = await shopWithSecrets();
    repo.write({ 'verigap.yaml': `${repo.read('verigap.yaml')}redact:\n  - 'cus_[A-Za-z0-9]+'\n  - '(\\w+\\s?)+$'\n` });
    const result = repo.verigap(['incident', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /verigap\.yaml:\d+: redact\.1: redact pattern '\(\\w\+\\s\?\)\+\$' can take exponential time/,
    );
  });
});
