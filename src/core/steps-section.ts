import { compileSteps } from './steps.js';

const STEPS = '## Steps to reproduce';
const REPORTED = '## Steps as first reported';

/**
 * The incident file with `steps` as its "Steps to reproduce", one numbered line each, so the test can be
 * regenerated offline (provider `steps`) and reviewed as plain words. Steps a person wrote that say something
 * else are kept, visible, under "Steps as first reported"; an incident without the section gets one
 * before its "Expected" (or at the end).
 */
export function withStepsToReproduce(text: string, steps: readonly string[]): string {
  const lines = text.split('\n');
  const bodyStart = frontMatterEnd(lines);
  const isHeading = (heading: string) => (line: string) => line.trim().toLowerCase() === heading.toLowerCase();
  const start = lines.findIndex((line, index) => index >= bodyStart && isHeading(STEPS)(line));
  const written = steps.map((step, index) => `${index + 1}. ${step}`);
  if (start < 0) {
    const before = lines.findIndex((line, index) => index >= bodyStart && /^##\s+(expected|actual)\b/i.test(line.trim()));
    const at = before < 0 ? lines.length : before;
    const head = lines.slice(0, at);
    while (head.length > bodyStart && head[head.length - 1]!.trim() === '') head.pop();
    return [...head, ...(head.length > bodyStart ? [''] : []), STEPS, ...written, '', ...lines.slice(at)].join('\n').replace(/\n*$/, '\n');
  }
  const end = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
  const old = lines.slice(start + 1, end < 0 ? undefined : end);
  const compiled = compileSteps(old.join('\n'));
  if (compiled.ok && compiled.steps.map((step) => step.text).join('\n') === steps.join('\n')) return text;
  const kept = old.join('\n').trim();
  const reported = kept && !lines.some(isHeading(REPORTED)) ? [REPORTED, kept, ''] : [];
  const rest = end < 0 ? [] : lines.slice(end);
  return [...lines.slice(0, start + 1), ...written, '', ...reported, ...rest].join('\n').replace(/\n*$/, '\n');
}

/** The index of the first body line: after the closing `---` of the front matter, if there is one. */
function frontMatterEnd(lines: readonly string[]): number {
  if (lines[0]?.trim() !== '---') return 0;
  const close = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  return close < 0 ? 0 : close + 1;
}
