import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

describe('verigap completion', () => {
  const repo = TestRepo.create();
  repo.commit('chore: flows and an incident', {
    'flows/checkout/flow.yaml': 'name: Checkout\npaths: [src/checkout/**]\n',
    'flows/cart/flow.yaml': 'name: Cart\npaths: [src/cart/**]\n',
    'flows/README.md': 'not a flow',
    'incidents/2026-11-20-coupon-total-is-wrong.md': '---\n---\n',
    'incidents/README.md': 'not an incident',
  });
  const script = (shell: string) => {
    const result = repo.verigap(['completion', shell]);
    expect(result.code, result.stderr).toBe(0);
    const file = join(repo.dir, '..', `verigap.${shell}`);
    writeFileSync(file, result.stdout);
    return file;
  };

  for (const shell of ['bash', 'zsh', 'fish']) {
    it.skipIf(!has(shell))(`the ${shell} script passes ${shell} -n, its own syntax check`, () => {
      const check = spawnSync(shell, ['-n', script(shell)], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    });
  }

  it('bash completes commands, options, choices, flow ids and incident ids where each is expected', () => {
    const file = script('bash');
    /** What bash offers for the words typed so far, the last being the one under the cursor. */
    const offers = (...words: string[]) => {
      const probe = `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _verigap; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const run = spawnSync('bash', ['--norc', '-c', probe], { cwd: repo.dir, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout.split('\n').filter(Boolean).sort();
    };
    expect(offers('verigap', 'fl')).toEqual(['flows']);
    expect(offers('verigap', 'flows', 'show', 'c')).toEqual(['cart', 'checkout']);
    // a value is never taken for a command: --days 7 is skipped on the way
    expect(offers('verigap', '--repo', '.', 'flows', 'show', '--days', '7', 'ch')).toEqual(['checkout']);
    expect(offers('verigap', 'incident', 'test', '2026')).toEqual(['2026-11-20-coupon-total-is-wrong']);
    expect(offers('verigap', 'incident', 'new', '--flow', '')).toEqual(['cart', 'checkout']);
    expect(offers('verigap', 'report', '--fo')).toEqual(['--format']);
    expect(offers('verigap', 'init', '--ci', '')).toEqual(['github']);
    expect(offers('verigap', 'verify', 'status', '--fail-on', '')).toEqual(['stale']);
    expect(offers('verigap', 'verify', '')).toEqual(['help', 'ingest', 'status']);
  });

  it.skipIf(!has('fish'))('fish completes a flow id and a subcommand through its own `complete -C`', () => {
    const file = script('fish');
    const offers = (line: string) => {
      const run = spawnSync(
        'fish',
        ['--no-config', '-c', `source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`],
        { cwd: repo.dir, encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      return run.stdout
        .split('\n')
        .filter(Boolean)
        .map((candidate) => candidate.split('\t')[0])
        .sort();
    };
    expect(offers('verigap flows show c')).toEqual(['cart', 'checkout']);
    expect(offers('verigap verify s')).toEqual(['status']);
    expect(offers('verigap incident test 2026')).toEqual(['2026-11-20-coupon-total-is-wrong']);
  });

  it('an unknown shell is exit 2 naming the choices', () => {
    const result = repo.verigap(['completion', 'powershell']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Allowed choices are bash, zsh, fish');
  });
});
