/**
 * Facts read off a finished `Report`, defined once for the apps that judge a report after the
 * diagnosis (`check`): the ALPN values the server selected, the TLS version and the leaf
 * certificate's end of validity, the response each protocol got (as the protocol matrix names it),
 * a 426's whole body, and the WebSocket handshake's answer. Pure: a report in, plain values out;
 * which probe holds a fact is known here and nowhere above.
 *
 * @example
 * const facts = reportFacts(report);
 * facts.alpn;                    // ['h2', 'http/1.1']
 * facts.responses['h2']?.status; // 200
 */
import type { Http1Result, Http2Result, TlsResult } from './results.js';
import type { Probe } from './probes.js';
import type { Report } from './report.js';
import { isHttp1Answer, isHttp2Answer } from './answers.js';

/** The protocols a response is kept for: HTTP/1.1, HTTP/2 over TLS (h2) and over cleartext (h2c). */
export type AnswerProtocol = 'http/1.1' | 'h2' | 'h2c';

/** A response as seen over one protocol. */
export interface ProtocolResponse {
  status: number;
  /** In order received, names as sent. */
  headers: Array<[string, string]>;
  /** The body (a preview; a 426's whole body when the upgrade family re-read it). */
  body?: string;
}

/** The WebSocket handshake's answer; or why there is none (`notRun`: no WebSocket probe ran at all). */
export type WebSocketAnswer = { status: number; subprotocol: string | null } | { noAnswer: string } | { notRun: true };

/** What a report says, read once. */
export interface ReportFacts {
  /** Every ALPN value the server selected across the TLS handshakes, in order seen; null when it completed handshakes and selected none. */
  alpn: string[] | null;
  /** The negotiated TLS version (Node's name, 'TLSv1.3'); undefined over cleartext or when TLS failed. */
  tlsVersion?: string;
  /** The leaf certificate's notAfter (the certificate section first, else the handshakes' certificate). */
  certNotAfter?: string;
  /** The response each protocol got; with several addresses, the first that answered. */
  responses: Partial<Record<AnswerProtocol, ProtocolResponse>>;
  websocket: WebSocketAnswer;
}

/**
 * The facts of a finished report.
 * @example reportFacts(report).tlsVersion // 'TLSv1.3'
 */
export function reportFacts(report: Report): ReportFacts {
  const probes = report.probes;
  const responses = report.matrix?.length ? responsesFromMatrix(report) : responsesFromProbes(probes);
  const h1 = responses['http/1.1'];
  const body = h1?.status === 426 ? fullBody426(probes) : undefined;
  if (h1 && body !== undefined) h1.body = body;
  const out: ReportFacts = { alpn: selectedAlpn(probes), responses, websocket: websocketAnswer(probes) };
  const tlsVersion = report.negotiated.tlsVersion ?? tlsOf(defaultHandshake(probes))?.version;
  if (tlsVersion !== undefined) out.tlsVersion = tlsVersion;
  const cert = report.certificates?.find((c) => c.chain[0]?.notAfter)?.chain[0]?.notAfter ?? certValidTo(probes);
  if (cert !== undefined) out.certNotAfter = cert;
  return out;
}

const defaultHandshake = (probes: readonly Probe[]): Probe | undefined => probes.find((p) => 'name' in p && p.name === 'tls-default');

function tlsOf(p: Probe | undefined): TlsResult | undefined {
  if (!p || !('tls' in p)) return undefined;
  const t = (p as { tls?: unknown }).tls;
  return typeof t === 'object' && t !== null && 'outcome' in t ? (t as TlsResult) : undefined;
}

function selectedAlpn(probes: readonly Probe[]): string[] | null {
  const seen: string[] = [];
  let handshakes = 0;
  for (const p of probes) {
    const t = tlsOf(p);
    if (!t || t.outcome !== 'handshake') continue;
    handshakes++;
    if (typeof t.alpn === 'string' && !seen.includes(t.alpn)) seen.push(t.alpn);
  }
  return seen.length === 0 && handshakes > 0 ? null : seen;
}

function certValidTo(probes: readonly Probe[]): string | undefined {
  const first = tlsOf(defaultHandshake(probes))?.cert?.validTo;
  if (first !== undefined) return first;
  for (const p of probes) {
    const v = tlsOf(p)?.cert?.validTo;
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * As the protocol matrix names them (which probe answered HTTP/1.1 and HTTP/2 on each address: the
 * choice the report shows), with that probe's full headers and body. Over TLS an HTTP/2 row is h2,
 * over cleartext h2c.
 */
function responsesFromMatrix(report: Report): Partial<Record<AnswerProtocol, ProtocolResponse>> {
  const out: Partial<Record<AnswerProtocol, ProtocolResponse>> = {};
  const byId = new Map(report.probes.map((p) => [p.id, p]));
  for (const row of report.matrix ?? []) {
    const proto: AnswerProtocol | undefined = row.protocol === 'HTTP/1.1' ? 'http/1.1' : row.protocol === 'HTTP/2' ? (row.via === 'tls' ? 'h2' : 'h2c') : undefined;
    if (proto === undefined || out[proto] !== undefined || row.status === undefined) continue;
    const p = byId.get(row.probe);
    const r = p?.kind === 'h1' ? fromH1(p.h1) : p && 'h2' in p && p.h2 ? fromH2(p.h2 as Http2Result) : undefined;
    if (r) out[proto] = r;
  }
  return out;
}

/**
 * From the core probes (a report without a protocol matrix): over TLS `h1-tls` is http/1.1 and
 * `h2-tls` is h2; over cleartext `h1-cleartext` is http/1.1 and h2c comes from prior knowledge or,
 * failing that, the `Upgrade: h2c` exchange.
 */
function responsesFromProbes(probes: readonly Probe[]): Partial<Record<AnswerProtocol, ProtocolResponse>> {
  const out: Partial<Record<AnswerProtocol, ProtocolResponse>> = {};
  const put = (proto: AnswerProtocol, r: ProtocolResponse | undefined) => {
    if (r && out[proto] === undefined) out[proto] = r;
  };
  for (const p of probes) {
    if (isHttp1Answer(p)) put('http/1.1', fromH1(p.h1));
    else if (isHttp2Answer(p)) put(p.name === 'h2-tls' ? 'h2' : 'h2c', fromH2(p.h2));
  }
  for (const p of probes) if (p.kind === 'h2c-upgrade' && p.h2) put('h2c', fromH2(p.h2));
  return out;
}

function fromH1(h: Http1Result): ProtocolResponse | undefined {
  if (h.outcome !== 'response' || h.status === undefined) return undefined;
  return { status: h.status, headers: h.headers ?? [], ...(h.bodyPreview !== undefined ? { body: h.bodyPreview } : {}) };
}

function fromH2(h: Http2Result): ProtocolResponse | undefined {
  if (h.outcome !== 'response' || h.status === undefined) return undefined;
  return { status: h.status, headers: h.headers ?? [] };
}

/** The whole body of a 426 when the upgrade family re-read it (`body-426`): the core probes keep only a preview. */
function fullBody426(probes: readonly Probe[]): string | undefined {
  for (const p of probes) if (p.kind === 'h1-request' && p.name === 'body-426' && p.body !== undefined) return p.body;
  return undefined;
}

/**
 * The WebSocket handshake's answer: the RFC 6455 upgrade (`websocket`) first, then RFC 8441's
 * extended CONNECT (`ws-h2`); the first that got an HTTP response (status and fields).
 */
function websocketAnswer(probes: readonly Probe[]): WebSocketAnswer {
  const tried = [...probes.filter((p) => p.kind === 'websocket'), ...probes.filter((p) => p.kind === 'ws-h2')];
  for (const p of tried) {
    const res = p.kind === 'websocket' ? p.h1 : p.kind === 'ws-h2' ? p.h2 : undefined;
    if (res?.status === undefined) continue;
    const sub = (res.headers ?? []).find(([k]) => k.toLowerCase() === 'sec-websocket-protocol')?.[1]?.trim() ?? null;
    return { status: res.status, subprotocol: sub };
  }
  const first = tried[0];
  if (!first) return { notRun: true };
  const outcome = first.kind === 'websocket' ? first.h1.outcome : first.connect.ok ? 'no response' : first.connect.message;
  return { noAnswer: `the WebSocket upgrade got no HTTP response (${outcome})` };
}
