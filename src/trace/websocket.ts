/**
 * The WebSocket part of a trace (ws:// and wss:// URLs): the opening handshake (RFC 6455 §4.1),
 * checked as a client must, then every frame both ways after the 101: our ping (§5.5.2, it must get
 * a pong), what the server sends, our close. Bounded like diagnose's probe: at most
 * {@link WS_TRACE_LIMITS}.frames frames or .bytes bytes, the pong awaited .pongMs; the first frames
 * of each kind are shown and the rest counted. What it saw is judged by the same rules as diagnose
 * (websocket-handshake-failed, websocket-protocol-error).
 */
import { randomBytes } from 'node:crypto';
import type { Target } from '../model/index.js';
import { concat, toHex } from '../wire/bytes.js';
import { encodeRequestHead, parseResponseHead } from '../wire/http1/head.js';
import { handshakeRequestHeaders, makeWebSocketKey, validateHandshakeResponse } from '../wire/websocket/handshake.js';
import { FrameDecoder, OPCODES, closePayload, encodeFrame, opcodeName, type WebSocketFrame } from '../wire/websocket/frame.js';
import { headerBag, requestSent } from '../probes/upgrade/common.js';
import { hostForUrl } from '../model/target.js';
import { VERSION } from '../version.js';
import { findingProblem } from './judge.js';
import type { TraceRecorder } from './recorder.js';
import type { TraceWire } from './connect.js';
import type { Stream } from './exchange.js';
import { printable } from './text.js';
import type { Problem } from '../model/trace.js';
import type { TraceOptions, TraceResult } from './types.js';

/** The bounds of a WebSocket trace after the 101 (diagnose's probe has the same frame count and pong wait). */
export const WS_TRACE_LIMITS = { frames: 1000, bytes: 1024 * 1024, pongMs: 1000, shownPerKind: 5, maxPayload: 64 * 1024 } as const;

const PING = new TextEncoder().encode('h2doctor');
const mask = () => new Uint8Array(randomBytes(4));

/** One frame in a line: opcode, FIN, length and what its payload says. */
function frameDetail(f: WebSocketFrame): string {
  if (f.opcode === OPCODES.close) return f.close?.code !== undefined ? `code ${f.close.code}${f.close.reason ? ` "${printable(new TextEncoder().encode(f.close.reason))}"` : ''}` : 'no code';
  return f.payload.length ? `"${printable(f.payload.subarray(0, 64))}${f.payload.length > 64 ? '…' : ''}"` : '';
}

type CloseBy = 'client' | 'server' | 'reset' | 'timeout' | 'max-frames' | 'error';
type WsSeen = NonNullable<NonNullable<TraceRecorder['seen']>['ws']>;

/**
 * Trace a WebSocket connection on an open stream (cleartext, or TLS with ALPN http/1.1).
 * @example await traceWebSocket(rec, wire, cleartextStream(rec, wire), parseTarget('ws://localhost:8080/chat'), {}, performance.now() + 5000)
 */
export function traceWebSocket(rec: TraceRecorder, wire: TraceWire, stream: Stream, target: Target, o: TraceOptions, deadline: number): Promise<TraceResult> {
  return new Promise((resolve) => new WsTrace(rec, wire, stream, target, o, deadline, resolve).start());
}

class WsTrace {
  private readonly key = makeWebSocketKey(randomBytes(16));
  private readonly headers: Array<[string, string]>;
  private readonly seen: Omit<WsSeen, 'h1'> & { h1?: WsSeen['h1'] };
  private head: Uint8Array = new Uint8Array(0);
  private open = false;
  private done = false;
  private bytes = 0;
  private frames = 0;
  private readonly shown = new Map<string, number>();
  private readonly counted = new Map<string, number>();
  private readonly dec = new FrameDecoder({ expectMasked: false, maxPayload: WS_TRACE_LIMITS.maxPayload, allowRsv: 0b111 });
  private timer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rec: TraceRecorder,
    private readonly wire: TraceWire,
    private readonly stream: Stream,
    private readonly target: Target,
    o: TraceOptions,
    private readonly deadline: number,
    private readonly resolve: (r: TraceResult) => void,
  ) {
    const authority = target.port === (target.tls ? 443 : 80) ? hostForUrl(target.host) : `${hostForUrl(target.host)}:${target.port}`;
    this.headers = [['Host', authority], ...handshakeRequestHeaders({ host: authority, key: this.key }).filter(([k]) => k !== 'host'), ['User-Agent', o.userAgent ?? `h2doctor/${VERSION}`], ...(o.headers ?? [])];
    this.seen = { request: requestSent('GET', target.path, '1.1', this.headers) };
  }

  start(): void {
    this.timer = setTimeout(() => this.finish('timeout', 'the deadline (--timeout / --max-time)', [{ level: 'error', text: this.open ? 'no pong to our ping before the deadline' : 'no complete answer to the WebSocket handshake before the deadline' }]), Math.max(1, this.deadline - performance.now()));
    this.stream.on('data', (c: Buffer) => {
      if (this.done) return;
      if (this.open) this.onFrames(new Uint8Array(c));
      else this.onHead(new Uint8Array(c), false);
    });
    const onEnd = () => this.onEnd();
    this.stream.on('end', onEnd);
    this.stream.on('close', onEnd);
    this.stream.on('error', onEnd);
    this.rec.emit({ kind: 'http1', dir: 'out', line: `GET ${this.target.path} HTTP/1.1`, headers: this.headers });
    this.write(encodeRequestHead('GET', this.target.path, this.headers));
  }

  private write(b: Uint8Array): void {
    if (!this.done) this.stream.write(b);
  }

  private finish(by: CloseBy, detail: string, problems: Problem[] = []): void {
    if (this.done) return;
    clearTimeout(this.timer);
    clearTimeout(this.pongTimer);
    const counted = [...this.counted].map(([k, n]) => `${n} more ${k} frame(s)`);
    if (counted.length) this.rec.emit({ kind: 'note' }, [{ level: 'info', text: `not shown, counted: ${counted.join(', ')}` }]);
    this.done = true;
    if (this.rec.seen) this.rec.seen.ws = { ...this.seen, h1: this.seen.h1 ?? { outcome: 'closed' } };
    const findings = this.rec.judge().filter((f) => f.severity === 'error' && f.code.startsWith('websocket'));
    this.rec.emit({ kind: 'close', by, detail }, [...problems, ...findings.map(findingProblem)]);
    this.stream.end();
    // Nothing more is read (a flood would go on filling the capture after the close); our close
    // still reaches the socket (and the capture) before it is destroyed.
    this.wire.raw.pause();
    setTimeout(() => {
      this.stream.destroy();
      this.wire.raw.destroy();
      this.resolve(this.rec.result());
    }, 50);
  }

  private onEnd(): void {
    if (this.done) return;
    if (!this.open) return this.onHead(new Uint8Array(0), true);
    this.seen.roundTrip = { sent: 'ping', outcome: 'eof' };
    const reset = this.wire.reset;
    this.finish(reset ? 'reset' : 'server', reset ? 'the server reset the connection' : 'the server closed the connection without a close frame', [{ level: 'warning', text: 'the connection ended without a WebSocket close frame (RFC 6455 §7.1.1)' }]);
  }

  private sendClose(): void {
    this.rec.emit({ kind: 'ws', dir: 'out', opcode: 'close', fin: true, length: 2, detail: 'code 1000' });
    this.write(encodeFrame({ opcode: OPCODES.close, payload: closePayload(1000), mask: mask() }));
  }

  private flood(detail: string): void {
    this.seen.roundTrip = { sent: 'ping', outcome: 'flood', detail };
    this.finish('max-frames', 'a flood and no pong', [{ level: 'error', text: `a flood instead of a pong: ${detail}` }]);
  }

  /** The answer to the handshake request: a 101 that RFC 6455 §4.2.2 accepts, or why not. */
  private onHead(chunk: Uint8Array, ended: boolean): void {
    this.head = concat([this.head, chunk]);
    let head;
    try {
      head = parseResponseHead(this.head, { maxHeadBytes: 64 * 1024 });
    } catch (e) {
      this.seen.h1 = { outcome: 'not-http' };
      this.rec.emit({ kind: 'bytes', dir: 'in', length: this.head.length, summary: 'not an HTTP/1.1 response', text: printable(this.head.subarray(0, 200)), hex: toHex(this.head.subarray(0, 64)) }, [{ level: 'error', text: `the WebSocket handshake was answered with bytes that are not HTTP/1.1: ${(e as Error).message}` }]);
      return this.finish('client', 'no HTTP/1.1 answer');
    }
    if (!head.complete) {
      if (ended) this.finish('server', 'the connection ended inside the response head', [{ level: 'error', text: 'the connection ended inside the HTTP/1.1 response head' }]);
      return;
    }
    this.seen.h1 = { outcome: 'response', version: head.version.replace(/^HTTP\//, ''), status: head.status, reason: head.reason, headers: head.headers };
    const v = validateHandshakeResponse({ status: head.status, headers: headerBag(head.headers) }, { key: this.key });
    this.seen.handshake = { ok: v.ok, problems: v.problems.map((p) => ({ code: p.code, fatal: p.fatal, message: p.message })), extensions: v.extensions.map((e) => e.name), ...(v.protocol !== undefined ? { protocol: v.protocol } : {}) };
    this.rec.emit({ kind: 'http1', dir: 'in', line: `${head.version} ${head.status} ${head.reason}`.trim(), headers: head.headers }, v.problems.map((p) => ({ level: p.fatal ? 'error' : 'warning', text: p.message })));
    if (!v.ok) return this.finish('client', 'no WebSocket: the handshake failed');
    this.open = true;
    this.ping();
    const rest = this.head.subarray(head.headLength);
    if (rest.length) this.onFrames(rest);
  }

  /** RFC 6455 §5.3: every client frame masked with a fresh key; §5.5.2: a ping must get a pong. */
  private ping(): void {
    this.rec.emit({ kind: 'ws', dir: 'out', opcode: 'ping', fin: true, length: PING.length, detail: '"h2doctor"' });
    this.write(encodeFrame({ opcode: OPCODES.ping, payload: PING, mask: mask() }));
    this.pongTimer = setTimeout(() => {
      const detail = `no pong in ${WS_TRACE_LIMITS.pongMs} ms${this.frames ? ` (${this.frames} other frames)` : ', nothing at all after the 101'}`;
      this.seen.roundTrip = { sent: 'ping', outcome: 'timeout', detail };
      this.sendClose();
      this.finish('timeout', `no pong in ${WS_TRACE_LIMITS.pongMs} ms`, [{ level: 'error', text: `no pong to our ping (RFC 6455 §5.5.2: a ping MUST be answered): ${detail}` }]);
    }, Math.max(1, Math.min(WS_TRACE_LIMITS.pongMs, this.deadline - performance.now())));
  }

  /** Bytes after the 101: frames, under the byte budget; a decoder error ends the trace. */
  private onFrames(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.bytes > WS_TRACE_LIMITS.bytes) return this.flood(`${this.frames} frames, ${this.bytes} bytes and no pong: the ${WS_TRACE_LIMITS.bytes}-byte budget ran out`);
    this.dec.push(chunk);
    for (;;) {
      let f: WebSocketFrame | undefined;
      try {
        f = this.dec.next();
      } catch (e) {
        this.seen.roundTrip = { sent: 'ping', outcome: 'protocol-error', detail: (e as Error).message };
        this.rec.emit({ kind: 'bytes', dir: 'in', length: chunk.length, summary: 'not a valid WebSocket frame', text: printable(chunk.subarray(0, 200)), hex: toHex(chunk.subarray(0, 64)) }, [{ level: 'error', text: `its frames break RFC 6455: ${(e as Error).message}` }]);
        this.sendClose();
        return this.finish('client', 'no valid WebSocket after the 101');
      }
      if (!f) return;
      this.onFrame(f);
      if (this.done) return;
    }
  }

  private onFrame(f: WebSocketFrame): void {
    const name = opcodeName(f.opcode);
    const n = (this.shown.get(name) ?? 0) + 1;
    this.shown.set(name, n);
    if (n <= WS_TRACE_LIMITS.shownPerKind) this.rec.emit({ kind: 'ws', dir: 'in', opcode: name, fin: f.fin, length: f.payload.length, detail: frameDetail(f) });
    else this.counted.set(name, (this.counted.get(name) ?? 0) + 1);
    if (f.opcode === OPCODES.pong) {
      this.seen.roundTrip = { sent: 'ping', outcome: 'pong' };
      this.sendClose();
      return this.finish('client', 'pong received; closed with 1000');
    }
    if (f.opcode === OPCODES.close) {
      this.seen.roundTrip = { sent: 'ping', outcome: 'close', ...(f.close?.code !== undefined ? { closeCode: f.close.code } : {}) };
      return this.finish('server', `the server closed the WebSocket${f.close?.code !== undefined ? ` (${f.close.code})` : ''}`);
    }
    if (++this.frames >= WS_TRACE_LIMITS.frames) this.flood(`${this.frames} frames (${[...this.shown].map(([k, m]) => `${m} ${k}`).join(', ')}), ${this.bytes} bytes and no pong: ${WS_TRACE_LIMITS.frames} frames before any pong`);
  }
}
