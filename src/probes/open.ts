/**
 * Opening a probe's connection: dial (through the proxy tunnel when there is one), TLS when asked,
 * and count the bytes both ways on the probe's Meter. Shared by the core and upgrade probes.
 */
import type { Classified, ConnectOutcome, TlsResult } from '../model/index.js';
import { tlsHandshake } from '../transport/tls.js';
import type { Socket, TlsSocket } from '../transport/conn.js';
import type { ProbeContext } from './context.js';
import type { Meter } from './meter.js';

/**
 * An opened connection: the stream (TLS or TCP), the connect outcome, the TLS result, and write / close.
 * @example const c: Opened = await openStream(m, ['h2']); if (c.stream) c.write(bytes);
 */
export interface Opened {
  connect: ConnectOutcome;
  /** The byte stream to speak HTTP on (the TLS socket over TLS); absent when it could not open. */
  stream?: Socket | TlsSocket;
  tls?: TlsResult;
  /** The server's first raw bytes, classified, when the TLS handshake did not complete. */
  first?: Classified;
  /** Write to the stream, counting the bytes (over TLS the tap counts the records instead). */
  write(b: Uint8Array | string): void;
  close(): void;
}

/**
 * A connection already dialed (the TCP probe's socket, kept for the first TLS probe).
 * @example const pre: Dialed = await ctx.dial(ctx.address, ctx.port, ctx.timeoutMs);
 */
export type Dialed = Awaited<ReturnType<ProbeContext['dial']>>;

/**
 * Connect (through the proxy tunnel when there is one; or take `pre`, already connected) and, when
 * `alpn` is given, complete a TLS handshake offering it. Bytes either way are counted on the meter.
 * Never rejects; `close()` destroys every socket it opened, whatever happened.
 *
 * @example
 * const c = await openStream(m, ['h2']);
 * try { if (c.stream) c.write(bytes); } finally { c.close(); }
 */
export async function openStream(m: Meter, alpn: string[] | null, pre?: Dialed, o: { servedChain?: boolean; maxVersion?: 'TLSv1.2' } = {}): Promise<Opened> {
  const c = pre ?? (await m.ctx.dial(m.ctx.address, m.ctx.port, m.ctx.timeoutMs));
  if (!pre) m.queuedMs += c.queuedMs ?? 0;
  const nowrite = () => {};
  if (!c.outcome.ok) return { connect: c.outcome, write: nowrite, close: () => c.socket.destroy() };
  const raw = c.socket;
  if (!alpn) {
    raw.on('data', (b: Buffer) => (m.received += b.length));
    const write = (b: Uint8Array | string) => {
      m.sent += typeof b === 'string' ? Buffer.byteLength(b) : b.length;
      raw.write(b);
    };
    return { connect: c.outcome, stream: raw, write, close: () => raw.destroy() };
  }
  const hs = await tlsHandshake(raw, {
    sni: m.ctx.target.sni,
    verifyHost: m.ctx.target.host,
    alpn,
    ...(m.ctx.ca ? { ca: m.ctx.ca } : {}),
    ...(m.ctx.clientCert ? { clientCert: m.ctx.clientCert } : {}),
    deadline: m.deadline,
    // The byte budget holds during the handshake too: an endless handshake is not read forever.
    maxBytes: m.ctx.byteBudget,
    onOut: (b) => (m.sent += b.length),
    onIn: (b) => (m.received += b.length),
    ...(o.servedChain ? { servedChain: true } : {}),
    // Capped below the default: a question about the version; the default handshake verifies the certificate.
    ...(o.maxVersion ? { maxVersion: o.maxVersion, verify: false } : {}),
  });
  if (o.maxVersion) hs.result.maxVersion = o.maxVersion;
  const close = () => {
    hs.secure?.destroy();
    raw.destroy();
  };
  const secure = hs.secure;
  return secure
    ? { connect: c.outcome, stream: secure, tls: hs.result, write: (b) => void secure.write(b), close }
    : { connect: c.outcome, tls: hs.result, ...(hs.first ? { first: hs.first } : {}), write: nowrite, close };
}
