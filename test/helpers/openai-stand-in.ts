import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from '../../src/demo/github-stand-in.js';

export interface OpenAiStandIn {
  url: string;
  requests: RecordedRequest[];
  /** Replies in order: message content, or an HTTP status to answer with instead. */
  replies: (string | number)[];
  close(): Promise<void>;
}

/** An OpenAI-compatible chat completions endpoint on loopback that records every request. */
export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const standIn: OpenAiStandIn = { url: '', requests: [], replies: [], close: async () => {} };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => {
      standIn.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const next = standIn.replies.shift() ?? 500;
      if (typeof next === 'number')
        return response
          .writeHead(next, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `status ${next}` } }));
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 0,
          model: 'stand-in',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: next } }],
          usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () => new Promise((resolve) => server.close(() => resolve()));
  return standIn;
}

/** A spec as a model would write it, for the stand-in to reply with. */
export function modelSpec(incidentId: string, body: string): string {
  return `import { test, expect } from '@playwright/test';\n\ntest('trial reaches checkout @incident:${incidentId} @flow:trial', async ({ page }) => {\n${body}\n});\n`;
}

/** A model's reply in verigap's protocol: the incident's steps. */
export function stepsReply(steps: string[], rationale = 'reproduces the incident'): string {
  return JSON.stringify({ steps, rationale });
}

/** A model's reply in verigap's protocol: the snapshot after these steps, please. */
export function exploreReply(steps: string[]): string {
  return JSON.stringify({ explore: steps });
}

/** The messages of a recorded chat completions request. */
export function messagesOf(request: { body: string }): { role: string; content: string }[] {
  return (JSON.parse(request.body) as { messages: { role: string; content: string }[] }).messages;
}
