/**
 * `h2doctor trace <url>`: one connection, frame by frame, as it happens; optionally a key log, a
 * pcapng that tshark/Wireshark opens decrypted, JSON events, and a redacted bug-report bundle.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv } from '../spec.js';
import { commandSpec } from '../registry.js';
import { checkPinsApply, connectionOptions, intFlag, useColor, widthOf } from '../connect.js';
import { parseResolve, parseTarget, redactUrl } from '../../model/target.js';
import { startProgress } from '../progress.js';
import { parseConnectTo } from '../../transport/route.js';
import { checkMethod, oneUrl, parseHeaderFlag } from './diagnose.js';
import { runTrace } from '../../trace/session.js';
import { TRACE_DEFAULTS } from '../../trace/recorder.js';
import { renderEvent, renderSummary } from '../../report/trace.js';
import { fitLines } from '../../report/layout.js';
import { keylogText, tracePcapng } from '../../trace/pcap.js';
import { buildBundle } from '../../trace/bundle.js';
import { gatherEnvironment } from '../../trace/environment.js';
import { diagnose, proxyFor } from '../../diagnose.js';
import type { TraceOptions } from '../../trace/types.js';
import type { TraceEvent } from '../../model/trace.js';
import type { Target } from '../../model/index.js';

export async function traceCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('trace');
  const p = parseArgv(spec, args);
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  const url = oneUrl(p, 'h2doctor trace https://example.com');
  const conn = await connectionOptions(p, io);
  const target = parseTarget(url, conn.sni);
  checkPinsApply(target, conn.resolve);
  if ((target.scheme === 'ws' || target.scheme === 'wss') && (p.bool('http2-prior-knowledge') || p.str('alpn') !== undefined)) throw new UsageError('a ws:// or wss:// trace is the WebSocket handshake over HTTP/1.1: no --http2-prior-knowledge or --alpn');
  if (p.bool('http2-prior-knowledge') && target.tls) throw new UsageError('--http2-prior-knowledge is for cleartext http:// URLs (over TLS, ALPN chooses HTTP/2)');

  const o: TraceOptions = { resolve: (conn.resolve ?? []).map((r) => (typeof r === 'string' ? parseResolve(r) : r)) };
  if (conn.ca !== undefined) o.ca = conn.ca;
  if (conn.timeoutMs !== undefined) o.timeoutMs = conn.timeoutMs;
  // A trace is one connection: its deadline is the whole run's, so --max-time caps it.
  if (conn.deadline !== undefined) o.timeoutMs = Math.max(1, Math.round(Math.min(o.timeoutMs ?? TRACE_DEFAULTS.timeoutMs, conn.deadline - performance.now())));
  if (conn.connectTo) o.connectTo = conn.connectTo.map((c) => (typeof c === 'string' ? parseConnectTo(c) : c));
  if (conn.family) o.family = conn.family;
  if (conn.clientCert) o.clientCert = conn.clientCert;
  if (conn.insecure) o.insecure = true;
  if (conn.userAgent !== undefined) o.userAgent = conn.userAgent;
  const proxy = proxyFor(target, conn);
  if (proxy) o.proxy = proxy;
  const maxFrames = intFlag('--max-frames', p.str('max-frames'), 1, 1_000_000);
  if (maxFrames !== undefined) o.maxFrames = maxFrames;
  const method = p.str('request');
  if (method !== undefined) o.method = checkMethod(method);
  const headers = p.list('header');
  if (headers.length) o.headers = headers.map(parseHeaderFlag);
  const data = p.str('data');
  if (data !== undefined) o.data = await readData(data);
  if (p.bool('http2-prior-knowledge')) o.priorKnowledge = true;
  const alpn = p.str('alpn');
  if (alpn !== undefined) {
    const list = alpn.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.length === 0 || list.some((x) => x.length > 255 || !/^[\x21-\x7e]+$/.test(x))) throw new UsageError(`--alpn wants a comma-separated list of protocol names, got ${JSON.stringify(alpn)}`);
    o.alpn = list;
  }
  const keylog = p.str('keylog');
  const pcap = p.str('pcap');
  const bundle = p.str('bundle');
  const json = p.bool('json');
  if (!target.tls && (keylog !== undefined || alpn !== undefined)) {
    throw new UsageError(`${keylog !== undefined ? '--keylog' : '--alpn'} needs an https:// URL (cleartext has no TLS)`);
  }

  const color = useColor(p, io);
  const trace = await traceWithProgress(target, o, io, json ? undefined : (e) => io.stdout(renderEvent(e, { color, width: widthOf(io) })));
  if (json) io.stdout(`${JSON.stringify({ schemaVersion: 1, url: trace.url, events: trace.events, errors: trace.errors }, null, 2)}\n`);
  else io.stdout(fitLines(renderSummary(trace.events, trace.findings).split('\n'), widthOf(io)).join('\n'));

  if (keylog !== undefined) await writeOut(keylog, keylogText(trace), '--keylog', io);
  if (pcap !== undefined) {
    const file = tracePcapng(trace);
    if (file) await writeOut(pcap, file, '--pcap', io);
    else io.stderr(`h2doctor: --pcap: no connection opened, nothing written to ${pcap}\n`);
  }
  if (bundle !== undefined) {
    let report;
    let reportError: string | undefined;
    try {
      // The bundle's diagnosis is a second run: its own --max-time, not what the trace left of it.
      const { deadline: _spent, ...rest } = conn;
      report = await diagnose(target, {
        ...rest,
        ...(o.method ? { method: o.method } : {}),
        ...(o.headers ? { headers: o.headers } : {}),
      });
    } catch (e) {
      reportError = (e as Error).message;
    }
    const text = buildBundle({ argv: ['trace', ...redactArgs(args)], trace, ...(report ? { report } : {}), ...(reportError ? { reportError } : {}), environment: await gatherEnvironment(io.env) });
    await writeOut(bundle, text, '--bundle', io);
  }
  return trace.errors.length ? EXIT.fail : EXIT.ok;
}

/** runTrace with, on a terminal, a progress line on stderr saying after which event it waits (erased before each event is printed, and at the end). */
async function traceWithProgress(target: Target, o: TraceOptions, io: CliIO, print?: (e: TraceEvent) => void) {
  const maxS = ((o.timeoutMs ?? TRACE_DEFAULTS.timeoutMs) / 1000).toFixed(1);
  let last = 'connecting';
  const progress = () => startProgress(io, (s) => `h2doctor: tracing ${redactUrl(target.url)} ${s} s, at most ${maxS} s: waiting after ${last}`, widthOf(io));
  let stop = progress();
  try {
    return await runTrace(target, o, (e) => {
      stop();
      print?.(e);
      const arrow = 'dir' in e ? `${e.dir === 'in' ? '←' : '→'} ` : '';
      last = `${arrow}${e.kind === 'frame' ? e.typeName : e.kind === 'ws' ? `WebSocket ${e.opcode}` : e.kind}`;
      stop = progress();
    });
  } finally {
    stop();
  }
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

/** The command line for a bug report, without the client key's pass phrase. */
function redactArgs(args: readonly string[]): string[] {
  return args.map((a, i) => {
    if (args[i - 1] === '--pass') return '<redacted>';
    if (a.startsWith('--pass=')) return '--pass=<redacted>';
    const prev = args[i - 1];
    if ((prev === '--cert' || prev === '-E') && /[^\\]:/.test(a)) return a.replace(/^((?:[^:\\]|\\.)*):.*$/s, '$1:<redacted>');
    return a;
  });
}
