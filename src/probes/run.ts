/**
 * The probes: each opens one connection, runs one experiment under a deadline and a byte budget,
 * and returns typed evidence. Probes never print and never decide.
 */
import type { ConnectOutcome, Probe, TlsResult } from '../model/index.js';
import { ByteSink, type Socket } from '../transport/conn.js';
import { authority, probeId, type ProbeContext } from './context.js';
import { Meter } from './meter.js';
import { openStream, type Dialed } from './open.js';
import { h2Exchange } from './h2-exchange.js';
import { CLIENT_SETTINGS } from './h2-client.js';
import { h1Request, readH1Response } from './h1-exchange.js';
import { classify } from '../wire/sniff.js';
import { dechunk } from './upgrade/body.js';
import { requestSent } from './upgrade/common.js';
import { userHeaders } from './headers.js';
import { encodeFrame, settingsFrame } from '../wire/http2/frame-encode.js';
import { FRAME_HEADER_LENGTH } from '../wire/http2/registry.js';

/** The user's -H headers for HTTP/1.1 and HTTP/2 requests (the one filter every family uses). */
const h1Extra = (ctx: ProbeContext) => userHeaders(ctx, '1.1');
const h2Extra = (ctx: ProbeContext) => userHeaders(ctx, '2');

/**
 * Plain TCP connect; keeps the socket for the next probe when asked.
 * @example const { probe, socket } = await probeTcp(ctx);
 */
export async function probeTcp(ctx: ProbeContext): Promise<{ probe: Probe; socket?: Socket; outcome: ConnectOutcome }> {
  const m = new Meter(ctx, 'tcp');
  const c = await ctx.dial(ctx.address, ctx.port, ctx.timeoutMs);
  m.queuedMs = c.queuedMs ?? 0;
  const probe: Probe = { kind: 'tcp', ...m.common(c.outcome) };
  return c.outcome.ok ? { probe, socket: c.socket, outcome: c.outcome } : { probe, outcome: c.outcome };
}

function notConnected(connect: ConnectOutcome): TlsResult {
  return { offeredAlpn: [], sni: null, outcome: 'error', error: { code: connect.ok ? 'UNKNOWN' : (connect.errno ?? connect.error), message: connect.ok ? '' : connect.message } };
}

/**
 * TLS handshake offering `alpn`; then, as asked, nothing, an HTTP/2 exchange (forced, whatever
 * ALPN said: what gRPC and prior-knowledge clients do) or an HTTP/1.1 request.
 * @example await probeTls(ctx, 'tls-alpn-h2', ['h2'], 'h2')
 */
export async function probeTls(
  ctx: ProbeContext,
  name: 'tls-default' | 'tls-alpn-h2' | 'tls-alpn-http1' | 'sniff-tls',
  alpn: string[],
  then: 'none' | 'h2' | 'h1',
  pre?: Dialed,
): Promise<Probe> {
  const m = new Meter(ctx, name);
  const c = await openStream(m, alpn, pre);
  try {
    const tls = c.tls ?? notConnected(c.connect);
    if (then === 'none' || !c.stream) {
      const first = c.first ? { first: c.first } : {};
      const common = m.common(c.connect);
      if (then === 'h2') return { kind: 'h2', name: 'h2-tls', ...common, tls, h2: { via: 'tls', outcome: 'closed', frames: [], ...first } };
      if (then === 'h1') return { kind: 'h1', name: 'h1-tls', ...common, tls, h1: { outcome: 'closed', ...first } };
      return { kind: 'tls', name, ...common, tls, ...first } as Probe;
    }
    const sink = new ByteSink(c.stream, ctx.byteBudget);
    if (then === 'h2') {
      const h2 = await h2Exchange(c.write, sink, {
        via: 'tls',
        scheme: 'https',
        authority: authority(ctx),
        path: ctx.target.path,
        userAgent: ctx.userAgent,
        deadline: m.deadline,
        ...(ctx.options.method ? { method: ctx.options.method } : {}),
        headers: h2Extra(ctx),
      });
      return { kind: 'h2', name: 'h2-tls', ...m.common(c.connect), tls, h2 };
    }
    c.write(h1Request({ method: ctx.options.method ?? 'GET', path: ctx.target.path, host: authority(ctx), userAgent: ctx.userAgent, headers: h1Extra(ctx) }));
    const h1 = await readH1Response(sink, { deadline: m.deadline, bodyPreview: 512 });
    delete h1.headLength;
    return { kind: 'h1', name: 'h1-tls', ...m.common(c.connect), tls, h1 };
  } finally {
    c.close();
  }
}

/**
 * The default handshake (ALPN h2, http/1.1) on the TCP probe's socket; when ALPN says h2, the HTTP/2
 * exchange runs on the same connection (the `h2-tls` probe: an h2 client offering h2 first gets
 * exactly this). Resolves once the handshake is over, so the TLS stage can start while the HTTP/2
 * exchange goes on; `rest` is the exchange (empty when ALPN did not say h2).
 * @example const { tls, rest } = await probeTlsDefault(ctx, pre);
 */
export async function probeTlsDefault(ctx: ProbeContext, pre: Dialed): Promise<{ tls: Probe; rest: Promise<Probe[]> }> {
  const m = new Meter(ctx, 'tls-default');
  // The default handshake also reads the certificate chain as the server sent it (the report's `certificates`).
  const c = await openStream(m, ['h2', 'http/1.1'], pre, { servedChain: true });
  const tls = c.tls ?? notConnected(c.connect);
  const first = c.first ? { first: c.first } : {};
  const d = { kind: 'tls', name: 'tls-default', ...m.common(c.connect), tls, ...first } as Extract<Probe, { kind: 'tls' }>;
  if (!c.stream || tls.alpn !== 'h2') {
    c.close();
    return { tls: d, rest: Promise.resolve([]) };
  }
  const rest = (async (): Promise<Probe[]> => {
    const m2 = new Meter(ctx, 'tls-default-h2');
    const s0 = m.sent;
    const r0 = m.received;
    try {
      const sink = new ByteSink(c.stream!, ctx.byteBudget);
      const h2 = await h2Exchange(c.write, sink, {
        via: 'tls',
        scheme: 'https',
        authority: authority(ctx),
        path: ctx.target.path,
        userAgent: ctx.userAgent,
        deadline: m2.deadline,
        ...(ctx.options.method ? { method: ctx.options.method } : {}),
        headers: h2Extra(ctx),
      });
      m2.sent = m.sent - s0;
      m2.received = m.received - r0;
      return [{ kind: 'h2', name: 'h2-tls', ...m2.common(c.connect), tls, h2, connection: { use: 'reused', of: d.id, why: 'ALPN chose h2: the HTTP/2 preface, SETTINGS and a request on the same connection' } }];
    } finally {
      c.close();
    }
  })();
  return { tls: d, rest };
}

/**
 * HTTP/1.1, then the protocol matrix's HTTP/1.0 row on the same connection when the first answer
 * allows it (a framed body, no `Connection: close`): over TLS with ALPN http/1.1 alone (`h1-tls`),
 * or over cleartext (`h1-cleartext`, on the TCP probe's socket when given). The HTTP/1.0 request is
 * byte for byte the one the upgrade stage would send on a connection of its own (`http10`).
 * `maxVersion` caps the TLS handshake (its result says so): the same connection then also answers
 * "does TLS 1.2 work for this name?"; with `requireAlpn`, a capped handshake where the server did not
 * choose http/1.1 gets no GET (a `tls` probe, `tls12-alpn-http1`, is all it gives).
 * @example const [h11, h10] = await probeHttp1Pair(ctx);
 */
export async function probeHttp1Pair(ctx: ProbeContext, pre?: Dialed, preOf?: string, o: { maxVersion?: 'TLSv1.2'; requireAlpn?: boolean; onTls?: (t: TlsResult | undefined) => void } = {}): Promise<Probe[]> {
  const tls = ctx.target.tls;
  const m = new Meter(ctx, tls ? 'tls-alpn-http1' : 'h1-cleartext');
  const c = await openStream(m, tls ? ['http/1.1'] : null, pre, o.maxVersion ? { maxVersion: o.maxVersion } : {});
  o.onTls?.(c.tls);
  const reuse = pre && preOf ? { connection: { use: 'reused' as const, of: preOf, why: 'HTTP/1.1 GET on the TCP probe\'s connection' } } : {};
  try {
    if (o.maxVersion && o.requireAlpn && c.stream && c.tls && c.tls.alpn !== 'http/1.1') {
      // TLS 1.2 works, but the server did not choose http/1.1: no GET here (an h2-only server such as
      // nghttpd waits for the HTTP/2 preface until our deadline under TLS 1.2, where under TLS 1.3 it
      // closes at once): the HTTP/1.1 answer comes from the default versions, asked at once.
      return [{ kind: 'tls', name: 'tls12-alpn-http1', ...m.common(c.connect), id: probeId(ctx, 'tls12-alpn-http1'), tls: c.tls }];
    }
    if (!c.stream) {
      if (tls) {
        const t = c.tls ?? notConnected(c.connect);
        const first = c.first ? { first: c.first } : {};
        return [{ kind: 'h1', name: 'h1-tls', ...m.common(c.connect), tls: t, h1: { outcome: 'closed', ...first } }];
      }
      return [{ kind: 'h1', name: 'h1-cleartext', ...m.common(c.connect), h1: { outcome: 'closed' }, ...reuse }];
    }
    const sink = new ByteSink(c.stream, ctx.byteBudget);
    const method = ctx.options.method ?? 'GET';
    c.write(h1Request({ method, path: ctx.target.path, host: authority(ctx), userAgent: ctx.userAgent, headers: h1Extra(ctx), keepOpen: true }));
    const h1 = await readH1Response(sink, { deadline: m.deadline });
    const headLength = h1.headLength;
    delete h1.headLength;
    let next: number | undefined;
    if (h1.outcome === 'response' && headLength !== undefined) {
      const framed = await readFramed(sink, headLength, h1, method, m.deadline, 512);
      if (framed.preview !== undefined) h1.bodyPreview = framed.preview;
      next = framed.next;
    }
    if (!h1.first) h1.first = classify(sink.bytes(), sink.end);
    const first: Probe = tls
      ? { kind: 'h1', name: 'h1-tls', ...m.common(c.connect), tls: c.tls!, h1 }
      : { kind: 'h1', name: 'h1-cleartext', ...m.common(c.connect), h1, ...reuse };
    const out: Probe[] = [first];
    // The HTTP/1.0 row only where the upgrade stage would ask it (an HTTP/1.1 response), and only on a
    // connection the server keeps open after a complete, framed answer.
    const keeps = h1.outcome === 'response' && h1.version === '1.1' && next !== undefined && sink.end === 'open' && !closes(h1.headers);
    if (keeps) {
      const m2 = new Meter(ctx, 'http10');
      const s0 = m.sent;
      const r0 = m.received;
      const headers = h1Extra(ctx);
      c.write(h1Request({ method, path: ctx.target.path, host: authority(ctx), userAgent: ctx.userAgent, version: '1.0', headers }));
      const r = await readH1Response(sink, { deadline: m2.deadline, offset: next, bodyPreview: 512 });
      delete r.headLength;
      m2.sent = m.sent - s0;
      m2.received = m.received - r0;
      out.push({
        kind: 'h1-request',
        name: 'http10',
        ...m2.common(c.connect),
        request: requestSent(method, ctx.target.path, '1.0', headers),
        ...(c.tls ? { tls: c.tls } : {}),
        h1: r,
        connection: { use: 'reused', of: first.id, why: "the protocol matrix's HTTP/1.0 row, on the HTTP/1.1 probe's kept-alive connection" },
      });
    }
    return out;
  } finally {
    c.close();
  }
}

/** The response asks to close the connection after it (RFC 9112 §9.6). */
function closes(headers: ReadonlyArray<readonly [string, string]> | undefined): boolean {
  return (headers ?? []).some(([k, v]) => k.toLowerCase() === 'connection' && /(^|,)\s*close\s*(,|$)/i.test(v));
}

/**
 * Read a response body by its framing (RFC 9112 §6.3), bounded: a preview of its first `preview`
 * bytes, and where the next response starts when the whole body was read (undefined: read until
 * close, too long, or not complete by the deadline).
 */
async function readFramed(sink: ByteSink, headLength: number, h1: { status?: number; headers?: Array<[string, string]> }, method: string, deadline: number, preview: number): Promise<{ preview?: string; next?: number }> {
  const status = h1.status ?? 0;
  const field = (n: string) => (h1.headers ?? []).find(([k]) => k.toLowerCase() === n)?.[1];
  const decode = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, preview));
  if (method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) return { next: headLength };
  const te = field('transfer-encoding');
  const cap = 64 * 1024;
  if (te !== undefined) {
    if (!/(^|,)\s*chunked\s*$/i.test(te)) return await untilClose();
    // Whole chunked body (to its last-chunk and the CRLF after an empty trailer), at most 64 KiB.
    let end: number | undefined;
    await sink.until((all) => {
      const b = all.subarray(headLength);
      const d = dechunk(b, cap);
      if (!d.done) return false;
      end = chunkedEnd(b);
      return true;
    }, deadline);
    const b = sink.bytes().subarray(headLength);
    return { preview: decode(dechunk(b, preview).body), ...(end !== undefined ? { next: headLength + end } : {}) };
  }
  const cl = field('content-length');
  if (cl !== undefined && /^\d{1,9}$/.test(cl.trim())) {
    const n = Number(cl.trim());
    await sink.until((all) => all.length - headLength >= Math.min(n, n <= cap ? n : preview), deadline);
    const b = sink.bytes().subarray(headLength);
    return { preview: decode(b.subarray(0, Math.min(n, preview))), ...(n <= cap && b.length >= n ? { next: headLength + n } : {}) };
  }
  return await untilClose();

  async function untilClose(): Promise<{ preview?: string }> {
    await sink.until((all) => all.length - headLength >= preview, deadline);
    return { preview: decode(sink.bytes().subarray(headLength)) };
  }
}

/** Where a complete chunked body ends (after the last chunk's trailer section), or undefined. */
function chunkedEnd(b: Uint8Array): number | undefined {
  let i = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const eol = indexOfCrlf(b, i);
    if (eol < 0) return undefined;
    const size = parseInt(String.fromCharCode(...b.subarray(i, Math.min(eol, i + 64))).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) {
      // Trailer fields, then an empty line.
      let j = eol + 2;
      for (let t = 0; t < 100; t++) {
        const e = indexOfCrlf(b, j);
        if (e < 0) return undefined;
        if (e === j) return e + 2;
        j = e + 2;
      }
      return undefined;
    }
    i = eol + 2 + size + 2;
    if (i > b.length) return undefined;
  }
  return undefined;
}

function indexOfCrlf(b: Uint8Array, from: number): number {
  for (let j = from; j + 1 < b.length; j++) if (b[j] === 0x0d && b[j + 1] === 0x0a) return j;
  return -1;
}

/**
 * HTTP/2 by prior knowledge over cleartext TCP (h2c, RFC 9113 §3.3).
 * @example (await probeH2cPrior(ctx)).h2.outcome // 'response'
 */
export async function probeH2cPrior(ctx: ProbeContext, name: 'h2c-prior-knowledge' | 'sniff-h2c' = 'h2c-prior-knowledge'): Promise<Probe> {
  const m = new Meter(ctx, name);
  const c = await openStream(m, null);
  try {
    if (!c.stream) return { kind: 'h2', name, ...m.common(c.connect), h2: { via: 'prior-knowledge', outcome: 'closed', frames: [] } };
    const sink = new ByteSink(c.stream, ctx.byteBudget);
    const h2 = await h2Exchange(c.write, sink, {
      via: 'prior-knowledge',
      scheme: 'http',
      authority: authority(ctx),
      path: ctx.target.path,
      userAgent: ctx.userAgent,
      deadline: m.deadline,
      ...(ctx.options.method ? { method: ctx.options.method } : {}),
      headers: h2Extra(ctx),
    });
    return { kind: 'h2', name, ...m.common(c.connect), h2 };
  } finally {
    c.close();
  }
}

/**
 * `Upgrade: h2c` (RFC 7540 §3.2): an HTTP/1.1 request asking to switch; on 101, HTTP/2 follows.
 * @example (await probeH2cUpgrade(ctx)).upgrade.status // 101
 */
export async function probeH2cUpgrade(ctx: ProbeContext): Promise<Probe> {
  const m = new Meter(ctx, 'h2c-upgrade');
  const c = await openStream(m, null);
  try {
    if (!c.stream) return { kind: 'h2c-upgrade', ...m.common(c.connect), upgrade: { outcome: 'closed' } };
    const sink = new ByteSink(c.stream, ctx.byteBudget);
    c.write(
      h1Request({
        path: ctx.target.path,
        host: authority(ctx),
        userAgent: ctx.userAgent,
        keepOpen: true,
        headers: [
          ['Connection', 'Upgrade, HTTP2-Settings'],
          ['Upgrade', 'h2c'],
          ['HTTP2-Settings', http2SettingsHeader()],
          ...userHeaders(ctx, '1.1', ['connection', 'upgrade', 'http2-settings']),
        ],
      }),
    );
    const upgrade = await readH1Response(sink, { deadline: m.deadline, bodyPreview: 256 });
    const headLength = upgrade.headLength;
    delete upgrade.headLength;
    if (upgrade.outcome !== 'response' || upgrade.status !== 101 || headLength === undefined) {
      return { kind: 'h2c-upgrade', ...m.common(c.connect), upgrade };
    }
    // RFC 7540 §3.2: after 101 the client sends the preface; the response to the upgrade request comes on stream 1.
    const h2 = await h2Exchange(c.write, sink, {
      via: 'upgrade',
      scheme: 'http',
      authority: authority(ctx),
      path: ctx.target.path,
      userAgent: ctx.userAgent,
      deadline: m.deadline,
      offset: headLength,
      requestAlreadySent: true,
    });
    return { kind: 'h2c-upgrade', ...m.common(c.connect), upgrade, h2 };
  } finally {
    c.close();
  }
}

/**
 * HTTP/1.1 over cleartext TCP; on a TLS target this is the "is it really cleartext?" sniff.
 * @example (await probeH1Cleartext(ctx)).h1.status // 200
 */
export async function probeH1Cleartext(ctx: ProbeContext, name: 'h1-cleartext' | 'sniff-http1' = 'h1-cleartext'): Promise<Probe> {
  const m = new Meter(ctx, name);
  const c = await openStream(m, null);
  try {
    if (!c.stream) return { kind: 'h1', name, ...m.common(c.connect), h1: { outcome: 'closed' } };
    const sink = new ByteSink(c.stream, ctx.byteBudget);
    c.write(h1Request({ method: ctx.options.method ?? 'GET', path: ctx.target.path, host: authority(ctx), userAgent: ctx.userAgent, headers: h1Extra(ctx) }));
    const h1 = await readH1Response(sink, { deadline: m.deadline, bodyPreview: 512 });
    delete h1.headLength;
    if (!h1.first) h1.first = classify(sink.bytes(), sink.end);
    return { kind: 'h1', name, ...m.common(c.connect), h1 };
  } finally {
    c.close();
  }
}

/**
 * RFC 7540 §3.2.1: HTTP2-Settings is the base64url SETTINGS payload, no padding.
 * @example ['HTTP2-Settings', http2SettingsHeader()]
 */
export function http2SettingsHeader(): string {
  return Buffer.from(encodeFrame(settingsFrame(CLIENT_SETTINGS)).subarray(FRAME_HEADER_LENGTH)).toString('base64url');
}
