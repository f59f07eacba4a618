/**
 * HTTP/2 registries (RFC 9113 §6, §7, §11; RFC 8441; RFC 9218). One table drives parsing, naming and docs.
 */

/** RFC 9113 §3.4: the client connection preface. */
export const CLIENT_PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** RFC 9113 §4.1: a frame header is 9 bytes. */
export const FRAME_HEADER_LENGTH = 9;
/** RFC 9113 §4.2: SETTINGS_MAX_FRAME_SIZE starts at 16384 and may not exceed 2^24-1. */
export const DEFAULT_MAX_FRAME_SIZE = 16384;
export const MAX_ALLOWED_FRAME_SIZE = 0xffffff;

export const FRAME_TYPES = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
  ALTSVC: 0xa,
  ORIGIN: 0xc,
  PRIORITY_UPDATE: 0x10,
} as const;
export type FrameTypeName = keyof typeof FRAME_TYPES;

const FRAME_TYPE_NAMES = new Map<number, FrameTypeName>(
  Object.entries(FRAME_TYPES).map(([k, v]) => [v, k as FrameTypeName]),
);
export function frameTypeName(t: number): string {
  return FRAME_TYPE_NAMES.get(t) ?? `UNKNOWN(0x${t.toString(16)})`;
}
/** Types defined by RFC 9113 itself (0x0–0x9): a first frame of another type is most likely not HTTP/2 at all. */
export function isCoreFrameType(t: number): boolean {
  return t >= 0 && t <= 9;
}

export const FLAGS = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** RFC 9113 §7 error codes. */
export const ERROR_CODES = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;
export type ErrorCodeName = keyof typeof ERROR_CODES;
const ERROR_NAMES = new Map<number, ErrorCodeName>(Object.entries(ERROR_CODES).map(([k, v]) => [v, k as ErrorCodeName]));
export function errorCodeName(code: number): string {
  return ERROR_NAMES.get(code) ?? `UNKNOWN(0x${code.toString(16)})`;
}
/** Plain words for each error code, for findings and traces. */
export const ERROR_MEANINGS: Record<ErrorCodeName, string> = {
  NO_ERROR: 'graceful shutdown, not an error',
  PROTOCOL_ERROR: 'the peer broke the HTTP/2 protocol (often: it did not understand what it was sent)',
  INTERNAL_ERROR: 'the peer hit an unexpected internal error',
  FLOW_CONTROL_ERROR: 'the flow-control window was exceeded',
  SETTINGS_TIMEOUT: 'a SETTINGS frame was not acknowledged in time',
  STREAM_CLOSED: 'a frame arrived on a half-closed stream',
  FRAME_SIZE_ERROR: 'a frame had an invalid size',
  REFUSED_STREAM: 'the stream was refused before any processing; safe to retry',
  CANCEL: 'the stream is no longer needed',
  COMPRESSION_ERROR: 'the HPACK header compression context broke',
  CONNECT_ERROR: 'the connection for a CONNECT request was reset or closed',
  ENHANCE_YOUR_CALM: 'the peer thinks this client is generating excessive load',
  INADEQUATE_SECURITY: 'the TLS parameters do not meet HTTP/2\'s minimum (version or cipher on the block list)',
  HTTP_1_1_REQUIRED: 'the endpoint requires HTTP/1.1 instead of HTTP/2',
};

/** RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1. */
export const SETTINGS = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
  ENABLE_CONNECT_PROTOCOL: 0x8,
  NO_RFC7540_PRIORITIES: 0x9,
} as const;
export type SettingName = keyof typeof SETTINGS;
const SETTING_NAMES = new Map<number, SettingName>(Object.entries(SETTINGS).map(([k, v]) => [v, k as SettingName]));
export function settingName(id: number): string {
  return SETTING_NAMES.get(id) ?? `UNKNOWN(0x${id.toString(16)})`;
}
