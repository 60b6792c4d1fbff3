// Builds a large, realistic first-parent history with `git fast-import`, for benchmarks and
// fault tests: features and fixes with PR numbers, merge commits, spec files added and deleted.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const areas = ['billing', 'checkout', 'auth', 'search', 'profile', 'admin', 'api', 'web'];

/** A deterministic pseudo-random sequence, so two runs build the same history. */
function random(seed) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

export async function generateHistory(
  dir,
  { commits = 1000, start = Date.parse('2025-01-01T00:00:00Z'), stepSeconds = 300 } = {},
) {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  for (const area of areas.slice(0, 4)) {
    mkdirSync(join(dir, 'flows', area), { recursive: true });
    writeFileSync(
      join(dir, 'flows', area, 'flow.yaml'),
      `name: ${area}\ncriticality: revenue\npaths: [src/${area}/**]\n`,
    );
  }
  const rand = random(42);
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))),
  );
  let buffer = '';
  const out = (text) => {
    buffer += text;
    if (buffer.length > 1 << 20) flush();
  };
  const flush = () => {
    child.stdin.write(buffer);
    buffer = '';
  };
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const existing = [];
  let mark = 0;
  let pr = 0;
  for (let i = 0; i < commits; i++) {
    const time = Math.floor(start / 1000) + i * stepSeconds;
    const area = areas[Math.floor(rand() * areas.length)];
    const ops = [];
    const touched = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < touched; k++) {
      const roll = rand();
      if (roll < 0.06 && existing.length > 10) {
        const index = Math.floor(rand() * existing.length);
        ops.push(`D ${existing[index]}\n`);
        existing.splice(index, 1);
        continue;
      }
      const path =
        roll < 0.1
          ? `flows/${area}/case-${Math.floor(rand() * 200)}.spec.ts`
          : `src/${area}/module-${Math.floor(rand() * 600)}.ts`;
      ops.push(`M 100644 inline ${path}\n${data(`// ${i}\n`)}`);
      existing.push(path);
    }
    const kind = rand() < 0.3 ? `feat(${area})` : rand() < 0.5 ? `fix(${area})` : 'chore';
    const subject = `${kind}: change ${i} (#${++pr})`;
    const parent = mark;
    let sideMark;
    if (i > 0 && i % 50 === 0) {
      sideMark = ++mark;
      out(
        `commit refs/heads/side\nmark :${sideMark}\ncommitter Dev <dev@example.com> ${time - 60} +0000\n${data('side work')}from :${parent}\nM 100644 inline src/${area}/side-${i}.ts\n${data('side')}\n`,
      );
    }
    const me = ++mark;
    const message = sideMark ? `Merge pull request #${pr} from acme/side-${i}` : subject;
    out(`commit refs/heads/main\nmark :${me}\ncommitter Dev <dev@example.com> ${time} +0000\n${data(message)}`);
    if (parent) out(`from :${parent}\n`);
    if (sideMark) out(`merge :${sideMark}\n`);
    if (i === 0) out(`M 100644 inline flows/README.md\n${data('flows')}`);
    out(ops.join('') + '\n');
  }
  out('done\n');
  flush();
  child.stdin.end();
  await done;
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
  execFileSync('git', ['branch', '-q', '-D', 'side'], { cwd: dir, stdio: 'ignore' });
}
