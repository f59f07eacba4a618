/**
 * A trace judged by the diagnosis rules: what the traced connection showed becomes the probes'
 * evidence (TCP, TLS, the HTTP/2 exchange, the answer to Upgrade: h2c), and the same rules as
 * `diagnose` name the problems, with the same codes and words.
 */
import type { AddressEvidence, ConnectOutcome, Finding, Http1Result, Http2Result, Probe, ProbeCommon, Target, TlsResult, Classified } from '../model/index.js';
import { diagnoseEvidence } from '../diagnosis/index.js';
import { bracketHost } from '../wire/ip.js';
import type { Problem } from '../model/trace.js';
import type { RequestSent, WsHandshakeCheck, WsRoundTrip } from '../model/upgrade-probes.js';
import type { RawTlsResult } from '../model/tls-probes.js';

/** The proxy's answer to the trace's CONNECT (the fields of diagnose's `proxy-connect` probe). */
export type TraceHop = Pick<Extract<Probe, { kind: 'proxy-connect' }>, 'proxy' | 'authority' | 'credentials' | 'outcome' | 'detail' | 'status' | 'reason' | 'headers'> & {
  bytesSent: number;
  bytesReceived: number;
  ms: number;
};

/** What a trace saw, in the order it saw it. */
export interface TraceSeen {
  /** How the address was found (a --resolve pin makes reproduce commands pin it too). */
  source?: 'dns' | 'resolve-pin' | 'literal';
  address: string;
  port: number;
  connect: ConnectOutcome;
  /** Through a proxy: its answer to CONNECT (`connect` is then the tunnel's outcome). */
  hop?: TraceHop;
  /** `flight`: a failed handshake's server flight read raw, when it left a message unfinished (src/trace/flight.ts). */
  tls?: { result: TlsResult; first?: Classified; flight?: RawTlsResult };
  h2?: Http2Result;
  /** The HTTP/1.1 answer to `Upgrade: h2c` (cleartext without prior knowledge). */
  upgrade?: Http1Result;
  /** A ws:// or wss:// trace: the WebSocket handshake and what followed the 101 (src/trace/websocket.ts). */
  ws?: { request: RequestSent; h1: Http1Result; handshake?: WsHandshakeCheck; roundTrip?: WsRoundTrip };
  bytesSent: number;
  bytesReceived: number;
  durationMs: number;
}

/**
 * The trace's evidence as the probes' records of one address.
 * @example traceEvidence(target, { address: '127.0.0.1', port: 80, connect: { ok: false, error: 'refused', message: 'x', ms: 1 }, bytesSent: 0, bytesReceived: 0, durationMs: 1 })
 */
export function traceEvidence(target: Target, s: TraceSeen): AddressEvidence {
  const common = (name: string): ProbeCommon => ({
    id: `${bracketHost(s.address)}/trace-${name}`,
    address: s.address,
    port: s.port,
    startMs: 0,
    durationMs: s.durationMs,
    bytesSent: s.bytesSent,
    bytesReceived: s.bytesReceived,
    connect: s.connect,
  });
  // Through a proxy, as diagnose records it: the CONNECT first, and a TCP probe only once the tunnel is up.
  const probes: Probe[] = [];
  if (s.hop) {
    const { bytesSent, bytesReceived, ms, ...hop } = s.hop;
    probes.push({ kind: 'proxy-connect', name: 'proxy-connect', ...common('proxy-connect'), bytesSent, bytesReceived, durationMs: ms, ...hop });
  }
  if (!s.hop || s.hop.outcome === 'tunnel') probes.push({ kind: 'tcp', ...common('tcp') });
  if (s.connect.ok && isWs(target)) {
    // A WebSocket trace: TLS (wss, ALPN http/1.1 only), then the handshake and the frames after the 101.
    if (s.tls) probes.push({ kind: 'tls', name: 'tls-default', ...common('tls'), tls: s.tls.result, ...(s.tls.first ? { first: s.tls.first } : {}) });
    if (s.ws) probes.push({ kind: 'websocket', name: 'ws-upgrade', ...common('ws'), request: s.ws.request, trigger: 'target', ...(s.tls ? { tls: s.tls.result } : {}), h1: s.ws.h1, ...(s.ws.handshake ? { handshake: s.ws.handshake } : {}), ...(s.ws.roundTrip ? { roundTrip: s.ws.roundTrip } : {}) });
  } else if (s.connect.ok && s.tls) {
    probes.push({ kind: 'tls', name: 'tls-default', ...common('tls'), tls: s.tls.result, ...(s.tls.first ? { first: s.tls.first } : {}) });
    // The same hello as the handshake's (Node's own), its answer read from the bytes: diagnose's 'mirror'.
    if (s.tls.flight) probes.push({ kind: 'tls-raw', label: 'mirror', purpose: "the traced handshake's server flight, read raw", ...common('tls-flight'), raw: s.tls.flight });
    if (s.h2) probes.push({ kind: 'h2', name: 'h2-tls', ...common('h2'), tls: s.tls.result, h2: s.h2 });
  } else if (s.connect.ok && s.upgrade) {
    probes.push({ kind: 'h2c-upgrade', ...common('h2c-upgrade'), upgrade: s.upgrade, ...(s.h2 ? { h2: s.h2 } : {}) });
  } else if (s.connect.ok && s.h2) {
    probes.push({ kind: 'h2', name: 'h2c-prior-knowledge', ...common('h2c'), h2: s.h2 });
  }
  return { address: s.address, target, probes };
}

/**
 * The findings of the diagnosis rules on what a trace saw.
 * @example judgeTrace(target, seen, new Date().toISOString()).map((f) => f.code) // e.g. ['alpn-no-h2']
 */
export function judgeTrace(target: Target, s: TraceSeen, now: string): Finding[] {
  const ev = traceEvidence(target, s);
  const findings = diagnoseEvidence({ target, resolution: { source: s.source ?? 'literal', addresses: [s.address] }, evidence: [ev], now }).findings;
  // A WebSocket trace offers ALPN http/1.1 alone (RFC 6455 is HTTP/1.1): what ALPN chose says nothing about HTTP/2 there.
  return isWs(target) ? findings.filter((f) => f.code !== 'alpn-no-h2' && f.code !== 'alpn-ignored') : findings;
}

const isWs = (t: Target) => t.scheme === 'ws' || t.scheme === 'wss';

/** A finding as a trace problem: its code and title, as `diagnose` words it. */
export function findingProblem(f: Pick<Finding, 'code' | 'severity' | 'title'>): Problem {
  return { level: f.severity, text: `${f.code}: ${f.title}` };
}
