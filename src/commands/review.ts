import type { CommandContext } from '../context.js';
import { parseOptions } from '../core/options/parse.js';
import { reviewOptions, type ReviewFlags } from '../core/options/commands.js';
import { paint, type Output } from '../output.js';
import { openRepo, type Repo } from '../services/repo.js';
import { quietWindow } from '../services/quiet-window.js';
import { loadReview, mapChangePaths, waiveFeature, type BranchCheck, type ReviewData } from '../services/review.js';
import { formatTable } from '../ui/table.js';
import { isInteractive } from './interactive.js';
import { bracketedPaste, loadInk } from '../ui/load-ink.js';
import { syncQuietly } from './with-repo.js';

const DAY = 86_400_000;

/** `verigap review`: the ink review on a terminal; plain tables (or --json) anywhere else. */
export async function review(ctx: CommandContext, raw: ReviewFlags): Promise<void> {
  const options = parseOptions(reviewOptions, raw);
  const { days } = options;
  // ink, React and the screen load while Git and the index are read: both stand between enter and the first frame
  const ui = isInteractive(ctx) ? loadInk(() => import('../ui/review/review-app.js')) : undefined;
  ui?.catch(() => undefined); // awaited below; a failure to open the repository must not leave it unhandled
  let repo: Repo = await openRepo({ dir: ctx.repoDir, env: ctx.env });
  // the window the review shows, in days (null: all history); `[` and `]` change it in the review
  const load = async (window: number | null) => {
    const { branch } = await syncQuietly(ctx, repo);
    const now = ctx.clock.now();
    const data = await loadReview(repo, window === null ? 0 : now - window * DAY, now, branch);
    return options.base ? { ...data, branch_check: await branchCheck(ctx, options.base) } : data;
  };
  try {
    const data = await load(days);
    if (!ui) {
      printTables(ctx.output, data);
      const quiet = ctx.output.json
        ? undefined
        : await quietWindow(repo, { since: data.since, until: data.now, now: data.now, flag: '--days' });
      if (quiet) ctx.output.print(quiet);
      return;
    }
    const reopen = async (window: number | null) => {
      repo.close();
      repo = await openRepo({ dir: ctx.repoDir, env: ctx.env });
      return load(window);
    };
    // staged only when verigap.yaml asks: the index may hold the person's own partly staged work
    const record = (file: string) =>
      repo.config.review.stage
        ? `staged ${file}: commit it to record the decision`
        : `wrote ${file}: commit it to record the decision`;
    // a test that failed (and was not passed since) ends the review as it would end `incident test`: never 0
    const failedTests = new Map<string, unknown>();
    const {
      ink: { render },
      react: { createElement },
      screen: { ReviewApp },
    } = await ui;
    const app = render(
      createElement(ReviewApp, {
        data,
        days,
        verificationEnv: repo.config.verification.env,
        actions: {
          reload: reopen,
          waive: async (flowId, sha, reason) =>
            `waived ${sha.slice(0, 7)} for ${flowId}: ${record(await waiveFeature(repo, { flowId, sha, reason, now: ctx.clock.now() }))}`,
          map: async (flowId, sha) => {
            const { file, added } = await mapChangePaths(repo, { flowId, sha });
            return added.length
              ? `mapped ${added.length} path(s) of ${sha.slice(0, 7)} to ${flowId}: ${record(file)}`
              : `${flowId} already lists every path of ${sha.slice(0, 7)}`;
          },
          // the pipeline (TypeScript's compiler, Playwright, openai) loads on the first `t`, not before the first frame
          test: async (incidentId, onStage) => {
            try {
              const [{ testFromTerminal }, { world }] = await Promise.all([
                import('../services/incident-test.js'),
                import('../adapters/world.js'),
              ]);
              const outcome = await testFromTerminal(repo, {
                ...world(ctx.clock),
                incidentId,
                env: ctx.env,
                listener: onStage,
              });
              failedTests.delete(incidentId);
              return outcome;
            } catch (error) {
              failedTests.set(incidentId, error);
              throw error;
            }
          },
        },
      }),
      { exitOnCtrlC: true, maxFps: 60 },
    );
    const endPaste = bracketedPaste(process.stdout);
    try {
      await app.waitUntilExit();
    } finally {
      endPaste();
    }
    const [failed] = failedTests.values();
    if (failed !== undefined) throw failed;
  } finally {
    repo.close();
  }
}

/** What the checked-out branch changes against `base`: `verigap affected`'s answer, for the review to show. */
async function branchCheck(ctx: CommandContext, base: string): Promise<BranchCheck> {
  const [{ checkAffected }, { verdictReason }] = await Promise.all([
    import('../services/affected.js'),
    import('../core/affected.js'),
  ]);
  const { result, baseRef } = await checkAffected({ dir: ctx.repoDir, base, env: ctx.env });
  return { baseRef, result, reason: verdictReason(result) };
}

const verdictColor = { red: 'red', yellow: 'yellow', green: 'green' } as const;

/** The branch's verdict and affected flows, as plain lines. */
function branchLines(output: Output, check: BranchCheck): string[] {
  const { result } = check;
  return [
    `This branch against ${check.baseRef}: ${paint(output, verdictColor[result.verdict], result.verdict)}: ${check.reason.replaceAll('`', '')}`,
    ...result.flows.map(
      (flow) =>
        `  ${flow.id} (${flow.name}): ${flow.tests.length} E2E test file(s)${flow.own_test_changed ? ', one changed here' : ', none changed here'}`,
    ),
    ...(result.unmapped_files.length ? [`  ${result.unmapped_files.length} changed file(s) outside every flow`] : []),
    '',
  ];
}

function printTables(output: Output, data: ReviewData): void {
  output.result({
    branch: data.branch,
    since: new Date(data.since).toISOString(),
    flows: data.flows.map((f) => ({
      id: f.flow.id,
      name: f.flow.name,
      criticality: f.flow.criticality,
      tests: f.tests.length,
      features: f.features.length,
      ...f.counts,
      runs: f.runs.length,
    })),
    unmapped: data.unmapped.map((v) => ({ sha: v.change.sha, subject: v.change.subject, pr: v.change.pr })),
    incidents: data.incidents.map((i) => ({
      id: i.id,
      title: i.title,
      severity: i.severity,
      status: i.status,
      flows: i.flows,
      regression: i.state,
    })),
    ...(data.branch_check ? { affected: data.branch_check.result } : {}),
  });
  const flowTable = formatTable(
    ['FLOW', 'NAME', 'CRITICALITY', 'FEATURES', 'VERIFIED', 'COVERED', 'UNCOVERED', 'WAIVED', 'TESTS', 'RUNS'],
    data.flows.map((f) => [
      f.flow.id,
      f.flow.name,
      f.flow.criticality,
      String(f.features.length),
      String(f.counts.verified),
      String(f.counts.covered),
      f.counts.uncovered ? paint(output, 'red', String(f.counts.uncovered)) : '0',
      String(f.counts.waived),
      String(f.tests.length),
      String(f.runs.length),
    ]),
  );
  const incidentTable = formatTable(
    ['INCIDENT', 'SEVERITY', 'STATUS', 'FLOWS', 'REGRESSION'],
    data.incidents.map((i) => [
      i.id,
      i.severity,
      i.status,
      i.flows.join(','),
      i.state === 'none' ? paint(output, 'red', 'none') : i.state,
    ]),
  );
  output.print(
    [
      ...(data.branch_check ? branchLines(output, data.branch_check) : []),
      `Features since ${new Date(data.since).toISOString().slice(0, 10)} on ${data.branch}`,
      '',
      data.flows.length ? flowTable : 'No flows yet.',
      ...(data.unmapped.length
        ? [
            '',
            `${data.unmapped.length} feature(s) touch no flow's paths: ${data.unmapped
              .slice(0, 5)
              .map((v) => v.change.sha.slice(0, 7))
              .join(', ')}${data.unmapped.length > 5 ? ', …' : ''}`,
          ]
        : []),
      '',
      data.incidents.length ? incidentTable : 'No incidents recorded.',
      '',
      paint(
        output,
        'dim',
        'Not a terminal, so this is the plain view; run `verigap review` in a terminal to browse, waive and map.',
      ),
    ].join('\n'),
  );
}
