import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ParseError } from './bytes.js';
import { SIGNATURE_ALGORITHMS, signatureAlgorithmOf } from './x509.js';

// A minimal Certificate SEQUENCE: tbsCertificate (an empty SEQUENCE), then the AlgorithmIdentifier.
function cert(oidBytes: number[], longForm = false): Uint8Array {
  const alg = [0x30, oidBytes.length + 2, 0x06, oidBytes.length, ...oidBytes];
  const body = [0x30, 0x00, ...alg, 0x03, 0x01, 0x00];
  return new Uint8Array(longForm ? [0x30, 0x81, body.length, ...body] : [0x30, body.length, ...body]);
}

describe('signatureAlgorithmOf', () => {
  // X.690 §8.19.5 worked vectors: 1.2.840.113549.1.1.11 = 2A 86 48 86 F7 0D 01 01 0B; 1.3.101.112 = 2B 65 70.
  test.each([
    [[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b], '1.2.840.113549.1.1.11', 'sha256WithRSAEncryption'],
    [[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02], '1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
    [[0x2b, 0x65, 0x70], '1.3.101.112', 'ED25519'],
    [[0x2a, 0x03], '1.2.3', '1.2.3'],
  ])('%j → %s', (bytes, oid, name) => {
    expect(signatureAlgorithmOf(cert(bytes))).toEqual({ oid, name });
    expect(signatureAlgorithmOf(cert(bytes, true))).toEqual({ oid, name });
  });

  test('every name in the table is OpenSSL-style and keyed by a dotted OID', () => {
    for (const [oid, name] of Object.entries(SIGNATURE_ALGORITHMS)) {
      expect(oid).toMatch(/^\d+(\.\d+)+$/);
      expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  test('not DER (indefinite length, wrong tags, truncation) is a ParseError', () => {
    for (const bad of [new Uint8Array([0x30, 0x80, 0, 0]), new Uint8Array([0x31, 0]), cert([0x2a]).subarray(0, 6), new Uint8Array([0x30, 0x02, 0x30, 0x00])]) {
      expect(() => signatureAlgorithmOf(bad)).toThrow(ParseError);
    }
  });

  test('any bytes: a result or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          signatureAlgorithmOf(b);
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
