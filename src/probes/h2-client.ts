/**
 * THE HTTP/2 client: one preface, one frame loop, one first-bytes mapping, one HPACK set-up and one
 * set of checks on what a server sends, for the core exchange (`h2-exchange.ts`), extended CONNECT
 * (`upgrade/extended-connect.ts`), client simulation (`clients/h2-opening.ts`, a client's own
 * opening) and `trace` (`trace/h2-trace.ts`, a tolerant client with an observer that prints every frame).
 *
 * Hardened against hostile servers: header blocks are appended in O(1) under a byte and a frame cap;
 * floods of SETTINGS / PING / CONTINUATION / empty DATA / RST_STREAM are counted ("N frames in M ms");
 * the byte budget ending an exchange is flood evidence; the deadline is checked inside the frame loop,
 * which yields to the event loop so a CPU-bound stream of frames never starves the other probes.
 *
 * @example
 * const c = new H2Client(write, sink, { via: 'tls', deadline });
 * if (await c.start()) {
 *   for (let e = await c.next(); e; e = await c.next()) {
 *     if (e.kind === 'settings') c.request(fields, { endStream: true });
 *     if (e.kind === 'response') break;
 *   }
 * }
 * c.result; // outcome, violation, frames…
 */
import type { Classified, H2Violation, Http2Frame, Http2Result } from '../model/index.js';
import type { ByteSink } from '../transport/conn.js';
import { classify, isDecided } from '../wire/sniff.js';
import { CLIENT_PREFACE, SETTINGS, errorCodeName, frameTypeName } from '../wire/http2/registry.js';
import { FrameDecoder } from '../wire/http2/frame.js';
import { FrameError, type Frame, type PriorityFields } from '../wire/http2/frame-types.js';
import { continuationFrame, encodeFrame, headersFrame, pingFrame, settingsFrame, windowUpdateFrame } from '../wire/http2/frame-encode.js';
import { HpackEncoder, type HeaderInput, type HpackEncoderOptions } from '../wire/hpack/index.js';
import { concat } from '../wire/bytes.js';
import { FramePump } from './pump.js';
import { H2_LIMITS, H2Inspector, frameRecord, goawayInfo, type Inspected } from './h2-inspect.js';

/**
 * Our SETTINGS: no push, a large window so the server never waits for us.
 * @example settingsFrame(CLIENT_SETTINGS)
 */
export const CLIENT_SETTINGS: Array<{ id: number; value: number }> = [
  { id: SETTINGS.ENABLE_PUSH, value: 0 },
  { id: SETTINGS.INITIAL_WINDOW_SIZE, value: 1 << 24 },
  { id: SETTINGS.MAX_HEADER_LIST_SIZE, value: 262144 },
];

/**
 * RFC 9113 §3.4: the magic, our SETTINGS, and (RFC 9113 §6.9.2) the connection window opened.
 * @example write(clientOpening().bytes)
 */
export function clientOpening(): { bytes: Uint8Array; frames: Frame[] } {
  const frames: Frame[] = [settingsFrame(CLIENT_SETTINGS), windowUpdateFrame(0, (1 << 24) - 65535)];
  return { bytes: concat([CLIENT_PREFACE, ...frames.map(encodeFrame)]), frames };
}

/**
 * The one mapping of a server's first bytes (after our preface) to how the exchange ends; undefined
 * when they are HTTP/2 frames and the exchange goes on.
 * @example prefaceOutcome(classify(bytes, 'eof')) // 'http1-response' for 'HTTP/1.1 400'
 */
export function prefaceOutcome(first: Classified): Http2Result['outcome'] | undefined {
  switch (first.first.kind) {
    case 'h2-settings':
    case 'h2-goaway':
    case 'h2-frame':
      return undefined;
    case 'http1':
      return 'http1-response';
    case 'eof':
      return 'closed';
    case 'reset':
      return 'reset';
    case 'timeout':
    case 'incomplete':
      return 'timeout';
    default:
      // 'garbage', 'banner', TLS records: not HTTP/2 frames at all.
      return 'garbage';
  }
}

/**
 * What the client hands the caller. `invalid` (tolerant clients only): a frame that cannot be read;
 * `fatal` when nothing after it can be.
 * @example if (e.kind === 'response') e.status // 200
 */
export type H2Event =
  | { kind: 'settings'; settings: Array<{ id: number; name: string; value: number }> }
  | { kind: 'response'; status: number; fields: Array<[string, string]>; endStream: boolean }
  | { kind: 'frame'; frame: Frame }
  | { kind: 'invalid'; error: string; h2Error: string; fatal: boolean };

/**
 * Sees the exchange as it happens (a trace prints it): the preface, then every frame both ways,
 * sent or received; a received one before the client answers it, with what the checks found.
 * @example new H2Client(write, sink, { via: 'tls', deadline, observer: { frame: (dir, f) => console.log(dir, f.kind) } })
 */
export interface H2Observer {
  preface?(): void;
  frame?(dir: 'in' | 'out', f: Frame, seen?: Inspected): void;
}

/**
 * A client's own opening instead of ours (client simulation, `clients/h2-opening.ts`): the frames it
 * sends after the preface, in its order, and its request, sent with them at once (a client does not
 * wait for the server's SETTINGS): its stream, fields in its order, HEADERS priority, HPACK use.
 * @example { frames: [settingsFrame(profile.h2.settings)], request: { streamId: 1, fields: [[':method', 'GET'], …], hpack: {} } }
 */
export interface H2ClientOpening {
  frames: Frame[];
  request: { streamId: number; fields: readonly HeaderInput[]; priority?: PriorityFields; hpack?: HpackEncoderOptions };
}

/**
 * How an H2Client runs: how it was reached, its deadline, where HTTP/2 starts in the sink.
 * @example new H2Client(write, sink, { via: 'prior-knowledge', deadline: performance.now() + 3000, maxFrames: 32 })
 */
export interface H2ClientOptions {
  via: Http2Result['via'];
  deadline: number;
  /** Offset in the sink where HTTP/2 bytes begin (after a 101 head). */
  offset?: number;
  /** Most frames to record as evidence. */
  maxFrames?: number;
  /** After `Upgrade: h2c` stream 1 is the upgrade request, already sent. */
  requestAlreadySent?: boolean;
  /**
   * Read on past what ends a probe (a first frame that is not SETTINGS, a rule broken, a GOAWAY or
   * RST_STREAM before the response, a frame that cannot be read): the first such outcome is kept as
   * the evidence, and every received frame is handed out as an event. A flood, a frame that leaves
   * the stream unreadable, the stream's end and the deadline (a hard stop here: there is no byte
   * budget) still end it. Decoded bytes are let go.
   */
  tolerant?: boolean;
  observer?: H2Observer;
  /** Open as this client does instead of with our SETTINGS and WINDOW_UPDATE; its request goes out with it. */
  opening?: H2ClientOpening;
}

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

/**
 * The probes' HTTP/2 client over an open byte stream: `start()` sends the preface and classifies the
 * first bytes; `next()` returns events until the exchange ends (then `result.outcome` says how).
 * Never throws because a server misbehaved: what it sent becomes evidence.
 * @example
 * const c = new H2Client(write, sink, { via: 'tls', deadline });
 * if (await c.start()) for (let e = await c.next(); e; e = await c.next()) if (e.kind === 'response') break;
 */
export class H2Client {
  readonly result: Http2Result;
  readonly inspector: H2Inspector;
  /** The stream of our request: 1, unless a client's own opening put it on another. */
  private readonly sid: number;
  private readonly frames: Http2Frame[] = [];
  private readonly maxFrames: number;
  private pump: FramePump<Frame> | undefined;
  private inFrames = 0;
  /** When our preface went out (performance.now()). */
  private sentAt = performance.now();
  private ended = false;
  /** A tolerant client's evidence has its outcome (what would have ended a probe): later frames do not change it. */
  private settled = false;
  /** After `quiet()`: nothing more is sent. */
  private silent = false;
  /** The server's SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2), for our field blocks. */
  private peerMaxFrame = 16384;
  /** How the byte stream stopped the exchange, once it did ('timeout': the deadline passed). */
  streamEnd: 'eof' | 'reset' | 'timeout' | 'budget' | undefined;
  requested: boolean;

  constructor(
    private readonly write: (b: Uint8Array) => void,
    private readonly sink: ByteSink,
    private readonly o: H2ClientOptions,
  ) {
    this.maxFrames = o.maxFrames ?? 64;
    this.requested = !!o.requestAlreadySent;
    this.sid = o.opening?.request.streamId ?? 1;
    // RFC 9113 §6.5.2: SETTINGS_ENABLE_PUSH starts at 1; ours turns it off, a client's own opening may not.
    const pushOff = (o.opening?.frames ?? [settingsFrame(CLIENT_SETTINGS)]).some((f) => f.kind === 'SETTINGS' && f.settings.some((x) => x.id === SETTINGS.ENABLE_PUSH && x.value === 0));
    this.inspector = new H2Inspector(undefined, { stream: this.sid, push: !pushOff });
    this.result = { via: o.via, outcome: 'closed', frames: this.frames };
  }

  private log(dir: 'in' | 'out', f: Frame): void {
    if (this.frames.length < this.maxFrames) this.frames.push(frameRecord(dir, f));
  }
  send(f: Frame): void {
    if (this.silent) return;
    this.log('out', f);
    this.o.observer?.frame?.('out', f);
    this.write(encodeFrame(f));
  }
  /** Send nothing more (our GOAWAY went out); frames still arriving are read and observed. */
  quiet(): void {
    this.silent = true;
  }

  /**
   * Preface + SETTINGS + WINDOW_UPDATE (or a client's own opening and request), then the server's
   * first bytes. False when they are not HTTP/2.
   */
  async start(): Promise<boolean> {
    const own = this.o.opening;
    const open = own ? { frames: own.frames, bytes: concat([CLIENT_PREFACE, ...own.frames.map(encodeFrame)]) } : clientOpening();
    this.o.observer?.preface?.();
    for (const f of open.frames) {
      this.log('out', f);
      this.o.observer?.frame?.('out', f);
    }
    this.write(open.bytes);
    if (own) this.sendRequest(own.request.fields, { endStream: true, ...(own.request.hpack ? { hpack: own.request.hpack } : {}), ...(own.request.priority ? { priority: own.request.priority } : {}) });
    this.sentAt = performance.now();
    const off = this.o.offset ?? 0;
    // RFC 9113 §3.4: the server connection preface is a SETTINGS frame, first.
    const endFirst = await this.sink.until((b) => isDecided(b.subarray(off)), this.o.deadline);
    const first = classify(this.sink.bytes().subarray(off), endFirst === 'open' ? 'open' : endFirst);
    this.result.first = first;
    if (first.first.kind.startsWith('h2-')) this.result.firstFrameMs = Math.round((performance.now() - this.sentAt) * 100) / 100;
    const out = prefaceOutcome(first);
    if (out) {
      this.result.outcome = out;
      if (endFirst !== 'open') this.streamEnd = endFirst;
      this.ended = true;
      return false;
    }
    this.result.outcome = 'settings-no-response';
    this.pump = new FramePump(this.sink, new FrameDecoder({ maxFrameSize: H2_LIMITS.maxFrameSize }), off, !!this.o.tolerant);
    return true;
  }

  /**
   * The request on stream 1 (or the opening's stream): HEADERS, and CONTINUATION past the server's frame size (RFC 9113
   * §6.10). A field given with `true` third is sent never-indexed (RFC 7541 §7.1.3).
   */
  request(fields: readonly HeaderInput[], o: { endStream: boolean; huffman?: boolean | 'auto' }): void {
    this.sendRequest(fields, { endStream: o.endStream, hpack: { huffman: o.huffman ?? false, indexing: false } });
  }

  private sendRequest(fields: readonly HeaderInput[], o: { endStream: boolean; hpack?: HpackEncoderOptions; priority?: PriorityFields }): void {
    if (this.requested) return;
    this.requested = true;
    const block = new HpackEncoder(o.hpack).encode(fields);
    const max = this.peerMaxFrame;
    const sid = this.sid;
    this.send(headersFrame(sid, block.subarray(0, max), { endStream: o.endStream, endHeaders: block.length <= max, ...(o.priority ? { priority: o.priority } : {}) }));
    for (let at = max; at < block.length; at += max) this.send(continuationFrame(sid, block.subarray(at, at + max), at + max >= block.length));
  }

  private end(outcome: Http2Result['outcome'], detail?: string, violation?: H2Violation): null {
    this.ended = true;
    this.settle(outcome, detail, violation);
    return null;
  }

  /** The exchange's outcome, unless an earlier one was kept. */
  private settle(outcome: Http2Result['outcome'], detail?: string, violation?: H2Violation): void {
    if (this.settled) return;
    this.settled = true;
    this.result.outcome = outcome;
    if (detail !== undefined) this.result.detail = detail;
    if (violation) this.result.violation = violation;
  }

  /** What ends a probe: ends it, or for a tolerant client, is kept as the outcome while reading goes on. */
  private stop(outcome: Http2Result['outcome'], detail?: string, violation?: H2Violation): boolean {
    if (!this.o.tolerant) {
      this.end(outcome, detail, violation);
      return true;
    }
    this.settle(outcome, detail, violation);
    return false;
  }

  /**
   * The next event, or null once the exchange has ended. `until` (default: the exchange's deadline)
   * bounds this wait only; past it after a response, the exchange stays a response.
   */
  async next(until = this.o.deadline): Promise<H2Event | null> {
    if (this.ended || !this.pump) return null;
    for (;;) {
      // Fairness inside the loop: frames already buffered arrive without awaiting I/O. The deadline is
      // the pump's: frames that had arrived by it are read (a busy event loop is not a silent server),
      // and what can be buffered is bounded by the byte budget and the flood counts.
      if (this.inFrames % H2_LIMITS.yieldEvery === H2_LIMITS.yieldEvery - 1) await yieldNow();
      // A tolerant client has no byte budget (a trace reads a stream to its end): its deadline is a hard stop.
      if (this.o.tolerant && performance.now() >= until) return this.stopped('timeout');
      const p = await this.pump.next(until);
      if ('error' in p) {
        // The first bytes were HTTP/2 frames (the sniff said so): a frame that breaks a rule is a protocol error.
        const v: H2Violation = { kind: 'protocol', text: p.error };
        if (p.cause instanceof FrameError && p.cause.code === 'too-large') v.text = `${p.error}; we advertised none larger`;
        const fatal = !(p.cause instanceof FrameError) || p.cause.code === 'too-large';
        if (!this.o.tolerant) return this.end('protocol-error', p.error, v);
        if (fatal) this.end('protocol-error', p.error, v);
        else this.settle('protocol-error', p.error, v);
        return { kind: 'invalid', error: p.error, h2Error: p.cause instanceof FrameError ? p.cause.h2Error : 'PROTOCOL_ERROR', fatal };
      }
      if ('end' in p) return this.stopped(p.end);
      const e = this.onFrame(p.frame);
      if (e === null || e.kind !== 'none') return e;
    }
  }

  /** One received frame: the checks, our answers (SETTINGS ACK, PING ACK), the evidence; the event it makes. */
  private onFrame(f: Frame): H2Event | null | { kind: 'none' } {
    const r = this.result;
    this.inFrames++;
    this.log('in', f);
    const badStart = this.inFrames === 1 && !(f.kind === 'SETTINGS' && !f.ack);
    const seen = badStart && !this.o.tolerant ? undefined : this.inspector.inspect(f);
    this.o.observer?.frame?.('in', f, seen);
    const asFrame = this.o.tolerant ? ({ kind: 'frame', frame: f } as const) : ({ kind: 'none' } as const);
    if (badStart) {
      if (f.kind === 'GOAWAY') r.goaway = goawayInfo(f);
      if (f.kind === 'GOAWAY' ? this.stop('goaway') : this.stop('not-settings', `the first frame is ${frameTypeName(f.type)}, not SETTINGS`)) return null;
    }
    if (seen?.violation) {
      const v = seen.violation;
      if (v.kind === 'flood') return this.end('flood', v.text, v);
      if (this.stop('protocol-error', v.text, v)) return null;
    }
    switch (f.kind) {
      case 'SETTINGS': {
        if (f.ack) return asFrame;
        // RFC 9113 §6.5.3: acknowledge.
        this.send(settingsFrame([], true));
        const mfs = f.settings.find((x) => x.id === SETTINGS.MAX_FRAME_SIZE);
        if (mfs) this.peerMaxFrame = mfs.value;
        if (r.serverSettings) return asFrame;
        r.serverSettings = f.settings.map((x) => ({ id: x.id, name: x.name, value: x.value }));
        const mcs = f.settings.find((x) => x.id === SETTINGS.MAX_CONCURRENT_STREAMS);
        // RFC 9113 §5.1.2: a client must not open streams beyond the peer's limit.
        if (mcs && mcs.value === 0 && !this.requested && this.stop('settings-no-response', 'SETTINGS_MAX_CONCURRENT_STREAMS = 0: no stream may be opened')) return null;
        return { kind: 'settings', settings: r.serverSettings };
      }
      case 'PING':
        // RFC 9113 §6.7: answer with the same opaque data.
        if (!f.ack) this.send(pingFrame(f.opaqueData, true));
        return asFrame;
      case 'GOAWAY':
        r.goaway = goawayInfo(f);
        if (r.status === undefined && this.stop('goaway')) return null;
        return { kind: 'frame', frame: f };
      case 'RST_STREAM':
        if (f.streamId === this.sid && r.status === undefined) {
          r.rstStream = { errorCode: f.errorCode, errorName: errorCodeName(f.errorCode) };
          if (this.stop('rst-stream')) return null;
        }
        return f.streamId === this.sid ? { kind: 'frame', frame: f } : asFrame;
      case 'HEADERS':
      case 'CONTINUATION':
        if (seen?.response && r.status === undefined) {
          r.status = seen.response.status;
          r.responseMs = Math.round((performance.now() - this.sentAt) * 100) / 100;
          r.headers = seen.response.fields.slice(0, 64);
          if (!this.settled) r.outcome = 'response';
          return { kind: 'response', ...seen.response };
        }
        return asFrame;
      default:
        return f.streamId === this.sid ? { kind: 'frame', frame: f } : asFrame;
    }
  }

  /** The stream ended (or the deadline passed) before the exchange did. */
  private stopped(end: 'eof' | 'reset' | 'timeout' | 'budget'): null {
    const r = this.result;
    this.streamEnd = end;
    if (r.outcome === 'response' || this.settled) {
      this.ended = this.settled || end !== 'timeout';
      return null;
    }
    if (end === 'budget') {
      // The byte budget is spent without a response: that is a flood, of some kind.
      const extra = `; our ${this.sink.length}-byte budget is spent`;
      const v = this.inspector.floods.dominant(extra) ?? {
        kind: 'flood' as const,
        text: `${this.sink.length} bytes (our budget) in ${this.inFrames} frames without a response (RFC 9113 §10.5)`,
        flood: { type: 'bytes', count: this.inFrames, ms: 0, bytes: this.sink.length },
      };
      return this.end('flood', v.text, v);
    }
    const outcome = end === 'timeout' ? 'timeout' : end === 'reset' ? 'reset' : 'closed';
    const detail = r.serverSettings ? `the server sent SETTINGS, then ${end === 'timeout' ? 'nothing more' : end === 'reset' ? 'reset the connection' : 'closed the connection'} before answering the request` : undefined;
    return this.end(outcome, detail);
  }
}
