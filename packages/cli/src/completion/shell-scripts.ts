/**
 * Completion scripts: each asks `owl __complete -- <words>` (the words after `owl`, the last
 * being the one under the cursor) and offers what it prints, one candidate a line; the shell's
 * own file completion stays available for scripts and config files.
 */
export const COMPLETION_SCRIPTS = {
  bash: `# owl completion for bash: source it, e.g. owl completion bash > /etc/bash_completion.d/owl
_owl_complete() {
  local IFS=$'\\n'
  local candidates
  candidates=$(owl __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=($(compgen -W "$candidates" -- "\${COMP_WORDS[COMP_CWORD]}"))
}
complete -o default -F _owl_complete owl
`,
  zsh: `#compdef owl
# owl completion for zsh: owl completion zsh > "\${fpath[1]}/_owl", or source it after compinit
_owl() {
  local -a candidates
  candidates=(\${(f)"$(owl __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)"})
  if (( \${#candidates} )); then
    compadd -- \${candidates}
  else
    _files
  fi
}
if (( $+functions[compdef] )); then compdef _owl owl; fi
`,
  fish: `# owl completion for fish: owl completion fish > ~/.config/fish/completions/owl.fish
function __owl_complete
    set -l tokens (commandline -opc) (commandline -ct)
    owl __complete -- $tokens[2..-1] 2>/dev/null
end
complete -c owl -a '(__owl_complete)'
`,
  powershell: `# owl completion for PowerShell: owl completion powershell | Out-String | Invoke-Expression (add it to $PROFILE)
Register-ArgumentCompleter -Native -CommandName owl, owl.cmd -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  # PowerShell drops an empty argument: --new-word says the cursor starts a new word.
  $extra = @()
  if ($wordToComplete -eq '') { $extra = @('--new-word') }
  & owl __complete @extra -- @words 2>$null | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`,
} as const;

export type CompletionShell = keyof typeof COMPLETION_SCRIPTS;
