/**
 * The HTTP/2 part of a trace, over TLS or cleartext: by prior knowledge, or after `Upgrade: h2c`
 * (RFC 7540 §3.2), every frame both ways through the HTTP/2 client, until the answer, a close, the
 * frame cap or the deadline.
 */
import type { Target } from '../model/index.js';
import { ParseError, concat, toHex } from '../wire/bytes.js';
import { classify } from '../wire/sniff.js';
import { encodeFrame, settingsFrame } from '../wire/http2/frame-encode.js';
import { SETTINGS } from '../wire/http2/registry.js';
import { encodeRequestHead, parseResponseHead } from '../wire/http1/head.js';
import { hostForUrl } from '../model/target.js';
import { VERSION } from '../version.js';
import { ByteSink } from '../transport/conn.js';
import { H2Trace } from './h2-trace.js';
import { TRACE_DEFAULTS, type TraceRecorder } from './recorder.js';
import type { TraceWire } from './connect.js';
import { printable } from './text.js';
import type { TraceOptions, TraceResult } from './types.js';
import type { Problem } from '../model/trace.js';

/** The byte stream the exchange runs on: the TLS socket, or the raw socket with the capture in between. */
export type Stream = {
  write(b: Uint8Array): unknown;
  on(ev: 'data', f: (b: Buffer) => void): unknown;
  on(ev: 'end' | 'close', f: () => void): unknown;
  on(ev: 'error', f: (e: NodeJS.ErrnoException) => void): unknown;
  end(): unknown;
  destroy(): unknown;
  pause(): unknown;
  resume(): unknown;
};

/** Bytes of the server's not yet read before its stream is held back (a fast server, a slow terminal). */
const SINK_HIGH_WATER = 1 << 20;

type CloseBy = 'client' | 'server' | 'reset' | 'timeout' | 'max-frames' | 'error';

/**
 * The cleartext stream over the raw socket: what goes out and comes in is captured.
 * @example const stream = cleartextStream(rec, wire);
 */
export function cleartextStream(rec: TraceRecorder, wire: TraceWire): Stream {
  const raw = wire.raw;
  raw.on('data', (c: Buffer) => rec.keep('in', new Uint8Array(c)));
  return {
    write: (b: Uint8Array) => {
      rec.keep('out', b);
      return raw.write(b);
    },
    on: ((ev: string, f: (...a: any[]) => void) => raw.on(ev, f)) as Stream['on'],
    end: () => raw.end(),
    destroy: () => raw.destroy(),
    pause: () => raw.pause(),
    resume: () => raw.resume(),
  };
}

export class TraceExchange {
  private finished = false;
  private h2: H2Trace | undefined;
  private sink!: ByteSink;
  private done!: (r: TraceResult) => void;
  private readonly method: string;
  private readonly userAgent: string;
  private readonly authority: string;

  constructor(
    private readonly rec: TraceRecorder,
    private readonly wire: TraceWire,
    private readonly stream: Stream,
    private readonly target: Target,
    private readonly o: TraceOptions,
    private readonly deadline: number,
    private readonly timeoutMs: number,
  ) {
    this.method = o.method ?? (o.data ? 'POST' : 'GET');
    this.userAgent = o.userAgent ?? `h2doctor/${VERSION}`;
    this.authority = target.port === (target.tls ? 443 : 80) ? hostForUrl(target.host) : `${hostForUrl(target.host)}:${target.port}`;
  }

  /** Runs the exchange to its end: the trace's result. */
  run(): Promise<TraceResult> {
    const result = new Promise<TraceResult>((resolveDone) => (this.done = resolveDone));
    // Everything the server sends, from now on; the HTTP/2 client lets go of what it has decoded.
    this.sink = new ByteSink(this.stream, Number.MAX_SAFE_INTEGER, SINK_HIGH_WATER);
    void this.exchange();
    return result;
  }

  private async exchange(): Promise<void> {
    let offset = 0;
    const upgraded = !(this.target.tls || this.o.priorKnowledge);
    if (upgraded) {
      this.sendUpgradeRequest();
      const at = await this.readUpgrade();
      if (at === undefined) return;
      offset = at;
    }
    const o = this.o;
    this.h2 = new H2Trace(
      {
        scheme: this.target.tls ? 'https' : 'http',
        authority: this.authority,
        path: this.target.path,
        method: this.method,
        headers: o.headers ?? [],
        ...(o.data ? { data: o.data } : {}),
        userAgent: this.userAgent,
        maxFrames: o.maxFrames ?? TRACE_DEFAULTS.maxFrames,
        previewBytes: o.previewBytes ?? TRACE_DEFAULTS.previewBytes,
        ...(upgraded ? { upgraded: true, offset } : {}),
        deadline: this.deadline,
        timeoutMs: this.timeoutMs,
      },
      { emit: this.rec.emit, write: this.write, stop: (by, detail) => this.finish(by, detail), reset: () => this.wire.reset },
      this.sink,
    );
    const end = await this.h2.run();
    if (end) this.finish(end.how === 'timeout' ? 'timeout' : end.how === 'reset' ? 'reset' : 'server', this.closeDetail(end.how), end.problems);
  }

  private readonly write = (b: Uint8Array): void => {
    if (!this.finished) this.stream.write(b);
  };

  private closeDetail(how: 'eof' | 'reset' | 'timeout'): string {
    if (how === 'timeout') return `deadline of ${this.timeoutMs} ms (--timeout)`;
    if (how === 'reset') return 'the server reset the connection';
    return this.wire.ended || !this.target.tls ? 'the server closed the connection' : 'the connection closed';
  }

  private finish(by: CloseBy, detail: string, problems: Problem[] = []): void {
    if (this.finished) return;
    this.finished = true;
    const reset = by === 'reset';
    // Let the last writes (our GOAWAY, through TLS) reach the socket and the capture, then close;
    // what still arrives drains into the HTTP/2 client, which shows it (a held-back stream would
    // never see its close). Before HTTP/2 (an answer to Upgrade: h2c that is no 101) nothing would
    // read it: nothing more is read, or an endless answer would pile up in the sink until the close.
    if (this.h2) this.sink.unthrottle();
    else this.wire.raw.pause();
    this.stream.end();
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      this.rec.capture!.close = { by: by === 'server' || reset ? 'server' : 'client', reset, at: this.rec.epochNow() };
      this.rec.emit({ kind: 'close', by, detail }, problems);
      this.h2?.silence();
      this.stream.destroy();
      this.wire.raw.destroy();
      if (this.h2 && this.rec.seen) this.rec.seen.h2 = this.h2.evidence;
      this.done(this.rec.result());
    };
    this.wire.raw.once('close', close);
    // Not unref'd: a server that keeps its side open must not end the process before the result (exit 0, no summary).
    setTimeout(close, 100);
  }

  /** The answer to `Upgrade: h2c`, once it can be read: where HTTP/2 starts after a 101, or undefined (the trace is over). */
  private async readUpgrade(): Promise<number | undefined> {
    const end = await this.sink.until(upgradeAnswerReady, this.deadline);
    const bytes = this.sink.bytes();
    if (end === 'timeout' || end === 'budget') {
      this.finish('timeout', this.closeDetail('timeout'), [{ level: 'error', text: `no complete answer to the Upgrade: h2c request within ${this.timeoutMs} ms` }]);
      return undefined;
    }
    const how = end === 'reset' || this.wire.reset ? 'reset' : 'eof';
    if (end !== 'open' && bytes.length === 0) {
      if (this.rec.seen) this.rec.seen.upgrade = { outcome: how === 'reset' ? 'reset' : 'closed' };
      this.finish(how === 'reset' ? 'reset' : 'server', this.closeDetail(how), [
        { level: 'error', text: `the server ${how === 'reset' ? 'reset' : 'closed'} the connection without answering the Upgrade: h2c request` },
        { level: 'info', text: 'a TLS port closes like this when it gets cleartext: if this port speaks TLS, use https://' },
      ]);
      return undefined;
    }
    const at = this.onUpgradeBytes(bytes, end !== 'open');
    if (at === undefined && !this.finished) this.finish(how === 'reset' ? 'reset' : 'server', this.closeDetail(how));
    return at;
  }

  /** RFC 7540 §3.2: the HTTP/1.1 request with Upgrade: h2c and our SETTINGS in HTTP2-Settings. */
  private sendUpgradeRequest(): void {
    const o = this.o;
    const settingsPayload = encodeFrame(settingsFrame([{ id: SETTINGS.ENABLE_PUSH, value: 0 }])).subarray(9);
    const headers: Array<[string, string]> = [
      ['Host', this.authority],
      ['Connection', 'Upgrade, HTTP2-Settings'],
      ['Upgrade', 'h2c'],
      ['HTTP2-Settings', Buffer.from(settingsPayload).toString('base64url')],
      ['User-Agent', this.userAgent],
      ['Accept', '*/*'],
      ...(o.data ? [['Content-Length', String(o.data.length)] as [string, string]] : []),
      ...(o.headers ?? []),
    ];
    this.rec.emit({ kind: 'http1', dir: 'out', line: `${this.method} ${this.target.path} HTTP/1.1`, headers });
    this.write(concat([encodeRequestHead(this.method, this.target.path, headers), o.data ?? new Uint8Array(0)]));
  }

  /** The answer to `Upgrade: h2c`: 101 then HTTP/2 (where it starts), or an HTTP/1.1 response, or something else. */
  private onUpgradeBytes(bytes: Uint8Array, ended: boolean): number | undefined {
    const { rec } = this;
    let head;
    try {
      head = parseResponseHead(bytes, { maxHeadBytes: 64 * 1024 });
    } catch (e) {
      // An answer that starts as HTTP/1.x and cannot be read (a head without end, a status line without CRLF) is
      // HTTP/1.1, unreadable: what diagnose's HTTP/1.1 probe records (probes/h1-exchange.ts), so the rules say the same.
      const c = classify(bytes, ended ? 'eof' : 'open');
      if (c.first.kind === 'http1') return this.unreadableHead(bytes, c, e instanceof ParseError ? e.message : String(e));
      this.notHttp(bytes, ended);
      return undefined;
    }
    if (!head.complete) {
      if (ended) {
        rec.emit({ kind: 'bytes', dir: 'in', length: bytes.length, summary: 'an incomplete HTTP/1.1 response head', text: printable(bytes.subarray(0, 200)), hex: toHex(bytes.subarray(0, 64)) }, [
          { level: 'error', text: 'the connection ended inside the HTTP/1.1 response head' },
        ]);
      }
      return undefined;
    }
    const line = `${head.version} ${head.status} ${head.reason}`.trim();
    if (rec.seen) rec.seen.upgrade = { outcome: 'response', version: head.version.replace(/^HTTP\//, ''), status: head.status, reason: head.reason, headers: head.headers };
    const upgradeTo = head.headers.find(([k]) => k.toLowerCase() === 'upgrade')?.[1];
    // RFC 7540 §3.2: 101 Switching Protocols with Upgrade: h2c, then the server preface.
    if (head.status === 101 && upgradeTo?.toLowerCase() === 'h2c') {
      rec.emit({ kind: 'http1', dir: 'in', line, headers: head.headers });
      return head.headLength;
    }
    const problems: Problem[] = [];
    if (head.status === 101) problems.push({ level: 'error', text: `101 to ${upgradeTo ?? 'no Upgrade header'}, not h2c` });
    else if (head.status === 426) problems.push({ level: 'error', text: `426 Upgrade Required${upgradeTo ? ` (Upgrade: ${upgradeTo})` : ''}: the server wants another protocol for this request` });
    else problems.push({ level: 'error', text: `the server ignored Upgrade: h2c and answered over HTTP/1.1 (${line}): no h2c by upgrade here; try --http2-prior-knowledge, or https://` });
    rec.emit({ kind: 'http1', dir: 'in', line, headers: head.headers }, problems);
    this.finish('client', 'no upgrade to HTTP/2');
    return undefined;
  }

  /** An HTTP/1.x answer whose head cannot be read: recorded as the HTTP/1.1 probe records it, and the trace is over. */
  private unreadableHead(bytes: Uint8Array, c: ReturnType<typeof classify>, malformed: string): undefined {
    if (this.rec.seen) this.rec.seen.upgrade = { outcome: 'garbage', first: c, malformed };
    this.rec.emit({ kind: 'bytes', dir: 'in', length: bytes.length, summary: c.summary, text: printable(bytes.subarray(0, 200)), hex: toHex(bytes.subarray(0, 64)) }, [
      { level: 'error', text: `the server answered the Upgrade: h2c request with ${c.summary}, then ${malformed}: an HTTP/1.1 head clients cannot read` },
    ]);
    this.finish('client', 'the HTTP/1.1 answer cannot be read');
    return undefined;
  }

  /** Bytes that are no HTTP/1.1 response head: HTTP/2 frames, TLS, or something else. */
  private notHttp(bytes: Uint8Array, ended: boolean): void {
    const c = classify(bytes, ended ? 'eof' : 'open');
    if (c.first.kind === 'incomplete' && !ended) return;
    const k = c.first.kind;
    if (this.rec.seen) this.rec.seen.upgrade = { outcome: 'not-http', first: c };
    const text = k.startsWith('h2')
      ? `the server answered an HTTP/1.1 request with HTTP/2 frames (${c.summary}): it speaks HTTP/2 by prior knowledge only; try --http2-prior-knowledge`
      : k.startsWith('tls')
        ? `these bytes are TLS (${c.summary}): the port speaks TLS; use https://`
        : `the server answered the Upgrade: h2c request with ${c.summary}`;
    this.rec.emit({ kind: 'bytes', dir: 'in', length: bytes.length, summary: c.summary, text: printable(bytes.subarray(0, 200)), hex: toHex(bytes.subarray(0, 64)) }, [{ level: 'error', text }]);
    this.finish('client', 'the server does not answer HTTP/1.1 here');
  }
}

/** Whether the bytes so far answer `Upgrade: h2c`: a whole HTTP/1.1 head, or bytes that are no head at all. */
function upgradeAnswerReady(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  try {
    return parseResponseHead(b, { maxHeadBytes: 64 * 1024 }).complete;
  } catch {
    return classify(b, 'open').first.kind !== 'incomplete';
  }
}
