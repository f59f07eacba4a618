/**
 * `h2doctor completion bash|zsh|fish` and the man page, both made from the command table
 * (src/cli/registry.ts), so they list exactly what the parser accepts.
 */
import type { CliIO } from './io.js';
import { EXIT } from './io.js';
import { UsageError } from '../model/errors.js';
import { COMMANDS, commandSpec } from './registry.js';
import { flagLabel, parseArgv, type FlagSpec } from './spec.js';
import { VERSION } from '../version.js';

const visible = (flags: readonly FlagSpec[]) => flags.filter((f) => !f.hidden);
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A bash completion script: commands, each command's flags, files for file flags, --color's values. */
export function bashCompletion(): string {
  const cmds = COMMANDS.map((c) => c.name);
  const cases = COMMANDS.map((c) => {
    const flags = visible(c.flags).flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);
    return `    ${c.name}) flags=${shq(flags.join(' '))} ;;`;
  }).join('\n');
  const fileFlags = [...new Set(COMMANDS.flatMap((c) => c.flags.filter((f) => f.complete === 'file').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])])))];
  const dirFlags = [...new Set(COMMANDS.flatMap((c) => c.flags.filter((f) => f.complete === 'dir').map((f) => `--${f.name}`)))];
  const choiceFlags = COMMANDS.flatMap((c) => c.flags).filter((f) => f.choices);
  const choices = [...new Map(choiceFlags.map((f) => [f.name, f])).values()].map((f) => `    --${f.name}) COMPREPLY=($(compgen -W ${shq(f.choices!.join(' '))} -- "$cur")); return ;;`).join('\n');
  const valueFlags = [...new Set(COMMANDS.flatMap((c) => c.flags.filter((f) => f.type === 'string').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])])))];
  return `# bash completion for h2doctor ${VERSION} (generated: h2doctor completion bash)
# Load it:  source <(h2doctor completion bash)   or save it in /etc/bash_completion.d/h2doctor
_h2doctor() {
  local cur prev cmd flags i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=diagnose
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${cmds.join('|')}) cmd="\${COMP_WORDS[i]}"; break ;;
      -*) ;;
      *) break ;;
    esac
  done
  case "$prev" in
${choices}
    ${fileFlags.join('|') || '--no-file-flag'}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${dirFlags.join('|') || '--no-dir-flag'}) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    ${valueFlags.join('|')}) COMPREPLY=(); return ;;
  esac
  if [[ "$cur" == --*=* ]]; then
    local name="\${cur%%=*}"
    case "$name" in
${choiceFlags.length ? [...new Map(choiceFlags.map((f) => [f.name, f])).values()].map((f) => `      --${f.name}) COMPREPLY=($(compgen -P "$name=" -W ${shq(f.choices!.join(' '))} -- "\${cur#*=}")); return ;;`).join('\n') : ''}
    esac
  fi
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W ${shq(cmds.join(' '))} -- "$cur"))
  elif [[ "$cmd" == help ]]; then
    COMPREPLY=($(compgen -W ${shq(cmds.join(' '))} -- "$cur"))
  elif [[ "$cmd" == check ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -F _h2doctor h2doctor
`;
}

/** A zsh completion script (compdef; per-command flags with their descriptions). */
export function zshCompletion(): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, `'\\''`).replace(/\[/g, '\\[').replace(/\]/g, '\\]').replace(/:/g, '\\:');
  const spec = (f: FlagSpec) => {
    const action = f.choices ? `:${f.name}:(${f.choices.join(' ')})` : f.type === 'string' ? `:${(f.value ?? 'value').replace(/[<>]/g, '')}:${f.complete === 'file' ? '_files' : f.complete === 'dir' ? '_files -/' : ' '}` : '';
    const names = f.short ? `'(-${f.short} --${f.name})'{-${f.short},--${f.name}}` : `'--${f.name}`;
    const mult = f.multiple ? '*' : '';
    return f.short ? `    ${mult ? `'*'` : `'(-${f.short} --${f.name})'`}{-${f.short},--${f.name}}'[${esc(f.help)}]${action}'` : `    '${mult}--${f.name}[${esc(f.help)}]${action}'`.replace(names + names, names);
  };
  const cases = COMMANDS.map((c) => `    ${c.name})\n      _arguments -s \\\n${visible(c.flags).map(spec).join(' \\\n')} \\\n        '*:argument:_files'\n      ;;`).join('\n');
  return `#compdef h2doctor
# zsh completion for h2doctor ${VERSION} (generated: h2doctor completion zsh)
# Load it:  source <(h2doctor completion zsh)   or save it as _h2doctor in a directory of $fpath
_h2doctor() {
  local -a commands
  commands=(
${COMMANDS.map((c) => `    '${c.name}:${esc(c.summary)}'`).join('\n')}
  )
  if (( CURRENT == 2 )) && [[ $words[2] != -* ]]; then
    _describe -t commands 'h2doctor command' commands
    _urls
    return
  fi
  local cmd=$words[2]
  if (( \${commands[(I)$cmd:*]} == 0 )); then cmd=diagnose; else shift words; (( CURRENT-- )); fi
  case $cmd in
${cases}
  esac
}
compdef _h2doctor h2doctor
`;
}

/** A fish completion script. */
export function fishCompletion(): string {
  const names = COMMANDS.map((c) => c.name).join(' ');
  const lines = [`# fish completion for h2doctor ${VERSION} (generated: h2doctor completion fish)`, `# Load it:  h2doctor completion fish | source   or save it as ~/.config/fish/completions/h2doctor.fish`, 'complete -c h2doctor -f'];
  for (const c of COMMANDS) lines.push(`complete -c h2doctor -n "not __fish_seen_subcommand_from ${names}" -a ${c.name} -d ${shq(c.summary)}`);
  for (const c of COMMANDS) {
    const cond = c.name === 'diagnose' ? `not __fish_seen_subcommand_from ${names}; or __fish_seen_subcommand_from diagnose` : `__fish_seen_subcommand_from ${c.name}`;
    for (const f of visible(c.flags)) {
      const parts = [`complete -c h2doctor -n ${shq(cond)} -l ${f.name}`];
      if (f.short) parts.push(`-s ${f.short}`);
      if (f.type === 'string') parts.push(f.choices ? `-x -a ${shq(f.choices.join(' '))}` : f.complete === 'file' || f.complete === 'dir' ? '-r -F' : '-x');
      parts.push(`-d ${shq(f.help)}`);
      lines.push(parts.join(' '));
    }
  }
  return lines.join('\n') + '\n';
}

const roff = (s: string) => s.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1').replace(/-/g, '\\-').replace(/"/g, '\\(dq');

/** The man page (roff, man(7) macros), every command with its flags. */
export function manPage(): string {
  const out: string[] = [];
  out.push(`.\\" Generated from src/cli/registry.ts and src/cli/flags.ts by: npm run man`);
  out.push(`.TH H2DOCTOR 1 "" "h2doctor ${VERSION}" "User Commands"`);
  out.push('.SH NAME', 'h2doctor \\- why does HTTP/2 fail here, and how do I fix it');
  out.push('.SH SYNOPSIS');
  for (const c of COMMANDS) for (const u of c.usage) out.push('.br', `.B h2doctor`, roff(u));
  out.push('.SH DESCRIPTION');
  out.push(roff('h2doctor runs the experiments you would otherwise piece together from curl -v, openssl s_client, testssl.sh and Wireshark, over real sockets, and names the cause of an HTTP/2 failure: the root cause, the evidence that proves it, the fix, and the commands that reproduce it. The connection options have curl\'s names and meanings.'));
  out.push('.SH COMMANDS');
  for (const c of COMMANDS) {
    out.push(`.SS ${c.name}`, roff(c.summary.replace(/^./, (x) => x.toUpperCase()) + '.'), '.PP', roff(c.description));
    for (const a of c.args ?? []) out.push('.TP', `.I ${roff(a.name)}`, roff(a.help));
    for (const f of visible(c.flags)) {
      out.push('.TP', `.B ${roff(flagLabel(f).trim())}`, roff(f.help));
    }
    if (c.footer) out.push('.PP', roff(c.footer).replace(/\n/g, '\n.br\n'));
  }
  out.push('.SH ENVIRONMENT');
  out.push('.TP', '.B HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY', roff('The proxy to go through, as curl reads them (--proxy and --noproxy override them).'));
  out.push('.TP', '.B NO_COLOR', roff('No colour with --color=auto.'), '.TP', '.B FORCE_COLOR', roff('Colour with --color=auto even when the output is not a terminal (0 or false: no).'));
  out.push('.TP', '.B COLUMNS', roff('Width to fit the output to when it is not a terminal (default 80).'));
  out.push('.TP', '.B SSL_CERT_FILE', roff('The trust store when no --cacert or --capath is given (else the system bundle).'));
  out.push('.SH EXIT STATUS', roff('0 verdict ok or warnings; 1 verdict fail; 2 bad usage or bad input (one line on standard error); 3 internal error.'));
  out.push('.SH EXAMPLES');
  for (const [cmd, what] of [
    ['h2doctor https://api.example.com', 'diagnose HTTP/2 on a URL'],
    ['h2doctor https://api.example.com --json', 'the JSON report'],
    ['h2doctor https://mtls.example.com --cert client.pem --key client.key', 'diagnose behind a mutual-TLS gate'],
    ['h2doctor trace https://api.example.com --pcap h2.pcapng', 'one connection, frame by frame, and a decrypted capture'],
    ['h2doctor explain "error reading server preface: http2: frame too large"', 'what an error message means'],
  ]) out.push('.TP', `.B ${roff(cmd!)}`, roff(what!));
  out.push('.SH SEE ALSO', 'curl(1), openssl\\-s_client(1), nghttp(1)');
  return out.join('\n') + '\n';
}

export async function completionCommand(args: string[], io: CliIO): Promise<number> {
  const p = parseArgv(commandSpec('completion'), args);
  if (p.bool('help')) {
    io.stdout((await import('./help.js')).commandHelp(commandSpec('completion')));
    return EXIT.ok;
  }
  const [shell, ...more] = p.positionals;
  if (!shell || more.length) throw new UsageError('completion wants one shell: h2doctor completion bash|zsh|fish');
  const make = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion }[shell];
  if (!make) throw new UsageError(`completion: no script for "${shell}" (bash, zsh or fish)`);
  io.stdout(make());
  return EXIT.ok;
}
