import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildDemoRepo } from '../../src/services/demo.js';
import { apps } from '../../src/adapters/apps.js';
import { renderIncidentFile } from '../../src/core/front-matter.js';
import { TestRepo, removeTempDirs, tempDir } from '../helpers/git-repo.js';
import {
  exploreReply,
  messagesOf,
  startOpenAiStandIn,
  stepsReply,
  type OpenAiStandIn,
} from '../helpers/openai-stand-in.js';

let llm: OpenAiStandIn;
beforeAll(async () => {
  llm = await startOpenAiStandIn();
});
afterAll(async () => {
  await llm.close();
  removeTempDirs();
});

describe('an incident written only in prose, proven from the steps the model returns', () => {
  it('explores, states steps, proves them on the bug and its fix, and writes them into the incident for offline regeneration', async () => {
    const now = Date.now();
    const shop = await buildDemoRepo(join(tempDir(), 'shop'), now, { apps });
    const repo = new TestRepo(shop.dir);
    const id = '2026-11-19-sign-up-button-does-nothing';
    const file = `incidents/${id}.md`;
    const prose =
      '## What happened\nThe sign-up button does nothing. Customers on the pricing page click it and stay where they are: no error, no checkout.\n\n## Expected\nThey land on checkout.\n';
    repo.write({
      [file]: renderIncidentFile(
        {
          id,
          title: 'The sign-up button does nothing',
          severity: 'SEV2',
          status: 'resolved',
          flows: ['trial'],
          started_at: new Date(now - 79 * 3_600_000).toISOString(),
          fixed_by: shop.fixSha,
        },
        prose,
      ),
    });
    const steps = ['Go to /pricing', 'Click "Start free trial"', 'Expect the URL to contain /checkout'];
    llm.requests.length = 0;
    llm.replies = [
      exploreReply(['Go to /pricing']),
      stepsReply(steps, 'the sign-up button is "Start free trial"; it should lead to checkout'),
    ];

    const env = { OPENAI_API_KEY: 'sk-test-verigap-key-123456789012345', OPENAI_BASE_URL: `${llm.url}/v1` };
    const result = await repo.verigapAsync(
      ['--json', 'incident', 'test', id, '--provider', 'openai', '--prove', '--repeat', '1'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({
      provider: 'openai',
      steps,
      proof: { fails_on: shop.bugSha, passes_on: shop.fixSha, repeat: 1 },
    });
    expect(out.proof.failure).toMatch(/toHaveURL/);
    expect(result.stderr).toMatch(/explored 1×/);

    // the explore round ran the model's step against the app and answered with what the page shows
    expect(llm.requests).toHaveLength(2);
    expect(JSON.parse(llm.requests[0]!.body)).toMatchObject({
      model: 'gpt-4.1-mini',
      temperature: 0,
      max_completion_tokens: 4096,
      response_format: { type: 'json_object' },
    });
    const explored = messagesOf(llm.requests[1]!).at(-1)!.content;
    expect(explored).toMatch(
      /verigap ran these steps:\n1\. Go to \/pricing[\s\S]*ARIA snapshot of the page after them:\n[\s\S]*button "Start free trial"/,
    );

    const incident = repo.read(file);
    expect(incident).toContain(
      `## Steps to reproduce\n1. Go to /pricing\n2. Click "Start free trial"\n3. Expect the URL to contain /checkout\n\n## Expected`,
    );
    expect(incident).toMatch(
      new RegExp(
        `regression:\\n  test: flows/trial/${id}.spec.ts\\n  proof:\\n    fails_on: ${shop.bugSha}\\n    passes_on: ${shop.fixSha}\\n`,
      ),
    );
    expect(incident).toContain('The sign-up button does nothing. Customers on the pricing page');

    // offline, from the steps now written in the incident: the same test, no model asked
    const spec = repo.read(`flows/trial/${id}.spec.ts`);
    llm.requests.length = 0;
    const offline = await repo.verigapAsync(['--json', 'incident', 'test', id, '--provider', 'steps']);
    expect(offline.code, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ provider: 'steps', steps });
    expect(repo.read(`flows/trial/${id}.spec.ts`)).toBe(spec);
    expect(llm.requests).toHaveLength(0);
  }, 240_000);
});
