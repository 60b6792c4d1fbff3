import { Box, Text, useApp } from 'ink';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLatestState } from '../latest-state.js';
import type { Stage, StageEvent } from '../../core/stages.js';
import { StageProgress, recordStage } from '../stage-progress.js';
import { useKeys } from '../use-keys.js';
import { useTerminalSize } from '../terminal-size.js';
import { validateForm, type FormValues } from './form-model.js';
import { formKey, initialFormState, type FormEffect, type FormState } from './form-state.js';
import { EditView, NewFlowView, PreviewView, previewOf } from './form-views.js';

/** What the form does outside itself. Each throws an Error whose message is shown in the form. */
export interface FormActions {
  /** Called after every change: the draft survives Ctrl-C and crashes. */
  saveDraft(values: FormValues): void;
  discardDraft(): void;
  /** The file as it would be written (or a thrown Error saying why it cannot be). */
  preview(values: FormValues): string;
  save(values: FormValues): Promise<{ id: string; file: string }>;
  createFlow(id: string, name: string, paths: string[]): Promise<void>;
  test(id: string, onStage: (event: StageEvent) => void): Promise<string>;
}

export interface IncidentFormProps {
  flows: readonly string[];
  actions: FormActions;
  now: () => number;
  /** A draft from an earlier session, offered before anything else. */
  draft?: { values: FormValues; savedAt: number } | undefined;
  /** `--no-test`: do not offer to generate the test after saving. */
  offerTest?: boolean;
}

/** `verigap incident new` on a terminal: every field validated as you type, the Markdown previewed, nothing lost. */
export function IncidentForm({
  flows: initialFlows,
  actions,
  now,
  draft,
  offerTest = true,
}: IncidentFormProps): ReactNode {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [flows, setFlows, latestFlows] = useLatestState(initialFlows);
  const [state, setState, latest] = useLatestState<FormState>(() => initialFormState(draft?.values, Boolean(draft)));
  const [saved, setSaved] = useState<{ id: string; file: string } | null>(null);
  const [progress, setProgress] = useState<Partial<Record<Stage, StageEvent>>>({});
  const [outcome, setOutcome] = useState<{ text: string; ok: boolean } | null>(null);
  const first = useRef(true);

  useEffect(() => {
    // the draft is written on every change but not before the user typed (an offered draft stays as it was)
    if (first.current) {
      first.current = false;
      return;
    }
    if (state.screen === 'edit' || state.screen === 'new-flow' || state.screen === 'preview')
      actions.saveDraft(state.values);
  }, [state.values]);

  const errors = useMemo(() => validateForm(state.values, now(), flows), [state.values, flows]);

  const run = (effect: FormEffect) => {
    switch (effect.kind) {
      case 'quit':
        exit();
        return;
      case 'discard-draft':
        actions.discardDraft();
        return;
      case 'create-flow':
        actions
          .createFlow(effect.id, effect.name, effect.paths)
          .then(() => {
            setFlows((list) => [...list, effect.id]);
            setState((s) => ({
              ...s,
              screen: 'edit',
              values: { ...s.values, flows: [...s.values.flows, effect.id] },
              flowCursor: latestFlows().length - 1,
              message: `created flows/${effect.id}/flow.yaml`,
            }));
          })
          .catch((error: unknown) =>
            setState((s) => ({ ...s, newFlow: { ...s.newFlow, error: (error as Error).message } })),
          );
        return;
      case 'save':
        actions
          .save(latest().values)
          .then((written) => {
            actions.discardDraft();
            setSaved(written);
            setState((s) => ({ ...s, screen: offerTest ? 'saved' : 'done' }));
            if (!offerTest) exit();
          })
          .catch((error: unknown) =>
            setState((s) => ({ ...s, screen: 'edit', message: `not saved: ${(error as Error).message}` })),
          );
        return;
      case 'test':
        if (!saved) return;
        actions
          .test(saved.id, (event) => setProgress((events) => recordStage(events, event)))
          .then((text) => setOutcome({ text, ok: true }))
          .catch((error: unknown) => setOutcome({ text: (error as Error).message, ok: false }))
          .finally(() => setState((s) => ({ ...s, screen: 'done' })));
    }
  };

  useKeys((input, key) => {
    const before = latest();
    const result = formKey(before, input, key, { flows: latestFlows(), now: now() });
    if (result.state !== before) setState(result.state);
    if (result.effect) run(result.effect);
  });

  const width = Math.max(40, columns);
  switch (state.screen) {
    case 'resume':
      return (
        <Box flexDirection="column">
          <Text bold>
            An unsaved incident draft was found
            {draft ? ` (${Math.max(1, Math.round((now() - draft.savedAt) / 60_000))} min ago)` : ''}:
          </Text>
          <Text>
            {' '}
            “{state.values.title || 'untitled'}”{state.values.flows.length ? ` · ${state.values.flows.join(', ')}` : ''}
          </Text>
          <Text>
            Resume it? <Text bold>y</Text> resume · <Text bold>n</Text> discard and start over
          </Text>
        </Box>
      );
    case 'new-flow':
      return <NewFlowView state={state} />;
    case 'preview':
    case 'saving':
      return (
        <PreviewView
          text={previewOf(actions, state.values)}
          rows={rows}
          width={width}
          saving={state.screen === 'saving'}
        />
      );
    case 'saved':
    case 'testing':
    case 'done':
      return (
        <Box flexDirection="column">
          {saved ? <Text color="green">✔ Saved {saved.file}</Text> : null}
          {state.screen === 'saved' ? (
            <Text>
              Generate its regression test now (redact, ground, generate, check, run, prove)? <Text bold>y</Text>/
              <Text bold>n</Text>
            </Text>
          ) : null}
          {state.screen !== 'saved' && (Object.keys(progress).length > 0 || state.screen === 'testing') ? (
            <StageProgress events={progress} width={width} />
          ) : null}
          {outcome ? (
            <Text color={outcome.ok ? 'green' : 'red'}>
              {outcome.ok ? '✔ ' : '✖ '}
              {outcome.text}
            </Text>
          ) : null}
          {state.screen === 'done' && saved ? (
            <Text dimColor>{`press any key to leave · later: verigap incident test ${saved.id} --prove --pr`}</Text>
          ) : null}
        </Box>
      );
    default:
      return <EditView state={state} errors={errors} flows={flows} now={now()} rows={rows} width={width} />;
  }
}
