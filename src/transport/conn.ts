/**
 * The transport layer: the only code that opens sockets. A `Conn` wraps one TCP connection (or
 * a TLS socket over it) with a deadline, a byte budget and a log of the bytes that crossed it.
 */
import net from 'node:net';
import type tls from 'node:tls';
import { Duplex } from 'node:stream';
import type { ConnectOutcome, StreamEnd } from '../model/index.js';
import { onDeadline, pollOnce } from './deadline.js';

/** The socket types of transport/, for the layers above (which never import node:net/node:tls). */
export type Socket = net.Socket;
export type TlsSocket = tls.TLSSocket;

export function mapConnectError(err: NodeJS.ErrnoException, ms: number): ConnectOutcome {
  const errno = err.code ?? 'UNKNOWN';
  const error =
    errno === 'ECONNREFUSED'
      ? 'refused'
      : errno === 'ETIMEDOUT'
        ? 'timeout'
        : errno === 'ECONNRESET' || errno === 'EPIPE'
          ? 'reset'
          : errno === 'EHOSTUNREACH' || errno === 'ENETUNREACH' || errno === 'EADDRNOTAVAIL'
            ? 'unreachable'
            : 'other';
  return { ok: false, error, errno, message: err.message, ms };
}

/** Open a TCP connection, or say why not. Never rejects. */
export function connectTcp(
  address: string,
  port: number,
  timeoutMs: number,
): Promise<{ socket: net.Socket; outcome: ConnectOutcome }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, noDelay: true });
    const cancel = onDeadline(t0 + timeoutMs, () => {
      socket.destroy();
      resolve({ socket, outcome: { ok: false, error: 'timeout', message: `no TCP answer within ${timeoutMs} ms`, ms: timeoutMs } });
    });
    socket.once('connect', () => {
      cancel();
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      resolve({ socket, outcome: { ok: true, ms: round(performance.now() - t0), localPort: socket.localPort } });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      cancel();
      socket.destroy();
      resolve({ socket, outcome: mapConnectError(err, round(performance.now() - t0)) });
    });
  });
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * Reads from a stream into one growing buffer, up to a budget, and lets the caller wait until a
 * condition on the bytes holds, the stream ends, or the deadline passes.
 */
export class ByteSink {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Absolute offset of the first byte still kept (bytes before it were released). */
  private base = 0;
  private waiters: Array<() => void> = [];
  end: StreamEnd = 'open';
  private cached: Uint8Array | null = null;
  /** The deadline judged last, and how many bytes had been read when it was (see until()). */
  private cut: { deadline: number; size: number } | undefined;

  private paused = false;

  /**
   * @param highWater with a reader that releases what it has read: past this many bytes kept and not
   * yet read, the stream is paused until the reader catches up (a trace reading a fast server).
   */
  constructor(
    private readonly stream: { on(ev: string, fn: (...a: any[]) => void): unknown; pause?(): unknown; resume?(): unknown },
    private readonly budget: number,
    private highWater = Infinity,
  ) {
    stream.on('data', (c: Buffer) => {
      if (this.end !== 'open') return;
      const room = this.budget - this.size;
      const take = c.length > room ? c.subarray(0, room) : c;
      this.chunks.push(take);
      this.size += take.length;
      this.cached = null;
      if (this.size >= this.budget) this.end = 'budget';
      if (this.size - this.base > this.highWater && this.stream.pause) {
        this.paused = true;
        this.stream.pause();
      }
      this.wake();
    });
    stream.on('end', () => this.finish('eof'));
    stream.on('close', () => this.finish('eof'));
    stream.on('error', (e: NodeJS.ErrnoException) => this.finish(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'eof'));
  }

  private finish(how: StreamEnd): void {
    if (this.end === 'open') this.end = how;
    this.wake();
  }
  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Bytes received so far (released ones included). */
  get length(): number {
    return this.size;
  }
  /** The bytes kept: all received, unless a reader released some (see `release`). */
  bytes(): Uint8Array {
    if (!this.cached) this.cached = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    return this.cached;
  }
  /**
   * The reader needs no byte before `offset` again: whole chunks before it are let go, so a long
   * stream read to its end (a trace) holds only what is not yet decoded. `length` and the budget
   * still count every byte.
   */
  release(offset: number): void {
    while (this.chunks.length > 0 && this.base + this.chunks[0]!.length <= offset) {
      this.base += this.chunks.shift()!.length;
      this.cached = null;
    }
    if (this.paused && this.size - this.base <= this.highWater) {
      this.paused = false;
      this.stream.resume?.();
    }
  }

  /**
   * Wait until `done(bytes)` is true, the stream ends, or `deadline` (performance.now() ms) passes.
   * Returns how it ended: 'open' when the condition held. Past the deadline, the bytes that were
   * ready by then are read before it says 'timeout' (transport/deadline.ts).
   */
  async until(done: (bytes: Uint8Array) => boolean, deadline: number): Promise<StreamEnd> {
    for (;;) {
      // Past a deadline that has been judged, only the bytes read by then count: a server that keeps
      // trickling cannot stretch a deadline one read at a time.
      const cut = this.cut?.deadline === deadline ? this.cut.size : undefined;
      const seen = this.bytes();
      if (done(cut === undefined ? seen : seen.subarray(0, Math.max(0, cut - this.base)))) return 'open';
      if (this.end !== 'open') return this.end;
      const left = deadline - performance.now();
      if (left <= 0) {
        if (cut !== undefined) return 'timeout';
        await pollOnce();
        this.cut = { deadline, size: this.size };
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Hold the stream back no more (its reader stopped reading: let it drain to its close). */
  unthrottle(): void {
    this.highWater = Infinity;
    if (this.paused) {
      this.paused = false;
      this.stream.resume?.();
    }
  }

  /** Wait until bytes past absolute offset `offset` are there (under `until`'s deadline rule). */
  untilMore(offset: number, deadline: number): Promise<StreamEnd> {
    return this.until((b) => this.base + b.length > offset, deadline);
  }

  /** How many bytes (absolute) count for `deadline`: all read, or past a judged deadline those read by then. */
  admitted(deadline: number): number {
    return this.cut?.deadline === deadline ? Math.min(this.cut.size, this.size) : this.size;
  }

  /** The bytes from absolute offset `from` to `to` (at least what is still kept). */
  slice(from: number, to: number): Uint8Array {
    return this.bytes().subarray(Math.max(0, from - this.base), Math.max(0, to - this.base));
  }
}

/**
 * A duplex that passes bytes through to a TCP socket while recording what came in, so that a
 * node:tls handshake run over it still lets us see the raw records the server sent (an alert,
 * or an HTTP/1.1 answer to our ClientHello).
 */
export class TapDuplex extends Duplex {
  readonly inbound: Buffer[] = [];
  inboundBytes = 0;
  outboundBytes = 0;
  /** Bytes held in `inbound` (at most `keep`). */
  private kept = 0;
  /** Stop keeping raw bytes after this many (the TLS stream itself is not limited by it). */
  constructor(
    private readonly raw: net.Socket,
    private readonly keep: number,
    private readonly onOut?: (c: Buffer) => void,
    private readonly onIn?: (c: Buffer) => void,
  ) {
    super();
    raw.on('data', (c: Buffer) => {
      this.inboundBytes += c.length;
      if (this.kept < this.keep) {
        const part = c.subarray(0, this.keep - this.kept);
        this.inbound.push(part);
        this.kept += part.length;
      }
      this.onIn?.(c);
      if (!this.push(c)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    raw.on('error', (e) => this.destroy(e));
    raw.on('close', () => {
      if (!this.destroyed) this.push(null);
    });
  }
  override _read(): void {
    this.raw.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.outboundBytes += chunk.length;
    this.onOut?.(chunk);
    this.raw.write(chunk, cb);
  }
  override _final(cb: (e?: Error | null) => void): void {
    this.raw.end(cb);
  }
  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.raw.destroy();
    cb(err);
  }
  rawIn(): Buffer {
    return Buffer.concat(this.inbound);
  }
}
