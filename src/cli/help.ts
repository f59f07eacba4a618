/**
 * Help text made from the command table (src/cli/registry.ts), wrapped to the terminal's width.
 */
import type { CliIO } from './io.js';
import { EXIT } from './io.js';
import { UsageError } from '../model/errors.js';
import { COMMANDS, commandSpec, type Command } from './registry.js';
import { flagLabel, parseArgv, suggest, type CommandSpec, type FlagSpec } from './spec.js';
import { definitions, table, wrap } from '../report/layout.js';
import { CONNECTION, OUTPUT } from './flags.js';
import { widthOf } from './connect.js';
import { VERSION } from '../version.js';

/** The help of one command. */
export function commandHelp(c: CommandSpec, width = 80): string {
  const out: string[] = [];
  c.usage.forEach((u, i) => out.push(...wrap(`h2doctor ${u}`, width, { indent: i === 0 ? 'Usage: ' : '       ', hanging: '         ' })));
  out.push('');
  out.push(...wrap(c.description, width));
  out.push('');
  const inGroup = (g: readonly FlagSpec[], fl: FlagSpec) => g.some((x) => x.name === fl.name);
  const shown = c.flags.filter((fl) => !fl.hidden);
  const own = shown.filter((fl) => !inGroup(CONNECTION, fl) && !inGroup(OUTPUT, fl));
  const conn = shown.filter((fl) => inGroup(CONNECTION, fl));
  const output = shown.filter((fl) => inGroup(OUTPUT, fl) && !inGroup(CONNECTION, fl));
  const rows = (list: readonly FlagSpec[]) => list.map((fl) => [flagLabel(fl), fl.help] as const);
  const first = [...(c.args ?? []).map((a) => [a.name, a.help] as const), ...rows(own)];
  // One term column for the whole help, at most 28 wide (longer terms get a line of their own).
  const termWidth = Math.min(28, Math.max(0, ...[...first, ...rows(shown)].map(([t]) => t.length).filter((n) => n <= 28)));
  const defs = (r: ReadonlyArray<readonly [string, string]>) => definitions(r, width, { termWidth });
  out.push(...defs(first));
  // A command with most of the connection group shows it as one block, named as curl's.
  if (conn.length > 3) out.push('', 'Connection options (curl\'s names and meanings):', ...defs(rows(conn)));
  else if (conn.length) out.push(...defs(rows(conn)));
  if (output.length) out.push('', 'Output:', ...defs(rows(output)));
  if (c.footer) {
    out.push('');
    for (const l of c.footer.split('\n')) out.push(...wrap(l, width));
  }
  return out.join('\n') + '\n';
}

/** `h2doctor --help`: the commands, then the default command's options. */
export function mainHelp(width = 80): string {
  const out = [`h2doctor ${VERSION} — why does HTTP/2 fail here, and how do I fix it?`, ''];
  out.push('Usage: h2doctor <url> [options]          (same as: h2doctor diagnose <url>)');
  out.push('       h2doctor <command> [options]');
  out.push('       h2doctor help <command>');
  out.push('');
  out.push('Commands:');
  out.push(...table(visibleCommands().map((c) => [c.name, c.summary]), width, { indent: '  ' }));
  out.push('');
  const d = commandHelp(commandSpec('diagnose'), width).split('\n');
  // From the diagnose help: its description and options, not its usage line.
  out.push(...d.slice(d.indexOf('') + 1));
  return out.join('\n').replace(/\n+$/, '\n');
}

function visibleCommands(): Command[] {
  return [...COMMANDS];
}

export async function helpCommand(args: string[], io: CliIO): Promise<number> {
  const p = parseArgv(commandSpec('help'), args);
  const width = widthOf(io);
  const [name, ...more] = p.positionals;
  if (name === undefined || p.bool('help')) {
    io.stdout(name === undefined ? mainHelp(width) : commandHelp(commandSpec('help'), width));
    return EXIT.ok;
  }
  if (more.length) throw new UsageError(`help takes one command, got ${p.positionals.join(' ')}`);
  const c = COMMANDS.find((x) => x.name === name);
  if (!c) {
    const near = suggest(name, COMMANDS.map((x) => x.name));
    throw new UsageError(`no command "${name}"${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; commands: ${COMMANDS.map((x) => x.name).join(', ')}`);
  }
  io.stdout(commandHelp(c, width));
  return EXIT.ok;
}
