/** `init --ci github --production URL`: the production workflow of SPEC §9. Pure text: the command decides what to write. */
import type { PackageManager } from './package-manager.js';
import type { ProductionCron } from './production-schedule.js';
import type { ProductionSelection } from './production-selection.js';
import { toolingOf } from './templates.js';

export interface ProductionWorkflowInput {
  manager: PackageManager;
  version: string;
  /** The production URL the tests run against (an http(s) URL, checked by the command). */
  url: string;
  /** verification.env: the environment runs are recorded in, and the deployment environment that triggers a run. */
  env: string;
  cron: ProductionCron;
  selection: ProductionSelection;
  /** The team's Playwright config, repository-relative; undefined when the repository has none (Playwright's defaults). */
  playwrightConfig: string | undefined;
  /** The folder the tests run in: where the package declaring Playwright is ('' for the root). */
  runDir: string;
  /** The folder dependencies are installed in: runDir when it has its own lockfile, else the root (a workspace). */
  installDir: string;
}

/** Where the run's Playwright output goes: results.json for ingest, test-results/ (traces, screenshots) for the artifact. */
export const productionOutputDir = 'verigap-production';

/** One shell word: as it is when nothing in it is special to the shell, else single-quoted. */
export function shellQuote(text: string): string {
  return /^[\w.,:/@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const yamlQuote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The team's config with production's baseURL, a screenshot of each failure and no local webServer, on
 * every project (a project's own `use` wins over the top-level one). Written beside the team's config at
 * run time, so its testDir and other relative paths mean the same.
 */
function wrapperConfig(configName: string | undefined): string[] {
  // traces in the config, not `--trace` on the command line: the team's Playwright may predate that option (1.21 has none)
  const production = `const production = { baseURL: process\u002eenv.BASE_URL, screenshot: 'only-on-failure', trace: 'retain-on-failure' };`;
  // no config of the team's: Playwright's defaults, which find the tests from the repository root
  if (configName === undefined) return [production, 'export default { use: production };'];
  return [
    `import config from './${configName}';`,
    '',
    production,
    'export default {',
    '  ...config,',
    '  webServer: undefined,',
    '  use: { ...config.use, ...production },',
    '  ...(config.projects ? { projects: config.projects.map((project) => ({ ...project, use: { ...project.use, ...production } })) } : {}),',
    '};',
  ];
}

/** The way back from a folder of the repository to its root: '' or '../', '../../', … */
const upFrom = (folder: string) => (folder ? '../'.repeat(folder.split('/').length) : '');

/** `path` (repository-relative) as seen from `folder`, which holds it. */
const within = (folder: string, path: string) => (folder ? path.slice(folder.length + 1) : path);

function testScript(input: ProductionWorkflowInput, exec: string): string[] {
  const config = input.playwrightConfig ?? '';
  const slash = config.lastIndexOf('/');
  // beside the team's config, else (Playwright's defaults) in the folder the tests run in
  const configDir =
    input.playwrightConfig === undefined
      ? input.runDir
        ? `${input.runDir}/`
        : ''
      : slash < 0
        ? ''
        : config.slice(0, slash + 1);
  const configName = input.playwrightConfig === undefined ? undefined : config.slice(slash + 1);
  const wrapper = within(input.runDir, `${configDir}verigap-production.config.ts`);
  const up = upFrom(input.runDir);
  const { grep, files } = input.selection;
  const selection = [
    ...(grep ? [`--grep ${shellQuote(grep)}`] : []),
    ...files.map((file) => `"^$root/"${shellQuote(`${file}$`)}`),
  ];
  return [
    `cat > ${shellQuote(wrapper)} <<'VERIGAP'`,
    ...wrapperConfig(configName),
    'VERIGAP',
    // Playwright reads each file argument as a regex over the absolute path: anchored at the checkout
    ...(files.length > 0 ? [`root="$(${up ? `cd ${up} && ` : ''}pwd | sed 's/[][\\\\.*^$()+?{}|]/\\\\&/g')"`] : []),
    `${exec} playwright test --config=${shellQuote(wrapper)} \\`,
    ...selection.map((arg) => `  ${arg} \\`),
    `  --reporter=json,list --output=${up}${productionOutputDir}/test-results`,
  ];
}

/** Which flows' `production:` entries the tests are, for the comment above the step. */
function selectionComment(selection: ProductionSelection): string[] {
  const lines = selection.flows.map((flow) => `  flow ${flow.id}: ${flow.entries.join(', ')}`);
  const how =
    selection.grep && selection.globs.length > 0
      ? ['Tags and test files are one --grep: Playwright runs what matches its file arguments AND --grep, not either.']
      : selection.grep
        ? ['Tags become --grep.']
        : ['Globs become file arguments.'];
  return ["The production-safe tests only: the union of the flows' production: entries.", ...lines, ...how];
}

export function githubProductionWorkflow(input: ProductionWorkflowInput): string {
  const tool = toolingOf(input.manager, `verigap@${input.version}`);
  const lines = (indent: string, texts: string[]) => texts.map((text) => (text ? `${indent}${text}\n` : '\n')).join('');
  const results = `${productionOutputDir}/results.json`;
  return `# Written by verigap init --ci github --production. init never overwrites it: after changing a flow's
# production: or schedule:, delete this file and run init again (or edit it).
name: verigap production
on:
  schedule:
${lines('    # ', input.cron.comment)}    - cron: '${input.cron.cron}'
  # a deployment that reached the ${input.env} environment is checked at once (see the job's if:)
  deployment_status:
  workflow_dispatch:

permissions:
  contents: read

jobs:
  production:
    # GitHub compares strings without case: "Production" deployments count too
    if: github.event_name != 'deployment_status' || (github.event.deployment_status.state == 'success' && github.event.deployment.environment == ${yamlQuote(input.env)})
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: write               # to push refs/notes/verigap, nothing else
    # One writer of the notes at a time; a run waits rather than cancelling one half-recorded.
    # Give any other job that runs verify ingest --push the same group.
    concurrency:
      group: verigap-notes
      cancel-in-progress: false
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0            # ingest must know the deployed commit, whichever it is
      - uses: actions/setup-node@v6
        with:
          # 24, not lts/*: an LTS line maintained to April 2028 that still bundles corepack; lts/* changes major on its own
          node-version: 24
          package-manager-cache: false
${lines('      ', tool.setup)}      - name: Install dependencies and Chromium
${input.installDir ? `        working-directory: ${yamlQuote(input.installDir)}\n` : ''}        run: |
          ${tool.install}
          ${tool.exec} playwright install --with-deps chromium
${lines('      # ', selectionComment(input.selection))}      # BASE_URL is the baseURL of every project of your config, through a wrapper config written beside it;
      # a test that reads its URL from elsewhere (process.env.APP_URL, a .env file) needs that set below too.
      - name: Production-safe tests
        id: tests
${input.runDir ? `        working-directory: ${yamlQuote(input.runDir)}\n` : ''}        run: |
${lines('          ', testScript(input, tool.exec))}        env:
          BASE_URL: ${yamlQuote(input.url)}
          PLAYWRIGHT_JSON_OUTPUT_NAME: \${{ github.workspace }}/${results}
      - name: Traces, screenshots and results of the failed tests
        if: \${{ !cancelled() && steps.tests.outcome == 'failure' }}
        uses: actions/upload-artifact@v6
        with:
          name: verigap-production
          path: ${productionOutputDir}/
          retention-days: 14
      - name: Fetch verification runs
        if: \${{ !cancelled() }}
        run: git fetch origin refs/notes/verigap:refs/notes/verigap || echo "no verification runs recorded yet"
${lines('      # ', tool.note)}      # A failed run is recorded too (that is what it is for); a run that wrote no results is not, nor a
      # cancelled one (!cancelled() rather than always(), which would also run after a cancel).
      # The deployed commit comes from verification.version.url in verigap.yaml.
      - name: Record the run on the deployed commit
        if: \${{ !cancelled() && hashFiles('${results}') != '' }}
        run: |
          ${tool.runner} verify ingest ${results} --commit-from --env ${shellQuote(input.env)} \\
            --run-url "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID" --push
        env:
          GIT_AUTHOR_NAME: github-actions[bot]
          GIT_AUTHOR_EMAIL: 41898282+github-actions[bot]@users.noreply.github.com
          GIT_COMMITTER_NAME: github-actions[bot]
          GIT_COMMITTER_EMAIL: 41898282+github-actions[bot]@users.noreply.github.com
      # Fails when a flow has had no passing run within twice its schedule: the schedule itself alerts when it stops.
      - name: Stale flows
        if: \${{ !cancelled() }}
        run: ${tool.runner} verify status --env ${shellQuote(input.env)} --fail-on stale
`;
}
