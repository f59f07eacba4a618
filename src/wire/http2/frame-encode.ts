/**
 * Encoding HTTP/2 frames (RFC 9113 §4.1, §6): a typed frame to bytes, raw frames for the lab, and a
 * builder per frame type whose result equals what parsing its bytes gives.
 *
 * @example
 * socket.write(encodeFrame(settingsFrame({ INITIAL_WINDOW_SIZE: 65535 })));
 */
import { Writer } from '../bytes.js';
import type {
  ContinuationFrame,
  DataFrame,
  Frame,
  GoawayFrame,
  HeadersFrame,
  PingFrame,
  PriorityFields,
  PriorityFrame,
  RstStreamFrame,
  SettingsFrame,
  WindowUpdateFrame,
} from './frame-types.js';
import { DEFINED_FLAGS } from './frame-types.js';
import {
  ERROR_CODES,
  FLAGS,
  FRAME_HEADER_LENGTH,
  FRAME_TYPES,
  MAX_ALLOWED_FRAME_SIZE,
  SETTINGS,
  errorCodeName,
  settingName,
  type ErrorCodeName,
  type SettingName,
} from './registry.js';

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
 * A PRIORITY frame (RFC 9113 §6.3): the stream's dependency and weight (as on the wire, 0–255).
 *
 * @example
 * priorityFrame(3, { exclusive: false, streamDependency: 0, weight: 200 });
 */
export function priorityFrame(streamId: number, p: PriorityFields): PriorityFrame {
  return finish({ kind: 'PRIORITY', type: FRAME_TYPES.PRIORITY, flags: 0, streamId, length: 0, exclusive: p.exclusive, streamDependency: p.streamDependency, weight: p.weight });
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
