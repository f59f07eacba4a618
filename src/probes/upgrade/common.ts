/**
 * What the upgrade family's probes share: a meter (time and bytes, like the core probes'), opening
 * the connection through `ctx.dial` with TLS when asked, and the request head with the user's
 * `-X` / `-H`.
 */
import type net from 'node:net';
import type tls from 'node:tls';
import type { ConnectOutcome, TlsResult } from '../../types.js';
import { tlsHandshake } from '../../transport/tls.js';
import type { ProbeContext } from '../context.js';
import { Meter } from '../meter.js';

export { Meter };
import type { RequestSent } from '../stages/upgrade-types.js';

export interface Opened {
  connect: ConnectOutcome;
  /** The byte stream to speak HTTP on (the TLS socket over TLS); absent when it could not open. */
  stream?: net.Socket | tls.TLSSocket;
  tls?: TlsResult;
  /** Write to the stream, counting the bytes (over TLS the tap counts the records instead). */
  write(b: Uint8Array | string): void;
  close(): void;
}

/**
 * Connect (through the proxy tunnel when there is one) and, when `alpn` is given, complete a TLS
 * handshake offering it. Never rejects.
 */
export async function openStream(m: Meter, alpn: string[] | null): Promise<Opened> {
  const c = await m.ctx.dial(m.ctx.address, m.ctx.port, m.ctx.timeoutMs);
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
    deadline: m.deadline,
    onOut: (b) => (m.sent += b.length),
    onIn: (b) => (m.received += b.length),
  });
  const close = () => {
    hs.secure?.destroy();
    raw.destroy();
  };
  const secure = hs.secure;
  return secure ? { connect: c.outcome, stream: secure, tls: hs.result, write: (b) => void secure.write(b), close } : { connect: c.outcome, tls: hs.result, write: nowrite, close };
}

/** The user's `-H` headers, minus those the probe must own (Host, and the upgrade fields it sets). */
export function userHeaders(ctx: ProbeContext, reserved: readonly string[] = []): Array<[string, string]> {
  const own = new Set(['host', 'content-length', 'transfer-encoding', ...reserved.map((r) => r.toLowerCase())]);
  return (ctx.options.headers ?? []).filter(([k]) => !own.has(k.toLowerCase()));
}

export function requestSent(method: string, path: string, version: '1.0' | '1.1', headers: Array<[string, string]>): RequestSent {
  return { method, path, version, headers: headers.map(([k, v]) => [k, k.toLowerCase() === 'authorization' || k.toLowerCase() === 'cookie' ? '(hidden)' : v]) };
}

/** Field lines as a bag for the wire/ validators: names lower-cased, repeated fields as arrays. */
export function headerBag(headers: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  const bag: Record<string, string | string[]> = {};
  for (const [k, v] of headers) {
    const n = k.toLowerCase();
    const cur = bag[n];
    if (cur === undefined) bag[n] = v;
    else bag[n] = Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return bag;
}
