/**
 * TLS registries (IANA "Transport Layer Security (TLS) Parameters" and "TLS Extensiontype Values"), one `as const`
 * table each, and the lookups every TLS codec and diagnosis rule uses. The cipher suite table itself lives in
 * `cipher-suites.ts` (it is long); this file indexes it.
 *
 * @example
 * cipherSuite(0xc02f)?.name;          // 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
 * h2Blocklisted(0x009c);              // true
 * groupName(0x11ec);                  // 'X25519MLKEM768'
 */
import { hex } from '../bytes.js';
import { CIPHER_SUITES, H2_BLOCKLIST_NAMES, type CipherSuiteInfo } from './cipher-suites.js';

export { CIPHER_SUITES, H2_BLOCKLIST_NAMES, type CipherSuiteInfo };

const hex4 = (v: number): string => `0x${hex(v, 4)}`;

// ---------------------------------------------------------------------------------------------- versions

/**
 * Protocol versions as they appear on the wire (RFC 8446 §4.2.1, RFC 5246 §6.2.1, RFC 6101).
 *
 * @example
 * TLS_VERSIONS.TLS1_2; // 0x0303
 */
export const TLS_VERSIONS = {
  SSL3_0: 0x0300,
  TLS1_0: 0x0301,
  TLS1_1: 0x0302,
  TLS1_2: 0x0303,
  TLS1_3: 0x0304,
} as const;
/**
 * @example
 * const k: TlsVersionKey = 'TLS1_3';
 */
export type TlsVersionKey = keyof typeof TLS_VERSIONS;

/**
 * The one table of protocol versions: wire code, the name a report prints, Node's / OpenSSL's name
 * (`tlsSocket.getProtocol()`, `minVersion`), and the number (1.2). Every other spelling derives from it.
 *
 * @example
 * TLS_VERSION_TABLE.find((v) => v.node === 'TLSv1')!.code; // 0x0301
 */
export const TLS_VERSION_TABLE = [
  { code: 0x0300, name: 'SSL 3.0', node: 'SSLv3', number: 3.0 },
  { code: 0x0301, name: 'TLS 1.0', node: 'TLSv1', number: 1.0 },
  { code: 0x0302, name: 'TLS 1.1', node: 'TLSv1.1', number: 1.1 },
  { code: 0x0303, name: 'TLS 1.2', node: 'TLSv1.2', number: 1.2 },
  { code: 0x0304, name: 'TLS 1.3', node: 'TLSv1.3', number: 1.3 },
] as const;

/** Node's / OpenSSL's name of a version of the table: 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'. */
export type NodeVersionName = (typeof TLS_VERSION_TABLE)[number]['node'];

/**
 * Human names for {@link TLS_VERSIONS}, as a report prints them.
 *
 * @example
 * VERSION_NAMES[0x0304]; // 'TLS 1.3'
 */
export const VERSION_NAMES: Readonly<Record<number, string>> = Object.freeze(Object.fromEntries(TLS_VERSION_TABLE.map((v) => [v.code, v.name])));

/**
 * Node's / OpenSSL's name of a version ('TLSv1.3', 'TLSv1', 'SSLv3'); others by {@link versionName}.
 *
 * @example
 * nodeVersionName(0x0301); // 'TLSv1'
 */
export function nodeVersionName(v: number): string {
  return TLS_VERSION_TABLE.find((x) => x.code === v)?.node ?? versionName(v);
}

/**
 * The version a name means, in any spelling we meet: Node's 'TLSv1' / 'TLSv1.3', 'SSLv3', a report's
 * 'TLS 1.3', or a bare '1.2'. Undefined for anything else.
 *
 * @example
 * versionFromName('TLSv1')?.number; // 1 (TLS 1.0, not "no TLS")
 */
export function versionFromName(s: string | undefined): (typeof TLS_VERSION_TABLE)[number] | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  return TLS_VERSION_TABLE.find((v) => v.node === t || v.name === t || (v.code !== 0x0300 && String(v.number.toFixed(1)) === t));
}

/**
 * RFC 8701 §2: GREASE values are 0x?A?A with both bytes equal (0x0A0A, 0x1A1A, … 0xFAFA), reserved in the cipher
 * suite, extension, named group, signature scheme, version and ALPN registries.
 *
 * @example
 * GREASE_VALUES[0]; // 0x0a0a
 */
export const GREASE_VALUES = [
  0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba, 0xcaca, 0xdada, 0xeaea,
  0xfafa,
] as const;

/**
 * Whether a 16-bit code point is a GREASE value (RFC 8701 §2).
 *
 * @example
 * isGrease(0x2a2a); // true
 * isGrease(0x1301); // false
 */
export function isGrease(v: number): boolean {
  // RFC 8701 §2: both bytes equal and each of the form 0x?A
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

/**
 * Name of a protocol version.
 *
 * @example
 * versionName(0x0303); // 'TLS 1.2'
 * versionName(0x7f1c); // 'TLS 1.3 draft 28'
 * versionName(0x0a0a); // 'GREASE(0x0a0a)'
 */
export function versionName(v: number): string {
  const known = (VERSION_NAMES as Record<number, string>)[v];
  if (known) return known;
  if (isGrease(v)) return `GREASE(${hex4(v)})`;
  // RFC 8446 drafts used 0x7f00 | draft number in supported_versions
  if (v >> 8 === 0x7f) return `TLS 1.3 draft ${v & 0xff}`;
  if (v === 0x0002) return 'SSL 2.0';
  return `unknown_version(${hex4(v)})`;
}

// ---------------------------------------------------------------------------------------------- cipher suites

const SUITE_BY_CODE = new Map<number, CipherSuiteInfo>(CIPHER_SUITES.map((c) => [c.code, c]));
const SUITE_BY_NAME = new Map<string, CipherSuiteInfo>();
for (const c of CIPHER_SUITES) {
  SUITE_BY_NAME.set(c.name.toUpperCase(), c);
  if (c.openssl) SUITE_BY_NAME.set(c.openssl.toUpperCase(), c);
}

/**
 * Registry entry for a cipher suite code, or undefined if unassigned (or GREASE).
 *
 * @example
 * cipherSuite(0x1301)?.tls13; // true
 */
export function cipherSuite(code: number): CipherSuiteInfo | undefined {
  return SUITE_BY_CODE.get(code);
}

/**
 * Look a suite up by its IANA name or its OpenSSL name (case-insensitive).
 *
 * @example
 * cipherByName('ECDHE-RSA-AES128-GCM-SHA256')?.code;           // 0xc02f
 * cipherByName('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')?.code; // 0xc02f
 */
export function cipherByName(ianaOrOpenSslName: string): CipherSuiteInfo | undefined {
  return SUITE_BY_NAME.get(ianaOrOpenSslName.trim().toUpperCase());
}

/**
 * Printable name of a suite code: the IANA name, `GREASE(0x…)` or `unknown_cipher(0x…)`.
 *
 * @example
 * cipherSuiteName(0x009c); // 'TLS_RSA_WITH_AES_128_GCM_SHA256'
 */
export function cipherSuiteName(code: number): string {
  const c = SUITE_BY_CODE.get(code);
  if (c) return c.name;
  return isGrease(code) ? `GREASE(${hex4(code)})` : `unknown_cipher(${hex4(code)})`;
}

const H2_BLOCKLIST: ReadonlySet<number> = new Set(
  H2_BLOCKLIST_NAMES.map((n) => {
    const c = SUITE_BY_NAME.get(n.toUpperCase());
    if (!c) throw new Error(`registry: blocklist name ${n} is not in CIPHER_SUITES`);
    return c.code;
  }),
);

/**
 * Whether HTTP/2 lets a peer reject this TLS 1.2 suite with INADEQUATE_SECURITY.
 *
 * @example
 * h2Blocklisted(0x009c); // true  (TLS_RSA_WITH_AES_128_GCM_SHA256: no ephemeral key exchange)
 * h2Blocklisted(0xc02f); // false (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, the one RFC 9113 §9.2.2 requires)
 * h2Blocklisted(0x1301); // false (TLS 1.3 suites are not on the list)
 */
export function h2Blocklisted(code: number): boolean {
  // RFC 9113 §9.2.2 / Appendix A: membership is the exact list, not a rule
  return H2_BLOCKLIST.has(code);
}

// ---------------------------------------------------------------------------------------------- named groups

/**
 * Supported groups (IANA "TLS Supported Groups"; RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7,
 * draft-ietf-tls-ecdhe-mlkem, draft-ietf-tls-mlkem). Legacy binary/prime curves included.
 *
 * @example
 * NAMED_GROUPS.x25519; // 0x001d
 */
export const NAMED_GROUPS = {
  sect163k1: 0x0001,
  sect163r1: 0x0002,
  sect163r2: 0x0003,
  sect193r1: 0x0004,
  sect193r2: 0x0005,
  sect233k1: 0x0006,
  sect233r1: 0x0007,
  sect239k1: 0x0008,
  sect283k1: 0x0009,
  sect283r1: 0x000a,
  sect409k1: 0x000b,
  sect409r1: 0x000c,
  sect571k1: 0x000d,
  sect571r1: 0x000e,
  secp160k1: 0x000f,
  secp160r1: 0x0010,
  secp160r2: 0x0011,
  secp192k1: 0x0012,
  secp192r1: 0x0013,
  secp224k1: 0x0014,
  secp224r1: 0x0015,
  secp256k1: 0x0016,
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  brainpoolP256r1: 0x001a,
  brainpoolP384r1: 0x001b,
  brainpoolP512r1: 0x001c,
  x25519: 0x001d,
  x448: 0x001e,
  brainpoolP256r1tls13: 0x001f,
  brainpoolP384r1tls13: 0x0020,
  brainpoolP512r1tls13: 0x0021,
  GC256A: 0x0022,
  GC256B: 0x0023,
  GC256C: 0x0024,
  GC256D: 0x0025,
  GC512A: 0x0026,
  GC512B: 0x0027,
  GC512C: 0x0028,
  curveSM2: 0x0029,
  ffdhe2048: 0x0100,
  ffdhe3072: 0x0101,
  ffdhe4096: 0x0102,
  ffdhe6144: 0x0103,
  ffdhe8192: 0x0104,
  MLKEM512: 0x0200,
  MLKEM768: 0x0201,
  MLKEM1024: 0x0202,
  SecP256r1MLKEM768: 0x11eb,
  X25519MLKEM768: 0x11ec,
  SecP384r1MLKEM1024: 0x11ed,
  X25519Kyber768Draft00: 0x6399,
  SecP256r1Kyber768Draft00: 0x639a,
  arbitrary_explicit_prime_curves: 0xff01,
  arbitrary_explicit_char2_curves: 0xff02,
} as const;
/**
 * @example
 * const g: NamedGroupName = 'X25519MLKEM768';
 */
export type NamedGroupName = keyof typeof NAMED_GROUPS;

// ---------------------------------------------------------------------------------------------- signature schemes

/**
 * Signature schemes (RFC 8446 §4.2.3, IANA "TLS SignatureScheme"; RFC 8734, RFC 9189, draft-ietf-tls-mldsa).
 * TLS 1.2 hash/signature pairs not listed here are named by {@link sigSchemeName} from their two bytes.
 *
 * @example
 * SIGNATURE_SCHEMES.ecdsa_secp256r1_sha256; // 0x0403
 */
export const SIGNATURE_SCHEMES = {
  rsa_pkcs1_sha1: 0x0201,
  ecdsa_sha1: 0x0203,
  rsa_pkcs1_sha256: 0x0401,
  ecdsa_secp256r1_sha256: 0x0403,
  rsa_pkcs1_sha256_legacy: 0x0420,
  rsa_pkcs1_sha384: 0x0501,
  ecdsa_secp384r1_sha384: 0x0503,
  rsa_pkcs1_sha384_legacy: 0x0520,
  rsa_pkcs1_sha512: 0x0601,
  ecdsa_secp521r1_sha512: 0x0603,
  rsa_pkcs1_sha512_legacy: 0x0620,
  eccsi_sha256: 0x0704,
  iso_ibs1: 0x0705,
  iso_ibs2: 0x0706,
  iso_chinese_ibs: 0x0707,
  sm2sig_sm3: 0x0708,
  gostr34102012_256a: 0x0709,
  gostr34102012_256b: 0x070a,
  gostr34102012_256c: 0x070b,
  gostr34102012_256d: 0x070c,
  gostr34102012_512a: 0x070d,
  gostr34102012_512b: 0x070e,
  gostr34102012_512c: 0x070f,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  ed25519: 0x0807,
  ed448: 0x0808,
  rsa_pss_pss_sha256: 0x0809,
  rsa_pss_pss_sha384: 0x080a,
  rsa_pss_pss_sha512: 0x080b,
  ecdsa_brainpoolP256r1tls13_sha256: 0x081a,
  ecdsa_brainpoolP384r1tls13_sha384: 0x081b,
  ecdsa_brainpoolP512r1tls13_sha512: 0x081c,
  mldsa44: 0x0904,
  mldsa65: 0x0905,
  mldsa87: 0x0906,
} as const;
/**
 * @example
 * const s: SignatureSchemeName = 'rsa_pss_rsae_sha256';
 */
export type SignatureSchemeName = keyof typeof SIGNATURE_SCHEMES;

/**
 * RFC 5246 §7.4.1.4.1: the TLS 1.2 HashAlgorithm and SignatureAlgorithm registries, for legacy pairs.
 *
 * @example
 * TLS12_HASH_ALGORITHMS.sha256; // 4
 */
export const TLS12_HASH_ALGORITHMS = { none: 0, md5: 1, sha1: 2, sha224: 3, sha256: 4, sha384: 5, sha512: 6, Intrinsic: 8 } as const;
/**
 * @example
 * TLS12_SIGNATURE_ALGORITHMS.ecdsa; // 3
 */
export const TLS12_SIGNATURE_ALGORITHMS = { anonymous: 0, rsa: 1, dsa: 2, ecdsa: 3, ed25519: 7, ed448: 8, gostr34102012_256: 64, gostr34102012_512: 65 } as const;

// ---------------------------------------------------------------------------------------------- extensions

/**
 * Extension types (IANA "TLS ExtensionType Values"). The few unofficial code points seen in the wild
 * (NPN, ALPS) are listed too, since a trace must name what a real client sent.
 *
 * @example
 * EXTENSION_TYPES.application_layer_protocol_negotiation; // 16
 */
export const EXTENSION_TYPES = {
  server_name: 0,
  max_fragment_length: 1,
  client_certificate_url: 2,
  trusted_ca_keys: 3,
  truncated_hmac: 4,
  status_request: 5,
  user_mapping: 6,
  client_authz: 7,
  server_authz: 8,
  cert_type: 9,
  supported_groups: 10,
  ec_point_formats: 11,
  srp: 12,
  signature_algorithms: 13,
  use_srtp: 14,
  heartbeat: 15,
  application_layer_protocol_negotiation: 16,
  status_request_v2: 17,
  signed_certificate_timestamp: 18,
  client_certificate_type: 19,
  server_certificate_type: 20,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  token_binding: 24,
  cached_info: 25,
  tls_lts: 26,
  compress_certificate: 27,
  record_size_limit: 28,
  pwd_protect: 29,
  pwd_clear: 30,
  password_salt: 31,
  ticket_pinning: 32,
  tls_cert_with_extern_psk: 33,
  delegated_credential: 34,
  session_ticket: 35,
  TLMSP: 36,
  TLMSP_proxying: 37,
  TLMSP_delegate: 38,
  supported_ekt_ciphers: 39,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  oid_filters: 48,
  post_handshake_auth: 49,
  signature_algorithms_cert: 50,
  key_share: 51,
  transparency_info: 52,
  connection_id_deprecated: 53,
  connection_id: 54,
  external_id_hash: 55,
  external_session_id: 56,
  quic_transport_parameters: 57,
  ticket_request: 58,
  dnssec_chain: 59,
  sequence_number_encryption_algorithms: 60,
  rrc: 61,
  tls_flags: 62,
  next_protocol_negotiation: 13172,
  application_settings_old: 17513,
  application_settings: 17613,
  ech_outer_extensions: 0xfd00,
  encrypted_client_hello: 0xfe0d,
  renegotiation_info: 0xff01,
} as const;
/**
 * @example
 * const e: ExtensionName = 'key_share';
 */
export type ExtensionName = keyof typeof EXTENSION_TYPES;

// ---------------------------------------------------------------------------------------------- messages & records

/**
 * Handshake message types (RFC 8446 §4, RFC 5246 §7.4, IANA "TLS HandshakeType").
 *
 * @example
 * HANDSHAKE_TYPES.server_hello_done; // 14
 */
export const HANDSHAKE_TYPES = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  hello_verify_request: 3,
  new_session_ticket: 4,
  end_of_early_data: 5,
  hello_retry_request: 6,
  encrypted_extensions: 8,
  request_connection_id: 9,
  new_connection_id: 10,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  client_certificate_request: 17,
  finished: 20,
  certificate_url: 21,
  certificate_status: 22,
  supplemental_data: 23,
  key_update: 24,
  compressed_certificate: 25,
  ekt_key: 26,
  message_hash: 254,
} as const;
/**
 * @example
 * const h: HandshakeTypeName = 'server_hello';
 */
export type HandshakeTypeName = keyof typeof HANDSHAKE_TYPES;

/**
 * Record content types (RFC 8446 §5.1, RFC 6520, RFC 9146, RFC 9147).
 *
 * @example
 * CONTENT_TYPES.alert; // 21
 */
export const CONTENT_TYPES = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
  heartbeat: 24,
  tls12_cid: 25,
  ack: 26,
} as const;
/**
 * @example
 * const c: ContentTypeName = 'alert';
 */
export type ContentTypeName = keyof typeof CONTENT_TYPES;

/**
 * Compression methods (RFC 3749, RFC 3943). TLS 1.3 allows only `null`.
 *
 * @example
 * COMPRESSION_METHODS.null; // 0
 */
export const COMPRESSION_METHODS = { null: 0, DEFLATE: 1, LZS: 64 } as const;

/**
 * RFC 8422 §5.1.2: ECPointFormat.
 *
 * @example
 * EC_POINT_FORMATS.uncompressed; // 0
 */
export const EC_POINT_FORMATS = { uncompressed: 0, ansiX962_compressed_prime: 1, ansiX962_compressed_char2: 2 } as const;
/**
 * RFC 8446 §4.2.9: PskKeyExchangeMode.
 *
 * @example
 * PSK_KEY_EXCHANGE_MODES.psk_dhe_ke; // 1
 */
export const PSK_KEY_EXCHANGE_MODES = { psk_ke: 0, psk_dhe_ke: 1 } as const;
/**
 * RFC 6066 §8, RFC 6961: CertificateStatusType.
 *
 * @example
 * CERTIFICATE_STATUS_TYPES.ocsp; // 1
 */
export const CERTIFICATE_STATUS_TYPES = { ocsp: 1, ocsp_multi: 2 } as const;
/**
 * RFC 8422 §5.4: ECCurveType in a TLS 1.2 ServerKeyExchange.
 *
 * @example
 * EC_CURVE_TYPES.named_curve; // 3
 */
export const EC_CURVE_TYPES = { explicit_prime: 1, explicit_char2: 2, named_curve: 3 } as const;

// ---------------------------------------------------------------------------------------------- lookups

function reverse<T extends Record<string, number>>(table: T): Map<number, keyof T & string> {
  return new Map(Object.entries(table).map(([k, v]) => [v, k as keyof T & string]));
}
const GROUP_NAMES = reverse(NAMED_GROUPS);
const SIG_NAMES = reverse(SIGNATURE_SCHEMES);
const EXT_NAMES = reverse(EXTENSION_TYPES);
const HS_NAMES = reverse(HANDSHAKE_TYPES);
const CT_NAMES = reverse(CONTENT_TYPES);
const COMP_NAMES = reverse(COMPRESSION_METHODS);
const HASH12 = reverse(TLS12_HASH_ALGORITHMS);
const SIG12 = reverse(TLS12_SIGNATURE_ALGORITHMS);

/**
 * Name of a named group (supported_groups / key_share).
 *
 * @example
 * groupName(0x001d); // 'x25519'
 * groupName(0x1a1a); // 'GREASE(0x1a1a)'
 */
export function groupName(code: number): string {
  return GROUP_NAMES.get(code) ?? (isGrease(code) ? `GREASE(${hex4(code)})` : `unknown_group(${hex4(code)})`);
}

/**
 * Name of a signature scheme; a TLS 1.2 hash/signature pair not in the TLS 1.3 registry is named `hash_signature`.
 *
 * @example
 * sigSchemeName(0x0804); // 'rsa_pss_rsae_sha256'
 * sigSchemeName(0x0303); // 'sha224_ecdsa'
 */
export function sigSchemeName(code: number): string {
  const known = SIG_NAMES.get(code);
  if (known) return known;
  if (isGrease(code)) return `GREASE(${hex4(code)})`;
  // RFC 5246 §7.4.1.4.1: SignatureAndHashAlgorithm is { hash, signature }
  const h = HASH12.get(code >> 8);
  const s = SIG12.get(code & 0xff);
  if (h && s && code >> 8 <= 6) return `${h}_${s}`;
  return `unknown_sigscheme(${hex4(code)})`;
}

/**
 * Name of an extension type.
 *
 * @example
 * extensionName(16); // 'application_layer_protocol_negotiation'
 */
export function extensionName(code: number): string {
  return EXT_NAMES.get(code) ?? (isGrease(code) ? `GREASE(${hex4(code)})` : `unknown_extension(${code})`);
}

/**
 * Name of a handshake message type.
 *
 * @example
 * handshakeTypeName(2); // 'server_hello'
 */
export function handshakeTypeName(code: number): string {
  return HS_NAMES.get(code) ?? `unknown_handshake(${code})`;
}

/**
 * Name of a record content type.
 *
 * @example
 * contentTypeName(22); // 'handshake'
 */
export function contentTypeName(code: number): string {
  return CT_NAMES.get(code) ?? `unknown_content_type(${code})`;
}

/**
 * Name of a compression method.
 *
 * @example
 * compressionName(0); // 'null'
 */
export function compressionName(code: number): string {
  return COMP_NAMES.get(code) ?? `unknown_compression(${code})`;
}
