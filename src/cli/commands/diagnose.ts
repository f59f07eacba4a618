/**
 * `h2doctor [diagnose] <url>`: the main command.
 */
import { readFile } from 'node:fs/promises';
import type { CliIO } from '../io.js';
import { EXIT, UsageError } from '../io.js';
import { intFlag, parse } from '../args.js';
import { diagnose, DEFAULTS } from '../../diagnose.js';
import { parseResolve, parseTarget } from '../../target.js';
import { renderJson } from '../../report/json.js';
import { renderTerminal } from '../../report/terminal.js';
import type { Report } from '../../types.js';

export const DIAGNOSE_HELP = `Usage: h2doctor [diagnose] <url> [options]

Says whether HTTP/2 works on <url> and, if not, why, with the evidence, the fix and the
commands that reproduce it.

  <url>                    https://host[:port][/path] or http://host:port (a bare host means https)
  --json                   print the JSON report (schemaVersion 1)
  --timeout <ms>           deadline for each probe (default ${DEFAULTS.timeoutMs})
  --resolve <host:port:addr[,addr]>
                           use these addresses for host:port, as curl does (repeatable)
  --cacert <file>          PEM CA bundle to verify the server with (replaces the default roots)
  --sni <name>             send this SNI instead of the URL's host ('' sends none)
  --max-addresses <n>      probe at most n addresses of the name (default ${DEFAULTS.maxAddresses})
  -v, --verbose            show every probe
  --no-color               no colour (also NO_COLOR, and output that is not a terminal)
  -h, --help               this help

Exit status: 0 ok or warnings, 1 HTTP/2 fails, 2 bad usage, 3 internal error.
`;

export const DIAGNOSE_FLAGS = {
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  resolve: { type: 'string', multiple: true },
  cacert: { type: 'string' },
  sni: { type: 'string' },
  'max-addresses': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function diagnoseCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, DIAGNOSE_FLAGS);
  if (values.help) {
    io.stdout(DIAGNOSE_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('no URL given (try: h2doctor https://example.com)');
  if (positionals.length > 1) throw new UsageError(`one URL at a time, got ${positionals.length}: ${positionals.join(' ')}`);
  const target = parseTarget(positionals[0]!, values.sni);
  const timeoutMs = intFlag('--timeout', values.timeout, 1, 600_000);
  const maxAddresses = intFlag('--max-addresses', values['max-addresses'], 1, 64);
  const resolve = (values.resolve ?? []).map(parseResolve);
  let ca: string | undefined;
  if (values.cacert !== undefined) ca = await readCa(values.cacert);
  const report = await diagnose(target, {
    resolve,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxAddresses !== undefined ? { maxAddresses } : {}),
    ...(ca ? { ca } : {}),
  });
  io.stdout(values.json ? renderJson(report) : renderTerminal(report, { color: io.color && !values['no-color'], verbose: !!values.verbose }));
  return exitFor(report);
}

export function exitFor(r: Report): number {
  return r.verdict === 'fail' ? EXIT.fail : EXIT.ok;
}

export async function readCa(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--cacert: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--cacert: ${file} holds no PEM certificate`);
  return text;
}
