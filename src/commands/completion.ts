import type { Command } from 'commander';
import { completionScript, type CompletionCommand, type Shell } from '../core/completion.js';
import type { CommandContext } from '../context.js';

/** Every command of the program, with its subcommands and long options, for the completion scripts. */
export function commandTree(program: Command): CompletionCommand[] {
  const walk = (command: Command, path: string): CompletionCommand[] => {
    const subcommands = command.commands.map((sub) => sub.name());
    const options = command.options
      .filter((option) => option.long)
      .map((option) => ({
        flag: option.long!,
        takesValue: option.required,
        choices: option.argChoices ?? [],
      }));
    const own = {
      path,
      subcommands: subcommands.length > 0 ? [...subcommands, 'help'] : [],
      options: [...options, { flag: '--help', takesValue: false, choices: [] }],
    };
    return [own, ...command.commands.flatMap((sub) => walk(sub, path ? `${path} ${sub.name()}` : sub.name()))];
  };
  return walk(program, '');
}

/** `verigap completion bash|zsh|fish`: prints the script, to be evaluated by the shell. */
export function completion(ctx: CommandContext, shell: Shell, program: Command): void {
  ctx.output.print(completionScript(shell, commandTree(program)).trimEnd());
}
