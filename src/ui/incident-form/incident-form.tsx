import { Box, Text, useApp } from 'ink';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLatestState } from '../latest-state.js';
import { severities } from '../../core/incident-schema.js';
import { showInstant } from '../../core/when.js';
import type { Stage, StageEvent } from '../../core/stages.js';
import { StageProgress, recordStage } from '../stage-progress.js';
import { EditLine } from '../edit-line.js';
import { useKeys } from '../use-keys.js';
import { useTerminalSize } from '../terminal-size.js';
import {
  detectionChoices,
  fields,
  resolvedTimes,
  stepProblems,
  validateForm,
  type FieldSpec,
  type FormValues,
} from './form-model.js';
import { formKey, initialFormState, submitIndex, type FormEffect, type FormState } from './form-state.js';

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

function EditView({
  state,
  errors,
  flows,
  now,
  rows,
  width,
}: {
  state: FormState;
  errors: ReturnType<typeof validateForm>;
  flows: readonly string[];
  now: number;
  rows: number;
  width: number;
}): ReactNode {
  // what the two editors get of the height: the rest of the form takes about 18 lines
  const spare = Math.max(2, rows - 19);
  const heights = {
    description: Math.max(1, Math.floor(spare / 3)),
    steps: Math.max(1, spare - Math.floor(spare / 3)),
  };
  const times = resolvedTimes(state.values, now);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>
        New incident <Text dimColor>· tab/↑↓ move · ctrl-s preview and save · ctrl-c leaves (draft kept)</Text>
      </Text>
      {fields.map((field, index) => {
        const focused = index === state.focus;
        const shown =
          state.submitted ||
          state.touched.includes(field.id) ||
          (focused && field.id !== 'title' && Boolean(state.values[field.id].length));
        const error = shown ? errors[field.id] : undefined;
        return (
          <Box key={field.id} flexDirection="column">
            <Box>
              <Text
                color={focused ? 'cyan' : undefined}
                bold={focused}
              >{`${focused ? '›' : ' '} ${field.label.padEnd(14)}`}</Text>
              <FieldValue field={field} state={state} flows={flows} focused={focused} heights={heights} />
              {field.id === 'started' || field.id === 'detected' || field.id === 'resolved' ? (
                <TimeEcho text={state.values[field.id]} iso={times[field.id]} />
              ) : null}
            </Box>
            {error ? (
              <Text color="red">{`                ✖ ${error}`}</Text>
            ) : focused ? (
              <Text dimColor wrap="truncate">{`                ${field.hint}`}</Text>
            ) : null}
          </Box>
        );
      })}
      <Text>
        {' '}
        <Text inverse={state.focus === submitIndex} bold>
          {' Preview and save '}
        </Text>
      </Text>
      {state.message ? (
        <Text color={state.message.startsWith('created') ? 'green' : 'yellow'} wrap="truncate">
          {state.message}
        </Text>
      ) : null}
    </Box>
  );
}

function TimeEcho({ text, iso }: { text: string; iso: string | undefined }): ReactNode {
  if (!text.trim() || !iso) return null;
  return <Text dimColor>{`  → ${showInstant(Date.parse(iso))}`}</Text>;
}

function FieldValue({
  field,
  state,
  flows,
  focused,
  heights,
}: {
  field: FieldSpec;
  state: FormState;
  flows: readonly string[];
  focused: boolean;
  heights: { description: number; steps: number };
}): ReactNode {
  const { values } = state;
  if (field.kind === 'flows') {
    return (
      <Text>
        {flows
          .map((flow, i) => (
            <Text
              key={flow}
              inverse={focused && state.flowCursor === i}
              color={values.flows.includes(flow) ? 'green' : undefined}
            >{`${values.flows.includes(flow) ? '[x]' : '[ ]'} ${flow}`}</Text>
          ))
          .flatMap((chip, i) => (i ? [<Text key={`s${i}`}> </Text>, chip] : [chip]))}
        {flows.length ? '  ' : ''}
        <Text inverse={focused && state.flowCursor === flows.length} dimColor={!focused}>
          + new flow
        </Text>
      </Text>
    );
  }
  if (field.kind === 'severity') {
    return (
      <Text>
        {severities.map((sev) => (
          <Text
            key={sev}
            inverse={values.severity === sev}
            bold={values.severity === sev}
            dimColor={values.severity !== sev}
          >{` ${sev} `}</Text>
        ))}
      </Text>
    );
  }
  if (field.kind === 'detection') {
    return (
      <Text>
        {detectionChoices.map((choice) => (
          <Text
            key={choice || 'none'}
            inverse={values.detection === choice}
            bold={values.detection === choice}
            dimColor={values.detection !== choice}
          >{` ${choice || 'not set'} `}</Text>
        ))}
      </Text>
    );
  }
  if (field.kind === 'text')
    return <EditLine value={values[field.id] as string} cursor={state.cursor} focused={focused} />;
  const text = values[field.id] as string;
  const lines = text.split('\n');
  const height = heights[field.id as 'description' | 'steps'];
  const at = Math.min(state.line, lines.length - 1);
  // the window follows the line being edited
  const start = Math.max(0, Math.min(lines.length - height, at - height + 1));
  const problems = field.id === 'steps' ? stepProblems(text) : [];
  return (
    <Box flexDirection="column">
      {lines.slice(start).map((line, i) => {
        const index = start + i;
        const last = focused && index === at;
        const mark = field.id !== 'steps' || !line.trim() ? '' : problems[index] ? '✖ ' : '✔ ';
        return (
          <Text key={index} wrap="truncate">
            {field.id === 'steps' ? <Text dimColor>{`${String(index + 1).padStart(2)} `}</Text> : null}
            {mark ? <Text color={problems[index] ? 'red' : 'green'}>{mark}</Text> : null}
            <EditLine value={line} cursor={state.cursor} focused={last} />
          </Text>
        );
      })}
    </Box>
  );
}

function NewFlowView({ state }: { state: FormState }): ReactNode {
  const { newFlow } = state;
  const labels = ['Flow id', 'Name', 'Paths'] as const;
  const values = [newFlow.id, newFlow.name, newFlow.paths];
  const hints = [
    'lowercase letters, digits and "-", e.g. checkout',
    'a short title, e.g. Check out',
    'comma-separated globs of its code, e.g. src/checkout/**, web/cart.tsx',
  ];
  return (
    <Box flexDirection="column">
      <Text bold>
        New flow <Text dimColor>· written to flows/&lt;id&gt;/flow.yaml · enter next · esc back</Text>
      </Text>
      {labels.map((label, i) => (
        <Box key={label} flexDirection="column">
          <Text color={newFlow.focus === i ? 'cyan' : undefined}>
            {`${newFlow.focus === i ? '›' : ' '} ${label.padEnd(9)}`}
            <EditLine value={values[i]!} cursor={state.cursor} focused={newFlow.focus === i} />
          </Text>
          {newFlow.focus === i ? <Text dimColor>{`            ${hints[i]}`}</Text> : null}
        </Box>
      ))}
      {newFlow.error ? <Text color="red">✖ {newFlow.error}</Text> : null}
    </Box>
  );
}

function previewOf(actions: FormActions, values: FormValues): string {
  try {
    return actions.preview(values);
  } catch (error) {
    return `✖ ${(error as Error).message}`;
  }
}

function PreviewView({
  text,
  rows,
  width,
  saving,
}: {
  text: string;
  rows: number;
  width: number;
  saving: boolean;
}): ReactNode {
  const lines = text.trimEnd().split('\n');
  const room = Math.max(3, rows - 4);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>
        Preview <Text dimColor>· enter saves to incidents/ · esc edits</Text>
      </Text>
      {lines.slice(0, room).map((line, i) => (
        <Text key={i} wrap="truncate" color={line.startsWith('##') ? 'cyan' : line.startsWith('✖') ? 'red' : undefined}>
          {line || ' '}
        </Text>
      ))}
      {lines.length > room ? <Text dimColor>{`… ${lines.length - room} more line(s)`}</Text> : null}
      {saving ? <Text color="yellow">saving…</Text> : null}
    </Box>
  );
}
