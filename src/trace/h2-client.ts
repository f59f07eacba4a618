/**
 * The trace's HTTP/2 client: one request on stream 1 over an open byte stream, every frame in both
 * directions turned into an event, with what is wrong said on the frame that shows it. It does not
 * stop at the first protocol violation (a trace shows what the server does next), but it does
 * stop when the bytes are not HTTP/2 at all, when the exchange is over, or at --max-frames.
 *
 * @example
 * const c = new H2TraceClient(opts, { emit, write, stop });
 * c.start(); socket.on('data', (b) => c.push(b));
 */
import { classify, isDecided } from '../wire/sniff.js';
import { CLIENT_PREFACE, ERROR_MEANINGS, SETTINGS, type ErrorCodeName } from '../wire/http2/registry.js';
import {
  FrameDecoder,
  FrameError,
  continuationFrame,
  dataFrame,
  encodeFrame,
  goawayFrame,
  headersFrame,
  pingFrame,
  settingsFrame,
  windowUpdateFrame,
  type Frame,
} from '../wire/http2/frame.js';
import { HpackEncoder } from '../wire/hpack/index.js';
import { clientOpening, goawayInfo, prefaceOutcome } from '../probes/h2-client.js';
import { H2Inspector } from '../probes/h2-inspect.js';
import type { Http2Result } from '../model/index.js';
import { settingName } from '../wire/http2/registry.js';
import { ParseError, concat, toHex } from '../wire/bytes.js';
import type { Problem, TraceEventBody } from '../model/trace.js';
import { frameEvent } from './frame-event.js';
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
  /** After `Upgrade: h2c`: stream 1 is the upgrade request, already sent. */
  upgraded?: boolean;
}

export interface H2TraceHooks {
  emit(e: TraceEventBody, problems?: Problem[]): void;
  write(b: Uint8Array): void;
  /** The client is done: close the connection. */
  stop(by: 'client' | 'max-frames', detail: string): void;
}

/** Our receive window: what the one client preface (probes/h2-client.ts) advertises and opens. */
const WINDOW = 1 << 24;
const MAX_FRAME = 16384;
/** Invalid frames shown before the trace stops (a client would have closed at the first). */
const MAX_INVALID_FRAMES = 5;

const meaning = (name: string): string => ERROR_MEANINGS[name as ErrorCodeName] ?? 'an error code RFC 9113 does not define';

export class H2TraceClient {
  private readonly dec = new FrameDecoder({ maxFrameSize: MAX_FRAME });
  /** The checks every HTTP/2 use shares: field blocks, HPACK, :status, floods. */
  private readonly inspector = new H2Inspector();
  private first: Uint8Array[] = [];
  private decided = false;
  private frames = 0;
  private inFrames = 0;
  private invalidFrames = 0;
  private done = false;
  /** Set at --max-frames, when the server ended the connection, or at the deadline: nothing more is shown. */
  private silenced = false;
  private requested = false;
  private serverSettingsSeen = false;
  private responseStatus: number | undefined;
  private streamClosedByServer = false;
  private goawaySeen = false;
  // Flow control (RFC 9113 §6.9): what we may send, and what we received but have not yet given back.
  private peerInitialWindow = 65535;
  private peerMaxFrame = 16384;
  private sendConn = 65535;
  private sendStream = 65535;
  private recvConnUnacked = 0;
  private recvStreamUnacked = 0;
  private recvConnWindow = WINDOW;
  private recvStreamWindow = WINDOW;
  private body: Uint8Array | undefined;
  private bodySent = 0;
  /** What the exchange proves, in the probes' terms, for the diagnosis rules (see `evidence`). */
  private readonly res: Http2Result;

  constructor(private readonly o: H2TraceOptions, private readonly h: H2TraceHooks) {
    this.res = { via: o.upgraded ? 'upgrade' : o.scheme === 'https' ? 'tls' : 'prior-knowledge', outcome: 'timeout', frames: [] };
    this.body = o.data;
    if (o.upgraded) {
      // RFC 7540 §3.2: the upgrade request is stream 1, half-closed (local) for the client.
      this.requested = true;
      this.bodySent = this.body?.length ?? 0;
    }
  }

  /** True once the client has stopped (exchange over, not HTTP/2, or --max-frames). */
  get finished(): boolean {
    return this.done;
  }
  /** Frames from the server so far. */
  get serverFrames(): number {
    return this.inFrames;
  }
  /**
   * The exchange as evidence (the probes' Http2Result: outcome, first bytes, SETTINGS, GOAWAY,
   * status), so the diagnosis rules judge a trace as they judge a diagnosis.
   */
  get evidence(): Http2Result {
    return { ...this.res, frames: [] };
  }

  /** RFC 9113 §3.4: the client preface is the magic string, then a SETTINGS frame. */
  start(): void {
    this.h.emit({ kind: 'preface', dir: 'out' });
    this.h.write(CLIENT_PREFACE);
    for (const f of clientOpening().frames) this.send(f);
  }

  /** Bytes from the server (already decrypted). */
  push(chunk: Uint8Array): void {
    // After our GOAWAY the connection drains: frames still arriving are shown, not acted on.
    if (chunk.length === 0 || this.silenced || (this.done && !this.decided)) return;
    if (!this.decided) {
      this.first.push(chunk);
      const bytes = concat(this.first);
      if (!isDecided(bytes)) return;
      this.decided = true;
      const c = classify(bytes, 'open');
      const k = c.first.kind;
      this.res.first = c;
      // The one first-bytes mapping (probes/h2-client.ts): anything but HTTP/2 frames ends the client.
      const notH2 = prefaceOutcome(c);
      if (notH2 !== undefined) {
        this.res.outcome = notH2;
        this.notHttp2(bytes, c.summary, k);
        return;
      }
      chunk = bytes;
    }
    this.dec.push(chunk);
    for (;;) {
      if (this.silenced) return;
      let f: Frame | null;
      try {
        f = this.dec.next();
      } catch (e) {
        const msg = e instanceof ParseError ? e.message : String(e);
        const fatal = e instanceof ParseError && e.code === 'too-large';
        const h2 = e instanceof FrameError ? e.h2Error : 'PROTOCOL_ERROR';
        this.h.emit({ kind: 'note' }, [{ level: 'error', text: `invalid frame from the server: ${msg} — a client answers with GOAWAY ${h2}` }]);
        // One error said a few times is enough: a stream of invalid frames ends the trace instead of
        // repeating the same line hundreds of times.
        if (++this.invalidFrames >= MAX_INVALID_FRAMES) {
          this.finish('client', `${this.invalidFrames} invalid frames from the server: the trace stops here`);
          this.silenced = true;
          return;
        }
        if (fatal || !(e instanceof FrameError)) {
          this.finish('client', 'the frame stream cannot be read past this point');
          return;
        }
        continue;
      }
      if (!f) return;
      this.onFrame(f);
    }
  }

  /** The server closed (or reset) the connection: say what that means at this point. */
  ended(how: 'eof' | 'reset'): Problem[] {
    const out: Problem[] = [];
    const wasDone = this.done;
    this.silenced = true;
    if (wasDone) return out;
    this.done = true;
    const what = how === 'reset' ? 'reset the connection' : 'closed the connection';
    if (!this.decided && this.first.length === 0) this.res.outcome = how === 'reset' ? 'reset' : 'closed';
    else if (!this.decided) {
      const c = classify(concat(this.first), how);
      this.res.first = c;
      this.res.outcome = prefaceOutcome(c) ?? 'garbage';
    }
    if (!this.decided && this.first.length === 0) {
      out.push({ level: 'error', text: `the server ${what} after the HTTP/2 preface without sending a single byte (no SETTINGS)` });
      if (this.o.scheme === 'http') out.push({ level: 'info', text: 'a TLS port closes like this when it gets cleartext: if this port speaks TLS, use https://' });
    } else if (!this.decided) {
      const bytes = concat(this.first);
      this.notHttp2(bytes, classify(bytes, how).summary, classify(bytes, how).first.kind);
    } else if (this.responseStatus === undefined && !this.goawaySeen) {
      out.push({ level: 'error', text: `the server ${what} before answering the request, without a GOAWAY` });
    } else if (!this.streamClosedByServer && this.responseStatus !== undefined) {
      out.push({ level: 'error', text: `the server ${what} before the response ended (no END_STREAM)` });
    }
    return out;
  }

  /** The deadline passed: what we were waiting for. */
  timedOut(ms: number): Problem[] {
    this.silenced = true;
    if (this.done) return [];
    this.done = true;
    if (!this.decided && this.first.length === 0) return [{ level: 'error', text: `no answer to the HTTP/2 preface within ${ms} ms (the server waits for something else, or is not HTTP/2)` }];
    if (!this.decided) return [{ level: 'error', text: `the server sent ${concat(this.first).length} byte(s) that are not enough to tell what it speaks, then nothing within ${ms} ms` }];
    if (!this.serverSettingsSeen) return [{ level: 'error', text: `no SETTINGS from the server within ${ms} ms` }];
    if (this.responseStatus === undefined) return [{ level: 'error', text: `no response HEADERS on stream 1 within ${ms} ms` }];
    return [{ level: 'error', text: `the response did not end (no END_STREAM) within ${ms} ms` }];
  }

  // -------------------------------------------------------------------------------------------

  private notHttp2(bytes: Uint8Array, summary: string, kind: string): void {
    const problems: Problem[] = [];
    if (kind === 'http1') {
      problems.push({ level: 'error', text: `the server answered the HTTP/2 preface with HTTP/1.x (${summary}): it does not speak HTTP/2 here` });
    } else if (kind.startsWith('tls')) {
      problems.push({ level: 'error', text: `these bytes are TLS (${summary}): the port speaks TLS; use https://` });
    } else if (kind === 'banner') {
      problems.push({ level: 'error', text: `${summary}: this is not an HTTP server (a TLS terminator or router sends h2 traffic to the wrong backend)` });
    } else {
      problems.push({ level: 'error', text: `the server answered with ${summary}, not an HTTP/2 SETTINGS frame` });
    }
    this.h.emit({ kind: 'bytes', dir: 'in', length: bytes.length, summary, text: printable(bytes.subarray(0, 200)), hex: toHex(bytes.subarray(0, 64)) }, problems);
    this.finish('client', 'the server does not speak HTTP/2 on this connection');
  }

  /** The evidence a server frame adds (RFC 9113 §3.4: the server preface is SETTINGS). */
  private record(f: Frame, isFirst: boolean): void {
    const r = this.res;
    if (isFirst && f.kind === 'GOAWAY') r.outcome = 'goaway';
    else if (isFirst && !(f.kind === 'SETTINGS' && !f.ack)) r.outcome = 'not-settings';
    if (f.kind === 'SETTINGS' && !f.ack) {
      r.serverSettings = [...(r.serverSettings ?? []), ...f.settings.map((s) => ({ id: s.id, name: settingName(s.id), value: s.value }))];
      if (r.outcome === 'timeout') r.outcome = 'settings-no-response';
    }
    if (f.kind === 'GOAWAY') {
      r.goaway = goawayInfo(f);
      if (r.outcome === 'settings-no-response' && this.responseStatus === undefined) r.outcome = 'goaway';
    }
    if (f.kind === 'RST_STREAM' && f.streamId === 1 && this.responseStatus === undefined) {
      r.rstStream = { errorCode: f.errorCode, errorName: f.errorName };
      r.outcome = 'rst-stream';
    }
  }

  private finish(by: 'client' | 'max-frames', detail: string): void {
    if (this.done) return;
    this.done = true;
    this.h.stop(by, detail);
  }

  private send(f: Frame): void {
    if (this.done) return;
    this.h.emit(frameEvent(f, 'out', this.o.previewBytes));
    this.h.write(encodeFrame(f));
    this.count();
  }

  private count(): void {
    this.frames++;
    if (this.frames >= this.o.maxFrames && !this.silenced) {
      this.silenced = true;
      this.finish('max-frames', `stopped after ${this.o.maxFrames} frames (--max-frames)`);
    }
  }

  private onFrame(f: Frame): void {
    const problems: Problem[] = [];
    const ev = frameEvent(f, 'in', this.o.previewBytes);
    const isFirst = this.inFrames === 0;
    this.inFrames++;
    this.record(f, isFirst);
    // RFC 9113 §3.4: the server connection preface is a SETTINGS frame (possibly empty), first.
    if (isFirst && !(f.kind === 'SETTINGS' && !f.ack)) {
      problems.push({ level: 'error', text: `first server frame is not SETTINGS (RFC 9113 §3.4: the server preface must be SETTINGS; a client treats this as PROTOCOL_ERROR)` });
    }
    const after: Array<() => void> = [];
    // The shared checks: field blocks (RFC 9113 §6.10, HPACK), :status, DATA before HEADERS, floods.
    const seen = this.inspector.inspect(f);
    if (seen.violation) {
      const v = seen.violation;
      if (!this.res.violation) {
        this.res.violation = v;
        this.res.outcome = v.kind === 'flood' ? 'flood' : 'protocol-error';
      }
      problems.push({ level: 'error', text: v.text });
      // A flood is said once, then the trace stops: the same frame a thousand times shows nothing more.
      if (v.kind === 'flood') after.push(() => this.goaway(`stopped at a flood: ${v.text}`));
    }
    if (seen.block) ev.headers = seen.block.fields;
    if (seen.response) this.onResponse(seen.response.status, problems);
    switch (f.kind) {
      case 'SETTINGS':
        if (!f.ack) this.onSettings(f, problems, after);
        break;
      case 'PING':
        // RFC 9113 §6.7: answer a PING with the same opaque data and ACK.
        if (!f.ack) after.push(() => this.send(pingFrame(f.opaqueData, true)));
        break;
      case 'GOAWAY':
        this.onGoaway(f, problems, after);
        break;
      case 'RST_STREAM':
        problems.push({ level: f.errorName === 'NO_ERROR' ? 'info' : 'error', text: `stream ${f.streamId} reset with ${f.errorName}: ${meaning(f.errorName)}` });
        if (f.streamId === 1) {
          this.streamClosedByServer = true;
          after.push(() => this.goaway('stream 1 was reset'));
        }
        break;
      case 'WINDOW_UPDATE':
        if (f.streamId === 0) this.sendConn += f.windowSizeIncrement;
        else if (f.streamId === 1) this.sendStream += f.windowSizeIncrement;
        // RFC 9113 §6.9.1: a window may not exceed 2^31-1.
        if (this.sendConn > 0x7fffffff || this.sendStream > 0x7fffffff) problems.push({ level: 'error', text: 'the flow-control window now exceeds 2^31-1 (RFC 9113 §6.9.1: FLOW_CONTROL_ERROR)' });
        after.push(() => this.sendBody());
        break;
      case 'PUSH_PROMISE':
        // RFC 9113 §8.4: a client that disabled push treats PUSH_PROMISE as a PROTOCOL_ERROR.
        // (the inspector said so)
        break;
      case 'HEADERS':
        if (f.endStream && f.streamId === 1) {
          this.streamClosedByServer = true;
          after.push(() => this.goaway('the response is complete'));
        }
        break;
      case 'DATA':
        this.onData(f, problems, after);
        break;
      default:
        break;
    }
    this.h.emit(ev, problems);
    this.count();
    for (const a of after) if (!this.done) a();
  }

  /** RFC 9113 §6.5: the server's SETTINGS (windows, frame size, streams allowed), acknowledged; then our request. */
  private onSettings(f: Extract<Frame, { kind: 'SETTINGS' }>, problems: Problem[], after: Array<() => void>): void {
    this.serverSettingsSeen = true;
    for (const s of f.settings) {
      if (s.id === SETTINGS.INITIAL_WINDOW_SIZE) {
        // RFC 9113 §6.9.2: a new initial window changes open streams' windows by the difference.
        this.sendStream += s.value - this.peerInitialWindow;
        this.peerInitialWindow = s.value;
      }
      if (s.id === SETTINGS.MAX_FRAME_SIZE) this.peerMaxFrame = s.value;
      // RFC 9113 §5.1.2: a client must not open streams beyond the peer's limit.
      if (s.id === SETTINGS.MAX_CONCURRENT_STREAMS && s.value === 0 && !this.requested) {
        problems.push({ level: 'error', text: 'SETTINGS_MAX_CONCURRENT_STREAMS = 0: the server allows no stream, so no request can be sent (RFC 9113 §5.1.2)' });
      }
    }
    after.push(() => {
      // RFC 9113 §6.5.3: acknowledge the peer's SETTINGS.
      this.send(settingsFrame([], true));
      const mcs = f.settings.find((s) => s.id === SETTINGS.MAX_CONCURRENT_STREAMS);
      if (mcs && mcs.value === 0 && !this.requested) {
        this.goaway('no stream may be opened (MAX_CONCURRENT_STREAMS = 0)');
        return;
      }
      this.request();
    });
  }

  /** RFC 9113 §6.8: what a GOAWAY says about our stream, and whether the exchange is over. */
  private onGoaway(f: Extract<Frame, { kind: 'GOAWAY' }>, problems: Problem[], after: Array<() => void>): void {
    this.goawaySeen = true;
    const noStream = !this.requested || (f.lastStreamId === 0 && this.responseStatus === undefined);
    if (noStream && f.errorName !== 'NO_ERROR') {
      problems.push({ level: 'error', text: `GOAWAY ${f.errorName} before any stream: ${meaning(f.errorName)}` });
    } else if (f.errorName !== 'NO_ERROR') {
      problems.push({ level: 'error', text: `GOAWAY ${f.errorName}: ${meaning(f.errorName)}` });
    } else if (this.requested && f.lastStreamId < 1 && this.responseStatus === undefined) {
      problems.push({ level: 'warning', text: 'GOAWAY NO_ERROR with last_stream=0: the server shuts down without processing our stream 1 (safe to retry on a new connection)' });
    }
    // RFC 9113 §6.8: after GOAWAY the sender opens no new streams; ours is over unless it is below last_stream.
    if (f.lastStreamId < 1 || this.responseStatus === undefined || this.streamClosedByServer) after.push(() => this.finish('client', 'the server sent GOAWAY'));
  }

  /** RFC 9113 §6.9: DATA against our flow-control windows; the end of the response closes the exchange. */
  private onData(f: Extract<Frame, { kind: 'DATA' }>, problems: Problem[], after: Array<() => void>): void {
    // RFC 9113 §6.9: the whole payload, padding included, counts against flow control.
    const n = f.length;
    this.recvConnWindow -= n;
    if (f.streamId === 1) this.recvStreamWindow -= n;
    if (this.recvConnWindow < 0 || this.recvStreamWindow < 0) {
      problems.push({ level: 'error', text: 'the server sent more DATA than our flow-control window allows (RFC 9113 §6.9.1: FLOW_CONTROL_ERROR)' });
    }
    this.recvConnUnacked += n;
    if (f.streamId === 1) this.recvStreamUnacked += n;
    if (f.endStream && f.streamId === 1) {
      this.streamClosedByServer = true;
      after.push(() => this.goaway('the response is complete'));
    } else {
      after.push(() => this.replenish());
    }
  }

  /** A final response on stream 1 (validated by the inspector): what its status says. */
  private onResponse(code: number, problems: Problem[]): void {
    if (this.responseStatus === undefined) {
      this.responseStatus = code;
      this.res.status = code;
      // A response after a broken preface (first frame not SETTINGS) or a violation keeps that outcome.
      if (this.res.outcome === 'timeout' || this.res.outcome === 'settings-no-response') this.res.outcome = 'response';
      if (code === 421) problems.push({ level: 'warning', text: '421 Misdirected Request: this connection cannot serve this authority (often a certificate or SNI shared across names)' });
      else if (code >= 500) problems.push({ level: 'warning', text: `the server answered ${code}: HTTP/2 works; the application failed` });
      else if (code >= 400) problems.push({ level: 'info', text: `the server answered ${code}: HTTP/2 works; the request was refused` });
    }
  }

  /** Send the request: HEADERS (+ CONTINUATION), then the body under flow control. */
  private request(): void {
    if (this.requested) {
      this.sendBody();
      return;
    }
    this.requested = true;
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
    // RFC 7541 §7.1.3: credentials go as never-indexed literals, so no intermediary stores them.
    const sensitive = new Set(['authorization', 'proxy-authorization', 'cookie']);
    const block = new HpackEncoder({ huffman: 'auto', indexing: false }).encode(fields.map(([k, v]) => (sensitive.has(k) ? [k, v, true] : [k, v])));
    const max = this.peerMaxFrame;
    // RFC 9113 §6.10: a field block larger than a frame continues in CONTINUATION frames.
    const first = block.subarray(0, max);
    this.send(headersFrame(1, first, { endStream: !hasBody, endHeaders: block.length <= max }));
    for (let at = max; at < block.length; at += max) {
      this.send(continuationFrame(1, block.subarray(at, at + max), at + max >= block.length));
    }
    // The sent event shows the fields we encoded.
    this.sendBody();
  }

  private sendBody(): void {
    const body = this.body;
    if (!body || !this.requested || this.bodySent >= body.length) return;
    while (this.bodySent < body.length && !this.done) {
      const room = Math.min(this.sendConn, this.sendStream, this.peerMaxFrame);
      if (room <= 0) {
        this.h.emit({ kind: 'note' }, [{ level: 'info', text: `request body paused at ${this.bodySent}/${body.length} bytes: the server's flow-control window is empty; waiting for WINDOW_UPDATE` }]);
        return;
      }
      const n = Math.min(room, body.length - this.bodySent);
      const part = body.subarray(this.bodySent, this.bodySent + n);
      this.bodySent += n;
      this.sendConn -= n;
      this.sendStream -= n;
      this.send(dataFrame(1, part, { endStream: this.bodySent >= body.length }));
    }
  }

  /** RFC 9113 §6.9: give back received window once half of it is used. */
  private replenish(): void {
    if (this.recvConnUnacked >= WINDOW / 2) {
      this.send(windowUpdateFrame(0, this.recvConnUnacked));
      this.recvConnWindow += this.recvConnUnacked;
      this.recvConnUnacked = 0;
    }
    if (!this.streamClosedByServer && this.recvStreamUnacked >= WINDOW / 2) {
      this.send(windowUpdateFrame(1, this.recvStreamUnacked));
      this.recvStreamWindow += this.recvStreamUnacked;
      this.recvStreamUnacked = 0;
    }
  }

  /** RFC 9113 §6.8: a graceful close; we accepted no server-initiated stream. */
  private goaway(why: string): void {
    if (this.done) return;
    this.send(goawayFrame(0, 'NO_ERROR'));
    this.finish('client', why);
  }
}
