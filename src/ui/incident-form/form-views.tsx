// The form's screens: the fields being edited, a new flow's details, and the preview of the file it writes.
import { Box, Text } from 'ink';
import { type ReactNode } from 'react';
import { severities } from '../../core/incident-schema.js';
import { showInstant } from '../../core/when.js';
import { EditLine } from '../edit-line.js';
import {
  detectionChoices,
  fields,
  resolvedTimes,
  stepProblems,
  validateForm,
  type FieldSpec,
  type FormValues,
} from './form-model.js';
import { submitIndex, type FormState } from './form-state.js';
import type { FormActions } from './incident-form.js';

export function EditView({
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
          .flatMap((chip, i) => (i ? [<Text key={`s${i}`}>{'  '}</Text>, chip] : [chip]))}
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

export function NewFlowView({ state }: { state: FormState }): ReactNode {
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

export function previewOf(actions: FormActions, values: FormValues): string {
  try {
    return actions.preview(values);
  } catch (error) {
    return `✖ ${(error as Error).message}`;
  }
}

export function PreviewView({
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
