/**
 * The checks on what a server sends over HTTP/2, shared by every use of the one client
 * (`h2-client.ts`): field blocks appended in O(1) under a byte and a frame cap, HPACK decoded under
 * the limits we advertise, `:status` validated, DATA before HEADERS, and floods of SETTINGS / PING /
 * CONTINUATION / empty DATA / RST_STREAM counted ("N frames in M ms").
 */
import type { H2Violation, Http2Frame, Http2Result } from '../model/index.js';
import type { Frame } from '../wire/http2/frame-types.js';
import { describeFrame } from '../wire/http2/frame-describe.js';
import { errorCodeName, frameTypeName } from '../wire/http2/registry.js';
import { HpackDecoder } from '../wire/hpack/index.js';
import { ParseError, concat, toAscii } from '../wire/bytes.js';

/**
 * The limits every use of the client shares.
 * @example H2_LIMITS.maxBlockFrames // 128
 */
export const H2_LIMITS = {
  /** We never advertise a larger SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2 default). */
  maxFrameSize: 16384,
  /** SETTINGS_HEADER_TABLE_SIZE we accept (the default; we send no other). */
  maxTableSize: 4096,
  /** SETTINGS_MAX_HEADER_LIST_SIZE we advertise. */
  maxHeaderList: 262144,
  /** Most bytes of one field block (HEADERS + CONTINUATION), compressed. */
  maxBlockBytes: 262144,
  /** Most frames of one field block: a CONTINUATION flood (CVE-2024-27316) ends here. */
  maxBlockFrames: 128,
  /** Frames of one flood-prone kind before the response that make a flood. */
  floodFrames: 100,
  /** The frame loop yields to the event loop every this many frames. */
  yieldEvery: 32,
} as const;

/**
 * The HPACK decoder every HTTP/2 use shares: the table size and list bound we advertise.
 * @example newHpackDecoder().decode(block).headers
 */
export function newHpackDecoder(): HpackDecoder {
  return new HpackDecoder({ maxHeaderListSize: H2_LIMITS.maxHeaderList, maxTableSize: H2_LIMITS.maxTableSize });
}

/**
 * Kinds of frame a hostile server floods with (RFC 9113 §10.5; CVE-2019-9512/9515/9518, CVE-2023-44487, CVE-2024-27316).
 * @example const k: FloodKind = 'RST_STREAM';
 */
export type FloodKind = 'SETTINGS' | 'PING' | 'CONTINUATION' | 'empty DATA' | 'RST_STREAM';

/**
 * Counts flood-prone frames: how many of each, since when.
 * @example const floods = new FloodCounter(); floods.count('PING') // undefined until the 100th
 */
export class FloodCounter {
  private readonly seen = new Map<FloodKind, { n: number; t0: number; t1: number }>();
  constructor(
    private readonly limit: number = H2_LIMITS.floodFrames,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Count one frame; the flood it completes, if any. */
  count(kind: FloodKind): H2Violation | undefined {
    const t = this.now();
    const s = this.seen.get(kind) ?? { n: 0, t0: t, t1: t };
    s.n++;
    s.t1 = t;
    this.seen.set(kind, s);
    return s.n >= this.limit ? this.violation(kind) : undefined;
  }
  private violation(kind: FloodKind, extra = ''): H2Violation {
    const s = this.seen.get(kind)!;
    const ms = Math.round(s.t1 - s.t0);
    return { kind: 'flood', text: `${s.n} ${kind} frames in ${ms} ms${extra} (RFC 9113 §10.5: a client limits such frames and closes the connection)`, flood: { type: kind, count: s.n, ms } };
  }
  /** The kind seen most, as a flood, when any was seen more than a handful of times. */
  dominant(extra: string): H2Violation | undefined {
    let best: [FloodKind, number] | undefined;
    for (const [k, s] of this.seen) if (!best || s.n > best[1]) best = [k, s.n];
    return best && best[1] > 4 ? this.violation(best[0], extra) : undefined;
  }
}

/**
 * One field block (HEADERS or PUSH_PROMISE and its CONTINUATIONs): O(1) appends, bounded.
 * @example const b = new HeaderBlock(); b.append(fragment) // undefined until a cap is reached
 */
export class HeaderBlock {
  private readonly parts: Uint8Array[] = [];
  size = 0;
  constructor(
    readonly streamId: number,
    readonly kind: 'HEADERS' | 'PUSH_PROMISE',
    readonly endStream: boolean,
  ) {}
  get frames(): number {
    return this.parts.length;
  }
  /** Append a fragment; the cap it breaks, if any. */
  append(frag: Uint8Array): 'bytes' | 'frames' | undefined {
    this.parts.push(frag);
    this.size += frag.length;
    if (this.size > H2_LIMITS.maxBlockBytes) return 'bytes';
    if (this.parts.length > H2_LIMITS.maxBlockFrames) return 'frames';
    return undefined;
  }
  bytes(): Uint8Array {
    return this.parts.length === 1 ? this.parts[0]! : concat(this.parts);
  }
}

/**
 * What one incoming frame shows, once checked.
 * @example const seen: Inspected = inspector.inspect(frame); seen.response?.status
 */
export interface Inspected {
  /** The rule the frame breaks, or the flood it completes. */
  violation?: H2Violation;
  /** A field block it completes, decoded. */
  block?: { streamId: number; kind: 'HEADERS' | 'PUSH_PROMISE'; fields: Array<[string, string]>; endStream: boolean };
  /** A final response on the request's stream (status 200–599, after validation). */
  response?: { status: number; fields: Array<[string, string]>; endStream: boolean };
  /** An interim (1xx) response on the request's stream. */
  interim?: number;
}

/**
 * A :status is three digits (RFC 9113 §8.3.2, RFC 9110 §15).
 * @example validStatus('200') // true; validStatus('abc') // false
 */
export function validStatus(s: string): boolean {
  return /^[1-5][0-9]{2}$/.test(s);
}

/**
 * The checks on a server's frames, sans I/O: field blocks (caps, HPACK), :status, DATA before
 * HEADERS, PUSH_PROMISE with push off, frames inside an unfinished block, floods. Shared by the
 * probes' client below and the trace.
 * @example const i = new H2Inspector(); i.inspect(frame).violation // undefined for a well-formed frame
 */
export class H2Inspector {
  readonly hpack = newHpackDecoder();
  readonly floods: FloodCounter;
  private block: HeaderBlock | null = null;
  /** A final response was seen on the request's stream. */
  responded = false;
  /** The stream the request is on: 1, unless a client's own opening left it to another. */
  readonly stream: number;
  /** Whether the client left server push on (it did not send SETTINGS_ENABLE_PUSH = 0). */
  readonly push: boolean;
  /**
   * @param now the clock the flood counts read
   * @param o the request's stream (default 1); `push`: the client left server push on (default: we turn it off)
   */
  constructor(now?: () => number, o: { stream?: number; push?: boolean } = {}) {
    this.floods = new FloodCounter(H2_LIMITS.floodFrames, now);
    this.stream = o.stream ?? 1;
    this.push = o.push ?? false;
  }
  get openBlock(): HeaderBlock | null {
    return this.block;
  }

  inspect(f: Frame): Inspected {
    // RFC 9113 §6.10: only CONTINUATION frames of the same stream may follow an unfinished field block.
    if (this.block && (f.kind !== 'CONTINUATION' || f.streamId !== this.block.streamId)) {
      const b = this.block;
      this.block = null;
      return { violation: { kind: 'protocol', text: `RFC 9113 §6.10: ${f.kind} on stream ${f.streamId} inside an unfinished field block of stream ${b.streamId} (connection error PROTOCOL_ERROR)`, frame: describe(f) } };
    }
    const flood = this.floodOf(f);
    if (flood) return { violation: { ...flood, frame: describe(f) } };
    switch (f.kind) {
      case 'PUSH_PROMISE':
        // RFC 9113 §8.4: allowed while the client leaves push on; its field block is decoded all the
        // same (RFC 7541 §2.2: the dynamic table is one per connection).
        if (this.push) {
          this.block = new HeaderBlock(f.streamId, 'PUSH_PROMISE', false);
          return this.grow(f, f.fieldBlockFragment, f.endHeaders);
        }
        // RFC 9113 §8.4: a client that disabled push treats PUSH_PROMISE as a PROTOCOL_ERROR.
        return { violation: { kind: 'protocol', text: 'RFC 9113 §8.4: PUSH_PROMISE although we sent SETTINGS_ENABLE_PUSH = 0 (connection error PROTOCOL_ERROR)', frame: describe(f) } };
      case 'HEADERS':
        this.block = new HeaderBlock(f.streamId, 'HEADERS', f.endStream);
        return this.grow(f, f.fieldBlockFragment, f.endHeaders);
      case 'CONTINUATION':
        if (!this.block) return { violation: { kind: 'protocol', text: `RFC 9113 §6.10: CONTINUATION on stream ${f.streamId} without a preceding HEADERS (connection error PROTOCOL_ERROR)`, frame: describe(f) } };
        return this.grow(f, f.fieldBlockFragment, f.endHeaders);
      case 'DATA':
        // RFC 9113 §8.1: a response starts with HEADERS; DATA first is a malformed response.
        if (f.streamId === this.stream && !this.responded) return { violation: { kind: 'protocol', text: `RFC 9113 §8.1: DATA on stream ${this.stream} before the response HEADERS (malformed response, stream error PROTOCOL_ERROR)`, frame: describe(f) } };
        return {};
      default:
        return {};
    }
  }

  private floodOf(f: Frame): H2Violation | undefined {
    if (f.kind === 'SETTINGS' && !f.ack) return this.floods.count('SETTINGS');
    if (f.kind === 'PING' && !f.ack) return this.floods.count('PING');
    if (f.kind === 'CONTINUATION') return this.floods.count('CONTINUATION');
    if (f.kind === 'RST_STREAM') return this.floods.count('RST_STREAM');
    if (f.kind === 'DATA' && f.data.length === 0 && !f.endStream) return this.floods.count('empty DATA');
    return undefined;
  }

  private grow(f: Frame, frag: Uint8Array, end: boolean): Inspected {
    const b = this.block!;
    const over = b.append(frag);
    if (over) {
      this.block = null;
      const what = over === 'bytes' ? `a field block over ${H2_LIMITS.maxBlockBytes} bytes` : `a field block of more than ${H2_LIMITS.maxBlockFrames} frames`;
      return { violation: { kind: 'flood', text: `${what} on stream ${b.streamId} (${b.frames} frames, ${b.size} bytes) without END_HEADERS: a CONTINUATION flood (CVE-2024-27316; RFC 9113 §10.5.1)`, frame: describe(f), flood: { type: 'CONTINUATION', count: b.frames, ms: 0, bytes: b.size } } };
    }
    if (!end) return {};
    this.block = null;
    let fields: Array<[string, string]>;
    try {
      fields = this.hpack.decode(b.bytes()).headers;
    } catch (e) {
      // RFC 9113 §4.3: a field block that does not decode is a connection error COMPRESSION_ERROR.
      return { violation: { kind: 'compression', text: `RFC 9113 §4.3: HPACK: ${e instanceof ParseError ? e.message : String(e)} (connection error COMPRESSION_ERROR)`, frame: describe(f) } };
    }
    const out: Inspected = { block: { streamId: b.streamId, kind: b.kind, fields, endStream: b.endStream } };
    if (b.kind !== 'HEADERS' || b.streamId !== this.stream || this.responded) return out;
    const statuses = fields.filter(([k]) => k === ':status');
    const status = statuses[0]?.[1];
    // RFC 9113 §8.3.2: a response carries exactly one :status of three digits.
    if (status === undefined || statuses.length > 1 || !validStatus(status)) {
      const why = status === undefined ? 'no :status' : statuses.length > 1 ? `${statuses.length} :status fields` : `:status "${clip(status)}" is not three digits`;
      return { ...out, violation: { kind: 'protocol', text: `RFC 9113 §8.3.2: response HEADERS with ${why} (malformed response, stream error PROTOCOL_ERROR)`, frame: describe(f) } };
    }
    const code = Number(status);
    // RFC 9113 §8.6: HTTP/2 has no 101 (Switching Protocols).
    if (code === 101) return { ...out, violation: { kind: 'protocol', text: 'RFC 9113 §8.6: :status 101 in HTTP/2, which removed Switching Protocols (malformed response)', frame: describe(f) } };
    if (code < 200) return { ...out, interim: code };
    this.responded = true;
    return { ...out, response: { status: code, fields, endStream: b.endStream } };
  }
}

/**
 * A string cut at `n` characters, with an ellipsis.
 * @example clip('x'.repeat(50)) // 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
 */
export function clip(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
function describe(f: Frame): string {
  return `${f.kind === 'UNKNOWN' ? f.typeName : f.kind} stream=${f.streamId} length=${f.length}`;
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
