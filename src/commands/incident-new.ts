import type { CommandContext } from '../context.js';
import { InputError } from '../errors.js';
import { parseOptions } from '../core/options/parse.js';
import { incidentNewOptions, type IncidentNewFlags } from '../core/options/incident.js';
import { readIncidentDraft, writeIncident, type NewIncident } from '../services/incident-writer.js';
import { readTextFile } from '../adapters/fs.js';
import { showInstant } from '../core/when.js';
import { isInteractive } from './interactive.js';
import { withRepo } from './with-repo.js';

export async function newIncident(ctx: CommandContext, raw: IncidentNewFlags): Promise<void> {
  const flags = parseOptions(incidentNewOptions, raw);
  if (isInteractive(ctx) && !flags.from && !flags.title) {
    const { incidentForm } = await import('./incident-form.js');
    await incidentForm(ctx, flags.test);
    return;
  }
  const fromFile: NewIncident = flags.from ? readIncidentDraft(flags.from) : {};
  const input: NewIncident = {
    ...fromFile,
    ...Object.fromEntries(
      Object.entries({
        title: flags.title,
        flows: flags.flows,
        severity: flags.severity,
        started: flags.started,
        detected: flags.detected,
        resolved: flags.resolved,
        fixedBy: flags.fixedBy,
        introducedBy: flags.introducedBy,
        detection: flags.detection,
        body: flags.bodyFile ? readTextFile(flags.bodyFile, flags.bodyFile, 'a Markdown file') : undefined,
      }).filter(([, value]) => value !== undefined),
    ),
  };
  if (!input.title) {
    throw new InputError(
      '--title is required (or a title in --from FILE); the form opens only on a terminal',
      'e.g. --title "Trial signup never reaches checkout" --flow trial --severity SEV2 --started "2h ago"',
    );
  }
  const written = await withRepo(ctx, async (repo) => writeIncident(repo, input, ctx.clock.now()));
  ctx.output.result({ id: written.id, file: written.file });
  // what --started meant ("2h ago", "yesterday 14:00"), as an absolute time
  ctx.output.print(`Wrote ${written.file} (started ${showInstant(Date.parse(written.startedAt))}).`);
  if (flags.test) {
    const { runIncidentTest } = await import('./incident-test.js');
    await runIncidentTest(ctx, written.id, { prove: false, pr: false, attempts: '3', repeat: '3' });
  }
}
