/** Files `verigap init` scaffolds. Pure text: the command decides what to write. */
import type { PackageManager } from './package-manager.js';
import { schemaModeline } from './json-schemas.js';

export const configTemplate = `${schemaModeline('verigap.yaml', 'verigap.schema.json')}
# verigap configuration: every key is optional. See https://github.com/verigap/verigap#configuration
# branch: main                      # tracked branch (default: the repository's HEAD branch)
# baseURL: http://localhost:3000    # where generated tests run (or --base-url / BASE_URL)
# serve: npm start                  # starts the app of a checked-out revision, for proofs
# setup: npm ci && npm run build   # prepares each checked-out revision before serve (dependencies reused when the lockfile is the same)
# ready: http://localhost:3000/health
# readyTimeout: 2m                  # how long setup + serve may take to answer ready
# playwright:
#   config: playwright.config.ts    # your Playwright config (default: the one at the root)
#   project: chromium               # whose use and setup projects regression tests run with
features:
  pattern: '^(feat|feature)(\\(.+\\))?!?:'   # subjects that make a change a feature
verification:
  env: production                   # runs in this environment count as verification
  within: 24h                       # target merge→verification time
  # version:                        # where the deployed commit is published (verify ingest --commit-from)
  #   url: https://shop.example.com/version
  #   field: commit                 # its JSON field (dotted); a plain-text answer is the sha itself
# llm:
#   provider: openai                # or steps (offline; the default without OPENAI_API_KEY)
#   model: gpt-4.1-mini
# redact:
#   - 'cus_[A-Za-z0-9]+'
`;

export const flowsReadme = `# Critical flows

One folder per critical user journey: \`flows/<flow-id>/flow.yaml\` beside its Playwright specs.
Add one with \`verigap flows add <id> --name "…" --paths "src/…/**"\`.
`;

export const incidentsReadme = `# Incidents

One file per production incident: \`incidents/YYYY-MM-DD-<slug>.md\`, YAML front matter and Markdown.
Record one with \`verigap incident new\`.
`;

export const reportsReadme = `# Gap reports

Weekly reports (\`<YYYY>-W<ww>.{md,json,html}\`), written by \`verigap report --out reports/\`.
`;

/** What a package manager puts in the workflow: verigap alone through its one-off runner, and the team's install for the E2E example. */
interface Tooling {
  /** Steps after setup-node that make the manager available. */
  setup: string[];
  /** Comment lines above the first verigap step: why this runner. */
  note: string[];
  runner: string;
  install: string;
  exec: string;
}

export function toolingOf(manager: PackageManager, verigap: string): Tooling {
  const corepack = (which: string) => [`# corepack ships with Node 24; it runs ${which}`, '- run: corepack enable'];
  switch (manager.name) {
    case 'pnpm':
      return {
        setup: corepack("the pnpm of package.json's packageManager, else the latest"),
        note: [
          "pnpm builds a one-off package's dependencies only when allowed: verigap's index needs better-sqlite3's build",
        ],
        runner: `pnpm --allow-build=better-sqlite3 dlx ${verigap}`,
        install: 'pnpm install --frozen-lockfile',
        exec: 'pnpm exec',
      };
    case 'yarn':
      return manager.yarn === 'berry'
        ? {
            setup: corepack("the Yarn of package.json's packageManager (or of yarnPath in .yarnrc.yml)"),
            note: [],
            runner: `yarn dlx ${verigap}`,
            install: 'yarn install --immutable',
            exec: 'yarn',
          }
        : {
            setup: [],
            note: ['Yarn 1 has no dlx: npx (bundled with Node) runs verigap alone'],
            runner: `npx --yes ${verigap}`,
            install: 'yarn install --frozen-lockfile',
            exec: 'yarn',
          };
    case 'bun':
      return {
        setup: ['- uses: oven-sh/setup-bun@v2'],
        note: [],
        runner: `bunx ${verigap}`,
        install: 'bun install --frozen-lockfile',
        exec: 'bunx',
      };
    case 'npm':
      return {
        setup: [],
        note: [],
        runner: `npx --yes ${verigap}`,
        install: manager.lockfile ? 'npm ci' : 'npm install',
        exec: 'npx',
      };
  }
}

/**
 * The GitHub Actions workflow: the weekly gap report, and how a production E2E job records its run.
 * verigap runs alone through the package manager's one-off runner, at this version: nothing of the repository is installed.
 */
export function githubWorkflow(manager: PackageManager, version: string): string {
  const tool = toolingOf(manager, `verigap@${version}`);
  const lines = (indent: string, texts: string[]) => texts.map((text) => `${indent}${text}\n`).join('');
  return `name: verigap
on:
  schedule:
    - cron: '0 6 * * 1'            # Mondays 06:00 UTC: the report of the week that just ended
  workflow_dispatch:

permissions:
  contents: read

# One run per branch at a time; a second one waits rather than cancelling a report half-written.
concurrency:
  group: \${{ github.workflow }}-\${{ github.ref }}
  cancel-in-progress: false

jobs:
  gap-report:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0            # the whole first-parent history; a shallow clone hides changes
      - uses: actions/setup-node@v6
        with:
          # 24, not lts/*: an LTS line maintained to April 2028 that still bundles corepack; lts/* changes major on its own
          node-version: 24
          # no dependency cache: only verigap is fetched, and setup-node would turn npm's on from package.json, then fail without package-lock.json
          package-manager-cache: false
${lines('      ', tool.setup)}      - name: Fetch verification runs
        run: git fetch origin refs/notes/verigap:refs/notes/verigap || echo "no verification runs recorded yet"
${lines('      # ', tool.note)}      - name: Index history, flows, incidents and verification runs
        run: ${tool.runner} sync
      # No gate yet: a first run has no baseline to hold the team to. Once a few weekly reports show
      # yours, append the gates you want to the report command, e.g.
      #   --fail-under coverage=0.8,verified=0.6 --max-verify-p90 24h --max-untested-incident-age 7d
      # A gate that fails exits 1 and fails this job; the report is still uploaded.
      - name: Gap report of the last full ISO week
        run: ${tool.runner} report --week last --format md,json,html --out reports/
      - uses: actions/upload-artifact@v6
        if: always()
        with:
          name: verigap-report
          path: reports/
          retention-days: 90

# How a production E2E job records its run (put this job in the workflow that runs your
# Playwright suite against production after each deploy):
#
#  production-e2e:
#    runs-on: ubuntu-latest
#    timeout-minutes: 30
#    permissions:
#      contents: write              # to push refs/notes/verigap
#    steps:
#      - uses: actions/checkout@v6
#        with: { fetch-depth: 0 }
#      - uses: actions/setup-node@v6
#        with: { node-version: 24 }
${lines('#      ', tool.setup)}#      - run: ${tool.install} && ${tool.exec} playwright install --with-deps chromium
#      - run: ${tool.exec} playwright test --reporter=json
#        env: { BASE_URL: https://shop.example.com, PLAYWRIGHT_JSON_OUTPUT_NAME: results.json }
#        continue-on-error: true
#      - run: |
#          ${tool.runner} verify ingest results.json --commit "$DEPLOYED_SHA" --env production \\
#            --run-url "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID" --push
#        env: { DEPLOYED_SHA: '\${{ github.sha }}' }   # the commit that is live in production
`;
}

/**
 * The pull request check (SPEC §8): which critical flows the change touches, as one sticky comment,
 * then the team's Playwright on just their tests. verigap runs alone, as in the weekly workflow.
 */
export function githubPullRequestWorkflow(manager: PackageManager, version: string): string {
  const tool = toolingOf(manager, `verigap@${version}`);
  const lines = (indent: string, texts: string[]) => texts.map((text) => `${indent}${text}\n`).join('');
  return `name: verigap affected
on:
  # No paths: filter. A required check whose workflow never starts leaves the pull request waiting forever.
  pull_request:

permissions:
  contents: read
  pull-requests: write              # the one sticky comment, created once and updated afterwards

# A new push to the pull request replaces the check of the previous one.
concurrency:
  group: \${{ github.workflow }}-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  affected:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0            # the merge base with the base branch must be in the clone
      - uses: actions/setup-node@v6
        with:
          # 24, not lts/*: an LTS line maintained to April 2028 that still bundles corepack; lts/* changes major on its own
          node-version: 24
          package-manager-cache: false
${lines('      ', tool.setup)}${lines('      # ', tool.note)}      # Writes the verdict to the job summary and the comment; fails on a touched flow without any E2E test.
      # Add --require-own-test to also fail when a flow's code changed and none of its tests did.
      - name: Critical flows this change touches
        run: ${tool.runner} affected --comment --fail-on untested-flow --json > affected.json
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
      # Runs only the test files of the touched flows (the full suite may still run elsewhere).
      # When every E2E test carries its @flow:<id> tag, add --grep "$(jq -r .selection.grep affected.json)"
      # to run just the tagged tests of those files.
      - name: E2E tests of the touched flows
        if: \${{ !cancelled() && hashFiles('affected.json') != '' }}
        run: |
          mapfile -t files < <(jq -r '.selection.files[]' affected.json)
          if [ "\${#files[@]}" -eq 0 ]; then
            echo "no critical flow touched: no E2E test to run"
            exit 0
          fi
          ${tool.install}
          ${tool.exec} playwright install --with-deps chromium
          ${tool.exec} playwright test "\${files[@]}"
        env:
          BASE_URL: http://localhost:3000   # your preview deployment, or the app the Playwright config starts
`;
}

/**
 * `init --playwright`: a minimal config whose testDir is flows/, so `npx playwright test` runs every flow's specs.
 */
export function playwrightConfigTemplate(baseURL: string): string {
  return `import { defineConfig, devices } from '@playwright/test';

// Critical flows and their regression tests live in flows/<flow-id>/ (written by verigap init --playwright).
export default defineConfig({
  testDir: './flows',
  use: {
    baseURL: process.env.BASE_URL ?? ${singleQuoted(baseURL)},
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
});
`;
}

function singleQuoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
