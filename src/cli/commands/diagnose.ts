/**
 * `h2doctor [diagnose] <url>`: the main command.
 */
import { readFile } from 'node:fs/promises';
import type { CliIO } from '../io.js';
import { EXIT, UsageError } from '../io.js';
import { intFlag, parse } from '../args.js';
import { isToken } from '../../wire/http/fields.js';
import { diagnose, DEFAULTS, type DiagnoseOptions } from '../../diagnose.js';
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
  --survey                 enumerate the server's TLS versions, ciphers, groups and ALPN (more connections)
  --rate <n>               with --survey: at most n new connections per second
  -X, --request <method>   method for the HTTP requests (default GET)
  -H, --header <'Name: value'>
                           extra request header (repeatable)
  --websocket <path>       also test a WebSocket upgrade on this path (ws:// and wss:// URLs test theirs)
  --ws-protocol <name>     WebSocket subprotocol to offer (repeatable)
  --proxy <url>            go through this HTTP proxy (CONNECT); default from HTTPS_PROXY / HTTP_PROXY / NO_PROXY
  --no-proxy               ignore the proxy variables
  --compare-direct         with a proxy: probe the direct path too and compare ALPN and certificates
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
  survey: { type: 'boolean' },
  rate: { type: 'string' },
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  websocket: { type: 'string' },
  'ws-protocol': { type: 'string', multiple: true },
  proxy: { type: 'string' },
  'no-proxy': { type: 'boolean' },
  'compare-direct': { type: 'boolean' },
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
  const resolve = (values.resolve ?? []).map(parseResolve);
  let ca: string | undefined;
  if (values.cacert !== undefined) ca = await readCa(values.cacert);
  const report = await diagnose(target, { ...optionsFromFlags(values, io), resolve, ...(ca ? { ca } : {}) });
  io.stdout(values.json ? renderJson(report) : renderTerminal(report, { color: io.color && !values['no-color'], verbose: !!values.verbose }));
  return exitFor(report);
}

type Flags = ReturnType<typeof parse<typeof DIAGNOSE_FLAGS>>['values'];

/** The diagnosis options the flags ask for; bad values are UsageErrors. Shared by commands that diagnose. */
export function optionsFromFlags(values: Partial<Flags>, io: CliIO): DiagnoseOptions {
  const o: DiagnoseOptions = { env: io.env };
  const timeoutMs = intFlag('--timeout', values.timeout, 1, 600_000);
  if (timeoutMs !== undefined) o.timeoutMs = timeoutMs;
  const maxAddresses = intFlag('--max-addresses', values['max-addresses'], 1, 64);
  if (maxAddresses !== undefined) o.maxAddresses = maxAddresses;
  if (values.survey) o.survey = true;
  const rate = intFlag('--rate', values.rate, 1, 10_000);
  if (rate !== undefined) {
    if (!values.survey) throw new UsageError('--rate goes with --survey');
    o.rate = rate;
  }
  if (values.request !== undefined) {
    // RFC 9110 §9.1: a method is a token.
    if (!isToken(values.request)) throw new UsageError(`-X: not a valid method: ${JSON.stringify(values.request)}`);
    o.method = values.request;
  }
  if (values.header?.length) o.headers = values.header.map(parseHeaderFlag);
  if (values.websocket !== undefined) {
    if (!values.websocket.startsWith('/')) throw new UsageError(`--websocket wants a path starting with /, got ${JSON.stringify(values.websocket)}`);
    o.websocket = values.websocket;
  }
  if (values['ws-protocol']?.length) {
    for (const p of values['ws-protocol']) if (!isToken(p)) throw new UsageError(`--ws-protocol: not a token: ${JSON.stringify(p)}`);
    o.wsProtocols = values['ws-protocol'];
  }
  if (values.proxy !== undefined && values['no-proxy']) throw new UsageError('--proxy and --no-proxy contradict each other');
  if (values.proxy !== undefined) {
    let u: URL;
    try {
      u = new URL(values.proxy);
    } catch {
      throw new UsageError(`--proxy: not a valid URL: ${JSON.stringify(values.proxy)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--proxy: unsupported proxy scheme "${u.protocol}" (use http:// or https://)`);
    o.proxy = values.proxy;
  }
  if (values['no-proxy']) o.proxy = null;
  if (values['compare-direct']) o.compareDirect = true;
  return o;
}

/** `-H 'Name: value'`, as curl takes it. */
export function parseHeaderFlag(h: string): [string, string] {
  const i = h.indexOf(':');
  const name = i > 0 ? h.slice(0, i).trim() : '';
  if (!isToken(name)) throw new UsageError(`-H wants 'Name: value', got ${JSON.stringify(h)}`);
  const value = h.slice(i + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new UsageError(`-H: the value of ${name} holds a line break`);
  return [name, value];
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
