/**
 * A small to-do app the proof tests serve on loopback. `bug: true` is the revision before the fix: the
 * client sends `text`, the server reads `title`, the add fails silently and the list stays empty.
 * `login: true` puts the list behind a sign-in (a cookie session kept in the server's memory), and
 * `greeting: true` imports a dependency from node_modules (the revision needs its `setup`).
 */
export interface TodoAppOptions {
  bug: boolean;
  login?: boolean;
  greeting?: boolean;
}

export function todoServer(options: TodoAppOptions): string {
  const field = options.bug ? 'text' : 'title';
  return `import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
${options.greeting ? "import { readFileSync } from 'node:fs';\nimport { greeting } from 'greeting';\nconst built = readFileSync('build/title.txt', 'utf8'); // written by the build in setup" : "const greeting = () => 'Todos';\nconst built = '';"}

// each visitor (a cookie) has its own list, so repeated runs of a test do not see each other's todos
const lists = new Map();
const sessions = new Set();
const page = (title, body) => \`<!doctype html><html><head><title>\${title}</title></head><body>\${body}</body></html>\`;
const login = page('Sign in', '<h1>Sign in</h1><form method="post" action="/login"><label>Email <input name="email"></label><button>Sign in</button></form>');
const list = () => page('Todos', \`<h1>\${greeting()}\${built}</h1>
<input aria-label="New todo" placeholder="What needs to be done?">
<button id="add">Add</button>
<label><input type="checkbox"${options.bug ? ' checked' : ''}> Hide completed</label>
<ul aria-label="Todo list"></ul>
<p role="status" aria-label="Remaining"></p>
<script>
  const input = document.querySelector('input');
  const render = (items) => {
    document.querySelector('ul').innerHTML = items.map((t, i) => '<li><label><input type="checkbox" id="t' + i + '">' + t.title + '</label></li>').join('');
    document.querySelector('[role=status]').textContent = items.length + (items.length === 1 ? ' item left' : ' items left');
  };
  const add = async () => {
    const response = await fetch('/api/todos', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ${field}: input.value }) });
    if (!response.ok) return; // the error is swallowed: nothing happens
    input.value = '';
    render(await (await fetch('/api/todos')).json());
  };
  document.getElementById('add').addEventListener('click', add);
  input.addEventListener('keydown', (event) => event.key === 'Enter' && add());
  fetch('/api/todos').then((r) => r.json()).then(render);
</script>\`);

createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  let sid = /sid=([\\w-]+)/.exec(request.headers.cookie ?? '')?.[1];
  const cookie = {};
  if (!sid && ${options.login ? 'false' : 'true'}) {
    sid = randomUUID();
    cookie['set-cookie'] = 'sid=' + sid + '; Path=/';
  }
  const send = (status, type, body, headers = {}) => response.writeHead(status, { 'content-type': type, ...cookie, ...headers }).end(body);
  const signedIn = ${options.login ? 'sessions.has(sid)' : 'true'};
  if (!lists.has(sid)) lists.set(sid, []);
  const todos = lists.get(sid);
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    if (url.pathname === '/health') return send(200, 'text/plain', 'ok');
    if (url.pathname === '/login' && request.method === 'POST') {
      const sid = randomUUID();
      sessions.add(sid);
      return send(303, 'text/plain', '', { location: '/todos', 'set-cookie': 'sid=' + sid + '; Path=/; HttpOnly' });
    }
    if (url.pathname === '/login') return send(200, 'text/html', login);
    if (!signedIn) return send(303, 'text/plain', '', { location: '/login' });
    if (url.pathname === '/todos') return send(200, 'text/html', list());
    if (url.pathname === '/api/todos' && request.method === 'POST') {
      const { title } = JSON.parse(body || '{}');
      if (!title) return send(400, 'application/json', JSON.stringify({ error: 'title is required' }));
      todos.push({ title });
      return send(201, 'application/json', JSON.stringify({ title }));
    }
    if (url.pathname === '/api/todos') return send(200, 'application/json', JSON.stringify(todos));
    send(404, 'text/html', page('Not found', '<h1>Not found</h1>'));
  });
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
`;
}

/** The team's Playwright config: a setup project signs in and saves the storage state the main project uses. */
export const teamConfigWithLogin = `import { defineConfig, devices } from '@playwright/test';

export default defineConfig({
  testDir: './e2e',
  use: { baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000' },
  projects: [
    { name: 'setup', testMatch: /.*\\.setup\\.ts/ },
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], storageState: 'playwright/.auth/user.json' },
      dependencies: ['setup'],
    },
  ],
});
`;

export const loginSetup = `import { test as setup, expect } from '@playwright/test';

setup('sign in', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('qa@example.com');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/todos/);
  await page.context().storageState({ path: 'playwright/.auth/user.json' });
});
`;

export const todoFlow = `name: Manage todos
criticality: activation
paths: [server.mjs]
start: /todos
`;

/** An incident file whose steps are `steps`; fixed by `fixedBy`. */
export function todoIncident(id: string, fixedBy: string, steps: string): string {
  return `---
id: ${id}
title: Adding a todo does nothing
severity: SEV2
status: resolved
flows: [todos]
started_at: 2026-11-20T17:00:00Z
fixed_by: "${fixedBy}"
---
## What happened
New todos vanished.

## Steps to reproduce
${steps}

## Expected
The todo is listed.
`;
}
