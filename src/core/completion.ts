/**
 * `verigap completion bash|zsh|fish`: shell scripts that complete commands, options, their fixed choices,
 * flow ids and incident ids. Pure text from the command tree; the ids are read by the shell itself from
 * flows/*\/flow.yaml and incidents/*.md of the repository it is in, so no Node starts on a keypress.
 */

export interface CompletionOption {
  flag: string;
  /** Whether the next word is its value (`--days <n>`); an optional value (`--commit-from [url]`) is not. */
  takesValue: boolean;
  choices: string[];
}

export interface CompletionCommand {
  /** The words from `verigap` to it, space-separated ('' for the program itself). */
  path: string;
  subcommands: string[];
  options: CompletionOption[];
}

export type Shell = 'bash' | 'zsh' | 'fish';
export const shells: Shell[] = ['bash', 'zsh', 'fish'];

type ValueKind = 'flow' | 'incident' | 'dir' | 'file' | 'none';

/** What a command's positional argument names. */
function argumentOf(path: string): ValueKind {
  if (path === 'flows show') return 'flow';
  if (path === 'incident show' || path === 'incident test') return 'incident';
  if (path === 'verify ingest') return 'file';
  return 'none';
}

/** What an option's value names. */
function valueOf(flag: string): ValueKind {
  if (flag === '--flow') return 'flow';
  if (['--repo', '--dir', '--out'].includes(flag)) return 'dir';
  if (['--body-file', '--from', '--spec'].includes(flag)) return 'file';
  return 'none';
}

const words = (list: readonly string[]) => list.join(' ');
const valued = (command: CompletionCommand) =>
  command.options.filter((option) => option.takesValue).map((option) => option.flag);
const sq = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bashBody(commands: readonly CompletionCommand[]): string {
  const table = commands.map(
    (command) =>
      `    ${sq(command.path)}) subs=${sq(words(command.subcommands))}; opts=${sq(words(command.options.map((o) => o.flag)))}; valued=${sq(` ${words(valued(command))} `)}; arg=${argumentOf(command.path)} ;;`,
  );
  const values = commands.flatMap((command) =>
    command.options
      .filter((option) => option.takesValue)
      .map((option) => {
        const kind = valueOf(option.flag);
        const reply =
          kind === 'flow'
            ? 'compgen -W "$(_verigap_ids flow)" -- "$cur"'
            : kind === 'dir'
              ? 'compgen -d -- "$cur"'
              : kind === 'file'
                ? 'compgen -f -- "$cur"'
                : `compgen -W ${sq(words(option.choices))} -- "$cur"`;
        return `    ${sq(`${command.path}|${option.flag}`)}) COMPREPLY=($(${reply})) ;;`;
      }),
  );
  return `_verigap_ids() {
  local top f
  top=$(git rev-parse --show-toplevel 2>/dev/null) || return 0
  case $1 in
    flow) for f in "$top"/flows/*/flow.yaml; do [ -e "$f" ] || continue; f=\${f%/flow.yaml}; printf '%s\\n' "\${f##*/}"; done ;;
    incident) for f in "$top"/incidents/*.md; do [ -e "$f" ] || continue; f=\${f##*/}; f=\${f%.md}; [ "$f" = README ] || printf '%s\\n' "$f"; done ;;
  esac
}

_verigap_command() {
  case $1 in
${table.join('\n')}
    *) subs=''; opts=''; valued=' '; arg=none ;;
  esac
}

_verigap() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path='' word i=1 subs opts valued arg
  _verigap_command ''
  # the command the words before the cursor reach: an option's value is never a command
  while [ "$i" -lt "$COMP_CWORD" ]; do
    word=\${COMP_WORDS[i]}
    if [[ $valued == *" $word "* ]]; then
      i=$((i + 2))
      continue
    fi
    if [[ " $subs " == *" $word "* ]]; then
      path=\${path:+$path }$word
      _verigap_command "$path"
    fi
    i=$((i + 1))
  done
  COMPREPLY=()
  if [[ $valued == *" $prev "* ]]; then
    case "$path|$prev" in
${values.join('\n')}
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
  fi
  case $arg in
    flow|incident) COMPREPLY=($(compgen -W "$subs $(_verigap_ids "$arg")" -- "$cur")) ;;
    file) COMPREPLY=($(compgen -f -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "$subs" -- "$cur")) ;;
  esac
}
complete -F _verigap verigap
`;
}

function fishScript(commands: readonly CompletionCommand[]): string {
  const table = commands.map(
    (command) =>
      `    case ${sq(command.path)}\n      set subs ${words(command.subcommands.map(sq))}\n      set valued ${words(valued(command).map(sq))}`,
  );
  const lines = commands.flatMap((command) => {
    const at = `-n ${sq(`__verigap_at ${sq(command.path)}`)}`;
    const arg = argumentOf(command.path);
    const positional =
      arg === 'flow' || arg === 'incident'
        ? [`complete -c verigap ${at} -a '(__verigap_ids ${arg})'`]
        : arg === 'file'
          ? [`complete -c verigap ${at} -F`]
          : [];
    const options = command.options.map((option) => {
      const kind = valueOf(option.flag);
      const value = !option.takesValue
        ? ''
        : kind === 'flow'
          ? " -r -a '(__verigap_ids flow)'"
          : kind === 'dir'
            ? " -r -a '(__fish_complete_directories)'"
            : kind === 'file'
              ? ' -r -F'
              : option.choices.length > 0
                ? ` -r -a ${sq(words(option.choices))}`
                : ' -r';
      return `complete -c verigap ${at} -l ${option.flag.slice(2)}${value}`;
    });
    const subs =
      command.subcommands.length > 0 ? [`complete -c verigap ${at} -a ${sq(words(command.subcommands))}`] : [];
    return [...subs, ...positional, ...options];
  });
  return `# verigap completion for fish. Install it: verigap completion fish > ~/.config/fish/completions/verigap.fish
function __verigap_command --argument-names path
  set -g __verigap_subs
  set -g __verigap_valued
  switch $path
${table.join('\n').replace(/set (subs|valued)/g, 'set -g __verigap_$1')}
  end
end

function __verigap_path
  set -l path ''
  __verigap_command ''
  set -l words (commandline -opc)
  set -l skip 0
  for word in $words[2..-1]
    if test $skip -eq 1
      set skip 0
      continue
    end
    if contains -- $word $__verigap_valued
      set skip 1
    else if contains -- $word $__verigap_subs
      set path (string trim -- "$path $word")
      __verigap_command $path
    end
  end
  echo $path
end

function __verigap_at
  test (__verigap_path) = "$argv[1]"
end

function __verigap_ids
  set -l top (git rev-parse --show-toplevel 2>/dev/null); or return 0
  switch $argv[1]
    case flow
      for file in $top/flows/*/flow.yaml
        basename (dirname $file)
      end
    case incident
      for file in $top/incidents/*.md
        set -l id (basename $file .md)
        test $id = README; or echo $id
      end
  end
end

complete -c verigap -f
${lines.join('\n')}
`;
}

export function completionScript(shell: Shell, commands: readonly CompletionCommand[]): string {
  if (shell === 'fish') return fishScript(commands);
  if (shell === 'zsh') {
    return `#compdef verigap
# verigap completion for zsh. Load it in ~/.zshrc, after compinit: eval "$(verigap completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bashBody(commands)}`;
  }
  return `# verigap completion for bash. Load it in ~/.bashrc: eval "$(verigap completion bash)"
${bashBody(commands)}`;
}
