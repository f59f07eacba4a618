import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { classify, excerpt, isDecided, sniffFragment, sniffNotTls } from './sniff.js';
import { fromHex } from './bytes.js';
import type { FirstBytes } from '../model/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('first-bytes classifier: vectors', () => {
  test.each<[string, Uint8Array, Partial<FirstBytes>]>([
    // RFC 9113 §3.4: an empty SETTINGS frame, the smallest valid server preface.
    ['empty SETTINGS', fromHex('000000 04 00 00000000'), { kind: 'h2-settings', ack: false, settings: [] }],
    // SETTINGS MAX_CONCURRENT_STREAMS=100 (node:http2's preface starts like this).
    ['SETTINGS with one value', fromHex('000006 04 00 00000000 0003 00000064'), { kind: 'h2-settings', settings: [{ id: 3, name: 'MAX_CONCURRENT_STREAMS', value: 100 }] }],
    // RFC 9113 §6.8: GOAWAY last=0 PROTOCOL_ERROR with debug "bad".
    ['GOAWAY', fromHex('00000b 07 00 00000000 00000000 00000001 626164'), { kind: 'h2-goaway', lastStreamId: 0, errorCode: 1, errorName: 'PROTOCOL_ERROR', debug: 'bad' }],
    ['PING first', fromHex('000008 06 00 00000000 0000000000000000'), { kind: 'h2-frame', typeName: 'PING', streamId: 0, length: 8 }],
    ['HTTP/1.1 400 from nginx', enc('HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nContent-Length: 0\r\n\r\n'), { kind: 'http1', version: '1.1', status: 400, reason: 'Bad Request', server: 'nginx/1.22.1' }],
    ['HTTP/1.0 with no reason', enc('HTTP/1.0 200\r\n\r\n'), { kind: 'http1', version: '1.0', status: 200, reason: '' }],
    // The alert Netty quotes: "Hex dump for first 5 bytes: 1503010002" + level 2, description 40.
    ['TLS fatal handshake_failure alert', fromHex('15 0301 0002 02 28'), { kind: 'tls-alert', level: 2, levelName: 'fatal', description: 40, descriptionName: 'handshake_failure' }],
    ['TLS alert: protocol_version', fromHex('15 0303 0002 02 46'), { kind: 'tls-alert', description: 70, descriptionName: 'protocol_version' }],
    ['TLS ServerHello record', fromHex('16 0303 007a 02 000076 0303'), { kind: 'tls-handshake', handshakeName: 'server_hello' }],
    ['SSH banner', enc('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'), { kind: 'banner', protocol: 'ssh' }],
    ['SMTP banner', enc('220 mail.example.com ESMTP Postfix\r\n'), { kind: 'banner', protocol: 'smtp' }],
    ['Redis error', enc('-ERR unknown command\r\n'), { kind: 'banner', protocol: 'redis' }],
    ['random binary', fromHex('deadbeefcafebabe0011223344'), { kind: 'garbage' }],
  ])('%s', (_name, bytes, want) => {
    expect(classify(bytes, 'eof').first).toMatchObject(want);
  });

  test('how the stream ended, with no bytes', () => {
    expect(classify(new Uint8Array(0), 'eof').first.kind).toBe('eof');
    expect(classify(new Uint8Array(0), 'reset').first.kind).toBe('reset');
    expect(classify(new Uint8Array(0), 'timeout').first.kind).toBe('timeout');
    expect(classify(new Uint8Array(0), 'open').first.kind).toBe('incomplete');
  });

  test('a prefix that could still become something is incomplete while the stream is open', () => {
    expect(classify(enc('HTT'), 'open').first.kind).toBe('incomplete');
    expect(classify(enc('HTTP/1.1 200 OK\r\nServ'), 'open').first.kind).toBe('incomplete');
    expect(classify(fromHex('000006 04'), 'open').first.kind).toBe('incomplete');
    expect(classify(fromHex('15 03'), 'open').first.kind).toBe('incomplete');
    expect(isDecided(enc('HTTP/1.1 200 OK\r\n\r\n'))).toBe(true);
  });

  test('a TLS record header over RFC 8446 §5.1\'s length limit is a record_overflow, not "neither HTTP nor TLS"', () => {
    const c = classify(fromHex('160303ffff02'), 'eof');
    expect(c.first).toEqual({ kind: 'tls-record-overflow', recordVersion: 0x0303, contentType: 22, length: 65535 });
    expect(c.summary).toBe('TLS record header announcing 65535 bytes (over 2^14 + 2048: record_overflow)');
    expect(classify(fromHex('1603034801'), 'eof').first.kind).toBe('tls-record-overflow'); // 2^14 + 2048 + 1
    expect(classify(fromHex('1603034800 02'), 'open').first.kind).toBe('tls-handshake'); // 2^14 + 2048: the TLS 1.2 ciphertext limit
  });

  test('a status line that never ends is HTTP/1.x, not garbage (issue 12: a never-ending HTTP/1.1 head is HTTP/1.1)', () => {
    const noCrlf = enc(`HTTP/1.1 200 OK${' '.repeat(20_000)}`);
    expect(classify(noCrlf, 'eof').first).toEqual({ kind: 'http1', version: '1.1', status: 200, reason: 'OK (no CRLF)' });
    expect(classify(noCrlf.subarray(0, 100), 'open').first.kind).toBe('incomplete');
    expect(classify(enc(`HTTQ/1.1 200 OK${' '.repeat(20_000)}`), 'eof').first.kind).toBe('garbage');
  });

  test('the excerpt is bounded and keeps the total length', () => {
    const big = new Uint8Array(10_000).fill(0x41);
    const e = excerpt(big);
    expect(e.length).toBe(10_000);
    expect(e.truncated).toBe(true);
    expect(e.hex.length).toBe(128);
    expect(e.ascii).toBe('A'.repeat(64));
  });

  test('summary lines name what was seen', () => {
    expect(classify(fromHex('15 0301 0002 02 28'), 'eof').summary).toBe('TLS alert: fatal handshake_failure (40)');
    expect(classify(enc('HTTP/1.1 426 Upgrade Required\r\nServer: x\r\n\r\n'), 'eof').summary).toBe('HTTP/1.1 426 Upgrade Required (Server: x)');
  });
});

const ends = fc.constantFrom('eof' as const, 'reset' as const, 'timeout' as const, 'open' as const, 'budget' as const);
const KINDS = ['h2-settings', 'h2-goaway', 'h2-frame', 'http1', 'tls-handshake', 'tls-alert', 'tls-other', 'tls-record-overflow', 'banner', 'garbage', 'eof', 'reset', 'timeout', 'incomplete'];

/** Inputs worth mutating: each a valid start of one protocol. */
const seeds = [
  fromHex('000006 04 00 00000000 0003 00000064'),
  fromHex('00000b 07 00 00000000 00000000 00000001 626164'),
  enc('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n'),
  fromHex('15 0301 0002 02 28'),
  fromHex('16 0303 007a 02 000076 0303'),
  enc('SSH-2.0-OpenSSH\r\n'),
];

const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat())
  .map(([seed, muts, cut]) => {
    const b = seed.slice();
    for (const [i, v] of muts) b[i % b.length] = v;
    return b.subarray(0, cut % (b.length + 1));
  });

describe('first-bytes classifier: properties', () => {
  test('random bytes give a typed result, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), ends, (b, end) => {
        const c = classify(b, end);
        expect(KINDS).toContain(c.first.kind);
        expect(typeof c.summary).toBe('string');
        expect(c.excerpt.length).toBe(b.length);
      }),
      { numRuns: 2000 },
    );
  });

  test('mutated and truncated valid starts give a typed result', () => {
    fc.assert(
      fc.property(mutated, ends, (b, end) => {
        expect(KINDS).toContain(classify(b, end).first.kind);
      }),
      { numRuns: 2000 },
    );
  });

  test('any chunking gives the same result: decided on a prefix ⇒ the same on the whole', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 200 })), fc.array(fc.nat(), { maxLength: 5 }), (b, cuts) => {
        const whole = classify(b, 'eof').first;
        // Feed growing prefixes as a reader would; the first decided answer must be the final one.
        const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y).concat(b.length);
        for (const p of points) {
          const part = classify(b.subarray(0, p), p === b.length ? 'eof' : 'open').first;
          if (part.kind !== 'incomplete' && p < b.length) {
            expect(part.kind).toBe(whole.kind);
            break;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fragments (bytes found in a log, either direction, from 3 bytes)', () => {
  test.each<[string, Uint8Array, Record<string, unknown>]>([
    // RFC 8446 §5.1: alert record header, TLS 1.0 record version, length 2 (Netty's 5-byte dump).
    ['TLS alert header', fromHex('1503010002'), { kind: 'tls', contentType: 21, recordVersion: 0x0301, length: 2 }],
    ['TLS record, 3 bytes', fromHex('160303'), { kind: 'tls', contentType: 22, recordVersion: 0x0303 }],
    // RFC 9113 §3.4: the client preface.
    ['HTTP/2 preface', enc('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), { kind: 'h2-preface' }],
    ['"HTT" (a frame length of 4740180)', enc('HTT'), { kind: 'http1-response' }],
    ['a status line', enc('HTTP/1.1 400 Bad Request\r\n'), { kind: 'http1-response', startLine: 'HTTP/1.1 400 Bad Request', status: 400 }],
    ['a request line', enc('GET / HTTP/1.1\r\nHost: x\r\n'), { kind: 'http1-request', method: 'GET', firstLine: 'GET / HTTP/1.1' }],
    ['"GE" is too short to tell', enc('GE'), { kind: 'unknown' }],
    ['an SSH banner', enc('SSH-2.0-OpenSSH_9.2\r\n'), { kind: 'ssh' }],
    // RFC 9113 §6.8: GOAWAY, last stream 0, PROTOCOL_ERROR.
    ['GOAWAY', fromHex('000008 07 00 00000000 00000000 00000001'), { kind: 'h2-frame', type: 7, typeName: 'GOAWAY', streamId: 0, goaway: { errorName: 'PROTOCOL_ERROR', debug: '' } }],
    ['a frame header of 5 bytes has no stream id', fromHex('0000000401'), { kind: 'h2-frame', length: 0, typeName: 'SETTINGS', flags: 1 }],
    // RFC 9113 §4.2: over the default 16384 is not read as a frame.
    ['a length over 16384', fromHex('004001 04 00 00000000'), { kind: 'unknown' }],
  ])('%s', (_name, bytes, want) => {
    const got = sniffFragment(bytes);
    expect(got).toMatchObject(want);
    if (want.kind === 'h2-frame' && !('streamId' in want)) expect(got).not.toHaveProperty('streamId');
  });

  test('never throws, and a TLS fragment carries what classify reads of its record', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const f = sniffFragment(b);
        if (f.kind === 'tls') expect(f.record).toEqual(classify(b, 'open').first);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('what a TLS client got instead of TLS (the `sniff` of a TLS flight summary)', () => {
  const ascii = (s: string) => new TextEncoder().encode(s);
  test.each<[string, Uint8Array, 'http' | 'sslv2' | 'other']>([
    ['an HTTP/1.1 status line', ascii('HTTP/1.1 400 Bad Request\r\n'), 'http'],
    ['a status line cut short', ascii('HTTP/1.0 4'), 'http'],
    ['an HTTP/1.1 request line', ascii('GET / HTTP/1.1\r\nHost: x'), 'http'],
    // draft-hickman-netscape-ssl-00: 2-byte header (high bit set), SERVER-HELLO is message type 4.
    ['an SSL 2.0 SERVER-HELLO', fromHex('8403040001'), 'sslv2'],
    ['an SSL 2.0 record of another message', fromHex('8403050001'), 'other'],
    ['an SSH banner', ascii('SSH-2.0-OpenSSH_9.2'), 'other'],
    ['an HTTP/2 SETTINGS frame', fromHex('000000040000000000'), 'other'],
  ])('%s', (_name, bytes, want) => expect(sniffNotTls(bytes)).toBe(want));

  test('any bytes: one of the three shipped words; a status line is http, an SSL 2.0 SERVER-HELLO header sslv2', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (b) => {
        const s = sniffNotTls(b);
        expect(['http', 'sslv2', 'other']).toContain(s);
        expect(sniffNotTls(new Uint8Array([...ascii('HTTP/'), ...b]))).toBe('http');
        if (b.length >= 3) expect(sniffNotTls(new Uint8Array([b[0]! | 0x80, b[1]!, 4, ...b.subarray(3)]))).toBe('sslv2');
      }),
      { numRuns: 2000 },
    );
  });
});
