/**
 * One raw exchange over an open TCP socket: write our bytes (a hand-built ClientHello), hand every
 * chunk the server sends to `onChunk` until it says it has seen enough, the server closes or
 * resets, the byte budget runs out or the deadline passes; then hang up. No TLS library is
 * involved, so nothing the local OpenSSL refuses to offer is out of reach.
 *
 * Bounded: at most `maxBytes` are passed on, and the socket is destroyed on every way out, so a
 * server that drips bytes slowly or announces huge lengths costs a deadline and a budget, no more.
 *
 * @example
 * const r = await rawExchange(socket, hello.record, { deadline: performance.now() + 3000, maxBytes: 65536,
 *   onChunk: (c) => { reader.push(c); return reader.done; } });
 */
import type net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import type { StreamEnd } from '../model/index.js';
import { onDeadline } from './deadline.js';

export interface RawExchangeOptions {
  /** performance.now() time after which we stop waiting. */
  deadline: number;
  /** Most bytes read; later bytes are dropped and the exchange ends with 'budget'. */
  maxBytes: number;
  /** Gets each chunk; returns true when it has seen enough (the exchange then ends with 'open'). */
  onChunk(chunk: Uint8Array): boolean;
}

export interface RawExchangeResult {
  /** 'open': `onChunk` was satisfied; otherwise how the stream ended first. */
  end: StreamEnd;
  bytesSent: number;
  bytesReceived: number;
}

export function rawExchange(socket: net.Socket, out: Uint8Array, o: RawExchangeOptions): Promise<RawExchangeResult> {
  let received = 0;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (end: StreamEnd) => {
      if (settled) return;
      settled = true;
      cancelDeadline();
      socket.removeAllListeners('data');
      socket.on('error', () => {});
      socket.destroy();
      resolve({ end, bytesSent: out.length, bytesReceived: received });
    };
    const cancelDeadline = onDeadline(o.deadline, () => finish('timeout'));
    socket.on('data', (c: Buffer) => {
      if (settled) return;
      const room = o.maxBytes - received;
      const part = c.length > room ? c.subarray(0, room) : c;
      received += part.length;
      let enough = false;
      try {
        enough = o.onChunk(part);
      } catch {
        enough = true;
      }
      if (enough) finish('open');
      else if (received >= o.maxBytes) finish('budget');
    });
    socket.once('end', () => finish('eof'));
    socket.once('close', () => finish('eof'));
    socket.once('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'eof'));
    socket.write(out);
  });
}

/**
 * The exact ClientHello record node:tls sends with these options, captured without a network: the
 * handshake runs over an in-memory stream and is dropped after its first write. The bisection
 * starts from this hello, so "the handshake that failed" is the one Node really sends.
 *
 * @example
 * const record = await captureNodeClientHello({ alpn: ['h2', 'http/1.1'], sni: 'example.com' });
 */
export function captureNodeClientHello(o: { alpn: string[]; sni?: string }): Promise<Uint8Array> {
  return new Promise((resolve) => {
    let sock: tls.TLSSocket | undefined;
    const timer = setTimeout(() => resolve(new Uint8Array(0)), 2000);
    const d = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        clearTimeout(timer);
        resolve(new Uint8Array(chunk));
        cb();
        setImmediate(() => sock?.destroy());
      },
    });
    d.on('error', () => {});
    sock = tls.connect({ socket: d, ALPNProtocols: o.alpn, rejectUnauthorized: false, ...(o.sni ? { servername: o.sni } : {}) });
    sock.on('error', () => {});
  });
}
