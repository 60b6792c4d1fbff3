import { z } from 'zod';
import { compileSteps, type OriginPolicy } from './steps.js';

/** How much of a model's reply verigap reads at all: a reply over these bounds is refused unread. */
export const replyLimits = { bytes: 65_536, steps: 60, stepChars: 400 } as const;

/** What a model may answer (SPEC §6.3): steps to explore first, or the incident's steps. Never code. */
export type ModelReply =
  | { kind: 'explore'; steps: string[] }
  | { kind: 'steps'; steps: string[]; rationale: string }
  | { kind: 'refused'; reason: string };

export const codeRefusal =
  'the model replied with code; verigap runs only steps in the steps grammar, never code a model writes';

const stepList = z.union([z.array(z.string()), z.string().transform((text) => text.split(/\r?\n/))]);
const replySchema = z.object({
  steps: stepList.optional(),
  explore: stepList.optional(),
  rationale: z.string().optional(),
});
const codeFence = /^(ts|typescript|js|javascript|tsx|jsx|mjs|cjs|node|sh|bash|shell|python|py)$/i;
// a line a program starts with, not a step (steps start with a verb of the grammar); [ \t], not \s, keeps it linear
const codeLine =
  /^[ \t]*(?:import\s|export\s|const\s|let\s|var\s|await\s|async\s|function\b|class\s|return\b|test(?:\.\w+)?[ \t]*\(|describe[ \t]*\(|require[ \t]*\(|page\.\w|process\.\w|\w+[ \t]*=[ \t]*[^=])/m;
const lineBreak = /[\n\r\u2028\u2029\v\f\u0085]/;
// what a reader cannot see, or a terminal would act on: never in a step
const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** A model's text as it may be shown in a terminal or a message: control and invisible characters as escapes. */
export function printable(text: string): string {
  return text.replace(new RegExp(invisible.source, 'gu'), (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

const refused = (reason: string): ModelReply => ({ kind: 'refused', reason });
const quoted = (text: string) => `"${printable(text.length > 80 ? `${text.slice(0, 80)}…` : text)}"`;

/**
 * Reads a reply: a JSON object `{ "steps": […], "rationale" }` or `{ "explore": […] }`, or a first fenced
 * block of steps, one a line (local models often ignore response formats). Every step is compiled here
 * already, so a reply verigap accepts is one the steps compiler accepts, and a refusal says why.
 */
export function parseModelReply(content: string, policy?: OriginPolicy): ModelReply {
  const bytes = Buffer.byteLength(content);
  if (bytes > replyLimits.bytes)
    return refused(`the model's reply is ${bytes} bytes, over the limit of ${replyLimits.bytes}: refused unread`);
  const json = jsonObjectOf(content);
  if (json !== undefined) return fromJson(json, policy);
  // a fence opens a line: one try per line keeps a reply of backticks linear
  const fence = /^```([^\s`]*)[^\n]*\n([\s\S]*?)```/m.exec(content);
  if (fence) {
    if (codeFence.test(fence[1]!) || codeLine.test(fence[2]!))
      return refused(`${codeRefusal} (a fenced ${fence[1] || 'code'} block)`);
    return checkedSteps('steps', fence[2]!.split(/\r?\n/), content.replace(fence[0], '').trim(), policy);
  }
  if (codeLine.test(content)) return refused(codeRefusal);
  return refused('the reply held neither a JSON object {"steps": […]} or {"explore": […]} nor a fenced block of steps');
}

/** The reply as a JSON object, when it is one (possibly inside a ```json fence). */
function jsonObjectOf(content: string): Record<string, unknown> | undefined {
  const text = content.trim().replace(/^```(?:json)?[^\n]*\n([\s\S]*?)\n?```$/, '$1');
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function fromJson(json: Record<string, unknown>, policy: OriginPolicy | undefined): ModelReply {
  if ('code' in json) return refused(`${codeRefusal} (a "code" field)`);
  const parsed = replySchema.safeParse(json);
  if (!parsed.success)
    return refused(
      `the reply's ${parsed.error.issues[0]?.path.join('.') || 'object'} is not a list of steps (strings)`,
    );
  const { steps, explore, rationale } = parsed.data;
  if (steps && explore)
    return refused('the reply asks to explore and gives steps at once; it must do one or the other');
  if (explore) return checkedSteps('explore', explore, '', policy);
  if (steps) return checkedSteps('steps', steps, rationale ?? '', policy);
  return refused('the reply is a JSON object without "steps" or "explore"');
}

/** Bounds, one line each, and the steps compiler's verdict on every step. */
function checkedSteps(
  kind: 'steps' | 'explore',
  raw: string[],
  rationale: string,
  policy: OriginPolicy | undefined,
): ModelReply {
  const what = kind === 'explore' ? 'explore step' : 'step';
  const multiline = raw.findIndex((step) => lineBreak.test(step));
  if (multiline >= 0) return refused(`${what} ${multiline + 1} holds a line break: a step is one line`);
  const steps = raw.map((step) => step.trim()).filter(Boolean);
  if (steps.length === 0) return refused(`the model's ${what}s are empty`);
  if (steps.length > replyLimits.steps)
    return refused(`the model returned ${steps.length} ${what}s; at most ${replyLimits.steps} are read`);
  const long = steps.findIndex((step) => step.length > replyLimits.stepChars);
  if (long >= 0)
    return refused(`${what} ${long + 1} is ${steps[long]!.length} characters long; at most ${replyLimits.stepChars}`);
  const hidden = steps.findIndex((step) => invisible.test(step));
  if (hidden >= 0)
    return refused(
      `${what} ${hidden + 1} ${quoted(steps[hidden]!)} holds the control or invisible character ${codePoint(invisible.exec(steps[hidden]!)![0])}`,
    );
  const compiled = compileSteps(steps.join('\n'), 1, policy);
  if (!compiled.ok) {
    const problems = compiled.problems.map((p) => {
      const step = steps[p.line - 1] ?? p.text;
      if (p.reason) return `${what} ${p.line} ${quoted(step)}: ${p.reason.replace(/^(step|line) \d+: /, '')}`;
      return `${what} ${p.line} ${quoted(step)} ${codeLine.test(step) ? 'is code, not a step' : 'matches no rule of the steps grammar'}`;
    });
    return refused(problems.join('; '));
  }
  const skipped = steps.findIndex((_, index) => !compiled.steps.some((step) => step.line === index + 1));
  if (skipped >= 0)
    return refused(
      `${what} ${skipped + 1} ${quoted(steps[skipped]!)} is not a step the compiler reads (a comment or hidden text)`,
    );
  if (kind === 'steps' && compiled.assertions === 0)
    return refused('the steps have no "Expect …" step, so nothing states the incident\'s outcome');
  const texts = compiled.steps.map((step) => step.text);
  return kind === 'explore' ? { kind, steps: texts } : { kind, steps: texts, rationale };
}
