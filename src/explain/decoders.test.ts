import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromHex } from '../wire/bytes.js';
import { decodeAlerts } from './decode-alerts.js';
import { classifyBytes, decodeFrameLength, decodeFrameSizes, decodeHexDumps } from './decode-bytes.js';
import { decodeH2Errors } from './decode-h2-errors.js';
import { decodeOpenSslCodes, unpackOpenSslCode } from './decode-openssl.js';
import { decodeAll } from './decoders.js';

const codesOf = (hints: Array<{ code: string }>) => hints.map((h) => h.code);

describe('classifyBytes', () => {
  test('Netty 5-byte dump 1503010002 is a TLS alert record', () => {
    const c = classifyBytes(fromHex('1503010002'));
    expect(c.protocol).toBe('tls');
    expect(c.detail.contentType).toBe('alert');
    expect(c.detail.recordVersion).toBe('TLS 1.0');
    expect(c.detail.recordLength).toBe(2);
    expect(codesOf(c.hints)).toEqual(['scheme-http-on-tls-port']);
  });
  test('a full alert record names the alert', () => {
    // Fixture: a fatal protocol_version alert as sent by a TLS 1.2 server.
    const c = classifyBytes(fromHex('15030300020246'));
    expect(c.detail.alert).toBe(70);
    expect(c.detail.alertName).toBe('protocol_version');
    expect(c.detail.level).toBe('fatal');
  });
  test('a ClientHello points at TLS sent to a cleartext port', () => {
    const c = classifyBytes(fromHex('160301011901000115030383'));
    expect(c.detail.handshake).toBe('ClientHello');
    expect(codesOf(c.hints)).toEqual(['scheme-https-on-cleartext-port']);
  });
  test('a ServerHello means a TLS server answered', () => {
    expect(codesOf(classifyBytes(fromHex('160303005a020000560303')).hints)).toEqual(['scheme-http-on-tls-port']);
  });
  test('"HTTP/" is an HTTP/1 response with its status', () => {
    const c = classifyBytes(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n'));
    expect(c.protocol).toBe('http1');
    expect(c.detail.status).toBe(400);
    expect(codesOf(c.hints)).toEqual(['preface-http1-response']);
  });
  test('an HTTP/1 request line', () => {
    const c = classifyBytes(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n'));
    expect(c.protocol).toBe('http1');
    expect(c.detail.startLine).toBe('GET / HTTP/1.1');
    expect(codesOf(c.hints)).toEqual(['http1-not-supported']);
  });
  test('an HTTP/2 SETTINGS frame header', () => {
    const c = classifyBytes(fromHex('000012040000000000'));
    expect(c.protocol).toBe('http2');
    expect(c.detail).toMatchObject({ length: 18, type: 'SETTINGS', streamId: 0 });
  });
  test('an HTTP/2 GOAWAY with debug data', () => {
    // GOAWAY, last stream 0, PROTOCOL_ERROR, debug "Unexpected" (10 bytes): length 8 + 10 = 18.
    const debug = Buffer.from('Unexpected').toString('hex');
    const c = classifyBytes(fromHex(`000012070000000000` + `00000000` + `00000001` + debug));
    expect(c.detail).toMatchObject({ type: 'GOAWAY', errorCode: 'PROTOCOL_ERROR', debug: 'Unexpected' });
  });
  test('an SSH banner and the HTTP/2 preface', () => {
    expect(classifyBytes(new TextEncoder().encode('SSH-2.0-OpenSSH_9.6\r\n')).protocol).toBe('ssh');
    expect(classifyBytes(new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')).protocol).toBe('h2-preface');
  });
  test('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (b) => {
        const c = classifyBytes(b);
        expect(typeof c.sentence).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeHexDumps', () => {
  test('contiguous hex after a "Hex dump" cue', () => {
    const [d] = decodeHexDumps('First received frame was not SETTINGS. Hex dump for first 5 bytes: 485454502f');
    expect(d).toMatchObject({ kind: 'bytes', protocol: 'http1', hex: '485454502f', ascii: 'HTTP/' });
  });
  test('spaced hex', () => {
    expect(decodeHexDumps('received: 16 03 01 00 a5 01')[0]?.protocol).toBe('tls');
  });
  test("escaped bytes as Go's %q prints them", () => {
    const [d] = decodeHexDumps('malformed HTTP response "\\x00\\x00\\x12\\x04\\x00\\x00\\x00\\x00\\x00"');
    expect(d).toMatchObject({ protocol: 'http2', detail: { type: 'SETTINGS', length: 18 } });
    const [t] = decodeHexDumps("BadStatusLine('\\x15\\x03\\x01\\x00\\x02\\x02P')");
    expect(t).toMatchObject({ protocol: 'tls', detail: { alert: 80, alertName: 'internal_error' } });
  });
  test('an uncued hex string that is not a protocol is ignored (thread ids, hashes)', () => {
    expect(decodeHexDumps('80E1A785667F0000:error:0A0000C6:SSL routines')).toEqual([]);
    expect(decodeHexDumps('sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toEqual([]);
  });
});

describe('frame lengths', () => {
  test('4740180 = 0x485454 = "HTT": an HTTP/1.1 answer', () => {
    const d = decodeFrameLength(4740180);
    expect(d.ascii).toBe('HTT');
    expect(d.protocol).toBe('http1');
    expect(d.sentence).toContain('0x485454');
    expect(codesOf(d.hints)).toEqual(['preface-http1-response']);
  });
  test('other spellings', () => {
    expect(decodeFrameLength(0x474554).protocol).toBe('http1'); // "GET"
    expect(codesOf(decodeFrameLength(0x474554).hints)).toEqual(['http1-not-supported']);
    expect(decodeFrameLength(0x150301).protocol).toBe('tls'); // alert record header
    expect(decodeFrameLength(0x535348).protocol).toBe('ssh');
    expect(decodeFrameLength(0x3c6874).ascii).toBe('<ht'); // an HTML page
    expect(decodeFrameLength(0x3c6874).hints[0]?.code).toBe('preface-garbage');
    expect(decodeFrameLength(0x01ffff).ascii).toBeNull();
  });
  test('found in messages', () => {
    expect(decodeFrameSizes('Frame length: 4740180 exceeds maximum: 16384')[0]?.ascii).toBe('HTT');
    expect(decodeFrameSizes('h2.exceptions.FrameTooLargeError: Received overlong frame: length 4740180, max 16384')[0]?.length).toBe(4740180);
    expect(decodeFrameSizes('recv: length is too large 12131544 > 16384')[0]?.length).toBe(12131544);
    expect(decodeFrameSizes('http2: frame too large')).toEqual([]);
    expect(decodeFrameSizes('frame length 100')).toEqual([]);
  });
});

describe('TLS alerts', () => {
  test('by number', () => {
    const [a] = decodeAlerts('SSL alert number 40');
    expect(a).toMatchObject({ alert: 40, name: 'handshake_failure' });
    expect(codesOf(a!.hints).slice(0, 2)).toEqual(['tls-no-shared-cipher', 'tls-no-shared-group']);
    expect(a!.hints.length).toBeGreaterThan(3);
  });
  test('by OpenSSL, Java and Go names', () => {
    expect(decodeAlerts('[SSL: TLSV1_ALERT_PROTOCOL_VERSION]')[0]?.alert).toBe(70);
    expect(decodeAlerts('error:0A000410:SSL routines::ssl/tls alert handshake failure')[0]?.alert).toBe(40);
    expect(decodeAlerts('tlsv1 alert unknown ca:')[0]?.alert).toBe(48);
    expect(decodeAlerts('Received fatal alert: no_application_protocol')[0]?.alert).toBe(120);
    expect(decodeAlerts('remote error: tls: protocol version not supported')[0]?.alert).toBe(70);
    expect(decodeAlerts('remote error: tls: unrecognized name')[0]?.alert).toBe(112);
    expect(decodeAlerts('tlsv1 unrecognized name')[0]?.alert).toBe(112);
    expect(decodeAlerts('nothing here')).toEqual([]);
  });
  test('alert hints use codes that exist', () => {
    expect(codesOf(decodeAlerts('SSL alert number 112')[0]!.hints)).toContain('tls-sni-unknown-name');
    expect(codesOf(decodeAlerts('SSL alert number 116')[0]!.hints)).toContain('tls-client-cert-required');
  });
});

describe('HTTP/2 error codes', () => {
  test('by name, with GOAWAY context', () => {
    const [e] = decodeH2Errors('http2: server sent GOAWAY and closed the connection; LastStreamID=1, ErrCode=INADEQUATE_SECURITY, debug=""');
    expect(e).toMatchObject({ code: 12, name: 'INADEQUATE_SECURITY', frame: 'GOAWAY' });
    expect(codesOf(e!.hints)).toContain('h2-inadequate-security');
    expect(codesOf(e!.hints)).toContain('goaway-on-connect');
  });
  test('by number and NGHTTP2_ names, with stream context', () => {
    expect(decodeH2Errors('HTTP/2 stream 1 was not closed cleanly: PROTOCOL_ERROR (err 1)')[0]).toMatchObject({ code: 1, frame: 'RST_STREAM' });
    expect(decodeH2Errors('Stream closed with error code NGHTTP2_REFUSED_STREAM')[0]).toMatchObject({ code: 7, name: 'REFUSED_STREAM' });
    expect(decodeH2Errors('Session closed with error code 13')[0]).toMatchObject({ code: 13, name: 'HTTP_1_1_REQUIRED' });
    expect(decodeH2Errors('upstream sent goaway with error 2')[0]).toMatchObject({ code: 2, frame: 'GOAWAY' });
  });
  test('TLS and QUIC names are not HTTP/2 codes', () => {
    expect(decodeH2Errors('net::ERR_SSL_PROTOCOL_ERROR')).toEqual([]);
    expect(decodeH2Errors('TLSV1_ALERT_INTERNAL_ERROR')).toEqual([]);
    expect(decodeH2Errors('ERR_QUIC_PROTOCOL_ERROR')).toEqual([]);
    expect(decodeH2Errors('net::ERR_HTTP2_PROTOCOL_ERROR')[0]?.name).toBe('PROTOCOL_ERROR');
  });
});

describe('OpenSSL packed codes', () => {
  test('OpenSSL 3: 0A000410 = library 20 (SSL), reason 1040 = alert 40', () => {
    const u = unpackOpenSslCode(0x0a000410);
    expect(u).toMatchObject({ flavour: 'openssl3', library: 20, libraryName: 'SSL', reason: 1040, alert: 40 });
  });
  test('OpenSSL 1.1: 14094410 = SSL, function 0x094, reason 0x410', () => {
    expect(unpackOpenSslCode(0x14094410)).toMatchObject({ flavour: 'openssl1', library: 20, reason: 1040, alert: 40 });
    expect(unpackOpenSslCode(0x1408f10b)).toMatchObject({ flavour: 'openssl1', reason: 267, reasonName: 'wrong version number' });
  });
  test('BoringSSL: 10000410 and 100000f7', () => {
    expect(unpackOpenSslCode(0x10000410)).toMatchObject({ flavour: 'boringssl', library: 16, libraryName: 'SSL', alert: 40 });
    expect(unpackOpenSslCode(0x100000f7)).toMatchObject({ flavour: 'boringssl', reason: 247, reasonName: 'WRONG_VERSION_NUMBER' });
  });
  test('OpenSSL 3 reasons and system errors', () => {
    expect(unpackOpenSslCode(0x0a00010b).reasonName).toBe('wrong version number');
    expect(unpackOpenSslCode(0x0a0000c1).reasonName).toBe('no shared cipher');
    expect(unpackOpenSslCode(0x80000002)).toMatchObject({ flavour: 'openssl3', libraryName: 'system', reason: 2 });
  });
  test('found in text, hex and Envoy decimal', () => {
    const [a] = decodeOpenSslCodes('curl: (35) error:0A000410:SSL routines::sslv3 alert handshake failure');
    expect(a).toMatchObject({ alert: 40 });
    expect(a!.sentence).toContain('0A000410');
    const [b] = decodeOpenSslCodes('TLS error: 268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER');
    expect(b).toMatchObject({ flavour: 'boringssl', reasonName: 'WRONG_VERSION_NUMBER' });
    expect(codesOf(b!.hints)[0]).toBe('scheme-https-on-cleartext-port');
  });
});

describe('decodeAll', () => {
  test('an alert already given by a packed code is not repeated', () => {
    const all = decodeAll('error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:SSL alert number 40');
    expect(all.filter((d) => d.kind === 'tls-alert')).toEqual([]);
    expect(all.filter((d) => d.kind === 'openssl-error')).toHaveLength(1);
  });
  test('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        expect(Array.isArray(decodeAll(s))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
