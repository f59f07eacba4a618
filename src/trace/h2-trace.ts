/**
 * The HTTP/2 part of a trace: one request on stream 1 through the one HTTP/2 client
 * (probes/h2-client.ts, tolerant, with an observer), every frame in both directions turned into an
 * event, with what is wrong said on the frame that shows it. It does not stop at the first protocol
 * violation (a trace shows what the server does next), but it does stop when the bytes are not
 * HTTP/2 at all, when the exchange is over, or at --max-frames. The client writes the preface, reads
 * the frames, maps the first bytes and sets up HPACK; this file only says what each frame means and
 * decides when the trace is done.
 *
 * @example
 * const t = new H2Trace(opts, { emit, write, stop }, sink);
 * const end = await t.run(); // undefined once the trace stopped itself; else how the stream ended, and what that means
 */
import { ERROR_MEANINGS, SETTINGS, type ErrorCodeName } from '../wire/http2/registry.js';
import { dataFrame, goawayFrame } from '../wire/http2/frame-encode.js';
import { type Frame } from '../wire/http2/frame-types.js';
import type { HeaderInput } from '../wire/hpack/index.js';
import { toHex } from '../wire/bytes.js';
import type { Http2Result } from '../model/index.js';
import type { ByteSink } from '../transport/conn.js';
import { H2Client, type H2Event } from '../probes/h2-client.js';
import type { Inspected } from '../probes/h2-inspect.js';
import type { Problem, TraceEventBody } from '../model/trace.js';
import { frameEvent } from './frame-event.js';
import { TraceFlow } from './h2-flow.js';
import { printable } from './text.js';

export interface H2TraceOptions {
  scheme: 'http' | 'https';
  authority: string;
  path: string;
  method: string;
  headers: Array<[string, string]>;
  data?: Uint8Array;
  userAgent: string;
  maxFrames: number;
  previewBytes: number;
  /** After `Upgrade: h2c`: stream 1 is the upgrade request, already sent; HTTP/2 starts at `offset`. */
  upgraded?: boolean;
  offset?: number;
  /** The trace's deadline (performance.now() ms) and its length, for the words. */
  deadline: number;
  timeoutMs: number;
}

export interface H2TraceHooks {
  emit(e: TraceEventBody, problems?: Problem[]): void;
  write(b: Uint8Array): void;
  /** The trace is done: close the connection. */
  stop(by: 'client' | 'max-frames', detail: string): void;
  /** The socket under the stream saw a reset (ECONNRESET, EPIPE). */
  reset?(): boolean;
}

/** How the exchange ended when the server (or the clock) ended it: the stream's end, and what it means. */
export interface H2TraceEnd {
  how: 'eof' | 'reset' | 'timeout';
  problems: Problem[];
}

/** Invalid frames shown before the trace stops (a client would have closed at the first). */
const MAX_INVALID_FRAMES = 5;
/** How long frames still arriving after our GOAWAY are shown. */
const DRAIN_MS = 200;
/** RFC 7541 §7.1.3: credentials go as never-indexed literals, so no intermediary stores them. */
const SENSITIVE = new Set(['authorization', 'proxy-authorization', 'cookie']);

const meaning = (name: string): string => ERROR_MEANINGS[name as ErrorCodeName] ?? 'an error code RFC 9113 does not define';

export class H2Trace {
  private readonly client: H2Client;
  private readonly flow = new TraceFlow();
  private frames = 0;
  private inFrames = 0;
  private invalidFrames = 0;
  private done = false;
  private doneAt = 0;
  /** Set at --max-frames, when the connection closed, or at the deadline: nothing more is shown. */
  private silenced = false;
  private responseStatus: number | undefined;
  private streamClosedByServer = false;
  private goawaySeen = false;
  private readonly body: Uint8Array | undefined;
  private bodySent = 0;
  /** What a received frame calls for, done once the client has answered it (SETTINGS ACK, PING ACK). */
  private after: Array<() => void> = [];

  constructor(
    private readonly o: H2TraceOptions,
    private readonly h: H2TraceHooks,
    private readonly sink: ByteSink,
  ) {
    this.body = o.data;
    // RFC 7540 §3.2: the upgrade request is stream 1, half-closed (local) for the client.
    if (o.upgraded) this.bodySent = this.body?.length ?? 0;
    this.client = new H2Client(h.write, sink, {
      via: o.upgraded ? 'upgrade' : o.scheme === 'https' ? 'tls' : 'prior-knowledge',
      deadline: o.deadline,
      tolerant: true,
      ...(o.offset ? { offset: o.offset } : {}),
      ...(o.upgraded ? { requestAlreadySent: true } : {}),
      observer: { preface: () => this.h.emit({ kind: 'preface', dir: 'out' }), frame: (dir, f, seen) => this.observe(dir, f, seen) },
    });
  }

  /**
   * The exchange as evidence (the probes' Http2Result: outcome, first bytes, SETTINGS, GOAWAY,
   * status), so the diagnosis rules judge a trace as they judge a diagnosis.
   */
  get evidence(): Http2Result {
    return { ...this.client.result, frames: [] };
  }

  /** The connection is closed: nothing more is shown. */
  silence(): void {
    this.silenced = true;
  }

  /**
   * Runs the exchange. Undefined once the trace stopped itself (it has asked the hooks to close);
   * otherwise the server or the deadline ended it, and what that means at this point.
   */
  async run(): Promise<H2TraceEnd | undefined> {
    const c = this.client;
    if (!(await c.start())) return this.notHttp2();
    for (;;) {
      const e = await c.next(this.done ? Math.min(this.o.deadline, this.doneAt + DRAIN_MS) : this.o.deadline);
      if (this.silenced) break;
      const after = this.after;
      this.after = [];
      for (const a of after) if (!this.done) a();
      if (!e) break;
      if (e.kind === 'invalid') this.onInvalid(e);
    }
    if (this.done || this.silenced) return undefined;
    const how = c.streamEnd === 'timeout' ? 'timeout' : c.streamEnd === 'reset' || this.h.reset?.() ? 'reset' : 'eof';
    this.silenced = true;
    this.done = true;
    return { how, problems: how === 'timeout' ? this.timedOut() : this.ended(how) };
  }

  // -------------------------------------------------------------------------------------------

  /** The first bytes are not HTTP/2 frames, or there were none. */
  private notHttp2(): H2TraceEnd | undefined {
    const c = this.client;
    const bytes = this.sink.bytes().subarray(this.o.offset ?? 0);
    const end = c.streamEnd;
    if (end === 'timeout' || end === 'budget') {
      const ms = this.o.timeoutMs;
      const text = bytes.length === 0 ? `no answer to the HTTP/2 preface within ${ms} ms (the server waits for something else, or is not HTTP/2)` : `the server sent ${bytes.length} byte(s) that are not enough to tell what it speaks, then nothing within ${ms} ms`;
      return { how: 'timeout', problems: [{ level: 'error', text }] };
    }
    if (bytes.length === 0) {
      const how = end === 'reset' || this.h.reset?.() ? 'reset' : 'eof';
      const problems: Problem[] = [{ level: 'error', text: `the server ${how === 'reset' ? 'reset the connection' : 'closed the connection'} after the HTTP/2 preface without sending a single byte (no SETTINGS)` }];
      if (this.o.scheme === 'http') problems.push({ level: 'info', text: 'a TLS port closes like this when it gets cleartext: if this port speaks TLS, use https://' });
      return { how, problems };
    }
    const first = c.result.first!;
    const summary = first.summary;
    const kind = first.first.kind;
    const problems: Problem[] = [];
    if (kind === 'http1') problems.push({ level: 'error', text: `the server answered the HTTP/2 preface with HTTP/1.x (${summary}): it does not speak HTTP/2 here` });
    else if (kind.startsWith('tls')) problems.push({ level: 'error', text: `these bytes are TLS (${summary}): the port speaks TLS; use https://` });
    else if (kind === 'banner') problems.push({ level: 'error', text: `${summary}: this is not an HTTP server (a TLS terminator or router sends h2 traffic to the wrong backend)` });
    else problems.push({ level: 'error', text: `the server answered with ${summary}, not an HTTP/2 SETTINGS frame` });
    this.h.emit({ kind: 'bytes', dir: 'in', length: bytes.length, summary, text: printable(bytes.subarray(0, 200)), hex: toHex(bytes.subarray(0, 64)) }, problems);
    this.finish('client', 'the server does not speak HTTP/2 on this connection');
    return undefined;
  }

  /** The server closed (or reset) the connection while the exchange was on: what that means at this point. */
  private ended(how: 'eof' | 'reset'): Problem[] {
    const what = how === 'reset' ? 'reset the connection' : 'closed the connection';
    if (this.responseStatus === undefined && !this.goawaySeen) return [{ level: 'error', text: `the server ${what} before answering the request, without a GOAWAY` }];
    if (!this.streamClosedByServer && this.responseStatus !== undefined) return [{ level: 'error', text: `the server ${what} before the response ended (no END_STREAM)` }];
    return [];
  }

  /** The deadline passed: what we were waiting for. */
  private timedOut(): Problem[] {
    const ms = this.o.timeoutMs;
    // A SETTINGS frame that broke a rule (an out-of-range value) was said as invalid: it came, it was not valid.
    if (!this.client.result.serverSettings) return [{ level: 'error', text: this.invalidFrames ? `no valid SETTINGS from the server within ${ms} ms (${this.invalidFrames} invalid frame${this.invalidFrames > 1 ? 's' : ''} above)` : `no SETTINGS from the server within ${ms} ms` }];
    if (this.responseStatus === undefined) return [{ level: 'error', text: `no response HEADERS on stream 1 within ${ms} ms` }];
    return [{ level: 'error', text: `the response did not end (no END_STREAM) within ${ms} ms` }];
  }

  private onInvalid(e: Extract<H2Event, { kind: 'invalid' }>): void {
    // It was a frame from the server (an out-of-range SETTINGS is the server's preface, invalid): the
    // next one is not "the first server frame".
    this.inFrames++;
    this.h.emit({ kind: 'note' }, [{ level: 'error', text: `invalid frame from the server: ${e.error} — a client answers with GOAWAY ${e.h2Error}` }]);
    // One error said a few times is enough: a stream of invalid frames ends the trace instead of
    // repeating the same line hundreds of times.
    if (++this.invalidFrames >= MAX_INVALID_FRAMES) {
      this.finish('client', `${this.invalidFrames} invalid frames from the server: the trace stops here`);
      this.silenced = true;
    } else if (e.fatal) this.finish('client', 'the frame stream cannot be read past this point');
  }

  private finish(by: 'client' | 'max-frames', detail: string): void {
    if (this.done) return;
    this.done = true;
    this.doneAt = performance.now();
    this.client.quiet();
    this.h.stop(by, detail);
  }

  private count(): void {
    this.frames++;
    if (this.frames >= this.o.maxFrames && !this.silenced) {
      this.silenced = true;
      // After the frame's own write (the client writes once its observer returns).
      queueMicrotask(() => this.finish('max-frames', `stopped after ${this.o.maxFrames} frames (--max-frames)`));
    }
  }

  /** Every frame, both ways, as the client sends or reads it: the event, and what a received one means. */
  private observe(dir: 'in' | 'out', f: Frame, seen: Inspected | undefined): void {
    if (this.silenced) return;
    if (dir === 'out') {
      this.h.emit(frameEvent(f, 'out', this.o.previewBytes));
      this.count();
      return;
    }
    const problems: Problem[] = [];
    const ev = frameEvent(f, 'in', this.o.previewBytes);
    // RFC 9113 §3.4: the server connection preface is a SETTINGS frame (possibly empty), first.
    if (this.inFrames++ === 0 && !(f.kind === 'SETTINGS' && !f.ack)) {
      problems.push({ level: 'error', text: `first server frame is not SETTINGS (RFC 9113 §3.4: the server preface must be SETTINGS; a client treats this as PROTOCOL_ERROR)` });
    }
    // The shared checks: field blocks (RFC 9113 §6.10, HPACK), :status, DATA before HEADERS, floods.
    const v = seen?.violation;
    if (v) {
      problems.push({ level: 'error', text: v.text });
      // A flood is said once, then the trace stops: the same frame a thousand times shows nothing more.
      if (v.kind === 'flood') this.after.push(() => this.goaway(`stopped at a flood: ${v.text}`));
    }
    if (seen?.block) ev.headers = seen.block.fields;
    if (seen?.response) this.onResponse(seen.response.status, problems);
    this.onKind(f, problems);
    this.h.emit(ev, problems);
    this.count();
  }

  private onKind(f: Frame, problems: Problem[]): void {
    switch (f.kind) {
      case 'SETTINGS':
        if (!f.ack) this.onSettings(f, problems);
        break;
      case 'GOAWAY':
        this.onGoaway(f, problems);
        break;
      case 'RST_STREAM':
        problems.push({ level: f.errorName === 'NO_ERROR' ? 'info' : 'error', text: `stream ${f.streamId} reset with ${f.errorName}: ${meaning(f.errorName)}` });
        if (f.streamId === 1) {
          this.streamClosedByServer = true;
          this.after.push(() => this.goaway('stream 1 was reset'));
        }
        break;
      case 'WINDOW_UPDATE':
        // RFC 9113 §6.9.1: a window may not exceed 2^31-1.
        if (!this.flow.windowUpdate(f)) problems.push({ level: 'error', text: 'the flow-control window now exceeds 2^31-1 (RFC 9113 §6.9.1: FLOW_CONTROL_ERROR)' });
        this.after.push(() => this.sendBody());
        break;
      case 'HEADERS':
        if (f.endStream && f.streamId === 1) {
          this.streamClosedByServer = true;
          this.after.push(() => this.goaway('the response is complete'));
        }
        break;
      case 'DATA':
        // RFC 9113 §6.9: DATA against our flow-control windows; the end of the response closes the exchange.
        if (!this.flow.data(f)) problems.push({ level: 'error', text: 'the server sent more DATA than our flow-control window allows (RFC 9113 §6.9.1: FLOW_CONTROL_ERROR)' });
        if (f.endStream && f.streamId === 1) {
          this.streamClosedByServer = true;
          this.after.push(() => this.goaway('the response is complete'));
        } else this.after.push(() => this.replenish());
        break;
      default:
        // PING is answered by the client; PUSH_PROMISE is a violation the inspector names (RFC 9113 §8.4).
        break;
    }
  }

  /** RFC 9113 §6.5: the server's SETTINGS (windows, frame size, streams allowed); then our request. */
  private onSettings(f: Extract<Frame, { kind: 'SETTINGS' }>, problems: Problem[]): void {
    this.flow.settings(f);
    const mcs = f.settings.find((s) => s.id === SETTINGS.MAX_CONCURRENT_STREAMS);
    const noStream = mcs !== undefined && mcs.value === 0 && !this.client.requested;
    // RFC 9113 §5.1.2: a client must not open streams beyond the peer's limit.
    if (noStream) problems.push({ level: 'error', text: 'SETTINGS_MAX_CONCURRENT_STREAMS = 0: the server allows no stream, so no request can be sent (RFC 9113 §5.1.2)' });
    this.after.push(() => (noStream ? this.goaway('no stream may be opened (MAX_CONCURRENT_STREAMS = 0)') : this.request()));
  }

  /** RFC 9113 §6.8: what a GOAWAY says about our stream, and whether the exchange is over. */
  private onGoaway(f: Extract<Frame, { kind: 'GOAWAY' }>, problems: Problem[]): void {
    this.goawaySeen = true;
    const requested = this.client.requested;
    const noStream = !requested || (f.lastStreamId === 0 && this.responseStatus === undefined);
    if (noStream && f.errorName !== 'NO_ERROR') problems.push({ level: 'error', text: `GOAWAY ${f.errorName} before any stream: ${meaning(f.errorName)}` });
    else if (f.errorName !== 'NO_ERROR') problems.push({ level: 'error', text: `GOAWAY ${f.errorName}: ${meaning(f.errorName)}` });
    else if (requested && f.lastStreamId < 1 && this.responseStatus === undefined) {
      problems.push({ level: 'warning', text: 'GOAWAY NO_ERROR with last_stream=0: the server shuts down without processing our stream 1 (safe to retry on a new connection)' });
    }
    // RFC 9113 §6.8: after GOAWAY the sender opens no new streams; ours is over unless it is below last_stream.
    if (f.lastStreamId < 1 || this.responseStatus === undefined || this.streamClosedByServer) this.after.push(() => this.finish('client', 'the server sent GOAWAY'));
  }

  /** A final response on stream 1 (validated by the inspector): what its status says. */
  private onResponse(code: number, problems: Problem[]): void {
    if (this.responseStatus !== undefined) return;
    this.responseStatus = code;
    if (code === 421) problems.push({ level: 'warning', text: '421 Misdirected Request: this connection cannot serve this authority (often a certificate or SNI shared across names)' });
    else if (code >= 500) problems.push({ level: 'warning', text: `the server answered ${code}: HTTP/2 works; the application failed` });
    else if (code >= 400) problems.push({ level: 'info', text: `the server answered ${code}: HTTP/2 works; the request was refused` });
  }

  /** Send the request: HEADERS (+ CONTINUATION, by the client), then the body under flow control. */
  private request(): void {
    if (this.client.requested) return this.sendBody();
    const hasBody = !!this.body && this.body.length > 0;
    const fields: Array<[string, string]> = [
      [':method', this.o.method],
      [':scheme', this.o.scheme],
      [':authority', this.o.authority],
      [':path', this.o.path],
      ['user-agent', this.o.userAgent],
      ['accept', '*/*'],
      ...(hasBody && !this.o.headers.some(([k]) => k.toLowerCase() === 'content-length') ? [['content-length', String(this.body!.length)] as [string, string]] : []),
      // RFC 9113 §8.2.1: field names are lower case in HTTP/2.
      ...this.o.headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]),
    ];
    this.client.request(
      fields.map(([k, v]): HeaderInput => (SENSITIVE.has(k) ? [k, v, true] : [k, v])),
      { endStream: !hasBody, huffman: 'auto' },
    );
    this.sendBody();
  }

  private sendBody(): void {
    const body = this.body;
    if (!body || !this.client.requested || this.bodySent >= body.length) return;
    while (this.bodySent < body.length && !this.done) {
      const room = this.flow.room();
      if (room <= 0) {
        this.h.emit({ kind: 'note' }, [{ level: 'info', text: `request body paused at ${this.bodySent}/${body.length} bytes: the server's flow-control window is empty; waiting for WINDOW_UPDATE` }]);
        return;
      }
      const n = Math.min(room, body.length - this.bodySent);
      const part = body.subarray(this.bodySent, this.bodySent + n);
      this.bodySent += n;
      this.flow.sent(n);
      this.client.send(dataFrame(1, part, { endStream: this.bodySent >= body.length }));
    }
  }

  /** RFC 9113 §6.9: give back received window once half of it is used. */
  private replenish(): void {
    for (const f of this.flow.replenish(!this.streamClosedByServer)) this.client.send(f);
  }

  /** RFC 9113 §6.8: a graceful close; we accepted no server-initiated stream. */
  private goaway(why: string): void {
    if (this.done) return;
    this.client.send(goawayFrame(0, 'NO_ERROR'));
    this.finish('client', why);
  }
}
