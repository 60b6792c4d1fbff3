/** Where a command's words go: the result on stdout (or one JSON document), notes on stderr. */
export interface Output {
  json: boolean;
  quiet: boolean;
  color: boolean;
  /** The command's human-readable result (suppressed under --json). */
  print(text: string): void;
  /** The command's result as one JSON document (only under --json). */
  result(value: unknown): void;
  /** Progress and notes on stderr (suppressed by --quiet). */
  note(text: string): void;
  warn(text: string): void;
  isTTY: boolean;
}

export function createOutput(options: { json: boolean; quiet: boolean; env: NodeJS.ProcessEnv }): Output {
  const isTTY = Boolean(process.stderr.isTTY) && !options.env.CI;
  const color = Boolean(process.stdout.isTTY) && !options.env.NO_COLOR && options.env.TERM !== 'dumb';
  return {
    ...options,
    color,
    isTTY,
    print: (text) => {
      if (!options.json) process.stdout.write(`${text}\n`);
    },
    result: (value) => {
      if (options.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    note: (text) => {
      if (!options.quiet) process.stderr.write(`${text}\n`);
    },
    warn: (text) => process.stderr.write(`warning: ${text}\n`),
  };
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
export type Style = keyof typeof codes;

export function paint(output: Pick<Output, 'color'>, style: Style, text: string): string {
  if (!output.color) return text;
  const [open, close] = codes[style];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}
