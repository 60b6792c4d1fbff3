import type { CommandContext } from '../context.js';
import { draftStore, latestDraft } from '../adapters/drafts.js';
import { writeFlow } from '../services/flow-writer.js';
import { renderNewIncident, writeIncident } from '../services/incident-writer.js';
import { openRepo, type Repo } from '../services/repo.js';
import { toNewIncident, type FormValues } from '../ui/incident-form/form-model.js';
import { bracketedPaste, loadInk } from '../ui/load-ink.js';
import { syncQuietly } from './with-repo.js';

/** `verigap incident new` on a terminal: the ink form, then (unless --no-test) the pipeline with live stages. */
export async function incidentForm(ctx: CommandContext, offerTest: boolean): Promise<void> {
  // ink, React and the form load while the repository is opened
  const ui = loadInk(() => import('../ui/incident-form/incident-form.js'));
  ui.catch(() => undefined); // awaited below; a failure to open the repository must not leave it unhandled
  let repo: Repo = await openRepo({ dir: ctx.repoDir, env: ctx.env });
  // the form shows a failed test in place; the process must still end as the command would (SPEC §3: never 0)
  let testFailure: unknown;
  try {
    const draft = latestDraft<FormValues>(repo.root, 'incident');
    const drafts = draftStore<FormValues>(repo.root, 'incident', draft?.file);
    const {
      ink: { render },
      react: { createElement },
      screen: { IncidentForm },
    } = await ui;
    const app = render(
      createElement(IncidentForm, {
        flows: repo.model.flows.map((flow) => flow.id),
        now: ctx.clock.now,
        draft,
        offerTest,
        actions: {
          saveDraft: (values) => {
            try {
              drafts.save(values);
            } catch {
              // a draft that cannot be written (read-only disk) must not take the form down with it
            }
          },
          discardDraft: () => drafts.discard(),
          preview: (values) => renderNewIncident(toNewIncident(values), ctx.clock.now()).text,
          save: async (values) => writeIncident(repo, toNewIncident(values), ctx.clock.now()),
          createFlow: async (id, name, paths) => {
            writeFlow(repo.root, id, { name, paths });
            // the new flow must be part of the model the incident is validated against
            repo.close();
            repo = await openRepo({ dir: ctx.repoDir, env: ctx.env });
          },
          test: async (id, onStage) => {
            repo.close();
            repo = await openRepo({ dir: ctx.repoDir, env: ctx.env });
            await syncQuietly(ctx, repo);
            // loaded when asked for, so that TypeScript's compiler and the pipeline do not delay the form's first frame
            const [{ testFromTerminal }, { world }] = await Promise.all([
              import('../services/incident-test.js'),
              import('../adapters/world.js'),
            ]);
            try {
              return await testFromTerminal(repo, {
                ...world(ctx.clock),
                incidentId: id,
                env: ctx.env,
                listener: onStage,
              });
            } catch (error) {
              testFailure = error;
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
  } finally {
    repo.close();
  }
  if (testFailure !== undefined) throw testFailure;
}
