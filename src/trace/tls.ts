/**
 * The TLS step of a trace: what we offered (the ClientHello read back from our own bytes), what the
 * server chose or why the handshake failed, the key log; the diagnosis rules judge the handshake.
 */
import type { Target, TlsResult } from '../model/index.js';
import { tlsHandshake } from '../transport/tls.js';
import { classify } from '../wire/sniff.js';
import { concat, toHex } from '../wire/bytes.js';
import { parseRecords, HandshakeReassembler } from '../wire/tls/record.js';
import { parseClientHello, type ParsedClientHello } from '../wire/tls/client-hello.js';
import { summarizeServerFlight } from '../wire/tls/server-flight.js';
import { cipherSuiteName, groupName, isGrease, versionName } from '../wire/tls/registry.js';
import { findingProblem } from './judge.js';
import { FLIGHT_BYTES, unfinishedFlight } from './flight.js';
import { TRACE_DEFAULTS, type TraceRecorder } from './recorder.js';
import type { TraceWire } from './connect.js';
import { printable } from './text.js';
import type { TraceOptions } from './types.js';
import type { Problem, TraceEventBody } from '../model/trace.js';

type Handshake = Awaited<ReturnType<typeof tlsHandshake>>;

/** The handshake, with the offer said as soon as our ClientHello is complete and the server's flight kept (bounded) for its reading. */
async function handshake(rec: TraceRecorder, wire: TraceWire, target: Target, o: TraceOptions, deadline: number): Promise<{ hs: Handshake; inbound: Uint8Array; ch?: ParsedClientHello }> {
  let out: Uint8Array = new Uint8Array(0);
  let offered: ParsedClientHello | undefined;
  const inbound: Uint8Array[] = [];
  let inboundBytes = 0;
  const hs = await tlsHandshake(wire.raw, {
    sni: target.sni,
    verifyHost: target.host,
    alpn: o.alpn ?? [...TRACE_DEFAULTS.alpn],
    ...(o.ca ? { ca: o.ca } : {}),
    ...(o.clientCert ? { clientCert: o.clientCert } : {}),
    deadline,
    // An endless handshake is abandoned with what arrived ("N handshake records, M bytes, no progress").
    maxBytes: TRACE_DEFAULTS.handshakeBytes,
    onKeylog: (line) => rec.keylog.push(line.toString('latin1').trimEnd()),
    onOut: (c) => {
      rec.keep('out', new Uint8Array(c));
      if (offered) return;
      out = concat([out, c]);
      const ch = clientHello(out);
      if (ch) {
        offered = ch;
        rec.emit(offerEvent(ch));
      }
    },
    onIn: (c) => {
      rec.keep('in', new Uint8Array(c));
      if (inboundBytes < FLIGHT_BYTES) {
        inbound.push(c);
        inboundBytes += c.length;
      }
    },
  });
  return { hs, inbound: concat(inbound), ...(offered ? { ch: offered } : {}) };
}

/** The `tls` event: Node's result, completed from our own reading of the server's flight. */
function tlsEvent(hs: Handshake, inbound: Uint8Array): TraceEventBody {
  const r: TlsResult = hs.result;
  const flight = summarizeServerFlight(inbound, { maxBytes: FLIGHT_BYTES });
  const sh = flight.serverHello;
  let group: string | undefined;
  const eph = hs.secure?.getEphemeralKeyInfo();
  if (eph && typeof eph === 'object' && 'name' in eph && eph.name) group = String(eph.name);
  else if (sh?.keyShare) group = groupName(sh.keyShare.group);
  else if (flight.serverKeyExchange?.groupName) group = flight.serverKeyExchange.groupName;
  const cipherName = r.cipher?.standardName ?? (sh ? cipherSuiteName(sh.cipherSuite) : undefined);
  return {
    kind: 'tls',
    outcome: r.outcome,
    sni: r.sni,
    ...(r.version ? { version: r.version } : sh ? { version: versionName(sh.version) } : {}),
    ...(cipherName ? { cipher: cipherName } : {}),
    ...(group ? { group } : {}),
    ...(r.outcome === 'handshake' ? { alpn: r.alpn ?? null } : {}),
    ...(r.cert ? { cert: { subject: r.cert.subject, issuer: r.cert.issuer, validFrom: r.cert.validFrom, validTo: r.cert.validTo, altNames: r.cert.altNames } } : {}),
    ...(r.verify ? { verified: r.verify.ok } : {}),
    ...(r.verify && !r.verify.ok ? { verifyError: `${r.verify.code}: ${r.verify.message}` } : {}),
    ...(r.alert ? { alert: `${r.alert.level} ${r.alert.name} (${r.alert.code})` } : {}),
    ...(r.error ? { error: `${r.error.code}: ${r.error.message}` } : {}),
    ...(r.handshakeMs !== undefined ? { ms: r.handshakeMs } : {}),
  };
}

/**
 * TLS over the trace's connection. The secure stream when the handshake completed; undefined when it
 * failed (the events say why and the connection is closed).
 */
export async function traceTls(rec: TraceRecorder, wire: TraceWire, target: Target, o: TraceOptions, deadline: number, timeoutMs: number): Promise<NonNullable<Handshake['secure']> | undefined> {
  const { hs, inbound, ch } = await handshake(rec, wire, target, o, deadline);
  const r = hs.result;
  const ev = tlsEvent(hs, inbound);
  const problems: Problem[] = [];
  rec.seen!.tls = { result: r, ...(hs.first ? { first: hs.first } : {}) };
  if (r.outcome === 'handshake') {
    // The TLS judgements (ALPN, the cipher block list, the certificate) are the diagnosis rules'.
    problems.push(...rec.judge().map(findingProblem));
    // RFC 9113 §3.2: HTTP/2 over TLS is chosen by ALPN "h2"; the trace goes on, as gRPC would.
    if (r.alpn !== 'h2' && target.scheme !== 'wss') problems.push({ level: 'info', text: 'continuing with HTTP/2 anyway, as a prior-knowledge client (gRPC) would' });
    if (r.verify && !r.verify.ok) problems.push({ level: 'info', text: `curl and browsers stop at the certificate; ${o.insecure ? 'accepted (-k)' : 'the trace goes on (like curl -k)'}` });
    rec.emit(ev, problems);
    return hs.secure!;
  }
  const first = hs.first ?? classify(inbound, wire.reset ? 'reset' : 'eof');
  const why: Record<string, string> = {
    alert: `the server refused the handshake with TLS alert ${r.alert?.name ?? ''}`,
    closed: 'the server closed the connection during the TLS handshake',
    reset: 'the server reset the connection during the TLS handshake',
    // Bytes that came without completing the handshake (a drip) are an answer, an unfinished one.
    timeout: inbound.length ? `the TLS handshake did not complete within ${timeoutMs} ms: ${inbound.length >= FLIGHT_BYTES ? 'over ' : ''}${inbound.length} bytes came (${first.summary})` : `no TLS answer within ${timeoutMs} ms`,
    'not-tls': `the server answered the ClientHello with ${first.summary}: this port does not speak TLS (try http://)`,
    error: `the TLS handshake failed: ${r.error?.message ?? 'unknown error'}`,
  };
  // A handshake message the server began and never finished (a Certificate of megabytes) is named from its header.
  const flight = unfinishedFlight(inbound, rec.keylog, ch);
  rec.seen!.tls = { result: r, first, ...(flight ? { flight } : {}) };
  problems.push({ level: 'error', text: why[r.outcome] ?? r.outcome }, ...rec.judge().map(findingProblem));
  // One connection cannot tell whose silence it is: diagnose compares the direct path.
  const hop = rec.seen!.hop;
  if (hop && r.outcome === 'timeout' && inbound.length === 0) problems.push({ level: 'info', text: `through the proxy's tunnel (${hop.detail}): the silence may be the proxy's (a tunnel that relays nothing) or the origin's; h2doctor diagnose with --compare-direct tells which` });
  rec.emit(ev, problems);
  if (inbound.length > 0 && r.outcome === 'not-tls') {
    rec.emit({ kind: 'bytes', dir: 'in', length: inbound.length, summary: first.summary, text: printable(inbound.subarray(0, 200)), hex: toHex(inbound.subarray(0, 64)) });
  }
  rec.capture!.close = { by: r.outcome === 'timeout' ? 'client' : 'server', reset: wire.reset || r.outcome === 'reset', at: rec.epochNow() };
  rec.emit({ kind: 'close', by: r.outcome === 'timeout' ? 'timeout' : wire.reset ? 'reset' : r.outcome === 'error' || r.outcome === 'not-tls' ? 'client' : 'server', detail: r.outcome });
  wire.raw.destroy();
  return undefined;
}

/** The ClientHello in the first bytes we sent, once complete. */
function clientHello(bytes: Uint8Array): ParsedClientHello | undefined {
  try {
    const { records } = parseRecords(bytes, 16);
    const hs = new HandshakeReassembler({ maxMessageSize: 64 * 1024 });
    for (const r of records) if (r.type === 22) hs.push(r.body);
    const m = hs.next();
    return m ? parseClientHello(m.raw) : undefined;
  } catch {
    return undefined;
  }
}

function offerEvent(ch: ParsedClientHello): TraceEventBody {
  const versions = (ch.supportedVersions ?? [ch.legacyVersion]).filter((v) => !isGrease(v)).map(versionName);
  return {
    kind: 'tls-offer',
    sni: ch.serverName ?? null,
    alpn: [...(ch.alpn ?? [])],
    versions,
    ciphers: ch.cipherSuites.filter((c) => !isGrease(c)).map(cipherSuiteName),
    groups: (ch.supportedGroups ?? []).filter((g) => !isGrease(g)).map(groupName),
    keyShares: (ch.keyShares ?? []).filter((k) => !isGrease(k.group)).map((k) => groupName(k.group)),
  };
}
