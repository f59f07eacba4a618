/**
 * Command dispatch: argv in, exit code out. Only `main.ts` touches the real process.
 */
import type { CliIO } from './io.js';
import { EXIT, UsageError } from './io.js';
import { diagnoseCommand, DIAGNOSE_HELP } from './commands/diagnose.js';
import { labCommand } from './commands/lab.js';
import { explainCommand } from './commands/explain.js';
import { traceCommand } from './commands/trace.js';
import { checkCommand } from './commands/check.js';
import { initCommand } from './commands/init.js';
import { diagnose } from '../diagnose.js';
import { VERSION } from '../version.js';

type Command = (args: string[], io: CliIO) => Promise<number>;

/** Subcommands; others register here as they land. */
export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  diagnose: { run: diagnoseCommand, summary: 'diagnose HTTP/2 on a URL (the default command)' },
  trace: { run: traceCommand, summary: 'one connection frame by frame; --pcap writes a capture Wireshark opens decrypted' },
  lab: { run: labCommand, summary: 'serve or diagnose the embedded failure lab on loopback' },
  explain: {
    // `--url` confirms a candidate cause with a real diagnosis.
    run: (args, io) => explainCommand(args, io, { confirm: async (url) => ({ codes: (await diagnose(url)).findings.map((f) => f.code) }) }),
    summary: 'map a pasted error message to its causes (and confirm one with --url)',
  },
  check: { run: checkCommand, summary: 'run a checks file (HTTP/2 expectations as code) against an environment, for CI' },
  init: { run: initCommand, summary: "write a starter checks file from a URL's current behaviour" },
};

export function registerCommand(name: string, run: Command, summary: string): void {
  COMMANDS[name] = { run, summary };
}

export const MAIN_HELP = () => `h2doctor ${VERSION} — why does HTTP/2 fail here, and how do I fix it?

Usage: h2doctor <url> [options]          (same as: h2doctor diagnose <url>)
       h2doctor <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([k, v]) => `  ${k.padEnd(10)} ${v.summary}`)
  .join('\n')}

${DIAGNOSE_HELP.split('\n').slice(5).join('\n')}`;

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      io.stdout(MAIN_HELP());
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === '--version' || first === '-V') {
      io.stdout(`h2doctor ${VERSION}\n`);
      return EXIT.ok;
    }
    const cmd = COMMANDS[first];
    if (cmd) return await cmd.run(rest, io);
    return await diagnoseCommand(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`h2doctor: ${e.message}\n`);
      return EXIT.usage;
    }
    const err = e as Error;
    io.stderr(`h2doctor: internal error: ${err?.stack ?? String(e)}\n`);
    return EXIT.internal;
  }
}
