/**
 * The little of an X.509 certificate node:crypto's X509Certificate does not expose: the outer
 * signatureAlgorithm (RFC 5280 §4.1.1.2), read from the DER with a bounded TLV reader. Bytes in,
 * a typed value out, nothing thrown but ParseError.
 *
 * @example
 * signatureAlgorithmOf(der); // { oid: '1.2.840.10045.4.3.2', name: 'ecdsa-with-SHA256' }
 */
import { ParseError, Reader } from './bytes.js';

/** One DER TLV: tag, and a view of its contents. */
interface Tlv {
  tag: number;
  body: Reader;
}

/** Deepest length form we take: 4 length octets (a certificate is far below 4 GiB). */
const MAX_LENGTH_OCTETS = 4;

// X.690 §8.1.2-8.1.3: identifier octet (low tag numbers only), then a short or long length form.
function tlv(r: Reader, field: string): Tlv {
  const tag = r.u8(`${field}.tag`);
  if ((tag & 0x1f) === 0x1f) throw new ParseError('unsupported', `${field}: high tag number form`, r.offset - 1, field);
  const first = r.u8(`${field}.length`);
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    // X.690 §10.1 (DER): the definite form, in the fewest octets; 0x80 (indefinite) is not DER.
    if (n === 0 || n > MAX_LENGTH_OCTETS) throw new ParseError('invalid', `${field}: length form 0x${first.toString(16)} is not DER`, r.offset - 1, field);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + r.u8(`${field}.length`);
  }
  return { tag, body: r.subOf(len, field) };
}

function expectTag(t: Tlv, tag: number, field: string): Tlv {
  if (t.tag !== tag) throw new ParseError('unexpected-value', `${field}: tag 0x${t.tag.toString(16)}, expected 0x${tag.toString(16)}`, t.body.offset, field);
  return t;
}

const SEQUENCE = 0x30;
const OBJECT_IDENTIFIER = 0x06;

// X.690 §8.19: the first octet holds the first two arcs; later arcs are base-128, high bit = more.
function oidText(r: Reader): string {
  if (r.remaining === 0 || r.remaining > 64) throw new ParseError('invalid', `OID of ${r.remaining} bytes`, r.offset, 'oid');
  const arcs: number[] = [];
  let v = 0;
  let octets = 0;
  while (!r.done) {
    const b = r.u8('oid');
    v = v * 128 + (b & 0x7f);
    if (++octets > 7) throw new ParseError('too-large', 'OID arc over 7 octets', r.offset, 'oid');
    if (b & 0x80) continue;
    if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
    else arcs.push(v);
    v = 0;
    octets = 0;
  }
  if (octets !== 0) throw new ParseError('truncated', 'OID ends inside an arc', r.offset, 'oid');
  return arcs.join('.');
}

/** Signature algorithms by OID, named as OpenSSL names them (`openssl x509 -text`: "Signature Algorithm: …"). */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
};

/**
 * The certificate's signatureAlgorithm: its OID, and OpenSSL's name for it (the OID itself when unknown).
 *
 * @example
 * signatureAlgorithmOf(new X509Certificate(pem).raw).name; // 'sha256WithRSAEncryption'
 */
export function signatureAlgorithmOf(der: Uint8Array): { oid: string; name: string } {
  // RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
  const cert = expectTag(tlv(new Reader(der), 'certificate'), SEQUENCE, 'certificate').body;
  expectTag(tlv(cert, 'tbsCertificate'), SEQUENCE, 'tbsCertificate');
  // RFC 5280 §4.1.1.2: AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
  const alg = expectTag(tlv(cert, 'signatureAlgorithm'), SEQUENCE, 'signatureAlgorithm').body;
  const oid = oidText(expectTag(tlv(alg, 'signatureAlgorithm.algorithm'), OBJECT_IDENTIFIER, 'signatureAlgorithm.algorithm').body);
  return { oid, name: SIGNATURE_ALGORITHMS[oid] ?? oid };
}
