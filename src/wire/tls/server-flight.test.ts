import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, fromHex } from '../bytes.js';
import { encodeAlertRecord } from './alert.js';
import { encodeCertificate12 } from './certificate.js';
import { encodeHandshake, encodeRecord, encodeRecords } from './record.js';
import { ServerFlightReader, summarizeServerFlight } from './server-flight.js';
import { parseServerKeyExchange } from './server-key-exchange.js';
import { HRR_RANDOM, buildServerHello } from './server-hello.js';
import { RFC8448_SERVER_HELLO_RECORD } from '../../../test/wire-helpers.js';

const random = new Uint8Array(32).fill(0x42);
const cert = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
// RFC 8422 §5.4: ServerKeyExchange for ECDHE: named_curve(3), x25519, 32-byte point, then a signature
const ske = encodeHandshake(12, concat([fromHex('03001d20'), new Uint8Array(32).fill(9), fromHex('0804 0004 01020304')]));
const shd = encodeHandshake(14, new Uint8Array(0));
const sh12 = buildServerHello({ random, cipherSuite: 0xc02f, alpn: 'h2', extendedMasterSecret: true, renegotiationInfo: true }).message;

/** A TLS 1.2 full-handshake server flight, one message per record (how OpenSSL sends it). */
const FLIGHT12 = concat([sh12, encodeCertificate12([cert]), ske, shd].map((m) => encodeRecord(22, 0x0303, m)));

describe('summarizeServerFlight', () => {
  it('reads a TLS 1.2 flight: ServerHello, Certificate, ECDHE curve, ServerHelloDone', () => {
    const s = summarizeServerFlight(FLIGHT12);
    expect(s.status).toBe('complete');
    expect(s.records).toBe(4);
    expect(s.serverHello?.cipher?.name).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(s.serverHello?.alpn).toBe('h2');
    expect(s.certificates).toEqual([cert]);
    // The signature after the params names its scheme (0x0804 rsa_pss_rsae_sha256, RFC 5246 §4.7 / RFC 8446 §4.2.3).
    expect(s.serverKeyExchange).toEqual({ kind: 'ecdhe', curveType: 3, namedGroup: 0x001d, groupName: 'x25519', publicKeyLength: 32, signatureScheme: 0x0804 });
    expect(s.serverHelloDone).toBe(true);
    expect(s.messages.map((m) => m.name)).toEqual(['server_hello', 'certificate', 'server_key_exchange', 'server_hello_done']);
    expect(s.alert).toBeUndefined();
    expect(s.error).toBeUndefined();
  });

  it('reads the same flight coalesced into one record', () => {
    const one = encodeRecords(22, 0x0303, concat([sh12, encodeCertificate12([cert]), ske, shd]));
    const s = summarizeServerFlight(one);
    expect(s.status).toBe('complete');
    expect(s.records).toBe(1);
    expect(s.serverHelloDone).toBe(true);
  });

  it('reads a TLS 1.3 ServerHello and keeps the encrypted records (RFC 8448 §3 ServerHello)', () => {
    const shRecord = RFC8448_SERVER_HELLO_RECORD;
    const ccs = fromHex('140303000101');
    const enc = encodeRecord(23, 0x0303, new Uint8Array(40).fill(7));
    const s = summarizeServerFlight(concat([shRecord, ccs, enc]));
    expect(s.status).toBe('complete');
    expect(s.serverHello?.version).toBe(0x0304);
    expect(s.serverHello?.keyShare?.group).toBe(0x001d);
    expect(s.changeCipherSpec).toBe(true);
    expect(s.encryptedRecords).toHaveLength(1);
    expect(s.encryptedRecords[0]!.body.length).toBe(40);
    expect(summarizeServerFlight(shRecord).status).toBe('incomplete');
  });

  it('recognises a HelloRetryRequest and its group', () => {
    const hrr = buildServerHello({ random: HRR_RANDOM, cipherSuite: 0x1301, supportedVersion: 0x0304, selectedGroup: 0x0017 });
    const s = summarizeServerFlight(hrr.record);
    expect(s.status).toBe('complete');
    expect(s.helloRetryRequest).toBe(true);
    expect(s.serverHello?.hrrSelectedGroup).toBe(0x0017);
  });

  it('reads a whole connection after a HelloRetryRequest: HRR, compatibility CCS, ServerHello, encrypted flight (nghttpd)', () => {
    const hrr = buildServerHello({ random: HRR_RANDOM, cipherSuite: 0x1301, supportedVersion: 0x0304, selectedGroup: 0x0017 });
    const ccs = fromHex('140303000101');
    const enc = encodeRecord(23, 0x0303, new Uint8Array(40).fill(7));
    const s = summarizeServerFlight(concat([hrr.record, ccs, RFC8448_SERVER_HELLO_RECORD, enc]));
    expect(s.error).toBeUndefined();
    expect(s.status).toBe('complete');
    expect(s.serverHello?.version).toBe(0x0304);
    expect(s.serverHello?.isHelloRetryRequest).toBe(false);
    expect(s.encryptedRecords).toHaveLength(1);
    expect(s.messages.map((m) => m.name)).toEqual(['server_hello', 'server_hello']);
  });

  it('refuses a second ServerHello without an HRR before it, and a second HRR', () => {
    const hrr = buildServerHello({ random: HRR_RANDOM, cipherSuite: 0x1301, supportedVersion: 0x0304, selectedGroup: 0x0017 });
    expect(summarizeServerFlight(concat([RFC8448_SERVER_HELLO_RECORD, RFC8448_SERVER_HELLO_RECORD])).error?.message).toMatch(/a second server_hello/);
    expect(summarizeServerFlight(concat([hrr.record, hrr.record])).error?.message).toMatch(/a second hello_retry_request/);
  });

  it('names a handshake_failure alert', () => {
    const s = summarizeServerFlight(encodeAlertRecord('fatal', 'handshake_failure'));
    expect(s.status).toBe('alert');
    expect(s.alert?.name).toBe('handshake_failure');
    expect(s.alert?.openssl).toBe('SSLV3_ALERT_HANDSHAKE_FAILURE');
    // an alert after a ServerHello is reported too
    const later = summarizeServerFlight(concat([encodeRecord(22, 0x0303, sh12), encodeAlertRecord('fatal', 'no_application_protocol')]));
    expect(later.status).toBe('alert');
    expect(later.serverHello?.cipherSuite).toBe(0xc02f);
    expect(later.alert?.name).toBe('no_application_protocol');
  });

  it('says when the answer is not TLS', () => {
    const http = summarizeServerFlight(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n'));
    expect(http.status).toBe('not-tls');
    expect(http.sniff).toBe('http');
    expect(http.firstBytes?.length).toBe(16);
    expect(summarizeServerFlight(fromHex('8403040001')).sniff).toBe('sslv2');
    expect(summarizeServerFlight(new Uint8Array(0)).status).toBe('empty');
  });

  it('says what went wrong in malformed TLS', () => {
    const interleaved = concat([encodeRecord(22, 0x0303, sh12.subarray(0, 10)), encodeRecord(21, 0x0303, Uint8Array.of(1, 0))]);
    expect(summarizeServerFlight(interleaved)).toMatchObject({ status: 'malformed', error: { code: 'invalid' } });
    const badSh = encodeRecord(22, 0x0303, encodeHandshake(2, Uint8Array.of(3, 3)));
    expect(summarizeServerFlight(badSh)).toMatchObject({ status: 'malformed', error: { code: 'truncated' } });
    const appData = encodeRecord(23, 0x0303, Uint8Array.of(1));
    expect(summarizeServerFlight(appData).status).toBe('malformed');
    const big = fromHex('1603034801');
    expect(summarizeServerFlight(big)).toMatchObject({ status: 'malformed', error: { code: 'too-large' } });
  });

  it('is bounded in bytes and records', () => {
    const many = concat(Array.from({ length: 20 }, () => encodeRecord(24, 0x0303, Uint8Array.of(1))));
    expect(summarizeServerFlight(many, { maxRecords: 10 })).toMatchObject({ status: 'malformed', error: { code: 'too-large' } });
    const s = summarizeServerFlight(FLIGHT12, { maxBytes: 50 });
    expect(s.bytes).toBe(50);
    expect(s.status).toBe('malformed');
  });

  it('reads DHE parameters (prime size)', () => {
    const p = concat([Uint8Array.of(0x00, 0xc0), new Uint8Array(127)]); // 1024-bit prime with a leading zero byte
    const body = concat([Uint8Array.of(0, 129), p, fromHex('000102 0001 05')]);
    expect(parseServerKeyExchange(body, 'DHE')).toEqual({ kind: 'dhe', dhPrimeBits: 1024 });
    expect(parseServerKeyExchange(fromHex('01'), 'ECDHE')).toEqual({ kind: 'ecdhe', curveType: 1 });
  });

  it('property: any chunking gives the same summary', () => {
    const full = summarizeServerFlight(FLIGHT12);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 30 }), (cuts) => {
        const r = new ServerFlightReader();
        let at = 0;
        let i = 0;
        while (at < FLIGHT12.length) {
          const n = cuts[i++ % cuts.length]!;
          if (!r.done) expect(r.summary().status).toBe(at === 0 ? 'empty' : 'incomplete');
          r.push(FLIGHT12.subarray(at, at + n));
          at += n;
        }
        expect(r.done).toBe(true);
        expect(r.summary()).toEqual(full);
      }),
      { numRuns: 300 },
    );
  });

  it('property: random, mutated and truncated flights never throw', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (bytes, flips, cut) => {
          summarizeServerFlight(bytes);
          const m = FLIGHT12.slice();
          for (const [p, v] of flips) m[p % m.length] = v;
          summarizeServerFlight(m);
          const t = summarizeServerFlight(FLIGHT12.subarray(0, cut % (FLIGHT12.length + 1)));
          expect(['incomplete', 'complete', 'empty']).toContain(t.status);
        },
      ),
      { numRuns: 300 },
    );
  });
});
