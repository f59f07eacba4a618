/**
 * HTTP/2 frames (RFC 9113 §4, §6): typed parsing with the RFC's validity rules, an incremental
 * decoder, encoders, and one-line descriptions for traces.
 *
 * A parse failure names the rule the peer broke; {@link FrameError} adds the HTTP/2 error code
 * the RFC prescribes and whether it is a stream or a connection error.
 *
 * @example
 * const dec = new FrameDecoder();
 * dec.push(bytesFromServer);
 * for (let f = dec.next(); f; f = dec.next()) console.log(describeFrame(f));
 */
import { ByteQueue, ParseError, Reader, Writer, hex, toHex } from '../bytes.js';
import {
  DEFAULT_MAX_FRAME_SIZE,
  ERROR_CODES,
  FLAGS,
  FRAME_HEADER_LENGTH,
  FRAME_TYPES,
  MAX_ALLOWED_FRAME_SIZE,
  SETTINGS,
  errorCodeName,
  frameTypeName,
  settingName,
  type ErrorCodeName,
  type SettingName,
} from './registry.js';

// ---------------------------------------------------------------------------------------------
// Types

/** The 9-byte frame header (RFC 9113 §4.1); the reserved bit of the stream identifier is dropped. */
export interface FrameHeader {
  length: number;
  type: number;
  typeName: string;
  flags: number;
  streamId: number;
}

interface FrameCommon {
  /** Frame type octet (RFC 9113 §4.1). */
  type: number;
  /** The flags octet as on the wire; the booleans below are read from it. */
  flags: number;
  streamId: number;
  /** Payload length as on the wire (header excluded). Ignored by the encoder, which recomputes it. */
  length: number;
}

/** RFC 9113 §6.3 priority fields (also in HEADERS with the PRIORITY flag). */
export interface PriorityFields {
  exclusive: boolean;
  streamDependency: number;
  /** As on the wire (0–255); the effective weight is one more. */
  weight: number;
}

/** RFC 9113 §6.1. @example dataFrame(1, body, { endStream: true }) */
export interface DataFrame extends FrameCommon {
  kind: 'DATA';
  endStream: boolean;
  /** Present when the PADDED flag is set. */
  padLength?: number;
  data: Uint8Array;
}
/** RFC 9113 §6.2; the HPACK bytes are `fieldBlockFragment`. @example headersFrame(1, block, { endHeaders: true }) */
export interface HeadersFrame extends FrameCommon {
  kind: 'HEADERS';
  endStream: boolean;
  endHeaders: boolean;
  padLength?: number;
  /** Present when the PRIORITY flag is set. */
  priority?: PriorityFields;
  fieldBlockFragment: Uint8Array;
}
/** RFC 9113 §6.3 (deprecated signal, still parsed). @example parseFrame(fromHex('000005020000000003 0000000110')) */
export interface PriorityFrame extends FrameCommon, PriorityFields {
  kind: 'PRIORITY';
}
/** RFC 9113 §6.4. @example rstStreamFrame(1, 'CANCEL') */
export interface RstStreamFrame extends FrameCommon {
  kind: 'RST_STREAM';
  errorCode: number;
  errorName: string;
}
/** One SETTINGS parameter (RFC 9113 §6.5.1). @example { id: 3, name: 'MAX_CONCURRENT_STREAMS', value: 100 } */
export interface Setting {
  id: number;
  name: string;
  value: number;
}
/** RFC 9113 §6.5. @example settingsFrame({ INITIAL_WINDOW_SIZE: 65535 }) */
export interface SettingsFrame extends FrameCommon {
  kind: 'SETTINGS';
  ack: boolean;
  settings: Setting[];
}
/** RFC 9113 §6.6. @example if (f.kind === 'PUSH_PROMISE') f.promisedStreamId */
export interface PushPromiseFrame extends FrameCommon {
  kind: 'PUSH_PROMISE';
  endHeaders: boolean;
  padLength?: number;
  promisedStreamId: number;
  fieldBlockFragment: Uint8Array;
}
/** RFC 9113 §6.7. @example pingFrame(opaque, true) // the ACK */
export interface PingFrame extends FrameCommon {
  kind: 'PING';
  ack: boolean;
  opaqueData: Uint8Array;
}
/** RFC 9113 §6.8. @example goawayFrame(0, 'PROTOCOL_ERROR', 'bad preface') */
export interface GoawayFrame extends FrameCommon {
  kind: 'GOAWAY';
  lastStreamId: number;
  errorCode: number;
  errorName: string;
  debugData: Uint8Array;
}
/** RFC 9113 §6.9. @example windowUpdateFrame(0, 1 << 20) */
export interface WindowUpdateFrame extends FrameCommon {
  kind: 'WINDOW_UPDATE';
  windowSizeIncrement: number;
}
/** RFC 9113 §6.10. @example continuationFrame(1, rest, true) */
export interface ContinuationFrame extends FrameCommon {
  kind: 'CONTINUATION';
  endHeaders: boolean;
  fieldBlockFragment: Uint8Array;
}
/** Any other type (RFC 9113 §5.5: unknown types are ignored), ALTSVC, ORIGIN, PRIORITY_UPDATE included. */
export interface UnknownFrame extends FrameCommon {
  kind: 'UNKNOWN';
  typeName: string;
  payload: Uint8Array;
}

/**
 * Every frame, discriminated by `kind`.
 *
 * @example
 * if (f.kind === 'GOAWAY') console.log(f.errorName);
 */
export type Frame =
  | DataFrame
  | HeadersFrame
  | PriorityFrame
  | RstStreamFrame
  | SettingsFrame
  | PushPromiseFrame
  | PingFrame
  | GoawayFrame
  | WindowUpdateFrame
  | ContinuationFrame
  | UnknownFrame;

/**
 * A frame the RFC says to reject: a {@link ParseError} (code `invalid` or `too-large`) that also
 * carries the HTTP/2 error code to answer with and whether it is a stream or connection error.
 *
 * @example
 * try { parseFrame(bytes); } catch (e) { if (e instanceof FrameError) e.h2Error; // 'FRAME_SIZE_ERROR' }
 */
export class FrameError extends ParseError {
  constructor(
    code: 'invalid' | 'too-large',
    message: string,
    offset: number,
    readonly h2Error: ErrorCodeName,
    readonly scope: 'connection' | 'stream',
    readonly streamId: number,
    field?: string,
  ) {
    super(code, `${message} (${scope} error ${h2Error})`, offset, field);
  }
}

/** Options for {@link parseFrame}. @example parseFrame(bytes, { maxFrameSize: 16384, offset: 9 }) */
export interface ParseFrameOptions {
  /** Our SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2); default 16384. */
  maxFrameSize?: number;
  /** Where the frame starts in `bytes`; default 0. */
  offset?: number;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * Read the 9-byte frame header at `offset`. Throws ParseError `truncated` when fewer than 9 bytes remain.
 *
 * @example
 * parseFrameHeader(fromHex('000000040000000000')); // { length: 0, type: 4, typeName: 'SETTINGS', flags: 0, streamId: 0 }
 */
export function parseFrameHeader(bytes: Uint8Array, offset = 0): FrameHeader {
  const r = new Reader(bytes, offset);
  const length = r.u24('frame.length');
  const type = r.u8('frame.type');
  const flags = r.u8('frame.flags');
  // RFC 9113 §4.1: the reserved bit of the stream identifier is ignored on receipt.
  const streamId = r.u32('frame.stream_id') & 0x7fffffff;
  return { length, type, typeName: frameTypeName(type), flags, streamId };
}

/**
 * Parse one frame at the start of `bytes` (or at `opts.offset`); bytes after it are ignored, and
 * `9 + frame.length` bytes were used. Throws ParseError: `truncated` when the frame is incomplete,
 * `too-large` past maxFrameSize, `invalid` (a {@link FrameError}) when it breaks an RFC 9113 rule.
 *
 * @example
 * parseFrame(fromHex('000008070000000000000000000000000001'));
 * // { kind: 'GOAWAY', lastStreamId: 0, errorCode: 1, errorName: 'PROTOCOL_ERROR', debugData: <empty>, ... }
 */
export function parseFrame(bytes: Uint8Array, opts: ParseFrameOptions = {}): Frame {
  const start = opts.offset ?? 0;
  const h = parseFrameHeader(bytes, start);
  checkSize(h, opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE, start);
  const r = new Reader(bytes, start + FRAME_HEADER_LENGTH);
  const payload = r.bytes(h.length, `${h.typeName} payload`);
  return parsePayload(h, payload, start);
}

function checkSize(h: FrameHeader, maxFrameSize: number, at: number): void {
  if (h.length <= maxFrameSize) return;
  // RFC 9113 §4.2: a frame carrying a field block, a SETTINGS frame, or any frame on stream 0 is a connection error.
  const connection =
    h.streamId === 0 ||
    h.type === FRAME_TYPES.HEADERS ||
    h.type === FRAME_TYPES.PUSH_PROMISE ||
    h.type === FRAME_TYPES.CONTINUATION ||
    h.type === FRAME_TYPES.SETTINGS;
  // RFC 9113 §4.2: a frame longer than SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR.
  throw new FrameError(
    'too-large',
    `RFC 9113 §4.2: ${h.typeName} frame length ${h.length} exceeds SETTINGS_MAX_FRAME_SIZE ${maxFrameSize}`,
    at,
    'FRAME_SIZE_ERROR',
    connection ? 'connection' : 'stream',
    h.streamId,
    'frame.length',
  );
}

/** Parse a payload whose header is known; `at` is the frame's offset, for errors. */
function parsePayload(h: FrameHeader, payload: Uint8Array, at: number): Frame {
  const base = at + FRAME_HEADER_LENGTH;
  const r = new Reader(payload, 0, payload.length, base);
  const common = { type: h.type, flags: h.flags, streamId: h.streamId, length: h.length };
  const fail = (rule: string, h2Error: ErrorCodeName, scope: 'connection' | 'stream', field: string, off = at): never => {
    throw new FrameError('invalid', rule, off, h2Error, scope, h.streamId, field);
  };
  const onStream = (section: string): void => {
    // RFC 9113 §6.1–6.4, §6.6, §6.10: these frames belong to a stream; stream 0 is a PROTOCOL_ERROR.
    if (h.streamId === 0) fail(`RFC 9113 ${section}: ${h.typeName} frame on stream 0`, 'PROTOCOL_ERROR', 'connection', 'frame.stream_id');
  };
  const onConnection = (section: string): void => {
    // RFC 9113 §6.5, §6.7, §6.8: these frames apply to the connection; a non-zero stream is a PROTOCOL_ERROR.
    if (h.streamId !== 0) {
      fail(`RFC 9113 ${section}: ${h.typeName} frame on stream ${h.streamId}, must be stream 0`, 'PROTOCOL_ERROR', 'connection', 'frame.stream_id');
    }
  };
  /** Read the Pad Length octet when PADDED is set; returns the padding and what stays for the body. */
  const padding = (section: string, fixed: number): { padLength?: number; bodyLength: number } => {
    if (!(h.flags & FLAGS.PADDED)) return { bodyLength: payload.length - fixed };
    // RFC 9113 §4.2: a frame too small for its mandatory fields is a FRAME_SIZE_ERROR.
    if (payload.length < 1 + fixed) {
      fail(`RFC 9113 ${section}: PADDED ${h.typeName} frame of ${payload.length} bytes has no room for Pad Length`, 'FRAME_SIZE_ERROR', 'connection', 'pad_length');
    }
    const padLength = r.u8('pad_length');
    const bodyLength = payload.length - 1 - fixed - padLength;
    // RFC 9113 §6.1, §6.2, §6.6: padding as long as the rest of the payload or longer is a PROTOCOL_ERROR.
    if (bodyLength < 0) {
      fail(
        `RFC 9113 ${section}: Pad Length ${padLength} is longer than the ${payload.length - 1 - fixed} byte(s) left in the ${h.typeName} payload`,
        'PROTOCOL_ERROR',
        'connection',
        'pad_length',
        base,
      );
    }
    return { padLength, bodyLength };
  };
  const priorityFields = (section: string): PriorityFields => {
    const off = base + r.offset;
    const dep = r.u32('stream_dependency');
    const weight = r.u8('weight');
    const streamDependency = dep & 0x7fffffff;
    // RFC 9113 §5.3.1: a stream cannot depend on itself; a stream error of type PROTOCOL_ERROR.
    if (streamDependency === h.streamId) {
      fail(`RFC 9113 §5.3.1 (${section}): stream ${h.streamId} depends on itself`, 'PROTOCOL_ERROR', 'stream', 'stream_dependency', off);
    }
    return { exclusive: (dep & 0x80000000) !== 0, streamDependency, weight };
  };
  const exactLength = (section: string, n: number, scope: 'connection' | 'stream'): void => {
    // RFC 9113 §6.3, §6.4, §6.7, §6.9: these frames have a fixed length; any other is a FRAME_SIZE_ERROR.
    if (payload.length !== n) {
      fail(`RFC 9113 ${section}: ${h.typeName} payload is ${payload.length} bytes, must be ${n}`, 'FRAME_SIZE_ERROR', scope, 'frame.length');
    }
  };

  switch (h.type) {
    case FRAME_TYPES.DATA: {
      onStream('§6.1');
      const { padLength, bodyLength } = padding('§6.1', 0);
      const data = r.bytes(bodyLength, 'data');
      return { kind: 'DATA', ...common, endStream: (h.flags & FLAGS.END_STREAM) !== 0, ...(padLength !== undefined && { padLength }), data };
    }
    case FRAME_TYPES.HEADERS: {
      onStream('§6.2');
      const hasPriority = (h.flags & FLAGS.PRIORITY) !== 0;
      const fixed = hasPriority ? 5 : 0;
      // RFC 9113 §4.2: a HEADERS frame with PRIORITY must hold the 5 priority bytes.
      if (payload.length < fixed) {
        fail(`RFC 9113 §6.2: HEADERS with PRIORITY flag is ${payload.length} bytes, needs at least 5`, 'FRAME_SIZE_ERROR', 'connection', 'frame.length');
      }
      const { padLength, bodyLength } = padding('§6.2', fixed);
      const priority = hasPriority ? priorityFields('§6.2') : undefined;
      const fieldBlockFragment = r.bytes(bodyLength, 'field_block_fragment');
      return {
        kind: 'HEADERS',
        ...common,
        endStream: (h.flags & FLAGS.END_STREAM) !== 0,
        endHeaders: (h.flags & FLAGS.END_HEADERS) !== 0,
        ...(padLength !== undefined && { padLength }),
        ...(priority && { priority }),
        fieldBlockFragment,
      };
    }
    case FRAME_TYPES.PRIORITY: {
      onStream('§6.3');
      // RFC 9113 §6.3: a PRIORITY frame other than 5 octets is a stream error of type FRAME_SIZE_ERROR.
      exactLength('§6.3', 5, 'stream');
      return { kind: 'PRIORITY', ...common, ...priorityFields('§6.3') };
    }
    case FRAME_TYPES.RST_STREAM: {
      onStream('§6.4');
      // RFC 9113 §6.4: an RST_STREAM frame other than 4 octets is a connection error FRAME_SIZE_ERROR.
      exactLength('§6.4', 4, 'connection');
      const errorCode = r.u32('error_code');
      return { kind: 'RST_STREAM', ...common, errorCode, errorName: errorCodeName(errorCode) };
    }
    case FRAME_TYPES.SETTINGS: {
      onConnection('§6.5');
      const ack = (h.flags & FLAGS.ACK) !== 0;
      // RFC 9113 §6.5: a SETTINGS frame with ACK and a non-empty payload is a FRAME_SIZE_ERROR.
      if (ack && payload.length !== 0) {
        fail(`RFC 9113 §6.5: SETTINGS ACK carries a ${payload.length}-byte payload, must be empty`, 'FRAME_SIZE_ERROR', 'connection', 'frame.length');
      }
      // RFC 9113 §6.5: SETTINGS payload is a multiple of 6 octets.
      if (payload.length % 6 !== 0) {
        fail(`RFC 9113 §6.5: SETTINGS payload is ${payload.length} bytes, not a multiple of 6`, 'FRAME_SIZE_ERROR', 'connection', 'frame.length');
      }
      const settings: Setting[] = [];
      while (!r.done) {
        const off = base + r.offset;
        const id = r.u16('setting.identifier');
        const value = r.u32('setting.value');
        checkSetting(id, value, off, fail);
        settings.push({ id, name: settingName(id), value });
      }
      return { kind: 'SETTINGS', ...common, ack, settings };
    }
    case FRAME_TYPES.PUSH_PROMISE: {
      onStream('§6.6');
      // RFC 9113 §4.2: PUSH_PROMISE must hold the 4-byte Promised Stream ID.
      if (payload.length < 4) {
        fail(`RFC 9113 §6.6: PUSH_PROMISE payload is ${payload.length} bytes, needs at least 4`, 'FRAME_SIZE_ERROR', 'connection', 'frame.length');
      }
      const { padLength, bodyLength } = padding('§6.6', 4);
      const promisedOff = base + r.offset;
      // RFC 9113 §6.6: the reserved bit before the Promised Stream ID is ignored.
      const promisedStreamId = r.u32('promised_stream_id') & 0x7fffffff;
      // RFC 9113 §6.6, §5.1.1: the promised stream must be a valid new stream; 0 never is.
      if (promisedStreamId === 0) fail('RFC 9113 §6.6: PUSH_PROMISE promises stream 0', 'PROTOCOL_ERROR', 'connection', 'promised_stream_id', promisedOff);
      const fieldBlockFragment = r.bytes(bodyLength, 'field_block_fragment');
      return {
        kind: 'PUSH_PROMISE',
        ...common,
        endHeaders: (h.flags & FLAGS.END_HEADERS) !== 0,
        ...(padLength !== undefined && { padLength }),
        promisedStreamId,
        fieldBlockFragment,
      };
    }
    case FRAME_TYPES.PING: {
      onConnection('§6.7');
      // RFC 9113 §6.7: a PING payload other than 8 octets is a connection error FRAME_SIZE_ERROR.
      exactLength('§6.7', 8, 'connection');
      return { kind: 'PING', ...common, ack: (h.flags & FLAGS.ACK) !== 0, opaqueData: r.bytes(8, 'opaque_data') };
    }
    case FRAME_TYPES.GOAWAY: {
      onConnection('§6.8');
      // RFC 9113 §4.2: GOAWAY must hold Last-Stream-ID and Error Code (8 octets).
      if (payload.length < 8) {
        fail(`RFC 9113 §6.8: GOAWAY payload is ${payload.length} bytes, needs at least 8`, 'FRAME_SIZE_ERROR', 'connection', 'frame.length');
      }
      // RFC 9113 §6.8: the reserved bit before Last-Stream-ID is ignored.
      const lastStreamId = r.u32('last_stream_id') & 0x7fffffff;
      const errorCode = r.u32('error_code');
      return { kind: 'GOAWAY', ...common, lastStreamId, errorCode, errorName: errorCodeName(errorCode), debugData: r.rest() };
    }
    case FRAME_TYPES.WINDOW_UPDATE: {
      const scope = h.streamId === 0 ? 'connection' : 'stream';
      // RFC 9113 §6.9: a WINDOW_UPDATE other than 4 octets is a connection error FRAME_SIZE_ERROR.
      exactLength('§6.9', 4, 'connection');
      // RFC 9113 §6.9: the reserved bit before the increment is ignored.
      const windowSizeIncrement = r.u32('window_size_increment') & 0x7fffffff;
      // RFC 9113 §6.9: an increment of 0 is a PROTOCOL_ERROR (stream error unless on stream 0).
      if (windowSizeIncrement === 0) fail('RFC 9113 §6.9: WINDOW_UPDATE increment of 0', 'PROTOCOL_ERROR', scope, 'window_size_increment', base);
      return { kind: 'WINDOW_UPDATE', ...common, windowSizeIncrement };
    }
    case FRAME_TYPES.CONTINUATION: {
      onStream('§6.10');
      return { kind: 'CONTINUATION', ...common, endHeaders: (h.flags & FLAGS.END_HEADERS) !== 0, fieldBlockFragment: r.rest() };
    }
    default:
      // RFC 9113 §5.5: frames of unknown type are ignored; keep them whole for the trace.
      return { kind: 'UNKNOWN', ...common, typeName: h.typeName, payload: r.rest() };
  }
}

function checkSetting(
  id: number,
  value: number,
  off: number,
  fail: (rule: string, h2Error: ErrorCodeName, scope: 'connection' | 'stream', field: string, off?: number) => never,
): void {
  const name = settingName(id);
  switch (id) {
    case SETTINGS.ENABLE_PUSH:
    case SETTINGS.ENABLE_CONNECT_PROTOCOL:
    case SETTINGS.NO_RFC7540_PRIORITIES:
      // RFC 9113 §6.5.2 (ENABLE_PUSH), RFC 8441 §3, RFC 9218 §2.1: only 0 or 1; anything else is a PROTOCOL_ERROR.
      if (value > 1) fail(`RFC 9113 §6.5.2: SETTINGS_${name} = ${value}, must be 0 or 1`, 'PROTOCOL_ERROR', 'connection', 'setting.value', off);
      break;
    case SETTINGS.INITIAL_WINDOW_SIZE:
      // RFC 9113 §6.5.2: INITIAL_WINDOW_SIZE above 2^31-1 is a FLOW_CONTROL_ERROR.
      if (value > 0x7fffffff) {
        fail(`RFC 9113 §6.5.2: SETTINGS_INITIAL_WINDOW_SIZE = ${value}, above the maximum 2^31-1`, 'FLOW_CONTROL_ERROR', 'connection', 'setting.value', off);
      }
      break;
    case SETTINGS.MAX_FRAME_SIZE:
      // RFC 9113 §6.5.2: MAX_FRAME_SIZE must be between 2^14 and 2^24-1; outside is a PROTOCOL_ERROR.
      if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_ALLOWED_FRAME_SIZE) {
        fail(`RFC 9113 §6.5.2: SETTINGS_MAX_FRAME_SIZE = ${value}, must be between 16384 and 16777215`, 'PROTOCOL_ERROR', 'connection', 'setting.value', off);
      }
      break;
    default:
      // RFC 9113 §6.5.2: other values are unconstrained; unknown identifiers are ignored (kept for the trace).
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Incremental decoding

/**
 * Frames out of a byte stream, however it is chunked. `next()` returns a frame, or null when more
 * bytes are needed. A length over maxFrameSize throws ParseError `too-large` as soon as the 9-byte
 * header is in, without buffering the payload; the decoder then stays failed. Any other invalid
 * frame throws once and is skipped, so the frames after it (often a GOAWAY) can still be read.
 * Error offsets count from the start of the stream. Call `next()` until null after each `push()`.
 *
 * @example
 * const dec = new FrameDecoder({ maxFrameSize: 16384 });
 * dec.push(chunk);
 * let f; while ((f = dec.next())) trace.push(describeFrame(f));
 */
export class FrameDecoder {
  private readonly q = new ByteQueue();
  private failed: ParseError | undefined;
  private maxFrameSize: number;

  constructor(opts: { maxFrameSize?: number } = {}) {
    this.maxFrameSize = opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  }

  /** Bytes held that do not yet make a whole frame (or that follow the frames not yet read). */
  get buffered(): number {
    return this.q.size;
  }
  /** Stream offset of the next frame. */
  get offset(): number {
    return this.q.consumed;
  }

  /** Raise the limit after we advertise a larger SETTINGS_MAX_FRAME_SIZE. */
  setMaxFrameSize(n: number): void {
    this.maxFrameSize = n;
  }

  /** Append bytes (copied; the caller may reuse `chunk`). */
  push(chunk: Uint8Array): void {
    this.q.push(chunk);
  }

  /** The next whole frame, or null when more bytes are needed. */
  next(): Frame | null {
    if (this.failed) throw this.failed;
    const view = this.q.view();
    if (view.length < FRAME_HEADER_LENGTH) return null;
    const h = parseFrameHeader(view.subarray(0, FRAME_HEADER_LENGTH));
    const at = this.q.consumed;
    try {
      checkSize(h, this.maxFrameSize, at);
    } catch (e) {
      this.failed = e as ParseError;
      throw e;
    }
    const total = FRAME_HEADER_LENGTH + h.length;
    if (view.length < total) return null;
    // A copy, so the frame's byte fields outlive later pushes that compact the buffer.
    const payload = view.slice(FRAME_HEADER_LENGTH, total);
    this.q.drop(total);
    return parsePayload(h, payload, at);
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Flag bits each type defines; the encoder derives these from the frame's fields. */
const DEFINED_FLAGS: Partial<Record<Frame['kind'], number>> = {
  DATA: FLAGS.END_STREAM | FLAGS.PADDED,
  HEADERS: FLAGS.END_STREAM | FLAGS.END_HEADERS | FLAGS.PADDED | FLAGS.PRIORITY,
  SETTINGS: FLAGS.ACK,
  PUSH_PROMISE: FLAGS.END_HEADERS | FLAGS.PADDED,
  PING: FLAGS.ACK,
  CONTINUATION: FLAGS.END_HEADERS,
};

function flagsOf(f: Frame): number {
  const defined = DEFINED_FLAGS[f.kind] ?? 0;
  let flags = f.flags & ~defined & 0xff;
  const set = (on: boolean, bit: number): void => {
    if (on) flags |= bit;
  };
  switch (f.kind) {
    case 'DATA':
      set(f.endStream, FLAGS.END_STREAM);
      set(f.padLength !== undefined, FLAGS.PADDED);
      break;
    case 'HEADERS':
      set(f.endStream, FLAGS.END_STREAM);
      set(f.endHeaders, FLAGS.END_HEADERS);
      set(f.padLength !== undefined, FLAGS.PADDED);
      set(f.priority !== undefined, FLAGS.PRIORITY);
      break;
    case 'SETTINGS':
    case 'PING':
      set(f.ack, FLAGS.ACK);
      break;
    case 'PUSH_PROMISE':
      set(f.padLength !== undefined, FLAGS.PADDED);
      set(f.endHeaders, FLAGS.END_HEADERS);
      break;
    case 'CONTINUATION':
      set(f.endHeaders, FLAGS.END_HEADERS);
      break;
    default:
      break;
  }
  return flags;
}

function payloadOf(f: Frame): Uint8Array {
  const w = new Writer(64);
  const priority = (p: PriorityFields): void => {
    w.u32(((p.exclusive ? 0x80000000 : 0) | (p.streamDependency & 0x7fffffff)) >>> 0).u8(p.weight);
  };
  // RFC 9113 §6.1: padding octets are zero when sending.
  const pad = (n: number | undefined): void => {
    if (n) w.bytes(new Uint8Array(n));
  };
  switch (f.kind) {
    case 'DATA':
      if (f.padLength !== undefined) w.u8(f.padLength);
      w.bytes(f.data);
      pad(f.padLength);
      break;
    case 'HEADERS':
      if (f.padLength !== undefined) w.u8(f.padLength);
      if (f.priority) priority(f.priority);
      w.bytes(f.fieldBlockFragment);
      pad(f.padLength);
      break;
    case 'PRIORITY':
      priority(f);
      break;
    case 'RST_STREAM':
      w.u32(f.errorCode);
      break;
    case 'SETTINGS':
      for (const s of f.settings) w.u16(s.id).u32(s.value);
      break;
    case 'PUSH_PROMISE':
      if (f.padLength !== undefined) w.u8(f.padLength);
      w.u32(f.promisedStreamId & 0x7fffffff);
      w.bytes(f.fieldBlockFragment);
      pad(f.padLength);
      break;
    case 'PING':
      w.bytes(f.opaqueData);
      break;
    case 'GOAWAY':
      w.u32(f.lastStreamId & 0x7fffffff).u32(f.errorCode).bytes(f.debugData);
      break;
    case 'WINDOW_UPDATE':
      w.u32(f.windowSizeIncrement & 0x7fffffff);
      break;
    case 'CONTINUATION':
      w.bytes(f.fieldBlockFragment);
      break;
    case 'UNKNOWN':
      w.bytes(f.payload);
      break;
  }
  return w.finish();
}

/**
 * A frame from raw parts; no validation, so the lab can also build frames a peer must reject.
 *
 * @example
 * encodeRawFrame(0x6, 0, 0, new Uint8Array(7)); // a PING one byte short
 */
export function encodeRawFrame(type: number, flags: number, streamId: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_ALLOWED_FRAME_SIZE) throw new RangeError(`frame payload of ${payload.length} bytes exceeds 2^24-1`);
  // RFC 9113 §4.1: length (24), type (8), flags (8), reserved bit (unset) + stream identifier (31).
  return new Writer(FRAME_HEADER_LENGTH + payload.length)
    .u24(payload.length)
    .u8(type)
    .u8(flags)
    .u32(streamId & 0x7fffffff)
    .bytes(payload)
    .finish();
}

/**
 * Serialise a frame. Flags come from the typed fields (endStream, ack, padLength, priority…) plus
 * any other bits in `flags`; `length` is recomputed. Values are written as given, unvalidated.
 *
 * @example
 * encodeFrame(settingsFrame([], true)); // 00 00 00 04 01 00 00 00 00
 */
export function encodeFrame(frame: Frame): Uint8Array {
  return encodeRawFrame(frame.type, flagsOf(frame), frame.streamId, payloadOf(frame));
}

/** Fill in `flags` and `length` from the fields, so a built frame equals what parsing its bytes gives. */
function finish<F extends Frame>(f: F): F {
  f.flags = flagsOf(f);
  f.length = payloadOf(f).length;
  return f;
}

/**
 * A SETTINGS frame from `{ NAME: value }` or a list of `{ id, value }` (order kept).
 *
 * @example
 * encodeFrame(settingsFrame({ MAX_CONCURRENT_STREAMS: 100, INITIAL_WINDOW_SIZE: 65535 }));
 * settingsFrame([], true); // SETTINGS ACK
 */
export function settingsFrame(
  entries: Partial<Record<SettingName, number>> | ReadonlyArray<{ id: number; value: number }> = [],
  ack = false,
): SettingsFrame {
  const list = Array.isArray(entries)
    ? (entries as ReadonlyArray<{ id: number; value: number }>)
    : Object.entries(entries).map(([k, value]) => ({ id: SETTINGS[k as SettingName], value: value as number }));
  const settings = list.map(({ id, value }) => ({ id, name: settingName(id), value }));
  return finish({ kind: 'SETTINGS', type: FRAME_TYPES.SETTINGS, flags: 0, streamId: 0, length: 0, ack, settings });
}

/**
 * A HEADERS frame carrying an HPACK block (or its first fragment).
 *
 * @example
 * headersFrame(1, new HpackEncoder().encode([[':method', 'GET']]), { endStream: true, endHeaders: true });
 */
export function headersFrame(
  streamId: number,
  block: Uint8Array,
  opts: { endStream?: boolean; endHeaders?: boolean; padLength?: number; priority?: PriorityFields } = {},
): HeadersFrame {
  return finish({
    kind: 'HEADERS',
    type: FRAME_TYPES.HEADERS,
    flags: 0,
    streamId,
    length: 0,
    endStream: opts.endStream ?? false,
    endHeaders: opts.endHeaders ?? true,
    ...(opts.padLength !== undefined && { padLength: opts.padLength }),
    ...(opts.priority && { priority: opts.priority }),
    fieldBlockFragment: block,
  });
}

/**
 * A CONTINUATION frame carrying the next HPACK block fragment.
 *
 * @example
 * continuationFrame(1, rest, true);
 */
export function continuationFrame(streamId: number, fragment: Uint8Array, endHeaders = true): ContinuationFrame {
  return finish({ kind: 'CONTINUATION', type: FRAME_TYPES.CONTINUATION, flags: 0, streamId, length: 0, endHeaders, fieldBlockFragment: fragment });
}

/**
 * A GOAWAY frame; `errorCode` by number or name, `debugData` as text or bytes.
 *
 * @example
 * goawayFrame(0, 'PROTOCOL_ERROR', 'bad preface');
 */
export function goawayFrame(lastStreamId: number, errorCode: number | ErrorCodeName, debugData: string | Uint8Array = new Uint8Array(0)): GoawayFrame {
  const code = typeof errorCode === 'number' ? errorCode : ERROR_CODES[errorCode];
  return finish({
    kind: 'GOAWAY',
    type: FRAME_TYPES.GOAWAY,
    flags: 0,
    streamId: 0,
    length: 0,
    lastStreamId,
    errorCode: code,
    errorName: errorCodeName(code),
    debugData: typeof debugData === 'string' ? new TextEncoder().encode(debugData) : debugData,
  });
}

/**
 * A PING frame (8 opaque bytes, zeros by default), or its ACK.
 *
 * @example
 * pingFrame(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
 */
export function pingFrame(opaqueData: Uint8Array = new Uint8Array(8), ack = false): PingFrame {
  return finish({ kind: 'PING', type: FRAME_TYPES.PING, flags: 0, streamId: 0, length: 0, ack, opaqueData });
}

/**
 * A WINDOW_UPDATE frame (stream 0 for the connection window).
 *
 * @example
 * windowUpdateFrame(0, 1 << 20);
 */
export function windowUpdateFrame(streamId: number, windowSizeIncrement: number): WindowUpdateFrame {
  return finish({ kind: 'WINDOW_UPDATE', type: FRAME_TYPES.WINDOW_UPDATE, flags: 0, streamId, length: 0, windowSizeIncrement });
}

/**
 * An RST_STREAM frame; `errorCode` by number or name.
 *
 * @example
 * rstStreamFrame(1, 'CANCEL');
 */
export function rstStreamFrame(streamId: number, errorCode: number | ErrorCodeName): RstStreamFrame {
  const code = typeof errorCode === 'number' ? errorCode : ERROR_CODES[errorCode];
  return finish({ kind: 'RST_STREAM', type: FRAME_TYPES.RST_STREAM, flags: 0, streamId, length: 0, errorCode: code, errorName: errorCodeName(code) });
}

/**
 * A DATA frame.
 *
 * @example
 * dataFrame(1, new TextEncoder().encode('hello'), { endStream: true });
 */
export function dataFrame(streamId: number, data: Uint8Array, opts: { endStream?: boolean; padLength?: number } = {}): DataFrame {
  return finish({
    kind: 'DATA',
    type: FRAME_TYPES.DATA,
    flags: 0,
    streamId,
    length: 0,
    endStream: opts.endStream ?? false,
    ...(opts.padLength !== undefined && { padLength: opts.padLength }),
    data,
  });
}

// ---------------------------------------------------------------------------------------------
// Description

const utf8 = new TextDecoder('utf-8');
const MAX_DEBUG_CHARS = 200;

/**
 * One line for a trace: type, the decoded fields that matter, and flags.
 *
 * @example
 * describeFrame(settingsFrame({ MAX_CONCURRENT_STREAMS: 100, INITIAL_WINDOW_SIZE: 65535 }));
 * // 'SETTINGS MAX_CONCURRENT_STREAMS=100 INITIAL_WINDOW_SIZE=65535'
 * describeFrame(goawayFrame(0, 'PROTOCOL_ERROR', 'debug text')); // 'GOAWAY last_stream=0 PROTOCOL_ERROR "debug text"'
 * describeFrame(dataFrame(1, new Uint8Array(1234), { endStream: true })); // 'DATA 1234 bytes END_STREAM'
 */
export function describeFrame(f: Frame): string {
  const parts: string[] = [];
  const flag = (on: boolean, name: string): void => {
    if (on) parts.push(name);
  };
  const padded = (n: number | undefined): void => {
    if (n !== undefined) parts.push(`padding=${n}`);
  };
  const prio = (p: PriorityFields): string => `depends_on=${p.streamDependency} weight=${p.weight + 1}${p.exclusive ? ' exclusive' : ''}`;
  switch (f.kind) {
    case 'DATA':
      parts.push('DATA', `${f.data.length} bytes`);
      padded(f.padLength);
      flag(f.endStream, 'END_STREAM');
      break;
    case 'HEADERS':
      parts.push('HEADERS', `block=${f.fieldBlockFragment.length} bytes`);
      if (f.priority) parts.push(prio(f.priority));
      padded(f.padLength);
      flag(f.endStream, 'END_STREAM');
      flag(f.endHeaders, 'END_HEADERS');
      break;
    case 'PRIORITY':
      parts.push('PRIORITY', prio(f));
      break;
    case 'RST_STREAM':
      parts.push('RST_STREAM', f.errorName);
      break;
    case 'SETTINGS':
      parts.push('SETTINGS');
      flag(f.ack, 'ACK');
      for (const s of f.settings) parts.push(`${s.name}=${s.value}`);
      if (!f.ack && f.settings.length === 0) parts.push('(empty)');
      break;
    case 'PUSH_PROMISE':
      parts.push('PUSH_PROMISE', `promised_stream=${f.promisedStreamId}`, `block=${f.fieldBlockFragment.length} bytes`);
      padded(f.padLength);
      flag(f.endHeaders, 'END_HEADERS');
      break;
    case 'PING':
      parts.push('PING');
      flag(f.ack, 'ACK');
      parts.push(toHex(f.opaqueData));
      break;
    case 'GOAWAY':
      parts.push('GOAWAY', `last_stream=${f.lastStreamId}`, f.errorName);
      if (f.debugData.length > 0) {
        const text = utf8.decode(f.debugData);
        parts.push(JSON.stringify(text.length > MAX_DEBUG_CHARS ? `${text.slice(0, MAX_DEBUG_CHARS)}…` : text));
      }
      break;
    case 'WINDOW_UPDATE':
      parts.push('WINDOW_UPDATE', `+${f.windowSizeIncrement}`);
      break;
    case 'CONTINUATION':
      parts.push('CONTINUATION', `block=${f.fieldBlockFragment.length} bytes`);
      flag(f.endHeaders, 'END_HEADERS');
      break;
    case 'UNKNOWN':
      parts.push(f.typeName, `${f.payload.length} bytes`);
      break;
  }
  const undefinedBits = f.flags & ~(DEFINED_FLAGS[f.kind] ?? 0);
  if (undefinedBits) parts.push(`flags=0x${hex(undefinedBits, 2)}`);
  return parts.join(' ');
}
