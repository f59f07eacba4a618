/**
 * `h2doctor trace <url>`: one connection, frame by frame, as it happens; optionally a key log, a
 * pcapng that tshark/Wireshark opens decrypted, JSON events, and a redacted bug-report bundle.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { CliIO } from '../io.js';
import { EXIT, UsageError } from '../io.js';
import { intFlag, parse } from '../args.js';
import { isToken } from '../../wire/http/fields.js';
import { parseResolve, parseTarget } from '../../target.js';
import { parseHeaderFlag, readCa } from './diagnose.js';
import { runTrace, TRACE_DEFAULTS } from '../../trace/session.js';
import { renderEvent, renderSummary } from '../../trace/render.js';
import { keylogText, tracePcapng } from '../../trace/pcap.js';
import { buildBundle } from '../../trace/bundle.js';
import { gatherEnvironment } from '../../trace/environment.js';
import { diagnose } from '../../diagnose.js';
import type { TraceOptions } from '../../trace/types.js';

export const TRACE_HELP = `Usage: h2doctor trace <url> [options]

One connection, printed as it happens: TCP connect, the TLS handshake (offered and chosen), then
every HTTP/2 frame both ways, with what is wrong said on the line that shows it.

  <url>                    https://host[:port][/path] or http://host:port
  -X, --request <method>   request method (default GET, or POST with --data)
  -H, --header <'Name: value'>
                           extra request header (repeatable)
  --data <text|@file>      request body, sent as DATA frames under flow control
  --http2-prior-knowledge  cleartext: send the HTTP/2 preface at once (default for http://: Upgrade: h2c)
  --alpn <list>            ALPN protocols to offer, comma-separated (default h2,http/1.1)
  --max-frames <n>         stop after n frames, both directions (default ${TRACE_DEFAULTS.maxFrames})
  --timeout <ms>           deadline for the whole trace (default ${TRACE_DEFAULTS.timeoutMs})
  --resolve <host:port:addr>
                           use this address for host:port, as curl does (repeatable)
  --cacert <file>          PEM CA bundle to verify the server with
  --sni <name>             send this SNI instead of the URL's host ('' sends none)
  --keylog <file>          write the TLS secrets (NSS key log, the SSLKEYLOGFILE format)
  --pcap <file>            write a pcapng of the connection with its TLS secrets inside:
                           tshark -r <file> -Y http2 shows the decrypted frames
  --bundle <file>          write a bug-report bundle: diagnosis, trace and environment, secrets removed
  --json                   print the events as a JSON array
  --no-color               no colour
  -h, --help               this help

Exit status: 0 no problem seen, 1 a problem was seen, 2 bad usage, 3 internal error.
`;

const FLAGS = {
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  'http2-prior-knowledge': { type: 'boolean' },
  alpn: { type: 'string' },
  'max-frames': { type: 'string' },
  timeout: { type: 'string' },
  resolve: { type: 'string', multiple: true },
  cacert: { type: 'string' },
  sni: { type: 'string' },
  keylog: { type: 'string' },
  pcap: { type: 'string' },
  bundle: { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function traceCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, FLAGS);
  if (values.help) {
    io.stdout(TRACE_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('no URL given (try: h2doctor trace https://example.com)');
  if (positionals.length > 1) throw new UsageError(`one URL at a time, got ${positionals.length}: ${positionals.join(' ')}`);
  const target = parseTarget(positionals[0]!, values.sni);
  if (target.scheme === 'ws' || target.scheme === 'wss') throw new UsageError('trace takes http:// or https:// URLs');
  if (values['http2-prior-knowledge'] && target.tls) throw new UsageError('--http2-prior-knowledge is for cleartext http:// URLs (over TLS, ALPN chooses HTTP/2)');

  const o: TraceOptions = { resolve: (values.resolve ?? []).map(parseResolve) };
  if (values.cacert !== undefined) o.ca = await readCa(values.cacert);
  const timeoutMs = intFlag('--timeout', values.timeout, 1, 600_000);
  if (timeoutMs !== undefined) o.timeoutMs = timeoutMs;
  const maxFrames = intFlag('--max-frames', values['max-frames'], 1, 1_000_000);
  if (maxFrames !== undefined) o.maxFrames = maxFrames;
  if (values.request !== undefined) {
    // RFC 9110 §9.1: a method is a token.
    if (!isToken(values.request)) throw new UsageError(`-X: not a valid method: ${JSON.stringify(values.request)}`);
    o.method = values.request;
  }
  if (values.header?.length) o.headers = values.header.map(parseHeaderFlag);
  if (values.data !== undefined) o.data = await readData(values.data);
  if (values['http2-prior-knowledge']) o.priorKnowledge = true;
  if (values.alpn !== undefined) {
    const list = values.alpn.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.length === 0 || list.some((p) => p.length > 255 || !/^[\x21-\x7e]+$/.test(p))) throw new UsageError(`--alpn wants a comma-separated list of protocol names, got ${JSON.stringify(values.alpn)}`);
    o.alpn = list;
  }
  if (!target.tls && (values.keylog !== undefined || values.alpn !== undefined)) {
    throw new UsageError(`${values.keylog !== undefined ? '--keylog' : '--alpn'} needs an https:// URL (cleartext has no TLS)`);
  }

  const color = io.color && !values['no-color'];
  const trace = await runTrace(target, o, values.json ? undefined : (e) => io.stdout(renderEvent(e, { color })));
  if (values.json) io.stdout(`${JSON.stringify(trace.events, null, 2)}\n`);
  else io.stdout(renderSummary(trace.events));

  if (values.keylog !== undefined) await writeOut(values.keylog, keylogText(trace), '--keylog', io);
  if (values.pcap !== undefined) {
    const file = tracePcapng(trace);
    if (file) await writeOut(values.pcap, file, '--pcap', io);
    else io.stderr(`h2doctor: --pcap: no connection opened, nothing written to ${values.pcap}\n`);
  }
  if (values.bundle !== undefined) {
    let report;
    let reportError: string | undefined;
    try {
      report = await diagnose(target, {
        env: io.env,
        ...(o.resolve ? { resolve: [...o.resolve] } : {}),
        ...(o.ca ? { ca: o.ca } : {}),
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
        ...(o.method ? { method: o.method } : {}),
        ...(o.headers ? { headers: o.headers } : {}),
      });
    } catch (e) {
      reportError = (e as Error).message;
    }
    const text = buildBundle({ argv: ['trace', ...args], trace, ...(report ? { report } : {}), ...(reportError ? { reportError } : {}), environment: await gatherEnvironment(io.env) });
    await writeOut(values.bundle, text, '--bundle', io);
  }
  return trace.errors.length ? EXIT.fail : EXIT.ok;
}

async function readData(v: string): Promise<Uint8Array> {
  if (!v.startsWith('@')) return new TextEncoder().encode(v);
  try {
    return new Uint8Array(await readFile(v.slice(1)));
  } catch (e) {
    throw new UsageError(`--data: cannot read ${v.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function writeOut(file: string, data: string | Uint8Array, flag: string, io: CliIO): Promise<void> {
  try {
    // Key material and captures are for this user only.
    await writeFile(file, data, { mode: 0o600 });
  } catch (e) {
    throw new UsageError(`${flag}: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.stderr(`h2doctor: wrote ${flag.slice(2)} to ${file}\n`);
}
