// The cost of `setup` in a proof when the revisions' lockfile is the working tree's: the demo shop with a
// dependency installed from a folder (no network) and a build, proven with and without `setup:`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const files = {
  'package.json':
    '{ "name": "shop", "private": true, "type": "module", "dependencies": { "greeting": "file:vendor/greeting" } }\n',
  'vendor/greeting/package.json': '{ "name": "greeting", "version": "1.0.0", "type": "module", "main": "index.js" }\n',
  'vendor/greeting/index.js': "export const greeting = () => 'Pricing';\n",
  'build.mjs':
    "import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('build', { recursive: true });\nwriteFileSync('build/ok', '');\n",
};

/** A shop whose history has the bug and its fix, a committed lockfile, node_modules installed and ignored. */
export async function shopWithDependencies(dir, port) {
  const { shopServer, trialFlow, pricingSpec, demoConfig, incidentBody } = await import('../dist/demo/shop.js');
  const write = (all) => {
    for (const [file, text] of Object.entries(all)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  };
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'b',
        GIT_AUTHOR_EMAIL: 'b@b',
        GIT_COMMITTER_NAME: 'b',
        GIT_COMMITTER_EMAIL: 'b@b',
      },
    }).trim();
  const commit = (message, changed) => {
    write(changed);
    git('add', '-A');
    git('commit', '-qm', message);
    return git('rev-parse', 'HEAD');
  };
  mkdirSync(dir, { recursive: true });
  git('init', '-qb', 'main');
  write(files);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  commit('chore: shop (#1)', {
    '.gitignore': 'node_modules\nbuild\n.verigap/\n',
    'server.mjs': shopServer('price_id'),
    'verigap.yaml': demoConfig(port),
    'flows/trial/flow.yaml': trialFlow,
    'flows/trial/pricing.spec.ts': pricingSpec,
  });
  commit('refactor: planId (#2)', { 'server.mjs': shopServer('planId') });
  const fix = commit('fix: price_id (#3)', { 'server.mjs': shopServer('price_id') });
  const id = '2026-11-20-trial-signup-never-reaches-checkout';
  write({
    [`incidents/${id}.md`]: `---\nid: ${id}\ntitle: Trial signup never reaches checkout\nseverity: SEV2\nstatus: resolved\nflows: [trial]\nstarted_at: 2026-11-20T17:00:00Z\nfixed_by: "${fix}"\n---\n${incidentBody}`,
  });
  return {
    id,
    useSetup: (setup) => write({ 'verigap.yaml': `${demoConfig(port)}${setup ? `setup: ${setup}\n` : ''}` }),
  };
}
