import MarkdownIt, { type Token } from 'markdown-it';

/**
 * What a reader of an incident sees, read with a CommonMark parser (markdown-it: linear on any input, unlike
 * parsers that slow down on nested lists or runs of `*`), so hidden Markdown never becomes a step. Containers
 * nested past 20 levels are not read (its bound on nesting): a step there compiles to nothing, never to more.
 */
const markdown = new MarkdownIt('commonmark');

/** A line of rendered text and the (1-based) source line it starts on. */
export interface RenderedLine {
  line: number;
  text: string;
}

export interface VisibleText {
  /** Paragraphs, list items, headings and code blocks (code is shown, so it is read), one entry a line. */
  lines: RenderedLine[];
  /** HTML blocks with more than comments in them: a reader sees them rendered or not at all, so they are no steps. */
  html: RenderedLine[];
}

// CommonMark's HTML comments, and one left open, which hides the rest of its block
const COMMENT = /<!--(?:-?>|[\s\S]*?(?:-->|$))/g;
const newlines = (text: string) => text.split('\n').length - 1;

/**
 * The visible text of `source`: HTML comments (inline or over many lines), link reference definitions, link
 * targets and image alt texts are hidden from a reader, so they are left out; emphasis and link markers are
 * dropped, and character references and escapes read as what they show.
 */
export function visibleText(source: string): VisibleText {
  const lines: RenderedLine[] = [];
  const html: RenderedLine[] = [];
  for (const token of markdown.parse(source, {})) {
    const start = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'inline') lines.push(...renderInline(token, start));
    if (token.type === 'fence' || token.type === 'code_block') {
      const first = start + (token.type === 'fence' ? 1 : 0);
      token.content
        .replace(/\n$/, '')
        .split('\n')
        .forEach((text, index) => lines.push({ line: first + index, text }));
    }
    if (token.type === 'html_block') {
      const shown = token.content.replace(COMMENT, (comment) => '\n'.repeat(newlines(comment))).split('\n');
      const index = shown.findIndex((line) => line.trim() !== '');
      if (index >= 0) html.push({ line: start + index, text: shown[index]!.trim() });
    }
  }
  return { lines, html };
}

/** An inline token's text as rendered, split where the source breaks its lines. */
function renderInline(token: Token, start: number): RenderedLine[] {
  const out: RenderedLine[] = [];
  let sourceLine = start;
  let current: RenderedLine = { line: start, text: '' };
  for (const child of token.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') {
      if (current.text === '') current.line = sourceLine;
      current.text += child.content;
    }
    if (child.type === 'softbreak' || child.type === 'hardbreak') {
      out.push(current);
      current = { line: ++sourceLine, text: '' };
    }
    // hidden from the reader; a comment over several lines moves the source on
    if (child.type === 'html_inline') sourceLine += newlines(child.content);
  }
  out.push(current);
  return out;
}

/**
 * The section under the first top-level heading titled `heading` (any level), up to the next heading of the
 * same or a higher level: its source text and the body line it starts on. A heading inside a comment, an HTML
 * block or a code block is no heading.
 */
export function markdownSection(body: string, heading: string): { text: string; line: number } | undefined {
  const tokens = markdown.parse(body, {});
  const wanted = heading.trim().toLowerCase();
  let start: { line: number; depth: number } | undefined;
  let end: number | undefined;
  for (const [index, token] of tokens.entries()) {
    if (token.type !== 'heading_open' || token.level !== 0 || !token.map) continue;
    const depth = Number(token.tag.slice(1));
    if (start && depth <= start.depth) {
      end = token.map[0];
      break;
    }
    const title = renderInline(tokens[index + 1]!, 1)
      .map((line) => line.text)
      .join(' ')
      .trim()
      .toLowerCase();
    if (!start && title === wanted) start = { line: token.map[1], depth };
  }
  if (!start) return undefined;
  return {
    text: body
      .split(/\r\n?|\n/)
      .slice(start.line, end)
      .join('\n'),
    line: start.line + 1,
  };
}
