/**
 * THE HTTP/2 client: one preface, one first-bytes mapping, one HPACK set-up and one set of checks
 * on what a server sends, for the core exchange (`h2-exchange.ts`), extended CONNECT
 * (`upgrade/extended-connect.ts`) and `trace` (`trace/h2-client.ts`).
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
import { FrameDecoder, FrameError, describeFrame, encodeFrame, headersFrame, pingFrame, settingsFrame, windowUpdateFrame, type Frame } from '../wire/http2/frame.js';
import { HpackEncoder } from '../wire/hpack/index.js';
import { concat, toAscii } from '../wire/bytes.js';
import { FramePump } from './pump.js';
import { H2_LIMITS, H2Inspector, clip } from './h2-inspect.js';

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
 * What the client hands the caller.
 * @example if (e.kind === 'response') e.status // 200
 */
export type H2Event =
  | { kind: 'settings'; settings: Array<{ id: number; name: string; value: number }> }
  | { kind: 'response'; status: number; fields: Array<[string, string]>; endStream: boolean }
  | { kind: 'frame'; frame: Frame };

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
  readonly inspector = new H2Inspector();
  private readonly frames: Http2Frame[] = [];
  private readonly maxFrames: number;
  private pump: FramePump<Frame> | undefined;
  private inFrames = 0;
  /** When our preface went out (performance.now()). */
  private sentAt = performance.now();
  private ended = false;
  requested: boolean;

  constructor(
    private readonly write: (b: Uint8Array) => void,
    private readonly sink: ByteSink,
    private readonly o: H2ClientOptions,
  ) {
    this.maxFrames = o.maxFrames ?? 64;
    this.requested = !!o.requestAlreadySent;
    this.result = { via: o.via, outcome: 'closed', frames: this.frames };
  }

  private log(dir: 'in' | 'out', f: Frame): void {
    if (this.frames.length < this.maxFrames) this.frames.push(frameRecord(dir, f));
  }
  send(f: Frame): void {
    this.log('out', f);
    this.write(encodeFrame(f));
  }

  /** Preface + SETTINGS + WINDOW_UPDATE, then the server's first bytes. False when they are not HTTP/2. */
  async start(): Promise<boolean> {
    const open = clientOpening();
    for (const f of open.frames) this.log('out', f);
    this.write(open.bytes);
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
      this.ended = true;
      return false;
    }
    this.result.outcome = 'settings-no-response';
    this.pump = new FramePump(this.sink, new FrameDecoder({ maxFrameSize: H2_LIMITS.maxFrameSize }), off);
    return true;
  }

  /** The request on stream 1 (HEADERS, no CONTINUATION: our blocks are small). */
  request(fields: Array<[string, string]>, o: { endStream: boolean }): void {
    if (this.requested) return;
    this.requested = true;
    const block = new HpackEncoder({ huffman: false, indexing: false }).encode(fields);
    this.send(headersFrame(1, block, { endStream: o.endStream, endHeaders: true }));
  }

  private end(outcome: Http2Result['outcome'], detail?: string, violation?: H2Violation): null {
    this.ended = true;
    this.result.outcome = outcome;
    if (detail !== undefined) this.result.detail = detail;
    if (violation) this.result.violation = violation;
    return null;
  }

  /**
   * The next event, or null once the exchange has ended. `until` (default: the exchange's deadline)
   * bounds this wait only; past it after a response, the exchange stays a response.
   */
  async next(until = this.o.deadline): Promise<H2Event | null> {
    if (this.ended || !this.pump) return null;
    const r = this.result;
    for (;;) {
      // Fairness inside the loop: frames already buffered arrive without awaiting I/O. The deadline is
      // the pump's: frames that had arrived by it are read (a busy event loop is not a silent server),
      // and what can be buffered is bounded by the byte budget and the flood counts.
      if (this.inFrames % H2_LIMITS.yieldEvery === H2_LIMITS.yieldEvery - 1) await yieldNow();
      const p = await this.pump.next(until);
      if ('error' in p) {
        // The first bytes were HTTP/2 frames (the sniff said so): a frame that breaks a rule is a protocol error.
        const v: H2Violation = { kind: 'protocol', text: p.error };
        if (p.cause instanceof FrameError && p.cause.code === 'too-large') v.text = `${p.error}; we advertised none larger`;
        return this.end('protocol-error', p.error, v);
      }
      if ('end' in p) return this.stopped(p.end);
      const f = p.frame;
      this.inFrames++;
      this.log('in', f);
      if (this.inFrames === 1 && !(f.kind === 'SETTINGS' && !f.ack)) {
        if (f.kind === 'GOAWAY') {
          r.goaway = goawayInfo(f);
          return this.end('goaway');
        }
        return this.end('not-settings', `the first frame is ${frameTypeName(f.type)}, not SETTINGS`);
      }
      const seen = this.inspector.inspect(f);
      if (seen.violation) {
        const v = seen.violation;
        return this.end(v.kind === 'flood' ? 'flood' : 'protocol-error', v.text, v);
      }
      switch (f.kind) {
        case 'SETTINGS':
          if (f.ack) break;
          // RFC 9113 §6.5.3: acknowledge.
          this.send(settingsFrame([], true));
          if (!r.serverSettings) {
            r.serverSettings = f.settings.map((x) => ({ id: x.id, name: x.name, value: x.value }));
            const mcs = f.settings.find((x) => x.id === SETTINGS.MAX_CONCURRENT_STREAMS);
            // RFC 9113 §5.1.2: a client must not open streams beyond the peer's limit.
            if (mcs && mcs.value === 0 && !this.requested) return this.end('settings-no-response', 'SETTINGS_MAX_CONCURRENT_STREAMS = 0: no stream may be opened');
            return { kind: 'settings', settings: r.serverSettings };
          }
          break;
        case 'PING':
          // RFC 9113 §6.7: answer with the same opaque data.
          if (!f.ack) this.send(pingFrame(f.opaqueData, true));
          break;
        case 'GOAWAY':
          r.goaway = goawayInfo(f);
          if (r.status === undefined) return this.end('goaway');
          return { kind: 'frame', frame: f };
        case 'RST_STREAM':
          if (f.streamId === 1 && r.status === undefined) {
            r.rstStream = { errorCode: f.errorCode, errorName: errorCodeName(f.errorCode) };
            return this.end('rst-stream');
          }
          if (f.streamId === 1) return { kind: 'frame', frame: f };
          break;
        case 'HEADERS':
        case 'CONTINUATION':
          if (seen.response) {
            r.status = seen.response.status;
            r.responseMs = Math.round((performance.now() - this.sentAt) * 100) / 100;
            r.headers = seen.response.fields.slice(0, 64);
            r.outcome = 'response';
            return { kind: 'response', ...seen.response };
          }
          break;
        default:
          if (f.streamId === 1) return { kind: 'frame', frame: f };
          break;
      }
    }
  }

  /** The stream ended (or the deadline passed) before the exchange did. */
  private stopped(end: 'eof' | 'reset' | 'timeout' | 'budget'): null {
    const r = this.result;
    if (r.outcome === 'response') {
      this.ended = end !== 'timeout';
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

/**
 * A GOAWAY as evidence: last stream, error code by name, debug data as text (bounded).
 * @example goawayInfo(f).errorName // 'PROTOCOL_ERROR'
 */
export function goawayInfo(g: { lastStreamId: number; errorCode: number; debugData: Uint8Array }): NonNullable<Http2Result['goaway']> {
  return { lastStreamId: g.lastStreamId, errorCode: g.errorCode, errorName: errorCodeName(g.errorCode), debug: toAscii(g.debugData.subarray(0, 256)) };
}

/**
 * One frame as evidence: what `frames` in an Http2Result holds.
 * @example frameRecord('in', settingsFrame([])) // { dir: 'in', type: 4, typeName: 'SETTINGS', …, info: 'SETTINGS (empty)' }
 */
export function frameRecord(dir: 'in' | 'out', f: Frame): Http2Frame {
  return { dir, type: f.type, typeName: frameTypeName(f.type), flags: f.flags, streamId: f.streamId, length: f.length, info: clip(describeFrame(f), 300) };
}
