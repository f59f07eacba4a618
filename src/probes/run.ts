/**
 * The probes: each opens one connection, runs one experiment under a deadline and a byte budget,
 * and returns typed evidence. Probes never print and never decide.
 */
import type { ConnectOutcome, Probe, TlsResult } from '../types.js';
import { ByteSink, type Socket } from '../transport/conn.js';
import { authority, type ProbeContext } from './context.js';
import { Meter } from './meter.js';
import { openStream, type Dialed } from './open.js';
import { h2Exchange, CLIENT_SETTINGS } from './h2-exchange.js';
import { h1Request, readH1Response } from './h1-exchange.js';
import { classify } from '../wire/sniff.js';
import { encodeFrame, settingsFrame } from '../wire/http2/frame.js';
import { FRAME_HEADER_LENGTH } from '../wire/http2/registry.js';

/** The user's -H headers for HTTP/1.1 (minus Host, which the probe sets). */
function h1Extra(ctx: ProbeContext): Array<[string, string]> {
  return (ctx.options.headers ?? []).filter(([k]) => k.toLowerCase() !== 'host');
}
/** The user's -H headers for HTTP/2: lower case, without connection-specific fields (RFC 9113 §8.2.2). */
function h2Extra(ctx: ProbeContext): Array<[string, string]> {
  const banned = new Set(['host', 'connection', 'upgrade', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'http2-settings']);
  return (ctx.options.headers ?? []).filter(([k]) => !banned.has(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), v]);
}

/** Plain TCP connect; keeps the socket for the next probe when asked. */
export async function probeTcp(ctx: ProbeContext): Promise<{ probe: Probe; socket?: Socket; outcome: ConnectOutcome }> {
  const m = new Meter(ctx, 'tcp');
  const c = await ctx.dial(ctx.address, ctx.port, ctx.timeoutMs);
  const probe: Probe = { kind: 'tcp', ...m.common(c.outcome) };
  return c.outcome.ok ? { probe, socket: c.socket, outcome: c.outcome } : { probe, outcome: c.outcome };
}

function notConnected(connect: ConnectOutcome): TlsResult {
  return { offeredAlpn: [], sni: null, outcome: 'error', error: { code: connect.ok ? 'UNKNOWN' : (connect.errno ?? connect.error), message: connect.ok ? '' : connect.message } };
}

/**
 * TLS handshake offering `alpn`; then, as asked, nothing, an HTTP/2 exchange (forced, whatever
 * ALPN said: what gRPC and prior-knowledge clients do) or an HTTP/1.1 request.
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

/** HTTP/2 by prior knowledge over cleartext TCP (h2c, RFC 9113 §3.3). */
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

/** `Upgrade: h2c` (RFC 7540 §3.2): an HTTP/1.1 request asking to switch; on 101, HTTP/2 follows. */
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

/** HTTP/1.1 over cleartext TCP; on a TLS target this is the "is it really cleartext?" sniff. */
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

/** RFC 7540 §3.2.1: HTTP2-Settings is the base64url SETTINGS payload, no padding. */
export function http2SettingsHeader(): string {
  return Buffer.from(encodeFrame(settingsFrame(CLIENT_SETTINGS)).subarray(FRAME_HEADER_LENGTH)).toString('base64url');
}
