/**
 * Characters a step may not hold: a reader cannot see them, and a URL parser, an editor or a terminal acts
 * on them (the browser strips leading C0 controls from a URL; bidi controls reorder what a reviewer reads).
 */
const KINDS: [RegExp, string][] = [
  [/[\u0000-\u001f\u007f-\u009f]/u, 'a control character'],
  [/[\u2028]/u, 'a line separator'],
  [/[\u2029]/u, 'a paragraph separator'],
  [/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u, 'a bidirectional control'],
  // zero-width and other invisible format characters, Hangul fillers, interlinear annotations, tag characters
  [
    /[\u00ad\u115f\u1160\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]/u,
    'an invisible character',
  ],
];

const ANY = new RegExp(KINDS.map(([pattern]) => pattern.source).join('|'), 'u');
const ALL = new RegExp(ANY.source, 'gu');

export interface InvisibleCharacter {
  /** `U+0001` */
  codePoint: string;
  /** `a control character` */
  kind: string;
}

const codePointOf = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first character of `text` that a step may not hold, or null. `except` lists characters allowed here (Markdown's tab). */
export function firstInvisible(text: string, except = ''): InvisibleCharacter | null {
  for (const match of text.matchAll(ALL)) {
    const char = match[0];
    if (except.includes(char)) continue;
    return { codePoint: codePointOf(char), kind: KINDS.find(([pattern]) => pattern.test(char))![1] };
  }
  return null;
}

/** The text with every such character written as `<U+0001>`, so a message shows it and a terminal does not act on it. */
export function showInvisible(text: string): string {
  return text.replace(ALL, (char) => `<${codePointOf(char)}>`);
}
