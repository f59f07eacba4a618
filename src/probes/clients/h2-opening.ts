/**
 * A client's HTTP/2 opening, as the client sends it: a TLS connection with the version and suite
 * the client's own hello negotiated (ALPN h2), then the connection preface, the client's SETTINGS
 * (its values, its order), its WINDOW_UPDATE and PRIORITY frames, and a GET whose pseudo-header
 * fields come in the client's order. What the server answers (SETTINGS, a status, GOAWAY) is the result.
 * Bounded by the probe's deadline and byte budget; never throws.
 */
import type { ClientSim, Http2Result } from '../../model/index.js';
import type { ClientProfile } from '../../clients/profile.js';
import { tlsHandshake, type SecureVersion } from '../../transport/tls.js';
import { ByteSink } from '../../transport/conn.js';
import { versionFromName } from '../../wire/tls/registry.js';
import { priorityFrame, settingsFrame, windowUpdateFrame } from '../../wire/http2/frame-encode.js';
import type { Frame } from '../../wire/http2/frame-types.js';
import type { Meter } from '../meter.js';
import { authority } from '../context.js';
import { H2Client, type H2ClientOpening } from '../h2-client.js';

/**
 * Open HTTP/2 as the client profile does, on a TLS connection with what its own hello negotiated;
 * what the server answered. Never throws.
 * @example const h2 = await h2Opening(meter, profile, { version: 'TLSv1.3', cipher: undefined, sni: 'example.com' }); h2.outcome // 'response'
 */
export async function h2Opening(m: Meter, p: ClientProfile, neg: { version: string | undefined; cipher: string | undefined; sni: string | null }): Promise<NonNullable<ClientSim['h2']>> {
  try {
    return await opening(m, p, neg);
  } catch (e) {
    return { outcome: 'handshake-failed', detail: (e as Error).message };
  }
}

async function opening(m: Meter, p: ClientProfile, neg: { version: string | undefined; cipher: string | undefined; sni: string | null }): Promise<NonNullable<ClientSim['h2']>> {
  const ctx = m.ctx;
  const c = await ctx.dial(ctx.address, ctx.port, ctx.timeoutMs);
  // Our connection could not be made: the server answered nothing, so nothing is decided (timedOut).
  if (!c.outcome.ok) return { outcome: 'closed', detail: `TCP ${c.outcome.error}`, timedOut: true };
  // The version by the one TLS version table (wire/tls/registry.ts); Node pins TLS 1.0 to 1.3 only.
  const t = versionFromName(neg.version);
  const v = t && t.code >= 0x0301 ? (t.node as SecureVersion) : undefined;
  const hs = await tlsHandshake(c.socket, {
    sni: neg.sni,
    verifyHost: ctx.target.host,
    alpn: ['h2'],
    ...(ctx.ca ? { ca: ctx.ca } : {}),
    ...(v ? { minVersion: v, maxVersion: v } : {}),
    // The TLS 1.2 suite the client's own hello got, so this connection is the one the client would have (TLS 1.3: Node offers the standard three).
    ...(neg.cipher ? { ciphers: `${neg.cipher}:@SECLEVEL=0` } : {}),
    deadline: m.deadline,
    maxBytes: ctx.byteBudget,
    onOut: (b) => (m.sent += b.length),
    onIn: (b) => (m.received += b.length),
  });
  const s = hs.secure;
  if (!s || hs.result.outcome !== 'handshake') {
    c.socket.destroy();
    // A handshake that ran into our deadline is no answer either: the stage tries once more (timedOut).
    return { outcome: 'handshake-failed', detail: hs.result.error?.message ?? hs.result.alert?.name ?? hs.result.outcome, ...(hs.result.outcome === 'timeout' ? { timedOut: true as const } : {}) };
  }
  if (s.alpnProtocol !== 'h2') {
    s.destroy();
    c.socket.destroy();
    return { outcome: 'handshake-failed', detail: `ALPN ${s.alpnProtocol || 'none'} on the second connection` };
  }
  // The one HTTP/2 client (probes/h2-client.ts), opening as this client does; its request goes out with the opening.
  const sink = new ByteSink(s, ctx.byteBudget);
  const client = new H2Client((b) => s.write(b), sink, { via: 'tls', deadline: m.deadline, maxFrames: 16, opening: openingOf(p, ctx) });
  try {
    if (await client.start()) for (let e = await client.next(); e && e.kind !== 'response'; e = await client.next());
    const r = simOutcome(client.result, client.streamEnd);
    return ourDeadline(client.result) ? { ...r, timedOut: true } : r;
  } finally {
    s.on('error', () => {});
    s.destroy();
    c.socket.destroy();
  }
}

/**
 * How the client's opening ended, in the simulation's words: a response (its status), a GOAWAY, no
 * SETTINGS (nothing, or no HTTP/2, before the server's SETTINGS), a timeout after SETTINGS, or closed.
 * @example simOutcome({ via: 'tls', outcome: 'response', status: 200, frames: [] }, undefined) // { outcome: 'response', status: 200 }
 */
export function simOutcome(r: Http2Result, end: H2Client['streamEnd']): NonNullable<ClientSim['h2']> {
  const settings = !!r.serverSettings;
  switch (r.outcome) {
    case 'response':
      return { outcome: 'response', ...(r.status !== undefined ? { status: r.status } : {}) };
    case 'goaway':
      return { outcome: 'goaway', goaway: r.goaway?.errorName ?? '?', detail: (r.goaway?.debug ?? '').slice(0, 200) };
    case 'rst-stream':
      return { outcome: 'closed', detail: `RST_STREAM ${r.rstStream?.errorName ?? '?'}` };
    case 'timeout':
    case 'settings-no-response':
      return settings ? { outcome: 'timeout', detail: 'SETTINGS came, no response in time' } : { outcome: 'no-settings', detail: 'no SETTINGS in time' };
    case 'closed':
    case 'reset':
      return { outcome: settings ? 'closed' : 'no-settings', detail: r.outcome === 'reset' ? 'the server reset the connection' : 'the server closed the connection' };
    case 'not-settings':
      return { outcome: 'no-settings', detail: r.detail ?? 'the first frame is not SETTINGS' };
    case 'http1-response':
    case 'garbage':
      return { outcome: 'no-settings', detail: `not HTTP/2: ${r.first?.summary ?? r.outcome}` };
    case 'flood':
      return { outcome: 'closed', detail: end === 'budget' ? 'byte budget' : `flood: ${r.detail ?? ''}` };
    default:
      return { outcome: 'closed', detail: `bad frame: ${r.detail ?? r.outcome}` };
  }
}

/**
 * Whether the opening ended on our own deadline (no SETTINGS, or no response, in time) rather than on
 * something the server sent or did: such an ending is not the server's answer and decides nothing.
 * @example ourDeadline({ via: 'tls', outcome: 'timeout', frames: [] }) // true
 */
export function ourDeadline(r: Http2Result): boolean {
  // 'settings-no-response' stays only when the server said so (SETTINGS_MAX_CONCURRENT_STREAMS = 0); at the deadline it becomes 'timeout'.
  return r.outcome === 'timeout';
}

/**
 * A client's HTTP/2 opening, in its order: its SETTINGS, WINDOW_UPDATE and PRIORITY frames, then a
 * GET on the first stream its PRIORITY frames leave free, pseudo-header fields in its order.
 * @example const o = openingOf(profile, m.ctx); o.request.streamId // 1 unless PRIORITY frames use it
 */
export function openingOf(p: ClientProfile, ctx: Meter['ctx']): H2ClientOpening {
  const o = p.h2;
  const frames: Frame[] = [settingsFrame(o?.settings ?? [])];
  if (o?.windowUpdate) frames.push(windowUpdateFrame(0, o.windowUpdate));
  // RFC 9113 §6.3: the weight on the wire is one less than the weight.
  for (const pr of o?.priority ?? []) frames.push(priorityFrame(pr.streamId, { exclusive: pr.exclusive, streamDependency: pr.dependsOn, weight: (pr.weight - 1) & 0xff }));
  const used = new Set((o?.priority ?? []).map((x) => x.streamId));
  let sid = 1;
  while (used.has(sid)) sid += 2;
  const values: Record<string, string> = { ':method': 'GET', ':scheme': 'https', ':authority': authority(ctx), ':path': ctx.target.path };
  const order = o?.pseudoHeaderOrder.length ? o.pseudoHeaderOrder : [':method', ':scheme', ':authority', ':path'];
  const fields: Array<[string, string]> = order.filter((n) => values[n] !== undefined).map((n) => [n, values[n]!]);
  fields.push(['user-agent', ctx.userAgent]);
  const hp = o?.headersPriority;
  // HPACK as a client uses it (Huffman where shorter, indexing on).
  return { frames, request: { streamId: sid, fields, hpack: {}, ...(hp ? { priority: { exclusive: hp.exclusive, streamDependency: hp.dependsOn, weight: hp.weight - 1 } } : {}) } };
}
