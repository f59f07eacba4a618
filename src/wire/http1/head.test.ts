import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRequestHead, headerValues, parseResponseHead } from './head.js';
import { outcome } from '../../../test/wire-helpers.js';

const te = new TextEncoder();
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('parseResponseHead', () => {
  it('parses a typical head and reports where the body starts', () => {
    // Hand-written in the shape nginx answers an h2c upgrade attempt it does not support.
    const text = 'HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello';
    expect(parseResponseHead(bytes(text))).toEqual({
      complete: true,
      version: 'HTTP/1.1',
      status: 400,
      reason: 'Bad Request',
      headers: [['Server', 'nginx'], ['Content-Length', '5'], ['Connection', 'close']],
      headLength: text.length - 5,
      bareLf: false,
      obsFold: false,
    });
  });

  it('needs more bytes until the empty line arrives, whatever the split', () => {
    const text = 'HTTP/1.0 200 OK\r\nA: b\r\n\r\n';
    for (let i = 0; i < text.length; i++) expect(parseResponseHead(bytes(text.slice(0, i)))).toEqual({ complete: false });
    expect(parseResponseHead(bytes(text))).toMatchObject({ complete: true, version: 'HTTP/1.0', headLength: text.length });
  });

  it('tolerates bare LF line ends (as curl does) and records it', () => {
    const text = 'HTTP/1.1 200 OK\nX: 1\r\n\n';
    expect(parseResponseHead(bytes(text))).toMatchObject({ complete: true, headers: [['X', '1']], bareLf: true, headLength: text.length });
  });

  it('accepts a missing or empty reason phrase', () => {
    expect(parseResponseHead(bytes('HTTP/1.1 204\r\n\r\n'))).toMatchObject({ status: 204, reason: '' });
    expect(parseResponseHead(bytes('HTTP/1.1 204 \r\n\r\n'))).toMatchObject({ status: 204, reason: '' });
  });

  it('replaces obs-fold with a space (RFC 9112 §5.2) and records it', () => {
    const head = parseResponseHead(bytes('HTTP/1.1 200 OK\r\nX-Long: one\r\n   two\r\n\tthree\r\nY: z\r\n\r\n'));
    expect(head).toMatchObject({ headers: [['X-Long', 'one two three'], ['Y', 'z']], obsFold: true });
  });

  it('trims OWS around values, keeps empty values and repeated names', () => {
    const head = parseResponseHead(bytes('HTTP/1.1 200 OK\r\nA:\t x \t\r\nB:\r\nA: y\r\n\r\n'));
    expect(head).toMatchObject({ headers: [['A', 'x'], ['B', ''], ['A', 'y']] });
  });

  it('keeps every byte as one character (ISO-8859-1), including 0x80–0x9f', () => {
    const head = parseResponseHead(Uint8Array.from([...bytes('HTTP/1.1 200 OK\r\nX: '), 0x80, 0xe9, ...bytes('\r\n\r\n')]));
    expect(head).toMatchObject({ headers: [['X', '\u0080\u00e9']] });
  });

  it.each([
    ['TLS bytes', Uint8Array.from([0x16, 0x03, 0x01, 0x00]), /^invalid: RFC 9112 §4: response does not start with "HTTP\/" \(byte 0 is 0x16\)/],
    ['an HTTP/2 SETTINGS frame', Uint8Array.from([0, 0, 0, 4, 0, 0, 0, 0, 0]), /^invalid: RFC 9112 §4/],
    ['SSH banner, caught at its first byte', bytes('S'), /^invalid: RFC 9112 §4/],
    ['a malformed status line', bytes('HTTP/1.1 20 OK\r\n\r\n'), /^invalid: RFC 9112 §4: malformed status line/],
    ['HTTP/1.1 with a two-digit version', bytes('HTTP/11 200 OK\r\n\r\n'), /^invalid: RFC 9112 §4: malformed status line/],
    ['control character in the reason', bytes('HTTP/1.1 200 O\x01K\r\n\r\n'), /^invalid: RFC 9112 §4: control character/],
    ['whitespace before the colon', bytes('HTTP/1.1 200 OK\r\nHost : x\r\n\r\n'), /^invalid: RFC 9112 §5.1: whitespace between field name "Host" and colon/],
    ['a field line without a colon', bytes('HTTP/1.1 200 OK\r\nnonsense\r\n\r\n'), /^invalid: RFC 9112 §5: field line without a colon/],
    ['a name that is not a token', bytes('HTTP/1.1 200 OK\r\nX(y): 1\r\n\r\n'), /^invalid: RFC 9110 §5.1/],
    ['whitespace-led line right after the status line', bytes('HTTP/1.1 200 OK\r\n X: 1\r\n\r\n'), /^invalid: RFC 9112 §2.2: whitespace-led line/],
    ['a bare CR', bytes('HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n'), /^invalid: RFC 9112 §2.2: bare CR/],
    ['NUL in a value', bytes('HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n'), /^invalid: RFC 9110 §5.5: NUL/],
  ])('rejects %s', (_name, input, expected) => {
    expect(outcome(() => parseResponseHead(input))).toMatch(expected);
  });

  it('is bounded by maxHeadBytes and maxHeaders', () => {
    const long = bytes(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(100)}`);
    expect(parseResponseHead(long, { maxHeadBytes: 1000 })).toEqual({ complete: false });
    expect(outcome(() => parseResponseHead(long, { maxHeadBytes: 100 }))).toMatch(/^too-large: no end of the response head within 100 bytes/);
    expect(outcome(() => parseResponseHead(long, { maxHeadBytes: 100 }))).toMatch(/\(1 line, the longest 83 bytes\)$/);
    // RFC 9112 §4: a status line that never ends is said as such.
    expect(outcome(() => parseResponseHead(bytes(`HTTP/1.1 200 OK${' '.repeat(200)}`), { maxHeadBytes: 100 }))).toBe('too-large: no end of the status line (no CRLF) within 100 bytes');
    const many = bytes(`HTTP/1.1 200 OK\r\n${'A: 1\r\n'.repeat(5)}`);
    expect(outcome(() => parseResponseHead(many, { maxHeaders: 4 }))).toMatch(/^too-large: response head has more than 4 field lines/);
    expect(parseResponseHead(bytes(`HTTP/1.1 200 OK\r\n${'A: 1\r\n'.repeat(4)}\r\n`), { maxHeaders: 4 })).toMatchObject({ complete: true });
  });

  it('a complete head inside the limit parses even when a longer body follows', () => {
    const text = `HTTP/1.1 200 OK\r\n\r\n${'b'.repeat(500)}`;
    expect(parseResponseHead(bytes(text), { maxHeadBytes: 100 })).toMatchObject({ complete: true, headLength: 19 });
  });

  it('random bytes and mutated heads give a result or a ParseError, nothing else', () => {
    const valid = bytes('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), (random, edits, cut) => {
        outcome(() => parseResponseHead(random));
        const m = valid.slice();
        for (const [at, v] of edits) m[at % m.length] = v;
        outcome(() => parseResponseHead(m, { maxHeadBytes: 64 }));
        outcome(() => parseResponseHead(valid.subarray(0, cut % valid.length)));
      }),
      { numRuns: 300 },
    );
  });

  it('parses what encodeRequestHead-style heads look like, for random field lists', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
    const value = fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/);
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.array(fc.tuple(name, value), { maxLength: 10 }), (status, fields) => {
        const text = `HTTP/1.1 ${status} Reason\r\n${fields.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
        expect(parseResponseHead(bytes(text))).toEqual({
          complete: true,
          version: 'HTTP/1.1',
          status,
          reason: 'Reason',
          headers: fields,
          headLength: text.length,
          bareLf: false,
          obsFold: false,
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('headerValues', () => {
  it('matches names case-insensitively, in order', () => {
    const h: Array<[string, string]> = [['Set-Cookie', 'a=1'], ['Server', 'x'], ['set-cookie', 'b=2']];
    expect(headerValues(h, 'SET-COOKIE')).toEqual(['a=1', 'b=2']);
    expect(headerValues(h, 'missing')).toEqual([]);
  });
});

describe('encodeRequestHead', () => {
  it('writes the request line, fields and the empty line', () => {
    const out = encodeRequestHead('GET', '/', [['Host', '127.0.0.1:8080'], ['Connection', 'Upgrade, HTTP2-Settings'], ['Upgrade', 'h2c'], ['HTTP2-Settings', 'AAMAAABkAAQAoAAAAAIAAAAA']]);
    expect(new TextDecoder().decode(out)).toBe(
      'GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n',
    );
    expect(new TextDecoder().decode(encodeRequestHead('OPTIONS', '*', [], 'HTTP/1.0'))).toBe('OPTIONS * HTTP/1.0\r\n\r\n');
  });

  it('refuses to write a malformed or smuggling head', () => {
    expect(() => encodeRequestHead('GE T', '/', [])).toThrow(RangeError);
    expect(() => encodeRequestHead('GET', '/a b', [])).toThrow(RangeError);
    expect(() => encodeRequestHead('GET', '/', [['X', 'a\r\nInjected: 1']])).toThrow(RangeError);
    expect(() => encodeRequestHead('GET', '/', [['X Y', 'a']])).toThrow(RangeError);
    expect(() => encodeRequestHead('GET', '/', [['X', '✓']])).toThrow(RangeError);
    expect(() => encodeRequestHead('GET', '/', [], 'HTTP/2')).toThrow(RangeError);
  });

  it('round-trips through the parser when turned into a response-shaped head', () => {
    const req = encodeRequestHead('GET', '/', [['Host', 'h'], ['Accept', '*/*']]);
    const asResponse = Uint8Array.from([...te.encode('HTTP/1.1 200 OK'), ...req.subarray(req.indexOf(0x0a) - 1)]);
    expect(parseResponseHead(asResponse)).toMatchObject({ headers: [['Host', 'h'], ['Accept', '*/*']] });
  });
});
