// A pull request branch on a synthetic history, for the `verigap affected` benchmark.
import { execFileSync, spawnSync } from 'node:child_process';

const areas = ['billing', 'checkout', 'auth', 'search', 'profile', 'admin', 'api', 'web'];

const committer = 'committer Bench <bench@example.com> 1767225600 +0000\n';
const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
const commit = (ref, from, message, ops) =>
  `commit refs/heads/${ref}\n${committer}${data(message)}from ${from}\n${ops.join('')}\n`;
const file = (path, text) => `M 100644 inline ${path}\n${data(text)}`;

/**
 * Writes two refs, deterministically, on every run: `<branch>-base`, main with the flows of the
 * first four areas committed and one more commit after them (the base moved on), and `<branch>`,
 * one commit of `files` changed files (across every area, flows' code and specs among them) on
 * those flows. Returns the base and head to compare.
 */
export function branchWithChange(dir, { branch = 'bench-affected', files = 1000 } = {}) {
  const main = execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim();
  const flows = areas
    .slice(0, 4)
    .map((area) => file(`flows/${area}/flow.yaml`, `name: ${area}\ncriticality: revenue\npaths: [src/${area}/**]\n`));
  const ops = Array.from({ length: files }, (_, i) => {
    const area = areas[i % areas.length];
    // one change in fifty is a spec in a flow's folder (the first four areas have flows)
    const path =
      i % 50 === 0
        ? `flows/${areas[i % 4]}/case-${i}.spec.ts`
        : `src/${area}/module-${Math.floor(i / areas.length)}.ts`;
    return file(path, `// changed on ${branch} ${i}\n`);
  });
  const stream = [
    commit(`${branch}-flows`, main, 'chore: the critical flows\n', flows),
    commit(`${branch}-base`, `refs/heads/${branch}-flows`, 'docs: the base moves on\n', [
      file('README.md', 'moved on\n'),
    ]),
    commit(branch, `refs/heads/${branch}-flows`, `feat: a large change of ${files} files\n`, ops),
    'done\n',
  ].join('');
  const result = spawnSync('git', ['fast-import', '--quiet', '--force', '--done'], {
    cwd: dir,
    input: stream,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`fast-import exited ${result.status}: ${result.stderr}`);
  return { base: `${branch}-base`, head: branch };
}
