/**
 * The demo's sample shop: a Node server with a pricing page whose "Start free trial" button
 * posts to /api/trial. Its history ships a real bug (the client sends `planId`, the server reads
 * `price_id`: nothing happens, no error shows) and then the fix. The other pages (cart, account,
 * search) are modules in pages/ (shop-pages.ts), each its own flow's code.
 */
export function shopServer(field: 'price_id' | 'planId', annual = false, perks = false): string {
  return `import { createServer } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';

const page = (title, body) => \`<!doctype html><html><head><title>\${title}</title></head><body>\${body}</body></html>\`;
const pricing = page('Pricing', \`<h1>Pricing</h1>
<p>Pro plan: $29 / month${annual ? ' (or $290 / year)' : ''}</p>${perks ? '\n<ul><li>Free delivery on every order</li><li>Members-only prices</li></ul>' : ''}
<button id="trial">Start free trial</button>
<script>
  document.getElementById('trial').addEventListener('click', async () => {
    const response = await fetch('/api/trial', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ${field}: 'pro' }) });
    if (!response.ok) return; // errors are swallowed: the user sees nothing happen
    const { session } = await response.json();
    location.href = '/checkout?session=' + session;
  });
</script>\`);

// every module in pages/ brings its own routes ('GET /cart': handler): a page ships without touching this file
const pages = new URL('./pages/', import.meta.url);
const routes = {};
for (const file of existsSync(pages) ? readdirSync(pages).filter((name) => name.endsWith('.mjs')).sort() : [])
  Object.assign(routes, (await import(new URL(file, pages).href)).routes);

createServer(async (request, response) => {
  const url = new URL(request.url, 'http://localhost');
  const send = (status, type, body, headers = {}) => response.writeHead(status, { 'content-type': type, ...headers }).end(body);
  const route = routes[\`\${request.method} \${url.pathname}\`];
  if (route) {
    const form = async () => {
      let body = '';
      for await (const chunk of request) body += chunk;
      return Object.fromEntries(new URLSearchParams(body));
    };
    try {
      const [status, body, headers] = await route({ url, form, page });
      return send(status, 'text/html', body, headers);
    } catch {
      return send(500, 'text/html', page('Error', '<h1>Something went wrong</h1>'));
    }
  }
  if (url.pathname === '/health') return send(200, 'text/plain', 'ok');
  if (url.pathname === '/pricing') return send(200, 'text/html', pricing);
  if (url.pathname === '/checkout') return send(200, 'text/html', page('Checkout', '<h1>Checkout</h1><p>Your 14-day trial of Pro starts now.</p>'));
  if (url.pathname === '/api/trial' && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { price_id } = JSON.parse(body || '{}');
      if (!price_id) return send(400, 'application/json', JSON.stringify({ error: 'price_id is required' }));
      send(200, 'application/json', JSON.stringify({ session: 'cs_' + price_id + '_' + Date.now() }));
    });
    return;
  }
  send(404, 'text/html', page('Not found', '<h1>Not found</h1>'));
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
`;
}

export const pricingSpec = `import { test, expect } from '@playwright/test';

test('the pricing page offers a free trial @flow:trial', async ({ page }) => {
  await page.goto('/pricing');
  await expect(page.getByRole('heading', { name: 'Pricing' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start free trial' })).toBeVisible();
});
`;

export const trialFlow = `name: Start free trial
description: A visitor starts a trial from the pricing page and lands on checkout.
criticality: revenue
owner: '@billing'
paths: [server.mjs]
start: /pricing
within: 4h
`;

export function demoConfig(port: number): string {
  return `baseURL: http://127.0.0.1:${port}
serve: node server.mjs
ready: http://127.0.0.1:${port}/health
github:
  repo: verigap-demo/shop
`;
}

export const incidentBody = `## What happened
Visitors clicked "Start free trial" on /pricing and nothing happened: no error, no checkout.
Reported by a customer (jane.doe@example.com) three days after the release.

## Steps to reproduce
1. Go to /pricing
2. Click "Start free trial"
3. Expect the URL to contain /checkout

## Expected
The visitor lands on /checkout.

## Actual
Nothing happens; /api/trial answers 400 because the client sends planId and the server reads price_id.

## Root cause
A refactor renamed the request field on the client only.

## Action items
- Regression test on the trial flow (this one).
`;
