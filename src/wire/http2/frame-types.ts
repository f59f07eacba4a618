/**
 * The typed values of HTTP/2 frames (RFC 9113 §4, §6): one interface per frame type, the `Frame`
 * union discriminated by `kind`, the flags each type defines, and {@link FrameError}, the parse error
 * that carries the HTTP/2 error code to answer with. Parsing is in frame.ts, encoding in
 * frame-encode.ts, one-line descriptions in frame-describe.ts.
 *
 * @example
 * if (f.kind === 'GOAWAY') console.log(f.errorName);
 */
import { ParseError } from '../bytes.js';
import { FLAGS, type ErrorCodeName } from './registry.js';

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

/**
 * Flag bits each type defines (RFC 9113 §6); the encoder derives these from the frame's fields and
 * a description names any other bit.
 *
 * @example
 * DEFINED_FLAGS.PING; // 0x1 (ACK)
 */
export const DEFINED_FLAGS: Partial<Record<Frame['kind'], number>> = {
  DATA: FLAGS.END_STREAM | FLAGS.PADDED,
  HEADERS: FLAGS.END_STREAM | FLAGS.END_HEADERS | FLAGS.PADDED | FLAGS.PRIORITY,
  SETTINGS: FLAGS.ACK,
  PUSH_PROMISE: FLAGS.END_HEADERS | FLAGS.PADDED,
  PING: FLAGS.ACK,
  CONTINUATION: FLAGS.END_HEADERS,
};
