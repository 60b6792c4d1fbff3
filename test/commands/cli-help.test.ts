import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, removeTempDirs } from '../helpers/git-repo.js';

afterAll(removeTempDirs);

const commands = [
  ['init'],
  ['sync'],
  ['flows', 'list'],
  ['flows', 'show'],
  ['flows', 'add'],
  ['incident', 'list'],
  ['incident', 'new'],
  ['incident', 'test'],
  ['incident', 'show'],
  ['verify', 'ingest'],
  ['verify', 'status'],
  ['report'],
  ['affected'],
  ['review'],
  ['demo'],
];

/** The long options a help text lists. */
const optionsIn = (help: string) => new Set([...help.matchAll(/(?:^|\s)(--[a-z][\w-]*)/gm)].map((match) => match[1]));

describe('help', () => {
  const repo = TestRepo.create();
  const globalOptions = optionsIn(repo.verigap(['--help']).stdout);

  it.each(commands.map((path) => [path.join(' '), path] as const))(
    'verigap %s --help ends with examples of that very command, each using only its options',
    (_, path) => {
      const help = repo.verigap([...path, '--help']);
      expect(help.code).toBe(0);
      const [, examples = ''] = help.stdout.split('\nExamples:\n');
      const lines = examples
        .trim()
        .split('\n')
        .map((line) => line.trim());
      expect(lines.length).toBeGreaterThanOrEqual(1);
      const known = optionsIn(help.stdout.split('\nExamples:\n')[0]!);
      for (const line of lines) {
        expect(line).toMatch(/^\$ verigap /);
        // the command's own words follow `verigap` (global options such as --json may come first)
        expect(
          line.replace(/^\$ verigap (--\S+ )*/, '').startsWith(path.join(' ').replace(/^(flows|incident) list$/, '$1')),
        ).toBe(true);
        for (const option of optionsIn(line))
          expect(known.has(option) || globalOptions.has(option), `${line}: ${option}`).toBe(true);
      }
    },
  );
});

describe('a typo in a subcommand', () => {
  const repo = TestRepo.create();
  repo.commit('chore: start', { 'README.md': 'x' });

  it('is an unknown command with the nearest one suggested, not operands of the default list (exit 2)', () => {
    const flows = repo.verigap(['flows', 'shwo', 'auth']);
    expect(flows.code).toBe(2);
    expect(flows.stderr).toContain("error: unknown command 'shwo'\n(Did you mean show?)");
    expect(flows.stderr).not.toContain('too many arguments');
    const incident = repo.verigap(['incident', 'lst']);
    expect([incident.code, incident.stderr]).toEqual([
      2,
      expect.stringContaining("error: unknown command 'lst'\n(Did you mean list?)"),
    ]);
  });

  it('leaves the default subcommand as it was: `flows` and `flows --days 7` list, an option typo is suggested too', () => {
    expect(repo.verigap(['flows']).stdout).toContain('No flows yet.');
    expect(repo.verigap(['flows', '--days', '7']).code).toBe(0);
    const option = repo.verigap(['flows', 'list', '--dyas', '7']);
    expect([option.code, option.stderr]).toEqual([
      2,
      expect.stringContaining("error: unknown option '--dyas'\n(Did you mean --days?)"),
    ]);
  });
});
