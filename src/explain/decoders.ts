/**
 * Pure decoders over pasted error text: they find the evidence hidden inside a message (hex dumps,
 * frame lengths that are really ASCII, TLS alert numbers, HTTP/2 error codes, OpenSSL packed error
 * codes) and turn each into a typed record with one plain sentence.
 *
 * Nothing here does I/O; every function takes a string and returns data. A decoder never throws on
 * odd input: text it cannot read simply yields no record.
 *
 * @example
 * decodeAll('Hex dump for first 5 bytes: 1503010002')[0].sentence
 * // → 'the bytes 15 03 01 00 02 are a TLS alert record (TLS 1.0 record version): the peer speaks TLS'
 */
import { VERSION_NAMES } from '../wire/tls/registry.js';
import { classify } from '../wire/sniff.js';
import type { Code } from '../model/codes.js';
import { fromHex, hex, toAscii } from '../wire/bytes.js';
import { ALERTS, alertByCode, type AlertName } from '../wire/tls/alerts.js';
import {
  DEFAULT_MAX_FRAME_SIZE,
  ERROR_CODES,
  ERROR_MEANINGS,
  errorCodeName,
  frameTypeName,
  isCoreFrameType,
  type ErrorCodeName,
} from '../wire/http2/registry.js';

/** A decoded fact pointing at a finding code; `weight` 1 = suggestive, 3 = near-proof. */
export interface CodeHint {
  code: Code;
  weight: number;
  why: string;
}

interface DecodedBase {
  /** The text the record was decoded from, as it appears in the input. */
  text: string;
  /** One sentence for people. */
  sentence: string;
  /** Finding codes this evidence points at (may be empty). */
  hints: CodeHint[];
}

export type BytesProtocol = 'tls' | 'http1' | 'http2' | 'h2-preface' | 'ssh' | 'unknown';

export interface DecodedBytes extends DecodedBase {
  kind: 'bytes';
  hex: string;
  ascii: string;
  protocol: BytesProtocol;
  /** Protocol details: TLS record fields, HTTP/1 start line, HTTP/2 frame header… */
  detail: Record<string, string | number>;
}

export interface DecodedFrameSize extends DecodedBase {
  kind: 'frame-size';
  length: number;
  /** The three length bytes read as ASCII (null when they are not all printable). */
  ascii: string | null;
  protocol: BytesProtocol;
}

export interface DecodedAlert extends DecodedBase {
  kind: 'tls-alert';
  alert: number;
  name: string;
}

export interface DecodedH2Error extends DecodedBase {
  kind: 'h2-error';
  code: number;
  name: string;
  /** Where the code was seen: a GOAWAY (connection), RST_STREAM (one stream), or unknown. */
  frame: 'GOAWAY' | 'RST_STREAM' | 'unknown';
}

export type OpenSslFlavour = 'openssl3' | 'openssl1' | 'boringssl';

export interface DecodedOpenSsl extends DecodedBase {
  kind: 'openssl-error';
  packed: number;
  flavour: OpenSslFlavour;
  library: number;
  libraryName: string;
  reason: number;
  reasonName: string | null;
  /** Set when the reason is "received alert N" (reason = 1000 + N). */
  alert?: number;
}

export type Decoded = DecodedBytes | DecodedFrameSize | DecodedAlert | DecodedH2Error | DecodedOpenSsl;

// ---------------------------------------------------------------------------------------------
// Bytes

const TLS_VERSIONS = VERSION_NAMES;
const TLS_CONTENT: Record<number, string> = { 20: 'change_cipher_spec', 21: 'alert', 22: 'handshake', 23: 'application_data' };
const HANDSHAKE_TYPES: Record<number, string> = { 1: 'ClientHello', 2: 'ServerHello', 11: 'Certificate', 12: 'ServerKeyExchange', 14: 'ServerHelloDone' };
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];

function spaced(b: Uint8Array): string {
  return Array.from(b, (x) => hex(x, 2)).join(' ');
}

/**
 * What protocol a handful of bytes belong to. Works on as few as 3 bytes (a frame-length prefix) and
 * is used for every hex dump found in the text.
 */
export function classifyBytes(b: Uint8Array): { protocol: BytesProtocol; detail: Record<string, string | number>; sentence: string; hints: CodeHint[] } {
  const bytes = spaced(b.subarray(0, 16)) + (b.length > 16 ? ' …' : '');
  const ascii = toAscii(b);
  // RFC 8446 §5.1: a record starts with a content type (20–23) and a legacy version 0x03 0x0X.
  if (b.length >= 3 && b[0]! >= 20 && b[0]! <= 23 && b[1] === 3 && b[2]! <= 4) {
    const type = b[0]!;
    const version = (b[1]! << 8) | b[2]!;
    const detail: Record<string, string | number> = { contentType: TLS_CONTENT[type]!, recordVersion: TLS_VERSIONS[version] ?? `0x${hex(version, 4)}` };
    if (b.length >= 5) detail.recordLength = (b[3]! << 8) | b[4]!;
    // The record itself as the one first-bytes classifier (wire/sniff.ts) reads it.
    const rec = classify(b, 'open').first;
    if (type === 21) {
      let what = 'a TLS alert record';
      // RFC 8446 §6: alert body is level (1 warning, 2 fatal) then description.
      if (rec.kind === 'tls-alert') {
        const name = alertByCode(rec.description) ?? `unknown_alert(${rec.description})`;
        detail.level = rec.levelName;
        detail.alert = rec.description;
        detail.alertName = name;
        what = `a TLS ${detail.level} alert ${name} (${rec.description})`;
      }
      return {
        protocol: 'tls',
        detail,
        sentence: `the bytes ${bytes} are ${what} (${detail.recordVersion} record version): the peer that sent them speaks TLS`,
        hints: [{ code: 'scheme-http-on-tls-port', weight: 3, why: `the reply bytes are ${what}: the port speaks TLS, so cleartext was sent to a TLS port` }],
      };
    }
    if (type === 22) {
      const hsType = rec.kind === 'tls-handshake' ? rec.handshakeType : undefined;
      const hsName = hsType === undefined ? 'handshake' : (HANDSHAKE_TYPES[hsType] ?? `handshake type ${hsType}`);
      if (hsType !== undefined) detail.handshake = hsName;
      if (hsType === 1) {
        return {
          protocol: 'tls',
          detail,
          sentence: `the bytes ${bytes} start a TLS ClientHello: the peer that sent them tried to open TLS`,
          hints: [{ code: 'scheme-https-on-cleartext-port', weight: 3, why: 'a TLS ClientHello arrived where cleartext HTTP was expected: TLS was sent to a cleartext port' }],
        };
      }
      // A ServerHello (or any server handshake message, or a bare record header) means a TLS server answered.
      return {
        protocol: 'tls',
        detail,
        sentence: `the bytes ${bytes} are a TLS ${hsName} record (${detail.recordVersion} record version): TLS is being spoken`,
        hints:
          hsType === undefined
            ? [
                { code: 'scheme-http-on-tls-port', weight: 2, why: 'the bytes are a TLS handshake record: if they came from the server, the port speaks TLS' },
                { code: 'scheme-https-on-cleartext-port', weight: 1, why: 'the bytes are a TLS handshake record: if a server logged them, a client sent TLS to a cleartext port' },
              ]
            : [{ code: 'scheme-http-on-tls-port', weight: 3, why: `a TLS ${hsName} came back: the port speaks TLS` }],
      };
    }
    return {
      protocol: 'tls',
      detail,
      sentence: `the bytes ${bytes} are a TLS ${detail.contentType} record: TLS is being spoken`,
      hints: [{ code: 'scheme-http-on-tls-port', weight: 2, why: 'the bytes are a TLS record: the port speaks TLS' }],
    };
  }
  const text = new TextDecoder('latin1').decode(b);
  if (text.startsWith('PRI * HTTP/2')) {
    return {
      protocol: 'h2-preface',
      detail: { startLine: 'PRI * HTTP/2.0' },
      sentence: `the bytes are the HTTP/2 client connection preface ("PRI * HTTP/2.0"): a client tried HTTP/2 with prior knowledge`,
      hints: [
        { code: 'h2c-not-supported', weight: 2, why: 'the HTTP/2 preface reached a server that did not treat it as HTTP/2' },
        { code: 'scheme-http-on-tls-port', weight: 1, why: 'the preface is cleartext; a TLS listener rejects it' },
      ],
    };
  }
  if (/^HTTP\/[0-9.]*/.test(text) || (b.length <= 5 && 'HTTP/'.startsWith(text) && text.length >= 3)) {
    const m = /^HTTP\/(\d\.\d) (\d{3})([^\r\n]*)/.exec(text);
    const detail: Record<string, string | number> = { startLine: m ? m[0] : ascii };
    if (m) detail.status = Number(m[2]);
    return {
      protocol: 'http1',
      detail,
      sentence: `the bytes ${bytes} read "${ascii}": an HTTP/1.x response, so the server speaks HTTP/1.x here`,
      hints: [{ code: 'preface-http1-response', weight: 3, why: `the server answered with HTTP/1.x text ("${ascii.slice(0, 20)}"), not an HTTP/2 frame` }],
    };
  }
  const method = HTTP_METHODS.find((mth) => text.startsWith(mth + ' ') || (b.length <= 5 && text === mth.slice(0, text.length) && text.length >= 3));
  if (method) {
    return {
      protocol: 'http1',
      detail: { startLine: text.split(/\r?\n/)[0] ?? ascii, direction: 'request' },
      sentence: `the bytes ${bytes} read "${ascii}": an HTTP/1.x request arrived where HTTP/2 was expected`,
      hints: [{ code: 'http1-not-supported', weight: 2, why: 'an HTTP/1.x request reached an HTTP/2-only listener' }],
    };
  }
  if (text.startsWith('SSH-') || text === 'SSH') {
    return {
      protocol: 'ssh',
      detail: { banner: ascii },
      sentence: `the bytes read "${ascii}": an SSH banner — this port runs SSH, not HTTP`,
      hints: [{ code: 'preface-garbage', weight: 2, why: 'the port answered with an SSH banner, not HTTP/2' }],
    };
  }
  // RFC 9113 §4.1: 24-bit length, 8-bit type, 8-bit flags, 31-bit stream id.
  if (b.length >= 5) {
    const length = (b[0]! << 16) | (b[1]! << 8) | b[2]!;
    const type = b[3]!;
    const flags = b[4]!;
    if (isCoreFrameType(type) && length <= DEFAULT_MAX_FRAME_SIZE) {
      const detail: Record<string, string | number> = { length, type: frameTypeName(type), flags: `0x${hex(flags, 2)}` };
      if (b.length >= 9) detail.streamId = ((b[5]! & 0x7f) << 24) | (b[6]! << 16) | (b[7]! << 8) | b[8]!;
      let extra = '';
      // RFC 9113 §6.8: GOAWAY payload = last stream id, error code, debug data (read by wire/sniff.ts).
      const g = type === 7 ? classify(b, 'eof').first : undefined;
      if (g?.kind === 'h2-goaway') {
        detail.errorCode = g.errorName;
        if (g.debug) detail.debug = g.debug;
        extra = ` with error ${g.errorName}${g.debug ? ` and debug data "${g.debug}"` : ''}`;
      }
      return {
        protocol: 'http2',
        detail,
        sentence: `the bytes ${bytes} are an HTTP/2 ${frameTypeName(type)} frame header (length ${length})${extra}: the peer speaks HTTP/2`,
        hints: [{ code: 'http1-not-supported', weight: 2, why: `the reply is an HTTP/2 ${frameTypeName(type)} frame: the server speaks HTTP/2 where HTTP/1.x was expected` }],
      };
    }
  }
  return { protocol: 'unknown', detail: { ascii }, sentence: `the bytes ${bytes} ("${ascii}") match no protocol h2doctor knows`, hints: [] };
}

/** Hex dumps: contiguous (`1503010002`), spaced (`16 03 01 00 a5`) or escaped (`"\x15\x03\x01"`). */
export function decodeHexDumps(text: string): DecodedBytes[] {
  const out: DecodedBytes[] = [];
  const seen = new Set<string>();
  const push = (raw: string, b: Uint8Array, requireKnown: boolean): void => {
    if (b.length < 3) return;
    const c = classifyBytes(b);
    if (requireKnown && c.protocol === 'unknown') return;
    const key = toHexStr(b);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind: 'bytes', text: raw, hex: key, ascii: toAscii(b), protocol: c.protocol, detail: c.detail, sentence: c.sentence, hints: c.hints });
  };
  // Contiguous hex of 5+ bytes. Without a "hex"/"dump"/"bytes" cue nearby, keep it only when it decodes
  // to a known protocol (a random hash must not turn into evidence).
  for (const m of text.matchAll(/(?<![0-9A-Za-z])((?:[0-9a-fA-F]{2}){5,})(?![0-9A-Za-z])/g)) {
    const raw = m[1]!;
    const before = text.slice(Math.max(0, m.index - 40), m.index).toLowerCase();
    const cued = /hex|dump|bytes|received|data/.test(before);
    push(raw, fromHex(raw.length > 64 ? raw.slice(0, 64) : raw), !cued);
  }
  // Space-separated bytes: at least 5.
  for (const m of text.matchAll(/(?<![0-9A-Za-z])((?:[0-9a-fA-F]{2} ){4,}[0-9a-fA-F]{2})(?![0-9A-Za-z])/g)) {
    push(m[1]!, fromHex(m[1]!), true);
  }
  // Escaped strings as Go's %q or Python's repr print them: at least two \xNN escapes.
  for (const m of text.matchAll(/(?:\\x[0-9a-fA-F]{2}|\\[rnt0]|[ -[\]-~]){3,}/g)) {
    const raw = m[0];
    if ((raw.match(/\\x[0-9a-fA-F]{2}/g) ?? []).length < 2) continue;
    const start = raw.search(/\\x/);
    const body = raw.slice(start).replace(/["')\]]+$/, '');
    push(body, unescape(body), true);
  }
  return out;
}

function toHexStr(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += hex(x, 2);
  return s;
}

function unescape(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length && out.length < 64; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      const n = s[i + 1]!;
      if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
        out.push(parseInt(s.slice(i + 2, i + 4), 16));
        i += 3;
        continue;
      }
      const simple: Record<string, number> = { r: 13, n: 10, t: 9, '0': 0, '\\': 92 };
      if (n in simple) {
        out.push(simple[n]!);
        i += 1;
        continue;
      }
    }
    out.push(ch.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// Frame sizes

/**
 * A frame length the peer "sent" is the first three bytes it really sent. When those bytes are
 * printable ASCII ("HTT" = 4740180) the peer was not speaking HTTP/2 at all.
 */
export function decodeFrameLength(length: number): { ascii: string | null; protocol: BytesProtocol; sentence: string; hints: CodeHint[] } {
  const b = Uint8Array.of((length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  const printable = b.every((x) => x >= 0x20 && x < 0x7f);
  const ascii = printable ? String.fromCharCode(...b) : null;
  const c = classifyBytes(b);
  const asHex = `0x${hex(length, 6)}`;
  if (c.protocol !== 'unknown') {
    const spelled = ascii ? ` = "${ascii}"` : '';
    return { ascii, protocol: c.protocol, sentence: `frame length ${length} is ${asHex}${spelled}: ${describeStart(c.protocol, b)}`, hints: c.hints };
  }
  if (ascii) {
    return { ascii, protocol: 'unknown', sentence: `frame length ${length} is ${asHex} = "${ascii}": the peer sent text, not an HTTP/2 frame`, hints: [{ code: 'preface-garbage', weight: 2, why: `the "frame length" spells "${ascii}": the peer answered with text that is not HTTP/2` }] };
  }
  return { ascii: null, protocol: 'unknown', sentence: `frame length ${length} (${asHex}) exceeds the ${DEFAULT_MAX_FRAME_SIZE}-byte default; the bytes are not text`, hints: [] };
}

function describeStart(p: BytesProtocol, b: Uint8Array): string {
  switch (p) {
    case 'http1':
      return b[0] === 0x48 ? 'the start of "HTTP/1.1 …", an HTTP/1.x response' : 'the start of an HTTP/1.x request line';
    case 'tls':
      return b[0] === 0x15 ? 'the start of a TLS alert record: the peer speaks TLS' : 'the start of a TLS handshake record: TLS is being spoken';
    case 'ssh':
      return 'the start of an SSH banner';
    case 'h2-preface':
      return 'the start of the HTTP/2 client preface';
    default:
      return 'an HTTP/2 frame header';
  }
}

export function decodeFrameSizes(text: string): DecodedFrameSize[] {
  const out: DecodedFrameSize[] = [];
  const seen = new Set<number>();
  const re = /(frame[^\n]{0,40}?(?:too large|too big|size|length|overlong)[^\n\d]{0,30}|payloadlen=|length is too large |frame of size |Frame length: )(\d{5,8})/gi;
  for (const m of text.matchAll(re)) {
    const n = Number(m[2]);
    if (!(n > DEFAULT_MAX_FRAME_SIZE && n <= 0xffffff) || seen.has(n)) continue;
    seen.add(n);
    const d = decodeFrameLength(n);
    out.push({ kind: 'frame-size', text: m[0], length: n, ascii: d.ascii, protocol: d.protocol, sentence: d.sentence, hints: d.hints });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// TLS alerts

/** What each alert most often means for a client that failed to connect, most likely first. */
const ALERT_HINTS: Partial<Record<AlertName, Array<[Code, string]>>> = {
  handshake_failure: [
    ['tls-no-shared-cipher', 'handshake_failure is what most servers send when no cipher suite is shared'],
    ['tls-no-shared-group', 'it is also sent when no key-exchange group is shared'],
    ['tls-client-cert-required', 'some servers send it when a required client certificate is missing'],
    ['tls-sni-required', 'some servers send it when the ClientHello has no SNI'],
    ['tls-handshake-alert', 'the alert alone does not prove which parameter was refused'],
  ],
  protocol_version: [['tls-version-too-old', 'protocol_version: the two sides share no TLS version']],
  inappropriate_fallback: [['tls-version-too-old', 'inappropriate_fallback: a version downgrade was refused']],
  insufficient_security: [['tls-no-shared-cipher', 'insufficient_security: the server wants stronger ciphers than were offered']],
  unrecognized_name: [['tls-sni-unknown-name', 'unrecognized_name: the server has no certificate for the SNI name sent']],
  missing_extension: [['tls-sni-required', 'missing_extension: a required extension (often SNI) was absent']],
  certificate_required: [['tls-client-cert-required', 'certificate_required: the server wants a client certificate (TLS 1.3)']],
  no_certificate: [['tls-client-cert-required', 'no_certificate: a client certificate was expected']],
  bad_certificate: [
    ['tls-client-cert-required', 'bad_certificate from the server usually rejects the client certificate'],
    ['cert-untrusted', 'sent by a client, it rejects the server certificate'],
  ],
  unknown_ca: [
    ['cert-untrusted', 'unknown_ca: the side that sent it does not trust the issuer of the certificate it got'],
    ['tls-client-cert-required', 'sent by a server, it rejects the client certificate chain'],
  ],
  certificate_unknown: [['cert-untrusted', 'certificate_unknown: the peer would not accept the certificate']],
  certificate_expired: [['cert-expired', 'certificate_expired: a certificate in the handshake is past its notAfter']],
  no_application_protocol: [['alpn-no-h2', 'no_application_protocol: the server supports none of the ALPN protocols offered']],
  decode_error: [['tls-handshake-alert', 'decode_error: the peer could not parse a handshake message']],
  illegal_parameter: [
    ['tls-no-shared-group', 'illegal_parameter often follows a key share the peer cannot use'],
    ['tls-handshake-alert', 'the alert alone does not prove which field was refused'],
  ],
  internal_error: [['tls-handshake-alert', 'internal_error: the server failed while handling the handshake']],
  unexpected_message: [['tls-handshake-alert', 'unexpected_message: the peer got a message it did not expect at that point']],
  access_denied: [['tls-handshake-alert', 'access_denied: the peer refused this client (policy, ACL)']],
};

function alertRecord(text: string, code: number): DecodedAlert {
  const name = alertByCode(code);
  const hints: CodeHint[] = (name ? (ALERT_HINTS[name] ?? []) : []).map(([c, why], i) => ({ code: c, weight: i === 0 ? 2 : 1, why }));
  if (!hints.some((h) => h.code === 'tls-handshake-alert')) hints.push({ code: 'tls-handshake-alert', weight: 1, why: `the handshake was aborted with alert ${code}` });
  return {
    kind: 'tls-alert',
    text,
    alert: code,
    name: name ?? `unknown_alert(${code})`,
    sentence: `TLS alert ${code} is ${name ?? 'not a registered alert'}${name ? ` (${ALERTS[name].openssl})` : ''}`,
    hints,
  };
}

/** Readable alert names as OpenSSL ("sslv3 alert handshake failure"), Go ("tls: handshake failure") and Java print them. */
function alertFromWords(words: string): number | undefined {
  const w = words.toLowerCase().replace(/[\s-]+/g, '_');
  const direct = (ALERTS as Record<string, { code: number }>)[w];
  if (direct) return direct.code;
  const go: Record<string, number> = {
    protocol_version_not_supported: 70,
    unknown_certificate_authority: 48,
    error_decoding_message: 50,
    error_decrypting_message: 51,
    no_renegotiation: 100,
    unsupported_certificate: 43,
    revoked_certificate: 44,
    expired_certificate: 45,
    unknown_certificate: 46,
    unknown_ca: 48,
    user_cancelled: 90,
  };
  return go[w];
}

export function decodeAlerts(text: string): DecodedAlert[] {
  const out: DecodedAlert[] = [];
  const seen = new Set<number>();
  const add = (t: string, code: number | undefined): void => {
    if (code === undefined || code < 0 || code > 255 || seen.has(code)) return;
    seen.add(code);
    out.push(alertRecord(t, code));
  };
  for (const m of text.matchAll(/alert (?:number|description|code)[ :=]*(\d{1,3})/gi)) add(m[0], Number(m[1]));
  for (const m of text.matchAll(/(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)/g)) add(m[0], alertFromWords(m[1]!.replace(/_CANCELLED$/, '_CANCELED')));
  for (const m of text.matchAll(/(?:sslv3|tlsv1|tlsv13|ssl\/tls|tls) alert ([a-z ]+?)(?=[:(),.'"\]]|$|\s*\n)/gim)) add(m[0], alertFromWords(m[1]!.trim().replace(/ cancelled$/, ' canceled')));
  for (const m of text.matchAll(/Received fatal alert: ([a-z_]+)/g)) add(m[0], alertFromWords(m[1]!));
  for (const m of text.matchAll(/remote error: tls: ([a-z ]+)/g)) add(m[0], alertFromWords(m[1]!.trim()));
  for (const m of text.matchAll(/TLSV1_UNRECOGNIZED_NAME|tlsv1 unrecognized name/gi)) add(m[0], 112);
  return out;
}

// ---------------------------------------------------------------------------------------------
// HTTP/2 error codes

const H2_HINTS: Partial<Record<ErrorCodeName, Array<[Code, string]>>> = {
  PROTOCOL_ERROR: [
    ['preface-http1-response', 'PROTOCOL_ERROR right at the start most often means one side was not speaking HTTP/2 at all'],
    ['preface-not-settings', 'the first frame was not SETTINGS'],
    ['h2c-not-supported', 'a cleartext server that does not speak h2c rejects the preface'],
  ],
  INADEQUATE_SECURITY: [['h2-inadequate-security', 'INADEQUATE_SECURITY: the negotiated TLS version or cipher is below HTTP/2\'s minimum']],
  HTTP_1_1_REQUIRED: [
    ['h1-h2-behaviour-differs', 'HTTP_1_1_REQUIRED: the endpoint refuses this request over HTTP/2 and wants HTTP/1.1'],
    ['alpn-no-h2', 'servers that want HTTP/1.1 should not offer h2 in ALPN'],
  ],
  REFUSED_STREAM: [['h2-no-streams-allowed', 'REFUSED_STREAM on the first request can mean the server allows no concurrent streams']],
  FRAME_SIZE_ERROR: [['preface-garbage', 'FRAME_SIZE_ERROR at start-up often means the bytes were not HTTP/2 frames']],
};

function h2Record(text: string, code: number, frame: DecodedH2Error['frame']): DecodedH2Error {
  const name = errorCodeName(code);
  const known = (ERROR_CODES as Record<string, number>)[name] !== undefined;
  const meaning = known ? ERROR_MEANINGS[name as ErrorCodeName] : 'not a registered HTTP/2 error code';
  const hints: CodeHint[] = (known ? (H2_HINTS[name as ErrorCodeName] ?? []) : []).map(([c, why], i) => ({ code: c, weight: i === 0 ? 2 : 1, why }));
  if (frame === 'GOAWAY' && name !== 'NO_ERROR') hints.push({ code: 'goaway-on-connect', weight: 1, why: `the server sent GOAWAY ${name}` });
  const where = frame === 'GOAWAY' ? 'GOAWAY (whole connection)' : frame === 'RST_STREAM' ? 'RST_STREAM (one stream)' : 'HTTP/2 error';
  return { kind: 'h2-error', text, code, name, frame, sentence: `HTTP/2 error code ${code} (0x${hex(code, 1)}) is ${name} in a ${where}: ${meaning}`, hints };
}

export function decodeH2Errors(text: string): DecodedH2Error[] {
  const out: DecodedH2Error[] = [];
  const seen = new Set<string>();
  const frameOf = (at: number): DecodedH2Error['frame'] => {
    const ctx = text.slice(Math.max(0, at - 120), at + 60);
    if (/goaway/i.test(ctx)) return 'GOAWAY';
    if (/rst_stream|stream error|stream \d+ was|reset|StreamReset|Stream closed/i.test(ctx)) return 'RST_STREAM';
    return 'unknown';
  };
  const add = (t: string, code: number, at: number): void => {
    const f = frameOf(at);
    const key = `${code}/${f}`;
    if (seen.has(key) || seen.has(`${code}/any`)) return;
    seen.add(key);
    seen.add(`${code}/any`);
    out.push(h2Record(t, code, f));
  };
  const names = Object.keys(ERROR_CODES).join('|');
  // Names count on their own or after NGHTTP2_/ErrorCodes./ERR_HTTP2_, never inside TLS or QUIC names.
  for (const m of text.matchAll(new RegExp(`(?<![A-Za-z0-9]|SSL_|QUIC_|ALERT_|SPDY_)(${names})(?![A-Za-z0-9_])`, 'g'))) {
    add(m[0], ERROR_CODES[m[1] as ErrorCodeName], m.index);
  }
  const numeric = /(?:\(err (\d{1,2})\)|ErrCode=(\d{1,2})\b|error code:? (\d{1,2})\b|with error (\d{1,2})\b|error_code[:=](\d{1,2})\b)/gi;
  for (const m of text.matchAll(numeric)) {
    const n = Number(m.slice(1).find((x) => x !== undefined));
    if (n <= 0xd) add(m[0], n, m.index);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// OpenSSL / BoringSSL packed error codes

/** Reason numbers of the SSL library (OpenSSL `sslerr.h`, BoringSSL `ssl.h`) that matter for HTTP/2 failures. */
const OPENSSL_SSL_REASONS: Record<number, [string, Code[]]> = {
  101: ['no suitable key share', ['tls-no-shared-group']],
  108: ['bad key share', ['tls-no-shared-group']],
  134: ['certificate verify failed', ['cert-untrusted', 'cert-expired', 'cert-chain-incomplete']],
  155: ['https proxy request', ['scheme-http-on-tls-port']],
  156: ['http request', ['scheme-http-on-tls-port']],
  191: ['no protocols available', ['tls-version-too-old']],
  193: ['no shared cipher', ['tls-no-shared-cipher']],
  198: ['packet length too long', ['scheme-https-on-cleartext-port']],
  199: ['peer did not return a certificate', ['tls-client-cert-required']],
  235: ['no application protocol', ['alpn-no-h2']],
  252: ['unknown protocol', ['scheme-https-on-cleartext-port']],
  258: ['unsupported protocol', ['tls-version-too-old']],
  267: ['wrong version number', ['scheme-https-on-cleartext-port', 'tls-version-too-old']],
  294: ['unexpected eof while reading', ['tcp-reset', 'tls-handshake-alert']],
  410: ['no shared groups', ['tls-no-shared-group']],
};
const BORINGSSL_SSL_REASONS: Record<number, [string, Code[]]> = {
  125: ['CERTIFICATE_VERIFY_FAILED', ['cert-untrusted', 'cert-expired', 'cert-chain-incomplete']],
  184: ['NO_SHARED_CIPHER', ['tls-no-shared-cipher']],
  240: ['UNSUPPORTED_PROTOCOL', ['tls-version-too-old']],
  247: ['WRONG_VERSION_NUMBER', ['scheme-https-on-cleartext-port', 'tls-version-too-old']],
};

const LIBS_OPENSSL: Record<number, string> = { 2: 'system', 11: 'X509', 16: 'EC', 20: 'SSL', 32: 'BIO', 38: 'RSA' };
const LIBS_BORING: Record<number, string> = { 2: 'system', 11: 'X509', 16: 'SSL' };

/**
 * Unpack one error code. OpenSSL 3 packs `lib << 23 | reason` (`0A000410`); OpenSSL 1.x packs
 * `lib << 24 | func << 12 | reason` (`14094410`); BoringSSL packs `lib << 24 | reason` with SSL = 16
 * (`10000410`). In all three an SSL reason of 1000 + N means "received TLS alert N".
 */
export function unpackOpenSslCode(packed: number, hint: 'boringssl' | null = null): Omit<DecodedOpenSsl, 'kind' | 'text' | 'sentence' | 'hints'> {
  const top = packed >>> 24;
  let flavour: OpenSslFlavour;
  if (hint === 'boringssl' || (top === 0x10 && (packed & 0xfff000) === 0)) flavour = 'boringssl';
  else if ((packed >>> 23) === 20 || (packed & 0x80000000) !== 0 || (top < 0x10 && (packed & 0x7ff000) === 0)) flavour = 'openssl3';
  else flavour = 'openssl1';
  let library: number;
  let reason: number;
  if (flavour === 'openssl3') {
    library = (packed & 0x80000000) !== 0 ? 2 : (packed >>> 23) & 0xff;
    reason = (packed & 0x80000000) !== 0 ? packed & 0x7fffffff : packed & 0x7fffff;
  } else {
    library = top;
    reason = packed & 0xfff;
  }
  const libraryName = (flavour === 'boringssl' ? LIBS_BORING : LIBS_OPENSSL)[library] ?? `lib ${library}`;
  const isSsl = libraryName === 'SSL';
  let reasonName: string | null = null;
  let alert: number | undefined;
  if (isSsl && reason >= 1000 && reason < 1256) {
    alert = reason - 1000;
    reasonName = `received alert ${alert} (${alertByCode(alert) ?? 'unknown'})`;
  } else if (isSsl) {
    const table = flavour === 'boringssl' ? BORINGSSL_SSL_REASONS : OPENSSL_SSL_REASONS;
    reasonName = table[reason]?.[0] ?? null;
  }
  return alert === undefined
    ? { packed, flavour, library, libraryName, reason, reasonName }
    : { packed, flavour, library, libraryName, reason, reasonName, alert };
}

export function decodeOpenSslCodes(text: string): DecodedOpenSsl[] {
  const out: DecodedOpenSsl[] = [];
  const seen = new Set<number>();
  const boring = /OPENSSL_internal|BoringSSL/i.test(text) ? 'boringssl' : null;
  const add = (t: string, packed: number): void => {
    if (seen.has(packed)) return;
    seen.add(packed);
    const u = unpackOpenSslCode(packed, boring);
    const flavourName = { openssl3: 'OpenSSL 3', openssl1: 'OpenSSL 1.x', boringssl: 'BoringSSL' }[u.flavour];
    const hints: CodeHint[] = [];
    let what: string;
    if (u.alert !== undefined) {
      const a = alertRecord(t, u.alert);
      hints.push(...a.hints);
      what = `the peer sent TLS alert ${u.alert} (${a.name})`;
    } else {
      const table = u.flavour === 'boringssl' ? BORINGSSL_SSL_REASONS : OPENSSL_SSL_REASONS;
      const codes = u.libraryName === 'SSL' ? (table[u.reason]?.[1] ?? []) : [];
      codes.forEach((c, i) => hints.push({ code: c, weight: i === 0 ? 2 : 1, why: `${flavourName} reason "${u.reasonName}"` }));
      what = u.reasonName ? `reason ${u.reason} = "${u.reasonName}"` : `reason ${u.reason}`;
    }
    const sentence = `${flavourName} error ${hex(packed, 8).toUpperCase()}: library ${u.library} (${u.libraryName}), ${what}`;
    out.push({ kind: 'openssl-error', text: t, ...u, sentence, hints });
  };
  for (const m of text.matchAll(/error:([0-9A-Fa-f]{8}):/g)) add(m[0], parseInt(m[1]!, 16));
  // Envoy and some bindings print the packed code in decimal: "TLS error: 268435703:SSL routines:…".
  for (const m of text.matchAll(/(?<![\d.])(\d{9,10}):SSL routines/g)) {
    const n = Number(m[1]);
    if (n <= 0xffffffff) add(m[0], n);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** Longest line read (a longer one is cut there: errors sit at the start of a line). */
export const MAX_LINE = 4000;
/** At most this many characters are scanned, after cutting long lines; more keeps the end (logs end with the error). */
export const MAX_TEXT = 4_000_000;

export interface Bounded {
  text: string;
  /** Lines of the input, and how many were not scanned (only when the input exceeds MAX_TEXT). */
  lines: number;
  skippedLines: number;
  /** Lines cut at MAX_LINE characters. */
  clippedLines: number;
}

/**
 * The text explain scans: every line, each cut at {@link MAX_LINE} characters. Only input beyond
 * {@link MAX_TEXT} characters after that is left out (its first lines), and the result says how much.
 */
export function boundLines(text: string): Bounded {
  const lines = text.split('\n');
  let clippedLines = 0;
  const kept = lines.map((l) => {
    if (l.length <= MAX_LINE) return l;
    clippedLines++;
    return l.slice(0, MAX_LINE);
  });
  let total = 0;
  let start = kept.length;
  while (start > 0 && total + kept[start - 1]!.length + 1 <= MAX_TEXT) total += kept[--start]!.length + 1;
  return { text: kept.slice(start).join('\n'), lines: lines.length, skippedLines: start, clippedLines };
}

export function boundText(text: string): string {
  return boundLines(text).text;
}

/** Every decoder over the text, in a stable order (bytes, frame sizes, OpenSSL codes, alerts, HTTP/2 codes). */
export function decodeAll(text: string): Decoded[] {
  const bounded = boundText(text);
  const openssl = decodeOpenSslCodes(bounded);
  const alerts = decodeAlerts(bounded).filter((a) => !openssl.some((o) => o.alert === a.alert));
  return [...decodeHexDumps(bounded), ...decodeFrameSizes(bounded), ...openssl, ...alerts, ...decodeH2Errors(bounded)];
}
