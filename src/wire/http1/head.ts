/**
 * HTTP/1.x message heads (RFC 9112): parse a response head from untrusted bytes, and encode a
 * request head. Bytes map to string characters one to one (ISO-8859-1), so nothing is lost.
 *
 * @example
 * const head = parseResponseHead(bytes, { maxHeadBytes: 64 * 1024 });
 * if (head.complete) console.log(head.status, headerValues(head.headers, 'server'));
 */
import { ParseError, hex } from '../bytes.js';
import { isToken } from '../http/fields.js';

/** Bounds for {@link parseResponseHead}. @example parseResponseHead(bytes, { maxHeadBytes: 16384, maxHeaders: 100 }) */
export interface ResponseHeadOptions {
  /** Give up (ParseError `too-large`) when no complete head fits in this many bytes. Default 65536. */
  maxHeadBytes?: number;
  /** At most this many field lines (ParseError `too-large` past it). Default 200. */
  maxHeaders?: number;
}

/** A parsed status line and field section. */
export interface CompleteResponseHead {
  complete: true;
  /** 'HTTP/1.1', 'HTTP/1.0', … as sent. */
  version: string;
  status: number;
  /** The reason phrase; '' when absent. */
  reason: string;
  /** Field lines in order, names as sent (case kept), values with surrounding whitespace trimmed. */
  headers: Array<[string, string]>;
  /** Bytes from the start of the input to the first body byte. */
  headLength: number;
  /** Some line ended in a bare LF instead of CRLF (RFC 9112 §2.2: tolerated, as curl does). */
  bareLf: boolean;
  /** Some field value was folded over lines (obs-fold, RFC 9112 §5.2); folds became single spaces. */
  obsFold: boolean;
}

/**
 * Parse result: `{ complete: false }` when more bytes are needed.
 *
 * @example
 * parseResponseHead(new TextEncoder().encode('HTTP/1.1 200 OK\r\n')); // { complete: false }
 */
export type ResponseHead = { complete: false } | CompleteResponseHead;

const HTTP_NAME = [0x48, 0x54, 0x54, 0x50, 0x2f]; // "HTTP/"
const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;

/** ISO-8859-1: one character per byte (TextDecoder's 'latin1' is windows-1252, which remaps 0x80–0x9f). */
function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) s += String.fromCharCode(...b.subarray(i, Math.min(end, i + 4096)));
  return s;
}

/**
 * Parse an HTTP/1.x response head. Throws only ParseError: `invalid` when the bytes are not an
 * HTTP/1.x response (noticed from the first byte that differs from "HTTP/"), `too-large` past the
 * limits. 1xx heads parse like any other; the caller reads on for the final one.
 *
 * @example
 * const head = parseResponseHead(new TextEncoder().encode('HTTP/1.1 426 Upgrade Required\r\nUpgrade: h2c\r\n\r\n'));
 * // { complete: true, version: 'HTTP/1.1', status: 426, reason: 'Upgrade Required',
 * //   headers: [['Upgrade', 'h2c']], headLength: 48, bareLf: false, obsFold: false }
 */
export function parseResponseHead(bytes: Uint8Array, opts: ResponseHeadOptions = {}): ResponseHead {
  const maxHeadBytes = opts.maxHeadBytes ?? 65536;
  const maxHeaders = opts.maxHeaders ?? 200;

  // RFC 9112 §4: a response starts with the status line, whose HTTP-version starts "HTTP/".
  for (let i = 0; i < Math.min(bytes.length, HTTP_NAME.length); i++) {
    if (bytes[i] !== HTTP_NAME[i]) {
      throw new ParseError('invalid', `RFC 9112 §4: response does not start with "HTTP/" (byte ${i} is 0x${hex(bytes[i]!, 2)})`, i, 'status-line');
    }
  }

  // Find the line ends up to the empty line that closes the head, never looking past maxHeadBytes.
  const limit = Math.min(bytes.length, maxHeadBytes);
  const lines: Array<{ start: number; end: number; bareLf: boolean }> = [];
  let lineStart = 0;
  let headLength = -1;
  let fieldLines = 0;
  for (let i = 0; i < limit; i++) {
    if (bytes[i] !== LF) continue;
    const crlf = i > lineStart && bytes[i - 1] === CR;
    const end = crlf ? i - 1 : i;
    // RFC 9112 §2.2: a recipient may accept a bare LF as a line terminator (the flag records it).
    const line = { start: lineStart, end, bareLf: !crlf };
    lineStart = i + 1;
    if (end === line.start && lines.length > 0) {
      lines.push(line);
      headLength = i + 1;
      break;
    }
    lines.push(line);
    if (lines.length > 1 && bytes[line.start] !== SP && bytes[line.start] !== HTAB) fieldLines++;
    if (fieldLines > maxHeaders) {
      throw new ParseError('too-large', `response head has more than ${maxHeaders} field lines`, line.start, 'fields');
    }
  }
  if (headLength < 0) {
    if (bytes.length >= maxHeadBytes) {
      // RFC 9112 §4: the status line ends with CRLF; say so when not even that came.
      if (lines.length === 0) throw new ParseError('too-large', `no end of the status line (no CRLF) within ${maxHeadBytes} bytes`, maxHeadBytes, 'status-line');
      const longest = lines.reduce((m, l) => Math.max(m, l.end - l.start), limit - lineStart);
      throw new ParseError('too-large', `no end of the response head within ${maxHeadBytes} bytes (${lines.length} line${lines.length === 1 ? '' : 's'}, the longest ${longest} bytes)`, maxHeadBytes, 'head');
    }
    return { complete: false };
  }

  let bareLf = false;
  let obsFold = false;
  for (const l of lines) bareLf ||= l.bareLf;

  // RFC 9112 §2.2: a bare CR (not before LF) inside an element is invalid.
  for (const l of lines) {
    const cr = bytes.subarray(l.start, l.end).indexOf(CR);
    if (cr >= 0) throw new ParseError('invalid', 'RFC 9112 §2.2: bare CR inside a line', l.start + cr, 'line');
  }

  const statusLine = lines[0]!;
  const status = parseStatusLine(latin1(bytes, statusLine.start, statusLine.end), statusLine.start);

  const headers: Array<[string, string]> = [];
  for (let k = 1; k < lines.length - 1; k++) {
    const l = lines[k]!;
    const text = latin1(bytes, l.start, l.end);
    if (bytes[l.start] === SP || bytes[l.start] === HTAB) {
      // RFC 9112 §2.2: whitespace between the start-line and the first field line must be rejected.
      if (headers.length === 0) {
        throw new ParseError('invalid', 'RFC 9112 §2.2: whitespace-led line between the status line and the first field line', l.start, 'field-line');
      }
      // RFC 9112 §5.2: a user agent replaces each obs-fold in a response with SP before interpreting the value.
      const last = headers[headers.length - 1]!;
      const more = trimOws(text);
      last[1] = last[1] === '' ? more : more === '' ? last[1] : `${last[1]} ${more}`;
      obsFold = true;
      continue;
    }
    const colon = text.indexOf(':');
    // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS.
    if (colon < 0) throw new ParseError('invalid', `RFC 9112 §5: field line without a colon: ${JSON.stringify(text.slice(0, 60))}`, l.start, 'field-line');
    const name = text.slice(0, colon);
    // RFC 9112 §5.1: no whitespace is allowed between the field name and the colon.
    if (/[ \t]$/.test(name)) {
      throw new ParseError('invalid', `RFC 9112 §5.1: whitespace between field name ${JSON.stringify(name.trimEnd())} and colon`, l.start + colon - 1, 'field-name');
    }
    // RFC 9110 §5.1: a field name is a token.
    if (!isToken(name)) throw new ParseError('invalid', `RFC 9110 §5.1: field name ${JSON.stringify(name.slice(0, 60))} is not a token`, l.start, 'field-name');
    const value = trimOws(text.slice(colon + 1));
    // RFC 9110 §5.5: field values containing NUL are invalid and dangerous.
    const nul = value.indexOf('\0');
    if (nul >= 0) throw new ParseError('invalid', `RFC 9110 §5.5: NUL in the value of ${name}`, l.start + colon + 1, 'field-value');
    headers.push([name, value]);
  }

  return { complete: true, ...status, headers, headLength, bareLf, obsFold };
}

function parseStatusLine(line: string, at: number): { version: string; status: number; reason: string } {
  // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]; HTTP-version = "HTTP/" DIGIT "." DIGIT.
  // A missing SP before an empty reason is tolerated, as clients commonly do.
  const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(line);
  if (!m) throw new ParseError('invalid', `RFC 9112 §4: malformed status line ${JSON.stringify(line.slice(0, 80))}`, at, 'status-line');
  const reason = m[3] ?? '';
  // RFC 9112 §4: reason-phrase = *( HTAB / SP / VCHAR / obs-text ); other controls are invalid.
  const bad = reason.search(/[\x00-\x08\x0a-\x1f\x7f]/);
  if (bad >= 0) throw new ParseError('invalid', 'RFC 9112 §4: control character in the reason phrase', at + m[1]!.length + 5 + bad, 'reason');
  return { version: m[1]!, status: Number(m[2]), reason };
}

// RFC 9110 §5.6.3: OWS = *( SP / HTAB ), not part of the field value.
function trimOws(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * All values of a field, matched case-insensitively, in order.
 *
 * @example
 * headerValues([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']], 'SET-COOKIE'); // ['a=1', 'b=2']
 */
export function headerValues(headers: ReadonlyArray<readonly [string, string]>, name: string): string[] {
  const want = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === want).map(([, v]) => v);
}

/**
 * Encode a request head (request line, field lines, empty line). Throws RangeError for a method or
 * field name that is not a token, a target with whitespace or controls, a value with CR, LF or NUL,
 * or characters outside ISO-8859-1: a malformed request is never sent by accident.
 *
 * @example
 * encodeRequestHead('GET', '/', [['Host', 'example.com'], ['Connection', 'Upgrade, HTTP2-Settings'], ['Upgrade', 'h2c']]);
 * // "GET / HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n"
 */
export function encodeRequestHead(
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]>,
  version = 'HTTP/1.1',
): Uint8Array {
  // RFC 9112 §3: request-line = method SP request-target SP HTTP-version; method is a token.
  if (!isToken(method)) throw new RangeError(`method ${JSON.stringify(method)} is not a token`);
  // RFC 9112 §3.2: the request target has no whitespace.
  if (target === '' || /[\x00-\x20\x7f]/.test(target)) throw new RangeError(`request target ${JSON.stringify(target)} is empty or has whitespace/controls`);
  if (!/^HTTP\/\d\.\d$/.test(version)) throw new RangeError(`version ${JSON.stringify(version)} is not HTTP/d.d`);
  let text = `${method} ${target} ${version}\r\n`;
  for (const [name, value] of headers) {
    // RFC 9110 §5.1: field names are tokens; RFC 9110 §5.5: values carry no CR, LF or NUL.
    if (!isToken(name)) throw new RangeError(`field name ${JSON.stringify(name)} is not a token`);
    if (/[\r\n\0]/.test(value)) throw new RangeError(`value of ${name} contains CR, LF or NUL`);
    text += `${name}: ${value}\r\n`;
  }
  text += '\r\n';
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`character U+${c.toString(16).padStart(4, '0')} is outside ISO-8859-1`);
    out[i] = c;
  }
  return out;
}
