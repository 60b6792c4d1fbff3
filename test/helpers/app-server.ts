import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestApp {
  url: string;
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** A tiny shop on 127.0.0.1: a pricing page, a login page that is broken, and a flaky page. */
export async function startTestApp(): Promise<TestApp> {
  const hits = new Map<string, number>();
  const page = (title: string, body: string) =>
    `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    const send = (status: number, html: string) =>
      response.writeHead(status, { 'content-type': 'text/html' }).end(html);
    if (path === '/pricing')
      return send(200, page('Pricing', '<h1>Pricing</h1><a href="/checkout">Start free trial</a>'));
    if (path === '/checkout') return send(200, page('Checkout', '<h1>Checkout</h1>'));
    if (path === '/login') return send(200, page('Login', '<h1>Sign in</h1><p>Something went wrong</p>'));
    if (path === '/search')
      return count % 2 === 1
        ? send(500, page('Error', '<h1>Oops</h1>'))
        : send(200, page('Search', '<h1>Results</h1>'));
    send(404, page('Not found', '<h1>Not found</h1>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
