import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, fromHex } from '../bytes.js';
import {
  encodeCertificate12,
  encodeCertificate13,
  parseCertificate12,
  parseCertificate13,
  parseCertificateMessage,
} from './certificate.js';
import { parseHandshake } from './record.js';

/** RFC 8448 §3: {server} construct a Certificate handshake message (TLS 1.3 form, one RSA certificate "CN=rsa"). */
const RFC8448_CERTIFICATE = fromHex(`
  0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a
  864886f70d01010b0500300e310c300a06035504031303727361301e170d3136
  303733303031323335395a170d3236303733303031323335395a300e310c300a
  0603550403130372736130819f300d06092a864886f70d010101050003818d00
  30818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826
  d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced4312
  0998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda4308467480
  30530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a
  8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b060355
  1d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5
  b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a5
  8c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102
  702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0
  a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de10000`);

describe('Certificate (TLS 1.3): RFC 8448 §3', () => {
  it('parses the context, one entry, its DER and its (empty) extensions', () => {
    const c = parseCertificateMessage(RFC8448_CERTIFICATE, 0x0304);
    expect(c.requestContext?.length).toBe(0);
    expect(c.entries).toHaveLength(1);
    expect(c.entries![0]!.extensions).toEqual([]);
    expect(c.certificates[0]!.length).toBe(0x01b0);
    const x = new X509Certificate(c.certificates[0]!);
    expect(x.subject).toBe('CN=rsa');
    expect(x.issuer).toBe('CN=rsa');
  });

  it('re-encodes to the same bytes', () => {
    const c = parseCertificate13(parseHandshake(RFC8448_CERTIFICATE).body);
    expect(encodeCertificate13(c.entries!)).toEqual(RFC8448_CERTIFICATE);
  });
});

describe('Certificate (TLS ≤ 1.2)', () => {
  const der = parseCertificate13(parseHandshake(RFC8448_CERTIFICATE).body).certificates[0]!;

  it('round-trips a chain and an empty list', () => {
    const msg = encodeCertificate12([der, Uint8Array.of(0x30, 0)]);
    const c = parseCertificateMessage(msg, 0x0303);
    expect(c.certificates).toHaveLength(2);
    expect(c.certificates[0]).toEqual(der);
    expect(c.requestContext).toBeUndefined();
    expect(parseCertificate12(fromHex('000000')).certificates).toEqual([]);
  });

  it('bounds the count and the size', () => {
    const many = parseHandshake(encodeCertificate12(Array.from({ length: 5 }, () => Uint8Array.of(0x30, 0)))).body;
    expect(() => parseCertificate12(many, { maxCertificates: 4 })).toThrow(expect.objectContaining({ code: 'too-large' }));
    const big = parseHandshake(encodeCertificate12([new Uint8Array(2000)])).body;
    expect(() => parseCertificate12(big, { maxCertificateSize: 1999 })).toThrow(expect.objectContaining({ code: 'too-large' }));
    expect(() => parseCertificate12(fromHex('000003000000'))).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => parseCertificate12(fromHex('00000500000330'))).toThrow(expect.objectContaining({ code: 'truncated' }));
    expect(() => parseCertificateMessage(fromHex('0e000000'), 0x0303)).toThrow(expect.objectContaining({ code: 'unexpected-value' }));
  });

  it('property: random, mutated and truncated bytes give certificates or a ParseError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), (bytes, flips, cut) => {
        const m = RFC8448_CERTIFICATE.slice();
        for (const [p, v] of flips) m[p % m.length] = v;
        for (const input of [bytes, m, m.subarray(0, cut % (m.length + 1))]) {
          for (const f of [() => parseCertificate12(input), () => parseCertificate13(input), () => parseCertificateMessage(input, 0x0304)]) {
            try {
              f();
            } catch (e) {
              if (!(e instanceof ParseError)) throw e;
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
