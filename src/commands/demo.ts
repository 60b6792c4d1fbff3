import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { world } from '../adapters/world.js';
import type { CommandContext } from '../context.js';
import { parseOptions } from '../core/options/parse.js';
import { trendWeeks } from '../core/window.js';
import { demoOptions, type DemoFlags } from '../core/options/commands.js';
import { startGitHubStandIn } from '../demo/github-stand-in.js';
import { paint } from '../output.js';
import { buildDemoRepo, demoIncident, productionRun } from '../services/demo.js';
import { testIncident } from '../services/incident-test.js';
import { writeIncident } from '../services/incident-writer.js';
import { ingestRun } from '../services/verify.js';
import { stagePrinter } from './incident-test.js';
import { report } from './report.js';
import { syncQuietly, withRepo } from './with-repo.js';

/** The whole story on a sample shop, offline: history, incident, proven test, PR, verification, report. */
export async function demo(ctx: CommandContext, raw: DemoFlags): Promise<void> {
  const options = parseOptions(demoOptions, raw);
  const started = ctx.clock.elapsed();
  const { output } = ctx;
  const say = (step: number, text: string) => output.note(`\n${paint(output, 'bold', `${step}. ${text}`)}`);
  const adapters = world(ctx.clock);
  const now = adapters.clock.now();
  const github = await startGitHubStandIn();
  try {
    say(1, 'Building a sample shop: twelve weeks of history over four flows, ending with a real bug and its fix');
    const shop = await buildDemoRepo(options.dir, now, adapters);
    output.note(
      [
        `   ${shop.dir}`,
        `   ${shop.changes} changes on main: trial, checkout and account tested end to end, search never`,
        `   an earlier incident with its proven regression test: ${shop.earlierIncident}`,
        '   nightly production runs on weekdays, as Git notes in refs/notes/verigap',
        `   ${shop.bugSha.slice(0, 7)} refactor: the trial button now sends planId, the server reads price_id`,
        `   ${shop.fixSha.slice(0, 7)} fix: send price_id again`,
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = {
      ...ctx.env,
      GITHUB_TOKEN: 'stand-in-token',
      GH_TOKEN: '',
      GITHUB_API_URL: github.url,
    };
    const here: CommandContext = { ...ctx, repoDir: shop.dir, env };

    say(2, 'Indexing its history');
    await withRepo(here, async (repo) => {
      const synced = await syncQuietly(here, repo);
      output.note(
        `   ${synced.total} changes on ${synced.branch} over 12 weeks, ${synced.flows} flows, ${synced.incidents} incident, ${synced.runs} production runs`,
      );
    });

    say(3, 'Recording the incident');
    const incident = await withRepo(here, async (repo) => writeIncident(repo, demoIncident(shop, now), now));
    output.note(
      `   ${incident.file}: "Trial signup never reaches checkout" (SEV2, flow trial, fixed by ${shop.fixSha.slice(0, 7)})`,
    );

    say(
      4,
      `Generating, proving and proposing its regression test (${ctx.env.OPENAI_API_KEY ? 'openai' : 'steps'} provider)`,
    );
    output.note(
      `   No GitHub here: the pull request goes to a local GitHub stand-in at ${github.url}; no token and nothing leaves this machine.`,
    );
    const tested = await withRepo(
      here,
      async (repo) => {
        await syncQuietly(here, repo);
        return testIncident(repo, {
          incidentId: incident.id,
          prove: true,
          pr: true,
          attempts: 3,
          repeat: 3,
          env,
          listener: stagePrinter(output),
          ...adapters,
        });
      },
      { flags: { provider: ctx.env.OPENAI_API_KEY ? 'openai' : 'steps' } },
    );
    for (const note of tested.notes) output.note(`   ${note}`);

    say(5, 'Recording a production verification run');
    const results = join(shop.dir, 'test-results', 'production.json');
    const tests = await productionRun(shop.dir, `http://127.0.0.1:${shop.port}`, results, env, adapters);
    const run = await withRepo(here, async (repo) =>
      ingestRun(repo, { files: [results], env: 'production', commit: shop.fixSha, now }, shop.dir),
    );
    const verdicts = Object.entries(run.run.flows).map(
      ([flow, counts]) => `${flow} ${counts.failed === 0 ? 'verified' : 'not verified'}`,
    );
    output.note(
      `   ${tests} tests on ${shop.fixSha.slice(0, 7)}: ${verdicts.join(', ')}; search has no test to run; note in refs/notes/verigap`,
    );

    say(6, 'Writing the weekly gap reports of the twelve weeks, then the report of all of them');
    const reports = join(shop.dir, 'reports');
    const quiet = { ...here, output: { ...output, print: () => {}, result: () => {}, note: () => {} } };
    const weeks = trendWeeks({ until: now, week: null });
    // oldest first: each week's trend reads the weeks before it from their reports/<week>.json
    for (const { week } of weeks) await report(quiet, { week, format: 'json,md,html', out: reports });
    // up to now, named here: its file name says its last day, and the production run just recorded is in it
    const [since, until] = [new Date(weeks[0]!.since).toISOString(), new Date(ctx.clock.now()).toISOString()];
    await report(quiet, { since, until, format: 'md,json,html', out: reports });
    const overall = join(reports, `${since.slice(0, 10)}--${until.slice(0, 10)}.html`);
    output.note(`   ${weeks.length} weekly reports (${weeks[0]!.week} … ${weeks.at(-1)!.week}) and ${overall}`);

    const seconds = ((ctx.clock.elapsed() - started) / 1000).toFixed(1);
    output.result({
      dir: shop.dir,
      incident: incident.id,
      spec: tested.spec,
      proof: tested.proof,
      pr: tested.pr?.pr ?? null,
      report: overall,
      seconds: Number(seconds),
    });
    output.print(
      [
        '',
        `${paint(output, 'green', '✔')} Done in ${seconds} s. The regression test ${tested.spec} fails on ${tested.proof!.fails_on.slice(0, 7)} at the incident assertion and passes on the fix.`,
        `  pull request (stand-in): ${tested.pr!.pr.url}`,
        `  report: ${overall} (open it in a browser: the twelve weeks' trend, each flow, both incidents)`,
        `  try:   cd ${shop.dir} && node ${fileURLToPath(new URL('../cli.js', import.meta.url))} review   (or incident new: the form)`,
      ].join('\n'),
    );
  } finally {
    await github.close();
  }
}
