import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandContext } from '../cli.js';
import { createGit } from '../adapters/git.js';
import { configTemplate, flowsReadme, githubWorkflow, incidentsReadme, reportsReadme } from '../core/templates.js';

/** Writes what is missing and keeps what exists: running init twice changes nothing. */
export async function init(ctx: CommandContext, options: { ci?: 'github' }): Promise<void> {
  const root = await createGit(ctx.repoDir).topLevel();
  const files: [string, string][] = [
    ['verigap.yaml', configTemplate],
    ['flows/README.md', flowsReadme],
    ['incidents/README.md', incidentsReadme],
    ['reports/README.md', reportsReadme],
  ];
  if (options.ci === 'github') files.push(['.github/workflows/verigap.yml', githubWorkflow]);
  const written: string[] = [];
  const kept: string[] = [];
  for (const [file, text] of files) {
    const path = join(root, file);
    if (existsSync(path)) {
      kept.push(file);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(file);
  }
  const gitignore = join(root, '.gitignore');
  const ignored = existsSync(gitignore) && readFileSync(gitignore, 'utf8').split(/\r?\n/).some((line) => /^\/?\.verigap\/?$/.test(line.trim()));
  if (!ignored) {
    const text = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
    appendFileSync(gitignore, `${text && !text.endsWith('\n') ? '\n' : ''}# verigap's local index (rebuildable from Git)\n.verigap/\n`);
    written.push('.gitignore');
  }
  ctx.output.result({ written, kept });
  for (const file of written) ctx.output.print(`wrote ${file}`);
  for (const file of kept) ctx.output.print(`kept  ${file} (exists)`);
  ctx.output.print('Next: verigap flows add <id> --name "…" --paths "src/…/**", then verigap sync');
}
