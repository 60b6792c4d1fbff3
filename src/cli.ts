#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { createOutput, type Output } from './output.js';
import { ExitCode, VerigapError } from './errors.js';

/** What every command receives: where the repository is, how to print, the environment. */
export interface CommandContext {
  repoDir: string;
  output: Output;
  env: NodeJS.ProcessEnv;
}

const program = new Command('verigap')
  .description('Close the verification gap: proven regression tests from incidents, and an audit of E2E coverage.')
  .version('0.1.0')
  .option('--repo <dir>', 'the repository to work on', process.cwd())
  .option('--json', 'print one JSON document on stdout and nothing else there', false)
  .option('--quiet', 'print only results and errors', false)
  .showHelpAfterError()
  .exitOverride();

function context(): CommandContext {
  const { repo, json, quiet } = program.opts<{ repo: string; json: boolean; quiet: boolean }>();
  return { repoDir: repo, output: createOutput({ json, quiet, env: process.env }), env: process.env };
}

program
  .command('init')
  .description('scaffold verigap.yaml, flows/, incidents/, reports/ and the .gitignore entry')
  .addOption(new Option('--ci <provider>', 'also write a CI workflow').choices(['github']))
  .action(async (options) => (await import('./commands/init.js')).init(context(), options));

program
  .command('sync')
  .description('index history, flows, incidents and verification runs into .verigap/')
  .option('--rebuild', 'start from nothing', false)
  .action(async (options) => (await import('./commands/sync.js')).sync(context(), options));

const flows = program.command('flows').description('the critical flows, their tests and recent features');
flows
  .command('list', { isDefault: true })
  .description('every flow with its tests, recent features and coverage')
  .option('--days <n>', 'how far back "recent" goes', '30')
  .action(async (options) => (await import('./commands/flows.js')).listFlows(context(), options));
flows
  .command('show <id>')
  .description('one flow: its definition, tests and recent features')
  .option('--days <n>', 'how far back "recent" goes', '30')
  .action(async (id, options) => (await import('./commands/flows.js')).showFlow(context(), id, options));
flows
  .command('add <id>')
  .description('write flows/<id>/flow.yaml')
  .requiredOption('--name <name>', 'a short title, e.g. "Start free trial"')
  .requiredOption('--paths <globs>', 'comma-separated globs of the code that implements the flow')
  .option('--tests <globs>', 'comma-separated globs of extra E2E specs')
  .option('--criticality <level>', 'revenue | activation | trust | retention | other', 'other')
  .option('--owner <owner>', 'owning team or person, e.g. @billing')
  .option('--description <text>', 'one sentence on the journey')
  .option('--start <path>', 'entry path on baseURL, e.g. /pricing')
  .option('--within <duration>', 'merge→verification target for this flow, e.g. 4h')
  .action(async (id, options) => (await import('./commands/flows.js')).addFlow(context(), id, options));

const incident = program.command('incident').description('production incidents and their regression tests');
incident
  .command('list', { isDefault: true })
  .description('the incidents with their regression-test state')
  .action(async () => (await import('./commands/incident.js')).listIncidents(context()));
incident
  .command('show <id>')
  .description('one incident')
  .action(async (id) => (await import('./commands/incident.js')).showIncident(context(), id));

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? ExitCode.ok : ExitCode.badInput;
    }
    if (/^SQLITE_(CORRUPT|NOTADB)/.test((error as { code?: string }).code ?? '')) {
      process.stderr.write('verigap: the local index .verigap/index.db is corrupted\nhint: run `verigap sync --rebuild` (it is rebuilt from Git; nothing is lost)\n');
      return ExitCode.outside;
    }
    if (error instanceof VerigapError) {
      process.stderr.write(`verigap: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
      return error.exitCode;
    }
    process.stderr.write(`verigap: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.outside;
  }
}

process.exitCode = await main(process.argv);
