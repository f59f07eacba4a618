/**
 * The first-bytes classifier: "what does this port speak?"
 *
 * Given the first bytes a server returned (to an HTTP/2 preface, a ClientHello or an HTTP/1.1
 * request) and how the stream ended, say what they are. Pure; bounded; never throws.
 *
 * @example
 * classify(bytes, 'eof').first.kind // 'http1' for "HTTP/1.1 400 Bad Request\r\n…"
 */
import { Reader, toAscii, toHex } from './bytes.js';
import { errorCodeName, frameTypeName, isCoreFrameType, settingName, DEFAULT_MAX_FRAME_SIZE, FRAME_TYPES, FRAME_HEADER_LENGTH } from './http2/registry.js';
import { alertName } from './tls/alerts.js';
import { handshakeTypeName } from './tls/registry.js';

/** A bounded excerpt of raw bytes, for evidence. */
export interface Excerpt {
  /** Hex of the first bytes (at most the excerpt limit). */
  hex: string;
  /** The same bytes as printable ASCII, '.' for the rest. */
  ascii: string;
  /** How many bytes were seen in all (may exceed what `hex` shows). */
  length: number;
  truncated: boolean;
}

/** How the bytes a server sent back end: still open, closed, reset, or we stopped waiting. */
export type StreamEnd = 'open' | 'eof' | 'reset' | 'timeout' | 'budget';

/**
 * What the first bytes a server returned say about what the port speaks (the first-bytes classifier).
 */
export type FirstBytes =
  | { kind: 'h2-settings'; ack: boolean; settings: Array<{ id: number; name: string; value: number }> }
  | { kind: 'h2-goaway'; lastStreamId: number; errorCode: number; errorName: string; debug: string }
  | { kind: 'h2-frame'; type: number; typeName: string; flags: number; streamId: number; length: number }
  | { kind: 'http1'; version: string; status: number; reason: string; server?: string }
  | { kind: 'tls-handshake'; recordVersion: number; handshakeType: number; handshakeName: string }
  | { kind: 'tls-alert'; recordVersion: number; level: number; levelName: string; description: number; descriptionName: string }
  | { kind: 'tls-other'; recordVersion: number; contentType: number }
  /** A TLS record header whose length is over RFC 8446 §5.1's limit: a TLS client answers record_overflow (alert 22). */
  | { kind: 'tls-record-overflow'; recordVersion: number; contentType: number; length: number }
  | { kind: 'banner'; protocol: string; line: string }
  | { kind: 'garbage' }
  | { kind: 'eof' }
  | { kind: 'reset' }
  | { kind: 'timeout' }
  | { kind: 'incomplete' };

export interface Classified {
  first: FirstBytes;
  excerpt: Excerpt;
  /** One line for humans: "HTTP/1.1 400 Bad Request (Server: nginx)". */
  summary: string;
}

export const EXCERPT_BYTES = 64;

/** A bounded hex + ASCII excerpt. */
export function excerpt(b: Uint8Array, max = EXCERPT_BYTES): Excerpt {
  const shown = b.subarray(0, Math.min(b.length, max));
  return { hex: toHex(shown), ascii: toAscii(shown), length: b.length, truncated: b.length > shown.length };
}

/** Banners of protocols people point HTTP clients at by mistake. */
const BANNERS: Array<[RegExp, string]> = [
  [/^SSH-\d/, 'ssh'],
  [/^220[ -].*(SMTP|ESMTP)/i, 'smtp'],
  [/^220[ -]/, 'ftp'],
  [/^\* OK/, 'imap'],
  [/^\+OK/, 'pop3'],
  [/^-(ERR|NOAUTH|WRONGTYPE)/, 'redis'],
  [/^RFB \d{3}\.\d{3}/, 'vnc'],
  [/^AMQP/, 'amqp'],
];

const MAX_HEAD = 16 * 1024;

/**
 * Classify the first bytes. `end` says how the stream ended; with `open`, a prefix that could
 * still become something gives `incomplete` (read more, then call again).
 */
export function classify(bytes: Uint8Array, end: StreamEnd): Classified {
  let first: FirstBytes;
  try {
    first = classifyInner(bytes, end);
  } catch {
    // Defensive: the helpers below are bounded and only throw ParseError; treat anything as garbage.
    first = { kind: 'garbage' };
  }
  return { first, excerpt: excerpt(bytes), summary: summarize(first) };
}

function classifyInner(b: Uint8Array, end: StreamEnd): FirstBytes {
  if (b.length === 0) {
    if (end === 'reset') return { kind: 'reset' };
    if (end === 'timeout' || end === 'budget') return { kind: 'timeout' };
    if (end === 'open') return { kind: 'incomplete' };
    return { kind: 'eof' };
  }
  const more = end === 'open';
  const b0 = b[0]!;

  // RFC 9112 §4: a status line starts with "HTTP/".
  if (startsWithAscii(b, 'HTTP/') || (more && b.length < 5 && startsWithAscii(b, 'HTTP/'.slice(0, b.length)))) {
    return http1(b, more);
  }
  // RFC 8446 §5.1: a record is content type (20–23; 24 heartbeat), legacy version 0x03xx, length.
  if (b0 >= 20 && b0 <= 24 && (b.length < 2 || b[1] === 0x03)) {
    if (b.length < 5) return more ? { kind: 'incomplete' } : { kind: 'garbage' };
    return tlsRecord(b, more);
  }
  // SSLv2-style record header (high bit set, 2-byte length) answering a ClientHello: rare; garbage here
  // (a FirstBytes kind, once shipped, keeps its meaning); a TLS reader names it with sniffNotTls.
  const text = toAscii(b.subarray(0, Math.min(b.length, 256)));
  for (const [re, protocol] of BANNERS) {
    if (re.test(text)) return { kind: 'banner', protocol, line: text.split('.')[0]!.slice(0, 120) };
  }
  // RFC 9113 §4.1: a 9-byte frame header.
  if (b.length < FRAME_HEADER_LENGTH) return more ? { kind: 'incomplete' } : { kind: 'garbage' };
  return h2Frame(b, more);
}

function h2Frame(b: Uint8Array, more: boolean): FirstBytes {
  const r = new Reader(b);
  const length = r.u24();
  const type = r.u8();
  const flags = r.u8();
  const sid = r.u32() & 0x7fffffff;
  // A first frame of an unknown type or an absurd length is far more likely not HTTP/2 at all.
  if (!isCoreFrameType(type) || length > 0x100000) return { kind: 'garbage' };
  if (type === FRAME_TYPES.SETTINGS) {
    // RFC 9113 §6.5: stream 0, payload a multiple of 6; an ACK carries none.
    if (sid !== 0 || length % 6 !== 0 || ((flags & 1) === 1 && length !== 0)) return { kind: 'garbage' };
    if (b.length < FRAME_HEADER_LENGTH + length) return more ? { kind: 'incomplete' } : { kind: 'garbage' };
    const settings: Array<{ id: number; name: string; value: number }> = [];
    for (let i = 0; i < length / 6; i++) {
      const id = r.u16();
      const value = r.u32();
      settings.push({ id, name: settingName(id), value });
    }
    return { kind: 'h2-settings', ack: (flags & 1) === 1, settings };
  }
  if (type === FRAME_TYPES.GOAWAY) {
    // RFC 9113 §6.8: stream 0, at least 8 octets.
    if (sid !== 0 || length < 8) return { kind: 'garbage' };
    const need = FRAME_HEADER_LENGTH + Math.min(length, 8 + 512);
    if (b.length < need && more) return { kind: 'incomplete' };
    if (b.length < FRAME_HEADER_LENGTH + 8) return { kind: 'garbage' };
    const lastStreamId = r.u32() & 0x7fffffff;
    const errorCode = r.u32();
    const debugLen = Math.min(length - 8, r.remaining, 512);
    const debug = toAscii(r.bytes(debugLen));
    return { kind: 'h2-goaway', lastStreamId, errorCode, errorName: errorCodeName(errorCode), debug };
  }
  return { kind: 'h2-frame', type, typeName: frameTypeName(type), flags, streamId: sid, length };
}

function tlsRecord(b: Uint8Array, more: boolean): FirstBytes {
  const r = new Reader(b);
  const contentType = r.u8();
  const recordVersion = r.u16();
  const length = r.u16();
  // RFC 8446 §5.1: length MUST NOT exceed 2^14 (+2048 for ciphertext in 1.2): a record header, but an illegal one.
  if (length > 16384 + 2048) return { kind: 'tls-record-overflow', recordVersion, contentType, length };
  if (length === 0) return { kind: 'garbage' };
  if (contentType === 21) {
    if (r.remaining < 2) return more ? { kind: 'incomplete' } : { kind: 'garbage' };
    const level = r.u8();
    const description = r.u8();
    if (level !== 1 && level !== 2) return { kind: 'tls-other', recordVersion, contentType };
    return {
      kind: 'tls-alert',
      recordVersion,
      level,
      levelName: level === 1 ? 'warning' : 'fatal',
      description,
      descriptionName: alertName(description),
    };
  }
  if (contentType === 22) {
    if (r.remaining < 1) return more ? { kind: 'incomplete' } : { kind: 'garbage' };
    const handshakeType = r.u8();
    return { kind: 'tls-handshake', recordVersion, handshakeType, handshakeName: handshakeTypeName(handshakeType) };
  }
  return { kind: 'tls-other', recordVersion, contentType };
}

function http1(b: Uint8Array, more: boolean): FirstBytes {
  const n = Math.min(b.length, MAX_HEAD);
  const text = new TextDecoder('latin1').decode(b.subarray(0, n));
  const eol = text.indexOf('\n');
  if (eol < 0) {
    if (more && b.length < MAX_HEAD) return { kind: 'incomplete' };
    // RFC 9112 §4: a status line that never ends is still HTTP/1.x (a broken one), not garbage.
    const open = /^HTTP\/(\d(?:\.\d)?) (\d{3})(?: ([^\r\n]{0,60}))?/.exec(text);
    if (open) return { kind: 'http1', version: open[1]!, status: Number(open[2]), reason: `${(open[3] ?? '').trim()} (no CRLF)`.trim() };
    return { kind: 'garbage' };
  }
  // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
  const m = /^HTTP\/(\d(?:\.\d)?) (\d{3})(?: ([^\r\n]*))?\r?$/.exec(text.slice(0, eol));
  if (!m) return { kind: 'garbage' };
  const headEnd = text.search(/\r?\n\r?\n/);
  if (headEnd < 0 && more && b.length < MAX_HEAD) return { kind: 'incomplete' };
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const server = /\r?\nserver:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim();
  const out: FirstBytes = { kind: 'http1', version: m[1]!, status: Number(m[2]), reason: m[3] ?? '' };
  if (server) out.server = server.slice(0, 200);
  return out;
}

function startsWithAscii(b: Uint8Array, s: string): boolean {
  if (b.length < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[i] !== s.charCodeAt(i)) return false;
  return true;
}

/** What a fragment of bytes starts, by {@link sniffFragment}. */
export type Fragment =
  /** RFC 8446 §5.1: content type 20–23, legacy version 0x03 0x00–0x04; `length` when 5 bytes are in. */
  | { kind: 'tls'; contentType: number; recordVersion: number; length?: number; record: FirstBytes }
  | { kind: 'h2-preface' }
  /** "HTTP/…", or "HTT"/"HTTP" alone; the status line when it reads as one. */
  | { kind: 'http1-response'; startLine?: string; status?: number }
  | { kind: 'http1-request'; method: string; firstLine: string }
  | { kind: 'ssh' }
  /** RFC 9113 §4.1: a core frame type with a length within the default SETTINGS_MAX_FRAME_SIZE. */
  | { kind: 'h2-frame'; length: number; type: number; typeName: string; flags: number; streamId?: number; goaway?: { errorName: string; debug: string } }
  | { kind: 'unknown' };

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];

/**
 * What a fragment of bytes found anywhere (a hex dump in a log, the three bytes a "frame length"
 * really was) starts: either direction of a connection, as few as 3 bytes. Unlike {@link classify},
 * which reads a server's whole answer, it names client bytes too (the HTTP/2 preface, a request
 * line, a ClientHello) and prefixes too short to be sure of ("HTT", "GE"). The record, alert and
 * GOAWAY bodies are read by {@link classify}. Pure; never throws.
 *
 * @example
 * sniffFragment(fromHex('485454')); // { kind: 'http1-response' }: the bytes of 'HTT'
 * sniffFragment(fromHex('1503010002')).kind; // 'tls'
 */
export function sniffFragment(b: Uint8Array): Fragment {
  if (b.length >= 3 && b[0]! >= 20 && b[0]! <= 23 && b[1] === 3 && b[2]! <= 4) {
    const out: Fragment = { kind: 'tls', contentType: b[0]!, recordVersion: (b[1]! << 8) | b[2]!, record: classify(b, 'open').first };
    if (b.length >= 5) out.length = (b[3]! << 8) | b[4]!;
    return out;
  }
  const text = new TextDecoder('latin1').decode(b);
  if (text.startsWith('PRI * HTTP/2')) return { kind: 'h2-preface' };
  // A prefix of at least 3 bytes counts in a fragment of at most 5 ("HTT" is a frame length's bytes).
  const prefixOf = (word: string): boolean => b.length <= 5 && text.length >= 3 && word.startsWith(text);
  if (text.startsWith('HTTP/') || prefixOf('HTTP/')) {
    // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
    const m = /^HTTP\/(\d\.\d) (\d{3})([^\r\n]*)/.exec(text);
    return m ? { kind: 'http1-response', startLine: m[0], status: Number(m[2]) } : { kind: 'http1-response' };
  }
  // RFC 9112 §3: request-line = method SP request-target SP HTTP-version
  const method = HTTP_METHODS.find((mth) => text.startsWith(mth + ' ') || prefixOf(mth));
  if (method) {
    return { kind: 'http1-request', method, firstLine: text.split(/\r?\n/)[0]! };
  }
  if (text.startsWith('SSH-') || text === 'SSH') return { kind: 'ssh' };
  if (b.length >= 5) {
    const r = new Reader(b);
    const length = r.u24();
    const type = r.u8();
    const flags = r.u8();
    if (isCoreFrameType(type) && length <= DEFAULT_MAX_FRAME_SIZE) {
      const out: Fragment = { kind: 'h2-frame', length, type, typeName: frameTypeName(type), flags };
      if (b.length >= FRAME_HEADER_LENGTH) out.streamId = r.u32() & 0x7fffffff;
      // RFC 9113 §6.8: GOAWAY payload = last stream id, error code, debug data.
      const g = type === FRAME_TYPES.GOAWAY ? classify(b, 'eof').first : undefined;
      if (g?.kind === 'h2-goaway') out.goaway = { errorName: g.errorName, debug: g.debug };
      return out;
    }
  }
  return { kind: 'unknown' };
}

/**
 * What a TLS client got instead of TLS, in the words a TLS flight summary ships (`sniff` in
 * wire/tls/server-flight.ts): an HTTP/1.x status or request line ('http'), an SSL 2.0 SERVER-HELLO
 * ('sslv2'), or anything else ('other'). Read by {@link sniffFragment}, plus the SSL 2.0 record.
 * Pure; never throws.
 *
 * @example
 * sniffNotTls(new TextEncoder().encode('HTTP/1.1 400 Bad Request')); // 'http'
 * sniffNotTls(fromHex('8403040001')); // 'sslv2'
 */
export function sniffNotTls(b: Uint8Array): 'http' | 'sslv2' | 'other' {
  // SSL 2.0 (draft-hickman-netscape-ssl-00 §2.1, §2.6): a 2-byte record header with the high bit set, then SERVER-HELLO (4).
  if (b.length >= 3 && (b[0]! & 0x80) !== 0 && b[2] === 4) return 'sslv2';
  const f = sniffFragment(b);
  return f.kind === 'http1-response' || f.kind === 'http1-request' ? 'http' : 'other';
}

/** One line for humans. */
export function summarize(f: FirstBytes): string {
  switch (f.kind) {
    case 'h2-settings':
      return `HTTP/2 SETTINGS${f.ack ? ' ACK' : ''}${f.settings.length ? ' ' + f.settings.map((s) => `${s.name}=${s.value}`).join(' ') : ''}`;
    case 'h2-goaway':
      return `HTTP/2 GOAWAY ${f.errorName} last_stream=${f.lastStreamId}${f.debug ? ` "${f.debug}"` : ''}`;
    case 'h2-frame':
      return `HTTP/2 ${f.typeName} frame (stream ${f.streamId}, ${f.length} bytes)`;
    case 'http1':
      return `HTTP/${f.version} ${f.status} ${f.reason}`.trim() + (f.server ? ` (Server: ${f.server})` : '');
    case 'tls-handshake':
      return `TLS handshake record: ${f.handshakeName}`;
    case 'tls-alert':
      return `TLS alert: ${f.levelName} ${f.descriptionName} (${f.description})`;
    case 'tls-other':
      return `TLS record of content type ${f.contentType}`;
    case 'tls-record-overflow':
      return `TLS record header announcing ${f.length} bytes (over 2^14 + 2048: record_overflow)`;
    case 'banner':
      return `${f.protocol.toUpperCase()} banner: ${f.line}`;
    case 'garbage':
      return 'bytes that are neither HTTP/2, HTTP/1.x nor TLS';
    case 'eof':
      return 'connection closed with no bytes';
    case 'reset':
      return 'connection reset with no bytes';
    case 'timeout':
      return 'no bytes before the deadline';
    case 'incomplete':
      return 'too few bytes to tell';
  }
}

/** True when the bytes so far are enough to classify (nothing more to wait for). */
export function isDecided(bytes: Uint8Array): boolean {
  return classify(bytes, 'open').first.kind !== 'incomplete';
}
