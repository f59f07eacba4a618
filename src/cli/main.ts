#!/usr/bin/env node
/**
 * The process entry: binds CliIO to the real process and exits with the command's code.
 */
import { runCli } from './run.js';
import type { CliIO } from './io.js';
import { EXIT } from './io.js';

const noColor = 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';
const io: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdinIsTTY: !!process.stdin.isTTY,
  color: !!process.stdout.isTTY && !noColor && process.env.TERM !== 'dumb',
  env: process.env,
  cwd: process.cwd(),
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
    // A probe socket or server left open must not keep the CLI alive.
    setTimeout(() => process.exit(code), 1500).unref();
  },
  (e) => {
    process.stderr.write(`h2doctor: internal error: ${String(e)}\n`);
    process.exit(EXIT.internal);
  },
);
