/**
 * A client's HTTP/2 opening, as the client sends it: a TLS connection with the version and suite
 * the client's own hello negotiated (ALPN h2), then the connection preface, the client's SETTINGS
 * (its values, its order), its WINDOW_UPDATE and PRIORITY frames, and a GET whose pseudo-header
 * fields come in the client's order. What the server answers (SETTINGS, a status, GOAWAY) is the result.
 * Bounded by the probe's deadline and byte budget; never throws.
 */
import type { ClientSim } from '../../model/index.js';
import type { ClientProfile } from '../../clients/profile.js';
import { tlsHandshake, type SecureVersion } from '../../transport/tls.js';
import { FrameDecoder } from '../../wire/http2/frame.js';
import { encodeFrame, headersFrame, settingsFrame, windowUpdateFrame, encodeRawFrame } from '../../wire/http2/frame-encode.js';
import { type Frame } from '../../wire/http2/frame-types.js';
import { CLIENT_PREFACE, errorCodeName } from '../../wire/http2/registry.js';
import { HpackDecoder, HpackEncoder } from '../../wire/hpack/index.js';
import type { Meter } from '../meter.js';
import { authority } from '../context.js';
import { onDeadline } from '../../transport/deadline.js';

const NODE_VERSIONS: Record<string, SecureVersion> = { 'TLSv1.3': 'TLSv1.3', 'TLSv1.2': 'TLSv1.2', 'TLSv1.1': 'TLSv1.1', TLSv1: 'TLSv1' };

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
  if (!c.outcome.ok) return { outcome: 'closed', detail: `TCP ${c.outcome.error}` };
  const v = neg.version ? NODE_VERSIONS[neg.version] : undefined;
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
    return { outcome: 'handshake-failed', detail: hs.result.error?.message ?? hs.result.alert?.name ?? hs.result.outcome };
  }
  if (s.alpnProtocol !== 'h2') {
    s.destroy();
    c.socket.destroy();
    return { outcome: 'handshake-failed', detail: `ALPN ${s.alpnProtocol || 'none'} on the second connection` };
  }
  const { bytes: out, sid } = openingFrames(p, ctx);
  for (const b of out) s.write(b);
  return new Promise((resolve) => {
    const dec = new FrameDecoder();
    const hpack = new HpackDecoder();
    let settings = false;
    let got = 0;
    const done = (r: NonNullable<ClientSim['h2']>) => {
      cancelDeadline();
      s.removeAllListeners('data');
      s.on('error', () => {});
      s.destroy();
      c.socket.destroy();
      resolve(r);
    };
    const cancelDeadline = onDeadline(m.deadline, () => done({ outcome: settings ? 'timeout' : 'no-settings', detail: settings ? 'SETTINGS came, no response in time' : 'no SETTINGS in time' }));
    s.on('data', (b: Buffer) => {
      got += b.length;
      if (got > ctx.byteBudget) return done({ outcome: 'closed', detail: 'byte budget' });
      dec.push(b);
      try {
        for (let f: Frame | null = dec.next(); f; f = dec.next()) {
          if (f.kind === 'SETTINGS' && !f.ack) {
            settings = true;
            s.write(encodeFrame(settingsFrame([], true)));
          } else if (f.kind === 'GOAWAY') return done({ outcome: 'goaway', goaway: errorCodeName(f.errorCode), detail: new TextDecoder().decode(f.debugData).slice(0, 200) });
          else if (f.kind === 'RST_STREAM' && f.streamId === sid) return done({ outcome: 'closed', detail: `RST_STREAM ${errorCodeName(f.errorCode)}` });
          else if (f.kind === 'HEADERS' && f.streamId === sid) {
            const st = hpack.decode(f.fieldBlockFragment).headers.find(([k]) => k === ':status')?.[1];
            return done({ outcome: 'response', ...(st ? { status: Number(st) } : {}) });
          }
        }
      } catch (e) {
        return done({ outcome: 'closed', detail: `bad frame: ${(e as Error).message}` });
      }
    });
    s.once('close', () => done({ outcome: settings ? 'closed' : 'no-settings', detail: 'the server closed the connection' }));
    s.on('error', () => {});
  });
}

/**
 * The bytes a client opens HTTP/2 with, in its order: the preface, its SETTINGS, WINDOW_UPDATE and
 * PRIORITY frames, then a GET on the first stream its PRIORITY frames leave free, pseudo-header
 * fields in its order.
 * @example const { bytes, sid } = openingFrames(profile, m.ctx); for (const b of bytes) socket.write(b); // sid 1 unless PRIORITY frames use it
 */
function openingFrames(p: ClientProfile, ctx: Meter['ctx']): { bytes: Uint8Array[]; sid: number } {
  const o = p.h2;
  const out: Uint8Array[] = [CLIENT_PREFACE, encodeFrame(settingsFrame(o?.settings ?? []))];
  if (o?.windowUpdate) out.push(encodeFrame(windowUpdateFrame(0, o.windowUpdate)));
  for (const pr of o?.priority ?? []) {
    // RFC 9113 §6.3: a PRIORITY frame is the 5 bytes of stream dependency and weight.
    const dep = (pr.exclusive ? 0x80000000 : 0) | (pr.dependsOn & 0x7fffffff);
    out.push(encodeRawFrame(0x2, 0, pr.streamId, Uint8Array.of(dep >>> 24, (dep >> 16) & 0xff, (dep >> 8) & 0xff, dep & 0xff, (pr.weight - 1) & 0xff)));
  }
  const used = new Set((o?.priority ?? []).map((x) => x.streamId));
  let sid = 1;
  while (used.has(sid)) sid += 2;
  const values: Record<string, string> = { ':method': 'GET', ':scheme': 'https', ':authority': authority(ctx), ':path': ctx.target.path };
  const order = o?.pseudoHeaderOrder.length ? o.pseudoHeaderOrder : [':method', ':scheme', ':authority', ':path'];
  const fields: Array<[string, string]> = order.filter((n) => values[n] !== undefined).map((n) => [n, values[n]!]);
  fields.push(['user-agent', ctx.userAgent]);
  const hp = o?.headersPriority;
  out.push(encodeFrame(headersFrame(sid, new HpackEncoder().encode(fields), { endStream: true, endHeaders: true, ...(hp ? { priority: { exclusive: hp.exclusive, streamDependency: hp.dependsOn, weight: hp.weight - 1 } } : {}) })));
  return { bytes: out, sid };
}
