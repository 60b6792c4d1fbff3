/** The program: its commands, options and help. Defining it starts nothing; cli.ts runs it. */
import { Argument, Command, Option } from 'commander';
import { createOutput } from './output.js';
import { systemClock } from './adapters/clock.js';
import type { CommandContext } from './context.js';

export const program = new Command('verigap')
  .description('Close the verification gap: proven regression tests from incidents, and an audit of E2E coverage.')
  .version('0.1.0')
  .option('--repo <dir>', 'the repository to work on', process.cwd())
  .option('--json', 'print one JSON document on stdout and nothing else there', false)
  .option('--quiet', 'print only results and errors', false)
  .showHelpAfterError()
  .exitOverride();

/**
 * `flows shwo auth`: a word that names no subcommand is an unknown command, with commander's own suggestion,
 * rather than operands handed to the default subcommand (which said "too many arguments for 'list'").
 */
function typosAreUnknownCommands(parent: Command): Command {
  return parent.hook('preSubcommand', (command, subcommand) => {
    const [first] = command.args;
    if (first !== undefined && !first.startsWith('-') && first !== subcommand.name()) {
      // commander's own message and "(Did you mean show?)"; it reads the word from command.args
      (command as unknown as { unknownCommand(): never }).unknownCommand();
    }
  });
}

/** The examples that end a command's --help. */
const examples = (lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

function context(): CommandContext {
  const { repo, json, quiet } = program.opts<{ repo: string; json: boolean; quiet: boolean }>();
  return {
    repoDir: repo,
    output: createOutput({ json, quiet, env: process.env }),
    env: process.env,
    clock: systemClock,
  };
}

program
  .command('init')
  .description('scaffold verigap.yaml, flows/, incidents/, reports/ and the .gitignore entry')
  .addOption(new Option('--ci <provider>', 'also write a CI workflow').choices(['github']))
  .option(
    '--production <url>',
    'with --ci github: also write the production workflow, whose scheduled tests run against this URL',
  )
  .option(
    '--playwright',
    'without a Playwright config: write playwright.config.ts (testDir flows/) and the @playwright/test devDependency',
    false,
  )
  .addHelpText(
    'after',
    examples([
      'verigap init --ci github',
      'verigap init --ci github --production https://shop.example.com',
      'verigap init --playwright',
    ]),
  )
  .action(async (options) => (await import('./commands/init.js')).init(context(), options));

program
  .command('sync')
  .description('index history, flows, incidents and verification runs into .verigap/')
  .option('--rebuild', 'start from nothing', false)
  .addHelpText('after', examples(['verigap sync', 'verigap sync --rebuild']))
  .action(async (options) => (await import('./commands/sync.js')).sync(context(), options));

const flows = typosAreUnknownCommands(
  program.command('flows').description('the critical flows, their tests and recent features'),
);
flows
  .command('list', { isDefault: true })
  .description('every flow with its tests, recent features and coverage')
  .option('--days <n>', 'how far back "recent" goes', '30')
  .addHelpText('after', examples(['verigap flows', 'verigap flows list --days 90']))
  .action(async (options) => (await import('./commands/flows.js')).listFlows(context(), options));
flows
  .command('show <id>')
  .description('one flow: its definition, tests and recent features')
  .option('--days <n>', 'how far back "recent" goes', '30')
  .addHelpText('after', examples(['verigap flows show checkout', 'verigap --json flows show checkout --days 90']))
  .action(async (id, options) => (await import('./commands/flows.js')).showFlow(context(), id, options));
flows
  .command('add <id>')
  .description('write flows/<id>/flow.yaml')
  .requiredOption('--name <name>', 'a short title, e.g. "Start free trial"')
  .requiredOption('--paths <globs>', 'comma-separated globs of the code that implements the flow')
  .option(
    '--tests <globs>',
    "comma-separated globs of the flow's E2E test files, any runner (.feature, *.cy.ts, *.e2e.ts)",
  )
  .option('--criticality <level>', 'revenue | activation | trust | retention | other', 'other')
  .option('--owner <owner>', 'owning team or person, e.g. @billing')
  .option('--description <text>', 'one sentence on the journey')
  .option('--start <path>', 'entry path on baseURL, e.g. /pricing')
  .option('--within <duration>', 'merge→verification target for this flow, e.g. 4h')
  .option(
    '--production <entries>',
    'comma-separated tags or test-file globs safe to run against production, e.g. @production',
  )
  .option('--schedule <duration>', 'how often production is checked, 5m to 24h, e.g. 15m')
  .addHelpText(
    'after',
    examples([
      'verigap flows add checkout --name "Check out" --paths "src/checkout/**" --tests "e2e/checkout*.spec.ts" --criticality revenue',
      'verigap flows add cart --name "Cart" --paths "src/cart/**" --production @production --schedule 15m',
    ]),
  )
  .action(async (id, options) => (await import('./commands/flows.js')).addFlow(context(), id, options));

const incident = typosAreUnknownCommands(
  program.command('incident').description('production incidents and their regression tests'),
);
incident
  .command('list', { isDefault: true })
  .description('the incidents with their regression-test state')
  .addHelpText('after', examples(['verigap incident list', 'verigap --json incident list']))
  .action(async () => (await import('./commands/incident.js')).listIncidents(context()));
incident
  .command('new')
  .description('record an incident: a form on a terminal, or flags / --from FILE; then generate its regression test')
  .option('--title <text>', 'what users saw, e.g. "Trial signup never reaches checkout"')
  .option('--flow <ids>', 'the affected flow(s), comma-separated')
  .option('--severity <sev>', 'SEV1 | SEV2 | SEV3 | SEV4')
  .option(
    '--started <when>',
    '"now", "2h ago", "yesterday 14:00", 2026-11-20 17:00 (local) or an ISO time (default: now)',
  )
  .option('--detected <when>', 'when it was noticed')
  .option('--resolved <when>', 'when it was resolved (sets status: resolved)')
  .option('--fixed-by <sha>', 'the commit or PR that fixed it (needed by --prove)')
  .option('--introduced-by <sha>', 'the commit or PR that introduced it')
  .option('--detection <how>', 'customer-report | monitor | synthetic | internal')
  .option('--body-file <file>', 'the Markdown body (What happened, Steps to reproduce, Expected, …)')
  .option('--from <file>', 'an incident Markdown file (front matter + body) to start from')
  .option('--no-test', 'do not generate the regression test right away')
  .addHelpText(
    'after',
    examples([
      'verigap incident new',
      'verigap incident new --title "Coupon total is wrong" --flow checkout --severity SEV2 --started "2h ago" --fixed-by 4f2a9c1',
      'verigap incident new --from incident.md --no-test',
    ]),
  )
  .action(async (options) => (await import('./commands/incident-new.js')).newIncident(context(), options));
incident
  .command('test <id>')
  .description('generate the regression test, check and run it; --prove it against fixed_by; --pr open a pull request')
  .addOption(
    new Option('--provider <provider>', 'openai or steps (default: openai with OPENAI_API_KEY, else steps)').choices([
      'openai',
      'steps',
    ]),
  )
  .option('--base-url <url>', 'where the app answers (default: baseURL / BASE_URL)')
  .option('--prove', 'prove it fails before fixed_by and passes on it', false)
  .option(
    '--before-url <url>',
    'with --prove: the deployed revision before the fix (a preview), instead of serving worktrees',
  )
  .option('--after-url <url>', 'with --prove: the deployed fix')
  .option('--pr', 'commit on verigap/<id>, push, and open or update the pull request', false)
  .option('--attempts <n>', 'LLM generations and repairs before giving up', '3')
  .option('--repeat <n>', 'runs on each side of the fix when proving', '3')
  .option(
    '--spec <file>',
    'prove a test you wrote instead of generating one (tagged @incident:<id> @flow:<flow>, with a // @incident-assertion)',
  )
  .addHelpText(
    'after',
    examples([
      'verigap incident test 2026-11-20-coupon-total-is-wrong --prove',
      'verigap incident test 2026-11-20-coupon-total-is-wrong --prove --pr',
      'verigap incident test 2026-11-20-coupon-total-is-wrong --spec e2e/coupon.spec.ts --prove',
    ]),
  )
  .action(async (id, options) => (await import('./commands/incident-test.js')).runIncidentTest(context(), id, options));
incident
  .command('show <id>')
  .description('one incident')
  .addHelpText('after', examples(['verigap incident show 2026-11-20-coupon-total-is-wrong']))
  .action(async (id) => (await import('./commands/incident.js')).showIncident(context(), id));

const verify = program.command('verify').description('verification runs: Playwright results against a deployed commit');
verify
  .command('ingest <playwright-json...>')
  .description(
    "record a run (Playwright's JSON reporter output, one or several files, or merge-reports output) as a Git note on the deployed commit",
  )
  .option('--commit <sha>', "the deployed commit (default: the report's metadata.gitCommit, with a warning)")
  .option(
    '--commit-from [url]',
    'read the deployed commit from a version endpoint (default: verification.version.url); --commit wins',
  )
  .option('--env <env>', 'the environment the tests ran against (default: verification.env)')
  .option('--at <when>', 'when the run happened, like --since (default: the end of the run)')
  .option('--run-url <url>', 'link to the CI run')
  .option('--push', 'push refs/notes/verigap to origin (fetch, merge and retry when rejected)', false)
  .addHelpText(
    'after',
    examples([
      'verigap verify ingest results.json --commit "$DEPLOYED_SHA" --env production --run-url "$RUN_URL" --push',
      'verigap verify ingest results.json --commit-from https://shop.example.com/version --push',
    ]),
  )
  .action(async (files, options) => (await import('./commands/verify.js')).verifyIngest(context(), files, options));
verify
  .command('status')
  .description(
    'the production loop: per flow its schedule, last passing run, staleness and flaky commits; the features not yet in a verified deployment',
  )
  .option('--env <env>', 'the environment to judge (default: verification.env)')
  .addOption(
    new Option('--fail-on <what>', 'exit 1 when a flow with a schedule has no passing run within twice it').choices([
      'stale',
    ]),
  )
  .addHelpText(
    'after',
    examples([
      'verigap verify status',
      'verigap verify status --env production --fail-on stale',
      'verigap --json verify status',
    ]),
  )
  .action(async (options) => (await import('./commands/verify-status.js')).verifyStatus(context(), options));

program
  .command('report')
  .description('the gap report of a window: feature coverage, merge→verification time, incidents without a test')
  .option(
    '--since <when>',
    'start of the window: 7d, "2h ago", "yesterday 14:00", 2025-01-01 (midnight UTC), 2025-01-01 09:00 (local) or an ISO time (default: 7d)',
  )
  .option('--until <when>', 'end of the window, exclusive (default: now)')
  .option(
    '--week <iso-week>',
    'an ISO week such as 2026-W47, or last (the last full week before now), instead of --since/--until',
  )
  .option('--format <list>', 'md, json, html (comma-separated)', 'md')
  .option('--out <dir>', 'write <dir>/<YYYY>-W<ww>.<format> instead of printing Markdown')
  .option('--fail-under <gates>', 'exit 1 below these shares, e.g. coverage=0.8,verified=0.6')
  .option('--max-verify-p90 <duration>', 'exit 1 when the p90 merge→verification time is above this, e.g. 24h')
  .option(
    '--max-untested-incident-age <duration>',
    'exit 1 when an incident older than this has no regression test, e.g. 7d',
  )
  .addHelpText(
    'after',
    examples([
      'verigap report --since 90d',
      'verigap report --week last --format md,html --out reports',
      'verigap report --since 30d --fail-under coverage=0.8 --max-verify-p90 24h',
    ]),
  )
  .action(async (options) => (await import('./commands/report.js')).report(context(), options));

program
  .command('affected')
  .description('the PR-time check: which critical flows a change touches, which E2E tests verify them, and a verdict')
  .option(
    '--base <ref>',
    "compare with the merge base of this ref (default: the PR's base branch on GitHub Actions, else the tracked branch's upstream, e.g. origin/main)",
  )
  .option('--head <ref>', "the change's tip", 'HEAD')
  .addOption(
    new Option('--fail-on <what>', 'exit 1 when an affected flow has no E2E test at all').choices(['untested-flow']),
  )
  .option('--require-own-test', "exit 1 when a flow's code changed and none of its E2E tests did", false)
  .option('--comment', 'keep one sticky comment on the pull request (GITHUB_TOKEN or GH_TOKEN)', false)
  .option('--pr <n>', 'the pull request to comment on (default: the number in GITHUB_EVENT_PATH)')
  .addHelpText(
    'after',
    examples([
      'verigap affected',
      'verigap affected --base origin/main --fail-on untested-flow',
      'verigap affected --require-own-test --comment',
    ]),
  )
  .action(async (options) => (await import('./commands/affected.js')).affected(context(), options));

program
  .command('review')
  .description(
    'browse flows, features, tests, runs and incidents; waive, map and generate tests (plain tables without a TTY)',
  )
  .option('--days <n>', 'how far back features go', '30')
  .option(
    '--base <ref>',
    'also show what this branch changes against <ref> (e.g. origin/main): its affected flows and verdict',
  )
  .addHelpText('after', examples(['verigap review', 'verigap review --days 90 --base origin/main']))
  .action(async (options) => (await import('./commands/review.js')).review(context(), options));

program
  .command('demo')
  .description(
    'walk the whole story on a sample shop: incident, proven regression test, PR, verification, report (offline)',
  )
  .option('--dir <dir>', 'where to build the sample shop (default: a new temporary folder)')
  .addHelpText('after', examples(['verigap demo', 'verigap demo --dir /tmp/verigap-shop']))
  .action(async (options) => (await import('./commands/demo.js')).demo(context(), options));

program
  .command('completion')
  .description('print a completion script: commands, options, flow ids and incident ids')
  .addArgument(new Argument('<shell>', 'the shell it is for').choices(['bash', 'zsh', 'fish']))
  .addHelpText(
    'after',
    examples([
      'eval "$(verigap completion bash)"     # in ~/.bashrc',
      'eval "$(verigap completion zsh)"      # in ~/.zshrc, after compinit',
      'verigap completion fish > ~/.config/fish/completions/verigap.fish',
    ]),
  )
  .action(async (shell) => (await import('./commands/completion.js')).completion(context(), shell, program));
