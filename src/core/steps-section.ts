import { compileSteps } from './steps.js';
import { markdownSection } from './steps-markdown.js';

const STEPS = 'Steps to reproduce';
const REPORTED = 'Steps as first reported';

/**
 * The incident file with `steps` as its "Steps to reproduce", one numbered line each, so the test can be
 * regenerated offline (provider `steps`) and reviewed as plain words. Steps a person wrote that say something
 * else are kept, visible, under "Steps as first reported"; an incident without the section gets one
 * before its "Expected" or "Actual" (or at the end).
 */
export function withStepsToReproduce(text: string, steps: readonly string[]): string {
  const lines = text.split('\n');
  const bodyStart = frontMatterEnd(lines);
  const body = lines.slice(bodyStart).join('\n');
  const written = steps.map(listItem);
  const section = markdownSection(body, STEPS);
  if (!section) {
    const before = lines.findIndex(
      (line, index) => index >= bodyStart && /^#{1,6}\s+(expected|actual)\b/i.test(line.trim()),
    );
    const at = before < 0 ? lines.length : before;
    const head = lines.slice(0, at);
    while (head.length > bodyStart && head[head.length - 1]!.trim() === '') head.pop();
    return [...head, ...(head.length > bodyStart ? [''] : []), `## ${STEPS}`, ...written, '', ...lines.slice(at)]
      .join('\n')
      .replace(/\n*$/, '\n');
  }
  const compiled = compileSteps(section.text);
  if (compiled.ok && compiled.steps.map((step) => step.text).join('\n') === steps.join('\n')) return text;
  const start = bodyStart + section.line - 1;
  const end = start + section.text.split(/\r\n?|\n/).length;
  const kept = section.text.trim();
  const reported = kept && !markdownSection(body, REPORTED) ? [`## ${REPORTED}`, kept, ''] : [];
  return [...lines.slice(0, start), ...written, '', ...reported, ...lines.slice(end)].join('\n').replace(/\n*$/, '\n');
}

/** A step as a numbered list item that reads back as the step: the compiler reads what a reader of the Markdown sees. */
function listItem(step: string, index: number): string {
  const plain = `${index + 1}. ${step}`;
  const read = compileSteps(plain);
  if (read.ok && read.steps[0]?.text === step) return plain;
  return `${index + 1}. ${step.replace(/[\\`*_[\]<>&~|!#]/g, '\\$&')}`;
}

/** The index of the first body line: after the closing `---` of the front matter, if there is one. */
function frontMatterEnd(lines: readonly string[]): number {
  // the lines splitFrontMatter reads as the front matter's: `---` alone (after a byte order mark, before spaces)
  if (!/^\uFEFF?---[ \t]*\r?$/.test(lines[0] ?? '')) return 0;
  const close = lines.findIndex((line, index) => index > 0 && /^---[ \t]*\r?$/.test(line));
  return close < 0 ? 0 : close + 1;
}
