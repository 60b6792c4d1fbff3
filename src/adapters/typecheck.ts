import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Codes of "Cannot find name 'document'" and "…change your target library… include 'dom'". */
const missingGlobal = new Set([2304, 2580, 2582, 2583, 2584]);

/**
 * Type-checks a spec against @playwright/test's own types, in memory: the file is checked as if
 * it lived beside verigap's node_modules, so it needs nothing from the user's repository. The DOM
 * library (a megabyte to parse) is added only when the spec names a global it lacks, such as
 * `document` inside `page.evaluate`.
 */
export async function typeCheckSpec(code: string): Promise<string[]> {
  const first = await check(code, false);
  return first.some((d) => missingGlobal.has(d.code))
    ? (await check(code, true)).map((d) => d.text)
    : first.map((d) => d.text);
}

async function check(code: string, dom: boolean): Promise<{ code: number; text: string }[]> {
  const { default: ts } = await import('typescript');
  const playwright = dirname(createRequire(import.meta.url).resolve('@playwright/test/package.json'));
  const virtual = join(dirname(dirname(playwright)), '.verigap-check', 'regression.spec.ts');
  const options: import('typescript').CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    lib: dom ? ['lib.es2022.d.ts', 'lib.dom.d.ts'] : ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) =>
    file === virtual ? ts.createSourceFile(file, code, language) : getSourceFile(file, language, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === virtual || fileExists(file);
  const program = ts.createProgram([virtual], options, host);
  const source = program.getSourceFile(virtual)!;
  return ts.getPreEmitDiagnostics(program, source).map((d) => {
    const line = d.start === undefined ? '?' : source.getLineAndCharacterOfPosition(d.start).line + 1;
    return { code: d.code, text: `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` };
  });
}
