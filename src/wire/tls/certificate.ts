/**
 * The Certificate handshake message, both forms: TLS ≤ 1.2 (RFC 5246 §7.4.2: a list of DER certificates) and
 * TLS 1.3 (RFC 8446 §4.4.2: a request context and entries that carry their own extensions). Returns DER bytes only;
 * interpreting them is the caller's job (node:crypto's X509Certificate reads DER).
 *
 * @example
 * const { certificates } = parseCertificate12(msg.body);
 * new X509Certificate(certificates[0]!).subject;
 */
import { ParseError, Reader, Writer } from '../bytes.js';
import { type RawExtension, readExtensionBlock, writeExtensionBlock } from './extensions.js';
import { encodeHandshake, parseHandshake } from './record.js';
import { HANDSHAKE_TYPES, TLS_VERSIONS } from './registry.js';

/**
 * Bounds on what a server may make us hold.
 *
 * @example
 * parseCertificate12(body, { maxCertificates: 10 });
 */
export interface CertificateLimits {
  /** Default 32. */
  readonly maxCertificates?: number;
  /** Default 64 KiB per certificate. */
  readonly maxCertificateSize?: number;
}

/**
 * One TLS 1.3 CertificateEntry.
 *
 * @example
 * parseCertificate13(body).entries?.[0]?.der;
 */
export interface CertificateEntry {
  /** DER of an X.509 certificate (or a SubjectPublicKeyInfo when raw public keys were negotiated, RFC 7250). */
  readonly der: Uint8Array;
  /** Per-entry extensions (status_request with an OCSP response, signed_certificate_timestamp, …). */
  readonly extensions: readonly RawExtension[];
}

/**
 * A parsed Certificate message of either form.
 *
 * @example
 * parseCertificateMessage(msg.raw, 0x0304).certificates[0]; // leaf DER
 */
export interface ParsedCertificate {
  /** TLS 1.3 only: certificate_request_context (empty in a server's Certificate). */
  readonly requestContext?: Uint8Array;
  /** TLS 1.3 only: the entries with their extensions. */
  readonly entries?: readonly CertificateEntry[];
  /** The DER certificates in order, leaf first (both forms). */
  readonly certificates: readonly Uint8Array[];
}

function limitsOf(l: CertificateLimits | undefined): Required<CertificateLimits> {
  return { maxCertificates: l?.maxCertificates ?? 32, maxCertificateSize: l?.maxCertificateSize ?? 64 * 1024 };
}

function readCert(list: Reader, lim: Required<CertificateLimits>, count: number, field: string): Uint8Array {
  if (count >= lim.maxCertificates) {
    throw new ParseError('too-large', `${field}: more than ${lim.maxCertificates} certificates`, list.offset, field);
  }
  const at = list.offset;
  const len = list.u24(`${field}.length`);
  if (len > lim.maxCertificateSize) {
    throw new ParseError('too-large', `${field}: certificate of ${len} bytes exceeds ${lim.maxCertificateSize}`, at, field);
  }
  // RFC 5246 §7.4.2 / RFC 8446 §4.4.2: opaque cert_data<1..2^24-1>
  if (len === 0) throw new ParseError('invalid', `${field}: empty certificate`, at, field);
  return list.bytes(len, field);
}

/**
 * Parse a TLS ≤ 1.2 Certificate body (after the handshake header). An empty list is valid (a client with no
 * certificate). Throws ParseError.
 *
 * @example
 * parseCertificate12(fromHex('000000')).certificates; // []
 */
export function parseCertificate12(body: Uint8Array, limits?: CertificateLimits): ParsedCertificate {
  const lim = limitsOf(limits);
  const r = new Reader(body);
  // RFC 5246 §7.4.2: ASN.1Cert certificate_list<0..2^24-1>
  const list = r.sub24('certificate_list');
  r.expectEnd('certificate');
  const certificates: Uint8Array[] = [];
  while (!list.done) certificates.push(readCert(list, lim, certificates.length, 'certificate_list.cert'));
  return { certificates };
}

/**
 * Parse a TLS 1.3 Certificate body (after the handshake header). Throws ParseError.
 *
 * @example
 * parseCertificate13(body).entries?.[0]?.extensions;
 */
export function parseCertificate13(body: Uint8Array, limits?: CertificateLimits): ParsedCertificate {
  const lim = limitsOf(limits);
  const r = new Reader(body);
  // RFC 8446 §4.4.2: opaque certificate_request_context<0..2^8-1>; CertificateEntry certificate_list<0..2^24-1>
  const requestContext = r.vector8('certificate_request_context');
  const list = r.sub24('certificate_list');
  r.expectEnd('certificate');
  const entries: CertificateEntry[] = [];
  while (!list.done) {
    const der = readCert(list, lim, entries.length, 'certificate_list.cert_data');
    const extensions = readExtensionBlock(list, 'certificate_list.extensions');
    entries.push({ der, extensions });
  }
  return { requestContext, entries, certificates: entries.map((e) => e.der) };
}

/**
 * Parse a Certificate handshake message (header included) in the form `version` uses. Throws ParseError.
 *
 * @example
 * parseCertificateMessage(msg.raw, 0x0303).certificates.length;
 */
export function parseCertificateMessage(message: Uint8Array, version: number, limits?: CertificateLimits): ParsedCertificate {
  const m = parseHandshake(message);
  if (m.type !== HANDSHAKE_TYPES.certificate) {
    throw new ParseError('unexpected-value', `handshake: expected certificate(11), got ${m.type}`, 0, 'handshake.msg_type');
  }
  return version >= TLS_VERSIONS.TLS1_3 ? parseCertificate13(m.body, limits) : parseCertificate12(m.body, limits);
}

/**
 * Encode a TLS ≤ 1.2 Certificate handshake message.
 *
 * @example
 * encodeCertificate12([leafDer, intermediateDer]);
 */
export function encodeCertificate12(certificates: readonly Uint8Array[]): Uint8Array {
  const w = new Writer();
  const end = w.length24('certificate_list');
  for (const c of certificates) {
    const endOne = w.length24('cert');
    w.bytes(c);
    endOne();
  }
  end();
  return encodeHandshake(HANDSHAKE_TYPES.certificate, w.finish());
}

/**
 * Encode a TLS 1.3 Certificate handshake message.
 *
 * @example
 * encodeCertificate13([{ der: leafDer, extensions: [] }]);
 */
export function encodeCertificate13(entries: readonly CertificateEntry[], requestContext: Uint8Array = new Uint8Array(0)): Uint8Array {
  const w = new Writer();
  const endCtx = w.length8('certificate_request_context');
  w.bytes(requestContext);
  endCtx();
  const end = w.length24('certificate_list');
  for (const e of entries) {
    const endOne = w.length24('cert_data');
    w.bytes(e.der);
    endOne();
    writeExtensionBlock(w, e.extensions);
  }
  end();
  return encodeHandshake(HANDSHAKE_TYPES.certificate, w.finish());
}
