import { createServer, request as forward, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A proxy in verigap's own process that the browser of a run must go through. */
export interface OriginProxy {
  /** `http://127.0.0.1:<port>`, for Playwright's `proxy.server`. */
  url: string;
  /** What it refused, as the guard reports it: "blocked: navigation to http://… (another origin)". */
  blocked: string[];
  close(): Promise<void>;
}

const defaultPort = (protocol: string) => (protocol === 'https:' ? '443' : '80');
const hostPort = (url: URL) => `${url.hostname}:${url.port || defaultPort(url.protocol)}`;

/** What the browser was doing, from its Fetch Metadata headers (HTTPS shows the proxy only host and port). */
function kindOf(request: IncomingMessage): string {
  if (request.headers['sec-fetch-mode'] !== 'navigate') return 'request';
  return request.headers['sec-fetch-dest'] === 'document' ? 'navigation' : 'frame navigation';
}

/**
 * Hosts Chromium reaches by itself through the proxy, whatever the page does (seen: autofill's server when a
 * test fills a field). They are refused as every other origin; only the report leaves them out, so a run is not
 * told it was blocked for what the browser, not the app, tried.
 */
const browserServiceHosts = new Set([
  'content-autofill.googleapis.com:443',
  'update.googleapis.com:443',
  'clients2.google.com:443',
  'optimizationguide-pa.googleapis.com:443',
  'safebrowsingohttpgateway.googleapis.com:443',
  'accounts.google.com:443',
]);

/**
 * The network side of verigap's guard: the browser's contexts use this proxy (loopback included), so every
 * request they make, a redirect's next hop too (which Playwright's routes never see), is judged by its origin.
 * A refused HTTP request gets its connection closed (the page sees a network error, not a page of ours); a
 * refused CONNECT (HTTPS, WebSocket, and Playwright's API requests) a 403.
 */
export async function startOriginProxy(origins: readonly string[]): Promise<OriginProxy> {
  const allowed = new Set(origins);
  const allowedHosts = new Set(origins.map((origin) => hostPort(new URL(origin))));
  const blocked: string[] = [];
  const refuse = (what: string) => {
    if (!blocked.includes(`blocked: ${what}`)) blocked.push(`blocked: ${what}`);
  };
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    let url: URL;
    try {
      url = new URL(request.url ?? '');
    } catch {
      return void response.writeHead(400).end();
    }
    if (url.protocol !== 'http:' || !allowed.has(url.origin)) {
      refuse(`${kindOf(request)} to ${url.href} (another origin)`);
      return void request.socket.destroy();
    }
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !name.startsWith('proxy-')));
    const upstream = forward(
      {
        hostname: url.hostname,
        port: url.port || 80,
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => request.socket.destroy());
    request.pipe(upstream);
  });
  // HTTPS and WebSocket tunnels, and Playwright's API requests: only host and port are visible
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    if (!allowedHosts.has(target)) {
      // Chromium's own services (autofill while a field is filled, updates): refused like any other, not the page's doing
      if (!browserServiceHosts.has(target)) refuse(`connection to ${target} (another origin)`);
      return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    }
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    blocked,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
