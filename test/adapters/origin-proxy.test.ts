import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startOriginProxy } from '../../src/adapters/origin-proxy.js';

/** Asks the proxy for a tunnel, as Chromium does for HTTPS: the status line it answers. */
function connectThrough(proxyUrl: string, target: string): Promise<number> {
  const { hostname, port } = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const ask = request({ hostname, port, method: 'CONNECT', path: target });
    ask.on('connect', (answer, socket) => {
      socket.destroy();
      resolve(answer.statusCode ?? 0);
    });
    ask.on('response', (answer) => resolve(answer.statusCode ?? 0));
    ask.on('error', reject);
    ask.end();
  });
}

describe("the origin proxy's report (incident 2026-12-02-chromium-autofill-failed-an-explore-round)", () => {
  it("refuses Chromium's own service hosts like any other origin, without reporting them as the page's", async () => {
    const proxy = await startOriginProxy(['http://127.0.0.1:4310']);
    try {
      expect(await connectThrough(proxy.url, 'content-autofill.googleapis.com:443')).toBe(403);
      expect(proxy.blocked).toEqual([]);
      expect(await connectThrough(proxy.url, 'fonts.googleapis.com:443')).toBe(403);
      expect(proxy.blocked).toEqual(['blocked: connection to fonts.googleapis.com:443 (another origin)']);
    } finally {
      await proxy.close();
    }
  });
});
