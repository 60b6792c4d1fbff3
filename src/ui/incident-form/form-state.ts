import { splitGlobList } from '../../core/glob.js';
import { severities } from '../../core/incident-schema.js';
import { cursorIn, editText, lineText, type KeyLike } from '../edit-text.js';
import { detectionChoices, emptyValues, fields, validateForm, type FieldId, type FormValues } from './form-model.js';

export interface NewFlowDraft {
  id: string;
  name: string;
  paths: string;
  focus: 0 | 1 | 2;
  error: string | null;
}

export type FormScreen = 'resume' | 'edit' | 'new-flow' | 'preview' | 'saving' | 'saved' | 'testing' | 'done';

export interface FormState {
  screen: FormScreen;
  values: FormValues;
  /** Index into `fields`; fields.length is the "Preview and save" button. */
  focus: number;
  /** Highlighted entry of the flow picker; the last one is "+ new flow". */
  flowCursor: number;
  /** The line being edited in a multi-line field (clamped to its last line). */
  line: number;
  /** The cursor in the text being edited (a field, a line, a new flow's field); Infinity is its end. */
  cursor: number;
  newFlow: NewFlowDraft;
  /** Fields the user has left at least once: their errors show. After a save attempt, all show. */
  touched: FieldId[];
  submitted: boolean;
  message: string | null;
}

export type FormEffect =
  | { kind: 'save' }
  | { kind: 'create-flow'; id: string; name: string; paths: string[] }
  | { kind: 'discard-draft' }
  | { kind: 'test' }
  | { kind: 'quit' };

export interface FormContext {
  flows: readonly string[];
  now: number;
}

export const submitIndex = fields.length;

export function initialFormState(values: Partial<FormValues> = emptyValues, resume = false): FormState {
  // a draft from before a field existed lacks it
  return {
    screen: resume ? 'resume' : 'edit',
    values: { ...emptyValues, ...values },
    focus: 0,
    flowCursor: 0,
    line: Infinity,
    cursor: Infinity,
    newFlow: { id: '', name: '', paths: '', focus: 0, error: null },
    touched: [],
    submitted: false,
    message: null,
  };
}

type Result = { state: FormState; effect?: FormEffect };

const touch = (state: FormState): FieldId[] => {
  const field = fields[state.focus];
  return field && !state.touched.includes(field.id) ? [...state.touched, field.id] : state.touched;
};
const focusTo = (state: FormState, focus: number): FormState => ({
  ...state,
  touched: touch(state),
  focus: Math.max(0, Math.min(submitIndex, focus)),
  line: Infinity,
  cursor: Infinity,
  message: null,
});

/** One keystroke of the form: pure, so each key of each field is testable without a terminal. */
export function formKey(state: FormState, input: string, key: KeyLike, ctx: FormContext): Result {
  // a paste is text for a text field, never keys (a "y" in it does not save, a "2" does not pick SEV2)
  const kind = fields[state.focus]?.kind;
  if (
    key.paste &&
    !(state.screen === 'new-flow' || (state.screen === 'edit' && (kind === 'text' || kind === 'multiline')))
  )
    return { state };
  switch (state.screen) {
    case 'resume':
      if (input === 'y' || key.return) return { state: { ...state, screen: 'edit' } };
      if (input === 'n') return { state: initialFormState(), effect: { kind: 'discard-draft' } };
      return { state };
    case 'edit':
      return editKey(state, input, key, ctx);
    case 'new-flow':
      return newFlowKey(state, input, key);
    case 'preview':
      if (key.return || input === 'y' || (key.ctrl && input === 's'))
        return { state: { ...state, screen: 'saving' }, effect: { kind: 'save' } };
      if (key.escape || input === 'e' || key.backspace) return { state: { ...state, screen: 'edit' } };
      return { state };
    case 'saved':
      if (input === 'y' || key.return) return { state: { ...state, screen: 'testing' }, effect: { kind: 'test' } };
      if (input === 'n' || input === 'q' || key.escape)
        return { state: { ...state, screen: 'done' }, effect: { kind: 'quit' } };
      return { state };
    case 'done':
      return { state, effect: { kind: 'quit' } };
    default:
      return { state };
  }
}

function editKey(state: FormState, input: string, key: KeyLike, ctx: FormContext): Result {
  const field = fields[state.focus];
  if ((key.ctrl && input === 's') || (!field && key.return)) {
    const errors = validateForm(state.values, ctx.now, ctx.flows);
    const first = fields.findIndex((f) => errors[f.id]);
    if (first >= 0)
      return {
        state: {
          ...state,
          submitted: true,
          focus: first,
          message: `fix ${Object.keys(errors).length} field(s) first: ${errors[fields[first]!.id]}`,
        },
      };
    return { state: { ...state, submitted: true, touched: touch(state), screen: 'preview', message: null } };
  }
  if (key.escape)
    return {
      state: { ...state, message: 'Ctrl-C leaves; what you typed stays in .verigap/drafts/ and is offered next time' },
    };
  if (key.tab) return { state: focusTo(state, state.focus + (key.shift ? -1 : 1)) };
  if (field?.kind === 'multiline') return multilineKey(state, field.id as 'description' | 'steps', input, key);
  if (key.upArrow) return { state: focusTo(state, state.focus - 1) };
  if (key.downArrow) return { state: focusTo(state, state.focus + 1) };
  if (!field) return { state };

  const set = (patch: Partial<FormValues>): Result => ({
    state: { ...state, values: { ...state.values, ...patch }, message: null },
  });
  switch (field.kind) {
    case 'flows': {
      const count = ctx.flows.length + 1;
      if (key.leftArrow || input === 'h')
        return { state: { ...state, flowCursor: (state.flowCursor - 1 + count) % count } };
      if (key.rightArrow || input === 'l') return { state: { ...state, flowCursor: (state.flowCursor + 1) % count } };
      const flow = ctx.flows[state.flowCursor];
      if (!flow && (key.return || input === ' '))
        return {
          state: {
            ...state,
            screen: 'new-flow',
            cursor: Infinity,
            newFlow: { id: '', name: '', paths: '', focus: 0, error: null },
          },
        };
      if (flow && input === ' ')
        return set({
          flows: state.values.flows.includes(flow)
            ? state.values.flows.filter((f) => f !== flow)
            : [...state.values.flows, flow],
        });
      if (flow && key.return) {
        const chosen = state.values.flows.length ? state.values.flows : [flow];
        return { state: focusTo({ ...state, values: { ...state.values, flows: chosen } }, state.focus + 1) };
      }
      return { state };
    }
    case 'severity': {
      const index = severities.indexOf(state.values.severity as (typeof severities)[number]);
      if (key.leftArrow || input === 'h') return set({ severity: severities[Math.max(0, index - 1)]! });
      if (key.rightArrow || input === 'l')
        return set({ severity: severities[Math.min(severities.length - 1, index + 1)]! });
      if (/^[1-4]$/.test(input)) return set({ severity: `SEV${input}` });
      if (key.return) return { state: focusTo(state, state.focus + 1) };
      return { state };
    }
    case 'detection': {
      const index = Math.max(0, detectionChoices.indexOf(state.values.detection));
      const count = detectionChoices.length;
      if (key.leftArrow || input === 'h') return set({ detection: detectionChoices[(index - 1 + count) % count]! });
      if (key.rightArrow || input === 'l') return set({ detection: detectionChoices[(index + 1) % count]! });
      if (key.return) return { state: focusTo(state, state.focus + 1) };
      return { state };
    }
    case 'text': {
      if (key.return) return { state: focusTo(state, state.focus + 1) };
      const next = editText(state.values[field.id] as string, state.cursor, input, key);
      return next === null ? { state } : { state: { ...set({ [field.id]: next.value }).state, cursor: next.cursor } };
    }
    default:
      return { state };
  }
}

/**
 * A line editor: ↑/↓ move between lines (and out of the field at either end), enter splits the line at the cursor,
 * ⌫ at a line's start joins it to the line above; a paste of several lines gives one line each.
 */
function multilineKey(state: FormState, id: 'description' | 'steps', input: string, key: KeyLike): Result {
  const lines = state.values[id].split('\n');
  const line = Math.min(state.line, lines.length - 1);
  const text = lines[line]!;
  const at = cursorIn(text, state.cursor);
  const withLines = (next: string[], to: number, cursor: number): Result => ({
    state: { ...state, values: { ...state.values, [id]: next.join('\n') }, line: to, cursor, message: null },
  });
  const replace = (...parts: string[]) => [...lines.slice(0, line), ...parts, ...lines.slice(line + 1)];
  if (key.upArrow) return { state: line > 0 ? { ...state, line: line - 1 } : focusTo(state, state.focus - 1) };
  if (key.downArrow)
    return { state: line < lines.length - 1 ? { ...state, line: line + 1 } : focusTo(state, state.focus + 1) };
  if (key.return) return withLines(replace(text.slice(0, at), text.slice(at)), line + 1, 0);
  if (/[\r\n]/.test(input)) {
    const pasted = input
      .replace(/\r\n|\r/g, '\n')
      .replace(/\n$/, '')
      .split('\n')
      .map((part) => lineText(part));
    const last = pasted.length - 1;
    pasted[0] = text.slice(0, at) + pasted[0];
    const end = pasted[last]!.length;
    pasted[last] += text.slice(at);
    return withLines(replace(...pasted), line + last, end);
  }
  if ((key.backspace || key.delete) && at === 0 && !key.ctrl) {
    if (line > 0)
      return withLines(
        [...lines.slice(0, line - 1), lines[line - 1]! + text, ...lines.slice(line + 1)],
        line - 1,
        lines[line - 1]!.length,
      );
    if (text === '' && lines.length > 1) return withLines(lines.slice(1), 0, Infinity);
  }
  const next = editText(text, at, input, key);
  if (next === null) return { state };
  return withLines(replace(next.value), line, next.cursor);
}

function newFlowKey(state: FormState, input: string, key: KeyLike): Result {
  const draft = state.newFlow;
  const names = ['id', 'name', 'paths'] as const;
  if (key.escape) return { state: { ...state, screen: 'edit', message: 'no flow created' } };
  if (key.tab || key.downArrow || key.upArrow) {
    const step = key.upArrow || (key.tab && key.shift) ? -1 : 1;
    return {
      state: {
        ...state,
        cursor: Infinity,
        newFlow: { ...draft, focus: ((draft.focus + step + 3) % 3) as NewFlowDraft['focus'] },
      },
    };
  }
  if (key.return) {
    if (draft.focus < 2)
      return {
        state: { ...state, cursor: Infinity, newFlow: { ...draft, focus: (draft.focus + 1) as NewFlowDraft['focus'] } },
      };
    const paths = splitGlobList(draft.paths); // src/{a,b}/** stays one glob
    return {
      state: { ...state, newFlow: { ...draft, error: null } },
      effect: { kind: 'create-flow', id: draft.id.trim(), name: draft.name.trim(), paths },
    };
  }
  const name = names[draft.focus];
  const next = editText(draft[name], state.cursor, input, key);
  return {
    state:
      next === null ? state : { ...state, cursor: next.cursor, newFlow: { ...draft, [name]: next.value, error: null } },
  };
}
