/**
 * Command dispatch: argv in, exit code out. Only `main.ts` touches the real process.
 * The commands and their flags are in src/cli/registry.ts and src/cli/flags.ts.
 */
import type { CliIO } from './io.js';
import { EXIT } from './io.js';
import { UsageError } from '../model/errors.js';
import { COMMANDS } from './registry.js';
import { assertUrlLike } from './url-word.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { widthOf } from './connect.js';
import { VERSION } from '../version.js';

export { COMMANDS };

/** The top-level help (the command list and the default command's options). */
export const MAIN_HELP = async (width = 80): Promise<string> => (await import('./help.js')).mainHelp(width);

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '-h' || first === '--help') {
      io.stdout(await MAIN_HELP(widthOf(io)));
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === '--version' || first === '-V') {
      io.stdout(`h2doctor ${VERSION}\n`);
      return EXIT.ok;
    }
    // `diagnose` is loaded eagerly: `h2doctor <url>` is the path that must start fast.
    if (first === 'diagnose') return await diagnoseCommand(rest, io);
    const cmd = COMMANDS.find((c) => c.name === first);
    if (cmd) return await (await cmd.load())(rest, io);
    if (!first.startsWith('-')) assertUrlLike(first);
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

