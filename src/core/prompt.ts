/** Prompts for the openai provider. Everything here has already been redacted. */
export interface PromptInput {
  incidentId: string;
  flowId: string;
  flowName: string;
  start: string | undefined;
  title: string;
  incidentText: string;
  ariaSnapshot: string | null;
  examples: { file: string; code: string }[];
}

export const systemPrompt = `You write one Playwright regression test (TypeScript) for a production incident.
Rules: import only from '@playwright/test'; one test() whose title ends with the given tags; use page.goto with
relative paths only (baseURL is configured); prefer getByRole/getByLabel/getByText locators; no test.skip,
test.fixme, test.only, process, require, eval, fetch or other modules. State the incident's expected outcome as an
awaited expect(...) directly in the test body and put the comment // @incident-assertion at the end of that line.
The test must fail while the bug is present and pass once it is fixed.
Reply with a JSON object: {"code": "<the whole spec file>", "rationale": "<one paragraph>"}.`;

export function generationPrompt(input: PromptInput): string {
  return [
    `Incident ${input.incidentId}: ${input.title}`,
    `Flow: ${input.flowName} (${input.flowId})${input.start ? `, entry path ${input.start}` : ''}`,
    `Test title tags: @incident:${input.incidentId} @flow:${input.flowId}`,
    '',
    'Incident report:',
    input.incidentText,
    ...(input.ariaSnapshot ? ['', `ARIA snapshot of ${input.start ?? '/'} now:`, input.ariaSnapshot] : []),
    ...input.examples.flatMap((e) => ['', `Existing spec of this flow (house style), ${e.file}:`, e.code]),
  ].join('\n');
}

export interface RepairInput {
  code: string;
  error: string;
  step: string | null;
  ariaSnapshot: string | null;
}

export function repairPrompt(input: RepairInput): string {
  return [
    'The test failed before reaching its incident assertion. Fix locators or waits only; keep every',
    '// @incident-assertion line exactly as it is (same expect matcher, not weakened, not removed, not skipped).',
    '',
    'Test:', input.code, '', `Error${input.step ? ` at step "${input.step}"` : ''}:`, input.error,
    ...(input.ariaSnapshot ? ['', 'ARIA snapshot of the page now:', input.ariaSnapshot] : []),
  ].join('\n');
}

/** Keeps a snapshot within budget (bytes), cutting at a line boundary. */
export function trimToBudget(text: string, budget: number): string {
  if (Buffer.byteLength(text) <= budget) return text;
  let cut = text.slice(0, budget);
  while (Buffer.byteLength(cut) > budget - 40) cut = cut.slice(0, cut.lastIndexOf('\n') > 0 ? cut.lastIndexOf('\n') : cut.length - 100);
  return `${cut}\n# … trimmed to ${budget} bytes`;
}
