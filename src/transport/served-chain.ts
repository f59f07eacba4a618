/**
 * The certificate chain exactly as a server sent it on a node:tls connection. Node's own
 * `getPeerCertificate(true)` re-orders the chain by issuer, drops what does not fit and appends
 * roots from the local store, so it cannot show a chain sent out of order; the Certificate message
 * can. It is read from the raw bytes the tap kept: in the clear under TLS ≤ 1.2, and under TLS 1.3
 * decrypted with the server handshake traffic secret Node logs for the connection (keylog event).
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { CertificateInfo, ServedChain } from '../model/index.js';
import { summarizeServerFlight } from '../wire/tls/server-flight.js';
import { readFlightWithSecret } from '../wire/tls/encrypted-flight.js';
import { EXTENSION_TYPES } from '../wire/tls/registry.js';
import { signatureAlgorithmOf } from '../wire/x509.js';

/** Most certificates read from one Certificate message. */
const MAX_CERTIFICATES = 10;

/**
 * The chain from one handshake's raw inbound bytes.
 *
 * @example
 *   readServedChain({ rawIn: tap.rawIn(), keylog, version: 'TLSv1.3', ocspRequested: true });
 */
export function readServedChain(o: { rawIn: Uint8Array; keylog: readonly string[]; version: string | undefined; ocspRequested: boolean; ocspBytes?: number }): ServedChain {
  const s = summarizeServerFlight(o.rawIn, { maxCertificates: MAX_CERTIFICATES });
  const sh = s.serverHello;
  if (!sh) return { unavailable: `the server's hello was not in the ${o.rawIn.length} bytes kept` };
  let ders: readonly Uint8Array[] | undefined;
  let stapled: { stapled: boolean; bytes?: number };
  let source: 'tls1.2-certificate' | 'tls1.3-decrypted';
  if (sh.version < 0x0304) {
    source = 'tls1.2-certificate';
    ders = s.certificates;
    // RFC 6066 §8: a stapled response comes as a CertificateStatus message after the Certificate.
    stapled = { stapled: s.certificateStatus };
  } else {
    source = 'tls1.3-decrypted';
    const secret = secretFrom(o.keylog, 'SERVER_HANDSHAKE_TRAFFIC_SECRET');
    if (!secret) return { unavailable: 'TLS 1.3 without the server handshake secret in the key log' };
    const flight = readFlightWithSecret({ cipherSuite: sh.cipherSuite, serverHandshakeTrafficSecret: secret, records: s.encryptedRecords, maxCertificates: MAX_CERTIFICATES });
    if (flight.error && !flight.certificate) return { unavailable: `the TLS 1.3 flight could not be read: ${flight.error.message}` };
    ders = flight.certificate?.certificates;
    // RFC 8446 §4.4.2.1: the OCSP response rides in the first entry's status_request extension.
    const ext = flight.certificate?.entries?.[0]?.extensions.find((e) => e.type === EXTENSION_TYPES.status_request);
    // RFC 6066 §8: CertificateStatus { status_type ocsp(1); opaque OCSPResponse<1..2^24-1> }.
    stapled = ext ? { stapled: true, ...(ext.data[0] === 1 && ext.data.length >= 4 ? { bytes: ext.data.length - 4 } : {}) } : { stapled: false };
  }
  if (!ders) return { unavailable: s.error ? `the flight could not be read: ${s.error.message}` : 'no Certificate message in the bytes kept' };
  if (stapled.stapled && stapled.bytes === undefined && o.ocspBytes !== undefined) stapled.bytes = o.ocspBytes;
  return {
    source,
    certificates: describeCertificates(ders),
    ocsp: { requested: o.ocspRequested, stapled: stapled.stapled, ...(stapled.bytes !== undefined ? { responseBytes: stapled.bytes } : {}) },
  };
}

/**
 * The hex secret of a key log label (NSS format: `LABEL <client_random> <secret>`).
 * @example secretFrom(keylog, 'SERVER_HANDSHAKE_TRAFFIC_SECRET')?.length // 32 (SHA-256 suites)
 */
export function secretFrom(lines: readonly string[], label: string): Uint8Array | undefined {
  for (const l of lines) {
    const [name, , hex] = l.trim().split(' ');
    if (name === label && hex && /^[0-9a-f]+$/i.test(hex)) return new Uint8Array(Buffer.from(hex, 'hex'));
  }
  return undefined;
}

/**
 * Each DER certificate described; which one signed which is checked with the keys themselves.
 * A certificate that does not parse is described as such, never thrown.
 *
 * @example
 *   describeCertificates([leafDer, intermediateDer])[0]!.issuedBy; // 1
 */
export function describeCertificates(ders: readonly Uint8Array[]): CertificateInfo[] {
  const xs = ders.map((d) => {
    try {
      return new X509Certificate(d);
    } catch {
      return undefined;
    }
  });
  return ders.map((der, i) => {
    const x = xs[i];
    if (!x) return unparsable(der, i);
    let sig: { oid: string; name: string };
    try {
      sig = signatureAlgorithmOf(der);
    } catch {
      sig = { oid: '', name: 'unreadable' };
    }
    const issuedBy = xs.findIndex((y, j) => j !== i && y !== undefined && signedBy(x, y));
    return {
      position: i,
      subject: oneLine(x.subject),
      issuer: oneLine(x.issuer),
      serialNumber: x.serialNumber.toUpperCase(),
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      subjectAltNames: (x.subjectAltName ?? '').split(', ').filter(Boolean),
      publicKey: publicKeyOf(x),
      signatureAlgorithm: sig.name,
      signatureAlgorithmOid: sig.oid,
      fingerprint256: x.fingerprint256,
      ca: x.ca,
      selfSigned: x.subject === x.issuer && signedBy(x, x),
      issuedBy: issuedBy >= 0 ? issuedBy : null,
    };
  });
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

const KEY_TYPES: Record<string, string> = { rsa: 'RSA', 'rsa-pss': 'RSA-PSS', ec: 'EC', ed25519: 'Ed25519', ed448: 'Ed448', dsa: 'DSA', dh: 'DH' };
/** OpenSSL's curve names for the ones Node reports by NIST name. */
const CURVES: Record<string, { name: string; bits: number }> = {
  prime256v1: { name: 'prime256v1', bits: 256 },
  secp384r1: { name: 'secp384r1', bits: 384 },
  secp521r1: { name: 'secp521r1', bits: 521 },
  secp256k1: { name: 'secp256k1', bits: 256 },
  secp224r1: { name: 'secp224r1', bits: 224 },
};

function publicKeyOf(x: X509Certificate): CertificateInfo['publicKey'] {
  const k = x.publicKey;
  const type = KEY_TYPES[k.asymmetricKeyType ?? ''] ?? k.asymmetricKeyType ?? 'unknown';
  const d = k.asymmetricKeyDetails;
  if (d?.modulusLength) return { type, bits: d.modulusLength };
  if (d?.namedCurve) {
    const c = CURVES[d.namedCurve];
    return c ? { type, bits: c.bits, curve: c.name } : { type, curve: d.namedCurve };
  }
  return { type };
}

function unparsable(der: Uint8Array, i: number): CertificateInfo {
  return {
    position: i,
    subject: '(does not parse as X.509)',
    issuer: '',
    serialNumber: '',
    notBefore: '',
    notAfter: '',
    subjectAltNames: [],
    publicKey: { type: 'unknown' },
    signatureAlgorithm: 'unreadable',
    signatureAlgorithmOid: '',
    fingerprint256: fingerprint(der),
    ca: false,
    selfSigned: false,
    issuedBy: null,
  };
}

function fingerprint(der: Uint8Array): string {
  return (createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g) ?? []).join(':');
}

/** Node prints a DN one attribute per line. */
function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}
