// A year of scheduled production runs on the synthetic history, for the production-loop benchmark.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const areas = ['billing', 'checkout', 'auth', 'search', 'profile', 'admin', 'api', 'web', 'cart', 'pricing'];

/**
 * Clones `history` (objects shared) into `dir` with ten scheduled flows, and writes `runs` production runs
 * evenly over its first-parent history into refs/notes/verigap: one notes commit per run, as ingesting them
 * one at a time would leave it. A new deployment every `runsPerDeploy` runs (the newest change by then);
 * one run in a hundred fails one flow, on a commit where that flow also passes (flaky there).
 * Returns the deployed commits, newest last.
 */
export function productionYear(history, dir, { runs = 35_040, runsPerDeploy = 8 } = {}) {
  execFileSync('git', ['clone', '-q', '--shared', history, dir]);
  for (const area of areas) {
    mkdirSync(join(dir, 'flows', area), { recursive: true });
    writeFileSync(
      join(dir, 'flows', area, 'flow.yaml'),
      `name: ${area}\ncriticality: revenue\npaths: [src/${area}/**]\nproduction: ['@production']\nschedule: 15m\n`,
    );
  }
  const chain = execFileSync('git', ['log', '--first-parent', '--reverse', '--format=%H %ct', 'main'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  })
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([sha, at]) => ({ sha, at: Number(at) * 1000 }));
  const first = chain[0].at;
  const span = chain.at(-1).at + 3_600_000 - first;
  const notes = new Map();
  const deployed = [];
  let newest = 0;
  const parts = [];
  for (let i = 0; i < runs; i++) {
    const at = first + Math.round(((i + 1) * span) / runs);
    if (i % runsPerDeploy === 0) {
      while (newest + 1 < chain.length && chain[newest + 1].at <= at) newest++;
      deployed.push(chain[newest].sha);
    }
    const commit = deployed.at(-1);
    const failing = i % 100 === 99 ? areas[i % areas.length] : undefined;
    const flows = Object.fromEntries(
      areas.map((area) => [
        area,
        { passed: area === failing ? 2 : 3, failed: area === failing ? 1 : 0, flaky: 0, skipped: 0 },
      ]),
    );
    const run = {
      schema: 'verigap.run/v1',
      env: 'production',
      at: new Date(at).toISOString(),
      commit,
      run_url: `https://github.com/acme/shop/actions/runs/${9_000_000 + i}`,
      tests: 30,
      duration_ms: 95_000,
      flows,
      incidents: {},
      key: (i + 1).toString(16).padStart(16, '0'),
    };
    const text = `${notes.get(commit) ?? ''}${notes.has(commit) ? '\n' : ''}${JSON.stringify(run)}\n`;
    notes.set(commit, text);
    const message = "Notes added by 'git notes append'\n";
    parts.push(
      `commit refs/notes/verigap\ncommitter Verigap <ci@example.com> ${Math.floor(at / 1000)} +0000\ndata ${Buffer.byteLength(message)}\n${message}`,
    );
    parts.push(`N inline ${commit}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  }
  parts.push('done\n');
  const result = spawnSync('git', ['fast-import', '--quiet', '--done'], {
    cwd: dir,
    input: parts.join(''),
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`fast-import exited ${result.status}: ${result.stderr}`);
  return deployed;
}

/** What a fresh clone fetches for refs/notes/verigap: the bytes of a pack of everything the ref reaches. */
export function notesPackBytes(dir) {
  const pack = spawnSync('git', ['pack-objects', '--revs', '--stdout', '-q'], {
    cwd: dir,
    input: 'refs/notes/verigap\n',
    maxBuffer: 1 << 30,
  });
  return pack.stdout.length;
}
