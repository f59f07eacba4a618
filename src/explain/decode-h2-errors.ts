/**
 * HTTP/2 error codes in pasted text (RFC 9113 §7), by name or number, each with what it means and the
 * finding codes it points at.
 *
 * @example
 * decodeH2Errors('GOAWAY received: PROTOCOL_ERROR')[0].frame; // 'GOAWAY'
 */
import type { Code } from '../model/codes.js';
import { hex } from '../wire/bytes.js';
import { ERROR_CODES, ERROR_MEANINGS, errorCodeName, type ErrorCodeName } from '../wire/http2/registry.js';
import type { CodeHint, DecodedH2Error } from './decoded.js';

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
  // On one stream, HTTP_1_1_REQUIRED is the request refused over HTTP/2 (diagnose: h2-no-response); on GOAWAY, the connection.
  if (name === 'HTTP_1_1_REQUIRED' && frame !== 'GOAWAY') hints.unshift({ code: 'h2-no-response', weight: 2, why: 'HTTP_1_1_REQUIRED on a stream: the server answers this request only over HTTP/1.1' });
  const where = frame === 'GOAWAY' ? 'GOAWAY (whole connection)' : frame === 'RST_STREAM' ? 'RST_STREAM (one stream)' : 'HTTP/2 error';
  return { kind: 'h2-error', text, code, name, frame, sentence: `HTTP/2 error code ${code} (0x${hex(code, 1)}) is ${name} in a ${where}: ${meaning}`, hints };
}

/** HTTP/2 error codes by name or number, with the frame (GOAWAY, RST_STREAM) the text puts them in. */
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
