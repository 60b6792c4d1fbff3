import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildDemoRepo } from '../../src/services/demo.js';
import { apps } from '../../src/adapters/apps.js';
import { answers } from '../../src/adapters/app-process.js';
import { TestRepo, tempDir } from '../helpers/git-repo.js';
import { messagesOf, modelSpec, stepsReply } from '../helpers/openai-stand-in.js';
import { incidentBody, shopWithIncident, standInsForFile } from '../helpers/demo-shop-incident.js';

const standIns = standInsForFile();
const shopWithSteps = (steps: string, extra = '') => shopWithIncident(incidentBody(steps, extra));

const provable = '1. Go to /pricing\n2. Click "Start free trial"\n3. Expect the URL to contain /checkout';

describe('incident test --prove with real git, Chromium and a shop whose history has the bug and its fix', () => {
  it('proves a provable incident, writes the proof into the front matter and leaves the rest of the file as it was', async () => {
    const { shop, repo, id, file } = await shopWithSteps(provable);
    const before = repo.read(file);
    const result = repo.verigap(['--json', 'incident', 'test', id, '--prove', '--repeat', '2']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    // both revisions at once: the fix served on a second port
    expect(out.proof).toMatchObject({ fails_on: shop.bugSha, passes_on: shop.fixSha, repeat: 2, mode: 'both' });
    expect(out.proof.failure).toMatch(/toHaveURL/);
    const after = repo.read(file);
    expect(after).toContain(
      `regression:\n  test: flows/trial/${id}.spec.ts\n  proof:\n    fails_on: ${shop.bugSha}\n    passes_on: ${shop.fixSha}\n`,
    );
    expect(after.replace(/regression:[\s\S]*?(?=---)/, '')).toBe(before);
    expect(result.stderr).toMatch(/✔ prove/);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(await answers(`http://127.0.0.1:${shop.port}/health`)).toBe(false);
    // the shop's history has an earlier incident of its own, merged with its test
    const listed = repo.verigapJson(['incident', 'list']).incidents as { id: string; regression_state: string }[];
    expect(listed.find((incident) => incident.id === id)?.regression_state).toBe('proven');
  });

  it('proves one revision after the other when the app ignores PORT (it cannot run twice)', async () => {
    const { shop, repo, id, file } = await shopWithSteps(provable);
    // and a `redact:` pattern of the team's: the failure is the page's words, recorded and shown redacted
    repo.write({
      'verigap.yaml': `${repo.read('verigap.yaml').replace('serve: node server.mjs', `serve: PORT=${shop.port} node server.mjs`)}redact:\n  - 'toHaveURL'\n`,
    });
    const result = repo.verigap(['--json', 'incident', 'test', id, '--prove', '--repeat', '2']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).proof).toMatchObject({
      fails_on: shop.bugSha,
      passes_on: shop.fixSha,
      mode: 'one-by-one',
      failure: expect.stringContaining('[REDACTED:pattern-1]'),
    });
    expect(repo.read(file)).toMatch(/failure: .*\[REDACTED:pattern-1\]/);
    expect(result.stdout + repo.read(file)).not.toContain('toHaveURL');
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(await answers(`http://127.0.0.1:${shop.port}/health`)).toBe(false);
  });

  it('refuses a test that also passes before the fix (exit 1)', async () => {
    const { shop, repo, id } = await shopWithSteps(
      '1. Go to /pricing\n2. Expect the "Start free trial" button to be visible',
    );
    const result = repo.verigap(['incident', 'test', id, '--prove', '--repeat', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `not proven: the test passed 1 of 1 time\\(s\\) on ${shop.bugSha.slice(0, 7)}, the revision before the fix`,
      ),
    );
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(await answers(`http://127.0.0.1:${shop.port}/health`)).toBe(false);
  });

  it('refuses a test that fails before the fix only at an action, saying which step and how to state the outcome', async () => {
    const { shop, repo, id } = await shopWithSteps(
      '1. Go to /pricing\n2. Click "Start free trial"\n3. Wait for the text "Your 14-day trial"\n4. Expect the URL to contain /checkout',
    );
    const result = repo.verigap(['incident', 'test', id, '--prove', '--repeat', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /not proven: on [0-9a-f]{7} \(before the fix\) the test failed at step 3 \(Wait for the text "Your 14-day trial"\), line 10: an action timed out .*has to reach the incident's outcome \(step 4, "Expect the URL to contain \/checkout"\)/,
    );
    expect(result.stderr).not.toContain('\\"');
    expect(result.stderr).toMatch(/✘ prove/);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(await answers(`http://127.0.0.1:${shop.port}/health`)).toBe(false);
  });

  it('reports step lines that match no rule with their line numbers (exit 2), writing no spec', async () => {
    const { repo, id, file } = await shopWithSteps(
      '1. Go to /pricing\n2. Try to start a trial somehow\n3. Expect the URL to contain /checkout',
    );
    const result = repo.verigap(['incident', 'test', id]);
    expect(result.code).toBe(2);
    const line = repo.read(file).split('\n').indexOf('2. Try to start a trial somehow') + 1;
    expect(result.stderr).toContain(`line ${line}: 2. Try to start a trial somehow`);
    expect(existsSync(join(repo.dir, `flows/trial/${id}.spec.ts`))).toBe(false);
  }, 180_000);
});

describe('the openai provider, through the real openai SDK against a loopback stand-in: the model writes steps', () => {
  const env = () => ({
    OPENAI_API_KEY: 'sk-test-verigap-key-123456789012345',
    OPENAI_BASE_URL: `${standIns.llm.url}/v1`,
  });
  const good = ['Go to /pricing', 'Click "Start free trial"', 'Expect the URL to contain /checkout'];

  it('compiles the steps of a JSON reply, sends no incident secret, records tokens and shows the steps', async () => {
    const secrets =
      '\nThe customer jane.doe@example.com pasted token ghp_abcdefghijklmnopqrstuvwxyz0123456789 and password: hunter2.';
    const { repo, id } = await shopWithSteps(provable, secrets);
    standIns.llm.requests.length = 0;
    standIns.llm.replies = [stepsReply(good, 'clicks the trial button and expects checkout')];
    const result = await repo.verigapAsync(['--json', 'incident', 'test', id, '--provider', 'openai'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      steps: good,
      tokens: { prompt: 1000, completion: 200 },
      redactions: expect.arrayContaining([{ kind: 'email', count: 1 }]),
    });
    expect(result.stderr).toContain(
      '1. Go to /pricing\n    2. Click "Start free trial"\n    3. Expect the URL to contain /checkout',
    );
    const sent = standIns.llm.requests.map((r) => r.body).join('\n');
    for (const secret of ['jane.doe@example.com', 'ghp_abcdefghij', 'hunter2', 'sk-test-verigap-key'])
      expect(sent).not.toContain(secret);
    expect(sent).toContain('[REDACTED:email]');
    expect(sent).toContain('ARIA snapshot');
    expect(sent).toContain('steps grammar');
    expect(standIns.llm.requests[0]!.headers.authorization).toBe('Bearer sk-test-verigap-key-123456789012345');
  });

  it('accepts a fenced block of steps (local models), retries a 429, and speaks to Azure-style endpoints', async () => {
    const { repo, id } = await shopWithSteps(provable);
    standIns.llm.requests.length = 0;
    standIns.llm.replies = [
      429,
      `Here are the steps:\n\n\`\`\`\n1. Go to /pricing\n2. Click "Start free trial"\n3. Expect the URL to contain /checkout\n\`\`\`\n`,
    ];
    const result = await repo.verigapAsync(['incident', 'test', id, '--provider', 'openai'], {
      ...env(),
      OPENAI_API_VERSION: '2024-10-21',
      OPENAI_BASE_URL: standIns.llm.url,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(standIns.llm.requests).toHaveLength(2);
    expect(standIns.llm.requests[1]!.url).toBe(
      '/openai/deployments/gpt-4.1-mini/chat/completions?api-version=2024-10-21',
    );
    expect(standIns.llm.requests[1]!.headers['api-key']).toBe('sk-test-verigap-key-123456789012345');
  });

  it.each([
    [
      'a {"code"} object',
      JSON.stringify({ code: modelSpec('x', "  await page.goto('/pricing');"), rationale: '' }),
      /the model replied with code; verigap runs only steps in the steps grammar, never code a model writes \(a "code" field\)/,
    ],
    [
      'a ```ts block',
      `\`\`\`ts\n${modelSpec('x', "  const { execSync } = await import('child_process');")}\`\`\``,
      /the model replied with code; verigap runs only steps .*\(a fenced ts block\)/,
    ],
    [
      'a step that smuggles code',
      stepsReply([
        'Go to /pricing',
        'await page.evaluate(() => process.exit(1))',
        'Expect the URL to contain /checkout',
      ]),
      /step 2 "await page.evaluate\(\(\) => process.exit\(1\)\)" is code, not a step/,
    ],
    [
      'a step to another origin',
      stepsReply(['Go to https://evil.example/x', 'Expect the URL to contain /checkout']),
      /step 1 "Go to https:\/\/evil\.example\/x"|reaches https:\/\/evil\.example, outside baseURL's origin/,
    ],
    ['no Expect step', stepsReply(['Go to /pricing', 'Click "Start free trial"']), /the steps have no "Expect …" step/],
  ])('refuses %s: nothing written, nothing run', async (_what, reply, reason) => {
    const { shop, repo, id } = await shopWithSteps(provable);
    standIns.llm.replies = [reply, reply];
    const result = await repo.verigapAsync(['incident', 'test', id, '--provider', 'openai', '--attempts', '2'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /refused and not written \(a model's reply is compiled as steps, never run as code\)/,
    );
    expect(result.stderr).toMatch(/attempt 1: /);
    expect(result.stderr).toMatch(/attempt 2: /);
    expect(result.stderr).toMatch(reason);
    expect(existsSync(join(shop.dir, `flows/trial/${id}.spec.ts`))).toBe(false);
    expect(await answers(`http://127.0.0.1:${shop.port}/health`)).toBe(false);
  });

  it('sends a failed run back (redacted, with the page before the failing step) and refuses a repair that changes an Expect step', async () => {
    const { repo, id } = await shopWithSteps(provable);
    standIns.llm.requests.length = 0;
    standIns.llm.replies = [
      stepsReply(['Go to /pricing', 'Click "Begin trial"', 'Expect the URL to contain /checkout']),
      stepsReply(['Go to /pricing', 'Expect the URL to contain /pricing']),
    ];
    const result = await repo.verigapAsync(['incident', 'test', id, '--provider', 'openai', '--attempts', '2'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/attempt 1: .*Begin trial/);
    expect(result.stderr).toMatch(
      /attempt 2: the repair changed the Expect steps of the first generation \(dropped `expect url to contain \/checkout`, added `expect url to contain \/pricing`\)/,
    );
    const repair = messagesOf(standIns.llm.requests[1]!).at(-1)!.content;
    expect(repair).toMatch(
      /failed before reaching its incident assertion, at step 2, "Click "Begin trial""[\s\S]*ARIA snapshot of the page before that step:\n[\s\S]*button "Start free trial"/,
    );
    expect(repair).toContain('Keep every Expect step exactly as it was');
    expect(existsSync(join(repo.dir, `flows/trial/${id}.spec.ts`))).toBe(false);
  }, 180_000);
});

describe('incident test --pr through the real octokit against a GitHub stand-in', () => {
  const token = 'ghs_verigapTestToken1234567890abcdef';

  it('opens one pull request, and a second run updates it; the token appears in no output', async () => {
    const { shop, repo, id, file } = await shopWithSteps(provable);
    const [head, staged] = [repo.git('rev-parse', 'HEAD'), repo.git('diff', '--cached', '--name-only')];
    standIns.github.pulls.length = 0;
    standIns.github.requests.length = 0;
    const env = { GITHUB_TOKEN: token, GITHUB_API_URL: standIns.github.url };
    const first = await repo.verigapAsync(['incident', 'test', id, '--prove', '--repeat', '1', '--pr'], env);
    expect(first.code, first.stderr).toBe(0);
    const second = await repo.verigapAsync(['incident', 'test', id, '--pr'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(standIns.github.pulls).toHaveLength(1);
    expect(standIns.github.pulls[0]).toMatchObject({ head: `verigap/${id}`, base: 'main' });
    expect(standIns.github.pulls[0]!.body).toMatch(/Regression test for incident/);
    expect(standIns.github.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(standIns.github.requests.every((r) => r.headers.authorization === `token ${token}`)).toBe(true);
    for (const text of [
      first.stdout,
      first.stderr,
      second.stdout,
      second.stderr,
      repo.read(file),
      repo.read(`flows/trial/${id}.spec.ts`),
    ])
      expect(text).not.toContain(token);
    const pushed = repo.git('--git-dir', shop.origin, 'ls-tree', '-r', '--name-only', `verigap/${id}`);
    expect(pushed).toContain(`flows/trial/${id}.spec.ts`);
    // the branch and the working tree both name the pull request; the PR was opened once
    const named = new RegExp(`pr: ${standIns.github.url}/[^/]+/[^/]+/pull/${standIns.github.pulls[0]!.number}\n`);
    expect(repo.git('--git-dir', shop.origin, 'show', `verigap/${id}:incidents/${id}.md`)).toMatch(named);
    expect(repo.read(file)).toMatch(named);
    // the branch is committed through an index of its own: the person's HEAD, branch and index are as they were
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('branch', '--show-current').trim()).toBe('main');
    expect(repo.git('diff', '--cached', '--name-only')).toBe(staged);
  });

  it.each([401, 403, 422])('GitHub answering %i gives exit 3 and keeps the branch', async (status) => {
    const { shop, repo, id } = await shopWithSteps(provable);
    standIns.github.refuseWith = status;
    try {
      const result = await repo.verigapAsync(['incident', 'test', id, '--pr'], {
        GITHUB_TOKEN: token,
        GITHUB_API_URL: standIns.github.url,
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`GitHub: .*\\(${status}\\)`));
      expect(result.stderr).toMatch(new RegExp(`the branch verigap/${id} \\([0-9a-f]{7}\\) is kept`));
      expect(result.stderr).not.toContain(token);
      expect(repo.git('rev-parse', '--verify', `refs/heads/verigap/${id}`)).toMatch(/^[0-9a-f]{40}/);
      expect(repo.git('--git-dir', shop.origin, 'rev-parse', '--verify', `refs/heads/verigap/${id}`)).toMatch(
        /^[0-9a-f]{40}/,
      );
    } finally {
      standIns.github.refuseWith = null;
    }
  });

  it('without a token: exit 3, the branch pushed and kept, and the next step said', async () => {
    const { repo, id } = await shopWithSteps(provable);
    const result = await repo.verigapAsync(['incident', 'test', id, '--pr']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no GITHUB_TOKEN \(or GH_TOKEN\) is set/);
    expect(result.stderr).toMatch(/pushed to origin; open the PR in GitHub, or set GITHUB_TOKEN/);
  });
});

describe('incident new without a TTY', () => {
  it('writes incidents/<date>-<slug>.md from flags, with a unique id, validated like the files', async () => {
    const shop = await buildDemoRepo(join(tempDir(), 'shop'), Date.now(), { apps });
    const repo = new TestRepo(shop.dir);
    const body = join(tempDir(), 'body.md');
    writeFileSync(body, '## Steps to reproduce\n1. Go to /pricing\n');
    const args = [
      'incident',
      'new',
      '--title',
      'Trial: never reaches /checkout!',
      '--flow',
      'trial',
      '--severity',
      'SEV2',
      '--started',
      '2026-11-20T17:00:00Z',
      '--resolved',
      '2026-11-21T09:00:00Z',
      '--fixed-by',
      shop.fixSha.slice(0, 8),
      '--body-file',
      body,
      '--no-test',
    ];
    const first = repo.verigapJson(args);
    const second = repo.verigapJson(args);
    expect([first.id, second.id]).toEqual([
      '2026-11-20-trial-never-reaches-checkout',
      '2026-11-20-trial-never-reaches-checkout-2',
    ]);
    expect(readFileSync(join(shop.dir, first.file), 'utf8')).toBe(
      `---\nid: 2026-11-20-trial-never-reaches-checkout\ntitle: "Trial: never reaches /checkout!"\nseverity: SEV2\nstatus: resolved\nflows: [trial]\nstarted_at: 2026-11-20T17:00:00.000Z\nresolved_at: 2026-11-21T09:00:00.000Z\nfixed_by: ${stringify(shop.fixSha.slice(0, 8)).trim()}\n---\n## Steps to reproduce\n1. Go to /pricing\n`,
    );
    expect(
      repo.verigap(['incident', 'new', '--title', 'x', '--flow', 'nope', '--severity', 'SEV2', '--no-test']),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--flow: unknown flow nope; known: account, checkout, search, trial/),
    });
    expect(
      repo.verigap(['incident', 'new', '--title', 'x', '--flow', 'trial', '--severity', 'high', '--no-test']),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/--severity: severity must be one of SEV1/) });
    expect(
      repo.verigap([
        'incident',
        'new',
        '--title',
        'x',
        '--flow',
        'trial',
        '--severity',
        'SEV1',
        '--started',
        'yesterday',
        '--no-test',
      ]),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--started "yesterday" is not a time; use "now", "2h ago"/),
    });
    expect(repo.verigap(['incident', 'list']).code).toBe(0);
  });
});
