/**
 * Bytes in pasted text: hex dumps (contiguous, spaced, escaped) and HTTP/2 "frame lengths" that are
 * really the first three bytes a peer sent, each read by the one first-bytes classifier
 * (wire/sniff.ts) and put in words with the finding codes they point at.
 *
 * @example
 * decodeHexDumps('Hex dump for first 5 bytes: 1503010002')[0].protocol; // 'tls'
 */
import { fromHex, hex, toAscii } from '../wire/bytes.js';
import { DEFAULT_MAX_FRAME_SIZE } from '../wire/http2/registry.js';
import { sniffFragment, type Fragment } from '../wire/sniff.js';
import { alertByCode } from '../wire/tls/alerts.js';
import { VERSION_NAMES } from '../wire/tls/registry.js';
import type { BytesProtocol, CodeHint, DecodedBytes, DecodedFrameSize } from './decoded.js';

const TLS_CONTENT: Record<number, string> = { 20: 'change_cipher_spec', 21: 'alert', 22: 'handshake', 23: 'application_data' };
const HANDSHAKE_TYPES: Record<number, string> = { 1: 'ClientHello', 2: 'ServerHello', 11: 'Certificate', 12: 'ServerKeyExchange', 14: 'ServerHelloDone' };

function spaced(b: Uint8Array): string {
  return Array.from(b, (x) => hex(x, 2)).join(' ');
}

type Classification = { protocol: BytesProtocol; detail: Record<string, string | number>; sentence: string; hints: CodeHint[] };

/**
 * What protocol a handful of bytes belong to, in words and hints. Works on as few as 3 bytes (a
 * frame-length prefix) and is used for every hex dump found in the text; the bytes are read by the
 * one first-bytes classifier (wire/sniff.ts, {@link sniffFragment}).
 */
export function classifyBytes(b: Uint8Array): Classification {
  const bytes = spaced(b.subarray(0, 16)) + (b.length > 16 ? ' …' : '');
  const ascii = toAscii(b);
  const f = sniffFragment(b);
  switch (f.kind) {
    case 'tls':
      return tlsWords(f, bytes);
    case 'h2-preface':
      return {
        protocol: 'h2-preface',
        detail: { startLine: 'PRI * HTTP/2.0' },
        sentence: `the bytes are the HTTP/2 client connection preface ("PRI * HTTP/2.0"): a client tried HTTP/2 with prior knowledge`,
        hints: [
          { code: 'h2c-not-supported', weight: 2, why: 'the HTTP/2 preface reached a server that did not treat it as HTTP/2' },
          { code: 'scheme-http-on-tls-port', weight: 1, why: 'the preface is cleartext; a TLS listener rejects it' },
        ],
      };
    case 'http1-response': {
      const detail: Record<string, string | number> = { startLine: f.startLine ?? ascii };
      if (f.status !== undefined) detail.status = f.status;
      return {
        protocol: 'http1',
        detail,
        sentence: `the bytes ${bytes} read "${ascii}": an HTTP/1.x response, so the server speaks HTTP/1.x here`,
        hints: [{ code: 'preface-http1-response', weight: 3, why: `the server answered with HTTP/1.x text ("${ascii.slice(0, 20)}"), not an HTTP/2 frame` }],
      };
    }
    case 'http1-request':
      return {
        protocol: 'http1',
        detail: { startLine: f.firstLine, direction: 'request' },
        sentence: `the bytes ${bytes} read "${ascii}": an HTTP/1.x request arrived where HTTP/2 was expected`,
        hints: [{ code: 'http1-not-supported', weight: 2, why: 'an HTTP/1.x request reached an HTTP/2-only listener' }],
      };
    case 'ssh':
      return {
        protocol: 'ssh',
        detail: { banner: ascii },
        sentence: `the bytes read "${ascii}": an SSH banner — this port runs SSH, not HTTP`,
        hints: [{ code: 'preface-garbage', weight: 2, why: 'the port answered with an SSH banner, not HTTP/2' }],
      };
    case 'h2-frame':
      return frameWords(f, bytes);
    case 'unknown':
      return { protocol: 'unknown', detail: { ascii }, sentence: `the bytes ${bytes} ("${ascii}") match no protocol h2doctor knows`, hints: [] };
  }
}

/** A TLS record: its alert or handshake message named, and what it says about who speaks TLS. */
function tlsWords(f: Extract<Fragment, { kind: 'tls' }>, bytes: string): Classification {
  const rec = f.record;
  const detail: Record<string, string | number> = { contentType: TLS_CONTENT[f.contentType]!, recordVersion: VERSION_NAMES[f.recordVersion] ?? `0x${hex(f.recordVersion, 4)}` };
  if (f.length !== undefined) detail.recordLength = f.length;
  if (f.contentType === 21) {
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
  if (f.contentType === 22) {
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

/** An HTTP/2 frame header (a GOAWAY with its error and debug data). */
function frameWords(f: Extract<Fragment, { kind: 'h2-frame' }>, bytes: string): Classification {
  const detail: Record<string, string | number> = { length: f.length, type: f.typeName, flags: `0x${hex(f.flags, 2)}` };
  if (f.streamId !== undefined) detail.streamId = f.streamId;
  let extra = '';
  if (f.goaway) {
    detail.errorCode = f.goaway.errorName;
    if (f.goaway.debug) detail.debug = f.goaway.debug;
    extra = ` with error ${f.goaway.errorName}${f.goaway.debug ? ` and debug data "${f.goaway.debug}"` : ''}`;
  }
  return {
    protocol: 'http2',
    detail,
    sentence: `the bytes ${bytes} are an HTTP/2 ${f.typeName} frame header (length ${f.length})${extra}: the peer speaks HTTP/2`,
    hints: [{ code: 'http1-not-supported', weight: 2, why: `the reply is an HTTP/2 ${f.typeName} frame: the server speaks HTTP/2 where HTTP/1.x was expected` }],
  };
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

/** Frame lengths a client reported as too large, each read back into the bytes the peer sent. */
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
