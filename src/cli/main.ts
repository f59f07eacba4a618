#!/usr/bin/env node
/**
 * The process entry: binds CliIO to the real process and exits with the command's code.
 * `--version` is answered before anything else is loaded (start-up time is part of the contract:
 * bench/startup.bench.mjs); every other command loads the dispatcher, which loads only its command.
 */
import { readLines } from './stdin-lines.js';
import { VERSION } from '../version.js';
import type { CliIO } from './io.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`h2doctor ${VERSION}\n`);
} else {
  void Promise.all([import('./run.js'), import('./io.js'), import('../model/errors.js')]).then(([{ runCli }, { EXIT, STDIN_MAX_BYTES }, { UsageError }]) => {
    const env = process.env;
    // FORCE_COLOR (any value but 0/false) wins over NO_COLOR, as in Node itself; --color overrides both.
    const force = env.FORCE_COLOR !== undefined && !['0', 'false'].includes(env.FORCE_COLOR);
    const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
    // A closed pipe (`h2doctor trace … | head -1`) ends the output quietly: no stack, no more writes;
    // the command finishes and exits with its own status.
    const closed = { stdout: false, stderr: false };
    for (const name of ['stdout', 'stderr'] as const) {
      process[name].on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        closed[name] = true;
      });
    }
    const write = (name: 'stdout' | 'stderr', t: string) => {
      if (closed[name]) return;
      try {
        process[name].write(t);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
        closed[name] = true;
      }
    };
    const io: CliIO = {
      // --max-time counts from the process's start.
      startedAt: 0,
      stdout: (t) => write('stdout', t),
      stderr: (t) => write('stderr', t),
      readStdin: () => readAllStdin(STDIN_MAX_BYTES, (m) => new UsageError(m)),
      readStdinLines: (onLine, maxLine, maxBytes = Infinity) => readStdinLines(onLine, maxLine, maxBytes, (m) => new UsageError(m)),
      stdinIsTTY: !!process.stdin.isTTY,
      stdoutIsTTY: !!process.stdout.isTTY,
      stderrIsTTY: !!process.stderr.isTTY,
      color: force || (!!process.stdout.isTTY && !noColor && env.TERM !== 'dumb'),
      ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
      env: process.env,
      cwd: process.cwd(),
    };

    runCli(argv, io).then(
      (code) => {
        process.exitCode = code;
        // The command is done: exit once stdout and stderr are flushed. A probe socket still closing
        // (a hostile server that never ends its side) must not keep the CLI alive past --max-time.
        const exit = () => process.exit(code);
        if (closed.stdout || closed.stderr || (process.stdout.writableLength === 0 && process.stderr.writableLength === 0)) exit();
        else process.stdout.write('', () => process.stderr.write('', exit));
        setTimeout(exit, 1500).unref();
      },
      (e) => {
        process.stderr.write(`h2doctor: internal error: ${String(e)}\n`);
        process.exit(EXIT.internal);
      },
    );
  });
}

/** The whole of standard input. Bounded: past `max` bytes the input is refused at once (exit 2), whatever its size. */
async function readAllStdin(max: number, refuse: (message: string) => Error): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    size += (c as Buffer).length;
    if (size > max) {
      process.stdin.destroy();
      throw refuse(`standard input is over ${max / (1024 * 1024)} MiB; refused (pass the relevant part, or a file)`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Standard input line by line (cli/stdin-lines.ts). */
function readStdinLines(onLine: (line: string, fullLength: number) => void, maxLine: number, maxBytes: number, refuse: (message: string) => Error): Promise<void> {
  return readLines(process.stdin, onLine, { maxLine, maxBytes, refuse, stop: () => process.stdin.destroy() });
}
