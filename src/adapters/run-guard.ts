import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a run may reach: each project's baseURL (verigap's neutral project names) and `allowedOrigins:`; the proxy each project's browser goes through. */
export interface GuardPolicy {
  baseURLs: Record<string, string>;
  allowed: string[];
  proxies: Record<string, string>;
}

/**
 * The guard, as fixtures for `test.extend`. It runs inside each Playwright worker, serialized with
 * toString(), so it refers to nothing outside itself. A worker runs one project, so the worker fixture
 * knows its baseURL. It patches the client classes the worker uses (found on a throwaway context) once:
 * - every context (also one the spec makes) goes through the project's proxy, which judges every request on
 *   the network, redirects included; so do API request contexts;
 * - every context gets a route on every URL (a matcher function: `unroute('**\/*')` cannot remove it) that
 *   aborts requests to other origins, and navigations to other origins or schemes, with a clear report
 *   (WebSockets and redirects are left to the proxy: routes never see them);
 * - `route` handlers a spec adds (which Playwright runs before ours) are wrapped to judge first, and a
 *   route's `continue`/`fallback`/`fetch` may not rewrite the URL elsewhere;
 * - `goto` refuses other origins and schemes before navigating (file: and data: are never routed);
 *   `fetch` of API requests resolves relative URLs against the project's baseURL (not a `test.use` one);
 * - a main-frame navigation that got past all this, or a request that reached the network, fails the test.
 * Each attempt is reported as a `verigap-blocked` annotation: "blocked: navigation to URL (another origin)".
 */
function guardFixtures(policy: GuardPolicy) {
  const PATCHED = Symbol.for('verigap.guard');
  const state = {
    baseURL: '',
    proxy: undefined as { server: string } | undefined,
    allowed: new Set<string>(),
    testInfo: null as any,
    escaped: [] as string[],
  };
  const wrapped = new WeakMap<(...args: any[]) => unknown, (...args: any[]) => unknown>();
  const guarded = new WeakSet<object>();
  const everything = () => true;

  /** Why `target` may not be reached, or null. `strict`: only http(s) (a navigation, an API request). */
  const verdict = (target: string, strict: boolean): string | null => {
    let url: URL;
    try {
      url = new URL(target, state.baseURL);
    } catch {
      return 'not a URL';
    }
    if (url.protocol === 'about:' || url.protocol === 'chrome-error:') return null;
    if (!/^https?:$/.test(url.protocol)) return strict ? 'not http(s)' : null;
    return state.allowed.has(url.origin) ? null : 'another origin';
  };
  const absolute = (target: string) => {
    try {
      return new URL(target, state.baseURL).href;
    } catch {
      return target;
    }
  };
  const report = (what: string) => {
    const description = `blocked: ${what}`;
    const info = state.testInfo;
    if (info && !info.annotations.some((a: any) => a.type === 'verigap-blocked' && a.description === description))
      info.annotations.push({ type: 'verigap-blocked', description });
  };
  const escaped = (what: string) => {
    report(what);
    state.escaped.push(what);
  };

  const kindOf = (request: any) => {
    try {
      if (!request.isNavigationRequest()) return 'request';
      return request.frame().parentFrame() ? 'frame navigation' : 'navigation';
    } catch {
      return 'request';
    }
  };
  /** Aborts a request the policy refuses; null when it may go on. */
  const refuse = (route: any, request: any): Promise<void> | null => {
    const why = verdict(request.url(), request.isNavigationRequest());
    if (!why) return null;
    report(`${kindOf(request)} to ${request.url()} (${why})`);
    return route.abort('blockedbyclient').catch(() => undefined);
  };
  const patchRoute = (route: any) => {
    const proto = Object.getPrototypeOf(route);
    if (proto[PATCHED]) return;
    proto[PATCHED] = true;
    for (const name of ['continue', 'fallback', 'fetch']) {
      const original = proto[name];
      proto[name] = async function (this: any, options: any = {}) {
        const why = typeof options?.url === 'string' ? verdict(options.url, true) : null;
        if (!why) return original.call(this, options);
        const what = `request to ${absolute(options.url)} (${why}, rewritten by route.${name})`;
        report(what);
        await this.abort('blockedbyclient').catch(() => undefined);
        throw new Error(`blocked: ${what}`);
      };
    }
  };
  const guardRoute = (route: any, request: any) => {
    patchRoute(route);
    return refuse(route, request) ?? route.fallback();
  };
  const wrap = (handler: any) => {
    if (typeof handler !== 'function') return handler;
    let guard = wrapped.get(handler);
    if (!guard) {
      guard = function (this: any, route: any, request: any, ...rest: any[]) {
        patchRoute(route);
        return refuse(route, request) ?? handler.call(this, route, request, ...rest);
      };
      wrapped.set(handler, guard);
    }
    return guard;
  };

  const originals: Record<string, any> = {};
  const guardContext = async (context: any) => {
    guarded.add(context);
    await originals.contextRoute.call(context, everything, guardRoute);
    const watch = (page: any) =>
      page.on('framenavigated', (frame: any) => {
        const why = frame === page.mainFrame() ? verdict(frame.url(), true) : null;
        if (why) escaped(`navigation to ${frame.url()} (${why}) got past the guard`);
      });
    context.pages().forEach(watch);
    context.on('page', watch);
    context.on('requestfinished', (request: any) => {
      const why = verdict(request.url(), false);
      if (why) escaped(`request to ${request.url()} (${why}) reached the network past the guard`);
    });
  };
  /** route and unroute of a context or page class: the spec's handlers judge first. */
  const patchRouting = (proto: any, prefix: string) => {
    const { route, unroute } = proto;
    originals[`${prefix}Route`] = route;
    proto.route = function (this: any, url: any, handler: any, options: any) {
      return route.call(this, url, wrap(handler), options);
    };
    proto.unroute = function (this: any, url: any, handler: any) {
      return unroute.call(this, url, handler && (wrapped.get(handler) ?? handler));
    };
  };
  const install = async (browser: any) => {
    const browserProto = Object.getPrototypeOf(browser);
    if (browserProto[PATCHED]) return;
    browserProto[PATCHED] = true;
    const newContext = browserProto.newContext;
    const probe = await newContext.call(browser, {});
    try {
      const page = await probe.newPage();
      const contextProto = Object.getPrototypeOf(probe);
      patchRouting(contextProto, 'context');
      patchRouting(Object.getPrototypeOf(page), 'page');
      const { unrouteAll } = contextProto;
      if (unrouteAll) {
        contextProto.unrouteAll = async function (this: any, options: any) {
          await unrouteAll.call(this, options);
          if (guarded.has(this)) await originals.contextRoute.call(this, everything, guardRoute);
        };
      }
      const frameProto = Object.getPrototypeOf(page.mainFrame());
      const goto = frameProto.goto;
      frameProto.goto = async function (this: any, url: string, options: any) {
        const why = typeof url === 'string' ? verdict(url, true) : null;
        if (!why) return goto.call(this, url, options);
        const what = `navigation to ${absolute(url)} (${why})`;
        report(what);
        throw new Error(`blocked: ${what}: verigap lets a test reach only baseURL's origin and allowedOrigins`);
      };
      const apiProto = Object.getPrototypeOf(probe.request);
      const fetch = apiProto.fetch;
      apiProto.fetch = async function (this: any, target: any, options: any) {
        const url = typeof target === 'string' ? absolute(target) : target.url();
        const why = verdict(url, true);
        if (!why) return fetch.call(this, typeof target === 'string' ? url : target, options);
        report(`request to ${url} (${why})`);
        throw new Error(
          `blocked: request to ${url} (${why}): verigap lets a test reach only baseURL's origin and allowedOrigins`,
        );
      };
    } finally {
      await probe.close();
    }
    browserProto.newContext = async function (this: any, options: any = {}) {
      const context = await newContext.call(this, {
        ...options,
        serviceWorkers: 'block',
        ...(state.proxy ? { proxy: state.proxy } : {}),
      });
      await guardContext(context);
      return context;
    };
  };
  const installRequest = (playwright: any) => {
    const api = playwright.request;
    if (!api || api[PATCHED]) return;
    api[PATCHED] = true;
    const newContext = api.newContext;
    api.newContext = function (this: any, options: any = {}) {
      return newContext.call(this, { ...options, ...(state.proxy ? { proxy: state.proxy } : {}) });
    };
  };

  return {
    verigapGuard: [
      async ({ browser, playwright }: any, use: (value: unknown) => Promise<void>, workerInfo: any) => {
        const project = policy.baseURLs[workerInfo.project.name]
          ? workerInfo.project.name
          : (Object.keys(policy.baseURLs)[0] ?? '');
        state.baseURL = policy.baseURLs[project] ?? 'http://localhost';
        state.proxy = policy.proxies[project] ? { server: policy.proxies[project] } : undefined;
        state.allowed = new Set([new URL(state.baseURL).origin, ...policy.allowed]);
        installRequest(playwright);
        await install(browser);
        await use(undefined);
      },
      { scope: 'worker', auto: true },
    ],
    verigapGuardTest: [
      async ({ verigapGuard }: any, use: (value: unknown) => Promise<void>, testInfo: any) => {
        state.testInfo = testInfo;
        state.escaped = [];
        try {
          await use(verigapGuard);
        } finally {
          state.testInfo = null;
        }
        if (state.escaped.length > 0) throw new Error(`verigap's guard: ${state.escaped.join('; ')}`);
      },
      { auto: true },
    ],
  };
}

/**
 * Puts a `@playwright/test` in `dir/node_modules` that is the real one (at `packageDir`) with the guard
 * as auto fixtures, so every spec that imports it runs guarded, whatever it says.
 */
export function writeGuardedPlaywright(dir: string, packageDir: string, policy: GuardPolicy): void {
  const shim = join(dir, 'node_modules', '@playwright', 'test');
  mkdirSync(shim, { recursive: true });
  const real = JSON.stringify(join(packageDir, 'index.js'));
  writeFileSync(
    join(shim, 'package.json'),
    JSON.stringify(
      {
        name: '@playwright/test',
        main: 'index.js',
        exports: {
          '.': { import: './index.mjs', require: './index.js', default: './index.js' },
          './package.json': './package.json',
        },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(shim, 'index.js'),
    [
      "'use strict';",
      '// verigap: the real @playwright/test, with its guard of origins and schemes as auto fixtures',
      `const real = require(${real});`,
      `const test = real.test.extend((${guardFixtures.toString()})(${JSON.stringify(policy)}));`,
      'for (const key of Object.keys(real)) if (!(key in test)) test[key] = real[key];',
      'test.test = test;',
      'module.exports = test;',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(shim, 'index.mjs'),
    [
      `export * from ${JSON.stringify(join(packageDir, 'index.mjs'))};`,
      "import guarded from './index.js';",
      'export const test = guarded;',
      'export default guarded;',
      '',
    ].join('\n'),
  );
}
