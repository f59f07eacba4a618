/**
 * HTTP/2 frames (RFC 9113 §4, §6): typed parsing with the RFC's validity rules and an incremental
 * decoder. The codec's entry: it also re-exports the frame types (frame-types.ts), the encoders
 * (frame-encode.ts) and the one-line descriptions for traces (frame-describe.ts).
 *
 * A parse failure names the rule the peer broke; {@link FrameError} adds the HTTP/2 error code
 * the RFC prescribes and whether it is a stream or a connection error.
 *
 * @example
 * const dec = new FrameDecoder();
 * dec.push(bytesFromServer);
 * for (let f = dec.next(); f; f = dec.next()) console.log(describeFrame(f));
 */
import { ByteQueue, ParseError, Reader } from '../bytes.js';
import { FrameError, type Frame, type FrameHeader, type ParseFrameOptions, type PriorityFields, type Setting } from './frame-types.js';
import {
  DEFAULT_MAX_FRAME_SIZE,
  FLAGS,
  FRAME_HEADER_LENGTH,
  FRAME_TYPES,
  MAX_ALLOWED_FRAME_SIZE,
  SETTINGS,
  errorCodeName,
  frameTypeName,
  settingName,
  type ErrorCodeName,
} from './registry.js';

// The typed values live in frame-types.ts, the encoders in frame-encode.ts, the descriptions in frame-describe.ts.

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
