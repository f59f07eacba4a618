/**
 * Command dispatch: argv in, exit code out. Only `main.ts` touches the real process.
 */
import type { CliIO } from './io.js';
import { EXIT, UsageError } from './io.js';
import { diagnoseCommand, DIAGNOSE_HELP } from './commands/diagnose.js';
import { VERSION } from '../version.js';

type Command = (args: string[], io: CliIO) => Promise<number>;

/**
 * Subcommands. Each is imported only when run: `h2doctor <url>` must not pay for loading the lab,
 * the explain catalogue or the YAML/JSON-schema stack (start-up time is part of "under a second").
 */
export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  diagnose: { run: diagnoseCommand, summary: 'diagnose HTTP/2 on a URL (the default command)' },
  trace: { run: lazy(() => import('./commands/trace.js').then((m) => m.traceCommand)), summary: 'one connection frame by frame; --pcap writes a capture Wireshark opens decrypted' },
  lab: { run: lazy(() => import('./commands/lab.js').then((m) => m.labCommand)), summary: 'serve or diagnose the embedded failure lab on loopback' },
  explain: {
    // `--url` confirms a candidate cause with a real diagnosis.
    run: lazy(async () => {
      const [{ explainCommand }, { diagnose }] = await Promise.all([import('./commands/explain.js'), import('../diagnose.js')]);
      return (args: string[], io: CliIO) => explainCommand(args, io, { confirm: async (url) => ({ codes: (await diagnose(url)).findings.map((f) => f.code) }) });
    }),
    summary: 'map a pasted error message to its causes (and confirm one with --url)',
  },
  check: { run: lazy(() => import('./commands/check.js').then((m) => m.checkCommand)), summary: 'run a checks file (HTTP/2 expectations as code) against an environment, for CI' },
  init: { run: lazy(() => import('./commands/init.js').then((m) => m.initCommand)), summary: "write a starter checks file from a URL's current behaviour" },
};

function lazy(load: () => Promise<Command>): Command {
  return async (args, io) => (await load())(args, io);
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
