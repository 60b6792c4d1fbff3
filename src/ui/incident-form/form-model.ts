import { detections, givenIntroducedBy, incidentSchema } from '../../core/incident-schema.js';
import { compileSteps } from '../../core/steps.js';
import { parseWhen } from '../../core/when.js';
import type { NewIncident } from '../../services/incident-writer.js';

export type FieldId =
  | 'title'
  | 'flows'
  | 'severity'
  | 'started'
  | 'detected'
  | 'resolved'
  | 'fixedBy'
  | 'description'
  | 'steps'
  | 'introducedBy'
  | 'detection';

export interface FieldSpec {
  id: FieldId;
  label: string;
  kind: 'text' | 'multiline' | 'flows' | 'severity' | 'detection';
  hint: string;
}

export const fields: readonly FieldSpec[] = [
  { id: 'title', label: 'Title', kind: 'text', hint: 'what users saw, e.g. Trial signup never reaches checkout' },
  { id: 'flows', label: 'Flows', kind: 'flows', hint: '←/→ pick · space toggles · enter on "+ new flow" creates one' },
  { id: 'severity', label: 'Severity', kind: 'severity', hint: '←/→ or 1-4' },
  {
    id: 'started',
    label: 'Started',
    kind: 'text',
    hint: '"now", "2h ago", "yesterday 14:00", 2026-11-20 17:00 (local) or ISO; empty: now',
  },
  { id: 'detected', label: 'Detected', kind: 'text', hint: 'optional, like Started' },
  { id: 'resolved', label: 'Resolved', kind: 'text', hint: 'optional; sets status: resolved' },
  { id: 'fixedBy', label: 'Fixed by', kind: 'text', hint: 'optional: the fix commit or PR (needed to prove the test)' },
  { id: 'description', label: 'What happened', kind: 'multiline', hint: 'enter: new line · tab: next field' },
  {
    id: 'steps',
    label: 'Steps',
    kind: 'multiline',
    hint: 'one step a line: Go to /pricing · Click "Start trial" · Expect the URL to contain /checkout',
  },
  {
    id: 'introducedBy',
    label: 'Introduced by',
    kind: 'text',
    hint: 'optional: the commit or PR (#123) that brought the bug; empty or "infer": the report infers it',
  },
  { id: 'detection', label: 'Detection', kind: 'detection', hint: '←/→: how it was found' },
];

/** The detection picker's choices: not set, then the schema's. */
export const detectionChoices: readonly string[] = ['', ...detections];

export interface FormValues {
  title: string;
  flows: string[];
  severity: string;
  started: string;
  detected: string;
  resolved: string;
  fixedBy: string;
  description: string;
  steps: string;
  introducedBy: string;
  detection: string;
}

export const emptyValues: FormValues = {
  title: '',
  flows: [],
  severity: 'SEV2',
  started: '',
  detected: '',
  resolved: '',
  fixedBy: '',
  description: '',
  steps: '',
  introducedBy: '',
  detection: '',
};

export type FieldErrors = Partial<Record<FieldId, string>>;

/** Each line of the steps editor against the steps grammar (SPEC §6): null when it is a valid step or blank. */
export function stepProblems(steps: string): (string | null)[] {
  return steps.split('\n').map((line) => {
    if (!line.trim()) return null;
    return compileSteps(line).ok ? null : 'no rule of the steps grammar matches this line';
  });
}

const timeFields = ['started', 'detected', 'resolved'] as const;

/** A time field through the one time grammar (core/when.ts), as the incident writer reads it: an ISO string, or why not. */
export function readTime(text: string, now: number): { iso?: string; problem?: string } {
  if (!text.trim()) return {};
  const parsed = parseWhen(text, now);
  return parsed.ok ? { iso: new Date(parsed.time).toISOString() } : { problem: parsed.reason };
}

/** The times as ISO strings, resolved against `now` ("2h ago" means two hours before now). */
export function resolvedTimes(
  values: FormValues,
  now: number,
): Record<(typeof timeFields)[number], string | undefined> {
  return {
    started: values.started.trim() ? readTime(values.started, now).iso : new Date(now).toISOString(),
    detected: readTime(values.detected, now).iso,
    resolved: readTime(values.resolved, now).iso,
  };
}

/** Every problem, by field, with the same schema as incident files (SPEC §2) plus the steps grammar. */
export function validateForm(values: FormValues, now: number, knownFlows: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  const times = resolvedTimes(values, now);
  for (const field of timeFields) {
    const problem = readTime(values[field], now).problem;
    if (problem) errors[field] = problem;
  }
  if (times.started && times.detected && times.detected < times.started)
    errors.detected ??= 'detected before it started';
  if (times.started && times.resolved && times.resolved < times.started)
    errors.resolved ??= 'resolved before it started';
  const parsed = incidentSchema.safeParse({
    id: '2000-01-01-form',
    title: values.title.trim() || undefined,
    severity: values.severity,
    status: times.resolved ? 'resolved' : 'open',
    flows: values.flows,
    started_at: times.started ?? new Date(now).toISOString(),
    ...(values.fixedBy.trim() ? { fixed_by: values.fixedBy.trim() } : {}),
    introduced_by: givenIntroducedBy(values.introducedBy),
    detection: values.detection || undefined,
  });
  if (!parsed.success) {
    const byKey: Record<string, FieldId> = {
      title: 'title',
      severity: 'severity',
      flows: 'flows',
      fixed_by: 'fixedBy',
      introduced_by: 'introducedBy',
      detection: 'detection',
    };
    for (const issue of parsed.error.issues) {
      const field = byKey[String(issue.path[0])];
      // the schema's words, but for the form's own "infer" and in a line that fits beside the field
      const message =
        field === 'title'
          ? 'a title is required'
          : field === 'introducedBy'
            ? 'a commit SHA (7+ hex characters), a PR number (#123) or URL, or "infer"'
            : issue.message;
      if (field) errors[field] ??= message;
    }
  }
  const unknown = values.flows.filter((flow) => !knownFlows.includes(flow));
  if (unknown.length) errors.flows ??= `unknown flow ${unknown.join(', ')}`;
  const badSteps = stepProblems(values.steps).flatMap((problem, index) => (problem ? [index + 1] : []));
  const compiled = compileSteps(values.steps);
  if (badSteps.length) errors.steps = `line ${badSteps.join(', ')}: no rule of the steps grammar matches`;
  else if (values.steps.trim() && compiled.ok && compiled.assertions === 0)
    errors.steps = 'add an "Expect …" step: the outcome the bug broke';
  return errors;
}

/** The Markdown body of the incident file: the sections of SPEC §2, steps numbered. */
export function incidentBody(values: FormValues): string {
  const steps = values.steps
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, index) => `${index + 1}. ${line.replace(/^(?:\d+[.)]|[-*])\s+/, '')}`);
  return [
    '## What happened',
    values.description.trim(),
    '',
    '## Steps to reproduce',
    ...steps,
    '',
    '## Expected',
    '',
    '## Actual',
    '',
    '## Root cause',
    '',
    '## Action items',
    '',
  ].join('\n');
}

/** What the form hands to the incident writer (the same path as the flags and --from). */
export function toNewIncident(values: FormValues): NewIncident {
  const optional = (text: string) => (text.trim() ? text.trim() : undefined);
  return {
    title: values.title.trim(),
    flows: values.flows,
    severity: values.severity,
    started: optional(values.started) ?? 'now',
    detected: optional(values.detected),
    resolved: optional(values.resolved),
    fixedBy: optional(values.fixedBy),
    introducedBy: givenIntroducedBy(values.introducedBy),
    detection: values.detection || undefined,
    body: incidentBody(values),
  };
}
