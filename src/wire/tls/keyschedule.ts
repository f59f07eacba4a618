/**
 * A minimal TLS 1.3 key schedule (RFC 8446 §7.1–§7.3) and record protection (§5.2), enough for a raw probe to read
 * the server's encrypted flight (encrypted-flight.ts) after computing the (EC)DHE shared secret itself. node:crypto
 * does the hashing and the AEADs; nothing here touches a socket.
 *
 * @example
 * const suite = tls13Suite(0x1301)!;
 * const secrets = deriveHandshakeSecrets(suite.hash, sharedSecret, transcriptHash(suite.hash, clientHello, serverHello));
 * decryptRecord(suite, trafficKeys(suite, secrets.serverHandshakeTrafficSecret), 0n, record).type; // 22 (handshake)
 */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { ParseError, Writer, concat } from '../bytes.js';
import { RECORD_HEADER_LENGTH, type TlsRecord } from './record.js';
import { CONTENT_TYPES } from './registry.js';

/**
 * Hash functions the TLS 1.3 suites use.
 *
 * @example
 * transcriptHash('sha384', ch, sh).length; // 48
 */
export type Tls13Hash = 'sha256' | 'sha384';

/**
 * The parameters of a TLS 1.3 cipher suite this module can decrypt (RFC 8446 §B.4).
 *
 * @example
 * TLS13_SUITES[0x1301].keyLength; // 16
 */
export interface Tls13Suite {
  readonly code: number;
  readonly hash: Tls13Hash;
  readonly hashLength: number;
  /** node:crypto cipher name. */
  readonly aead: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  readonly keyLength: number;
  readonly ivLength: number;
  readonly tagLength: number;
}

/**
 * @example
 * TLS13_SUITES[0x1302].hash; // 'sha384'
 */
export const TLS13_SUITES = {
  0x1301: { code: 0x1301, hash: 'sha256', hashLength: 32, aead: 'aes-128-gcm', keyLength: 16, ivLength: 12, tagLength: 16 },
  0x1302: { code: 0x1302, hash: 'sha384', hashLength: 48, aead: 'aes-256-gcm', keyLength: 32, ivLength: 12, tagLength: 16 },
  0x1303: { code: 0x1303, hash: 'sha256', hashLength: 32, aead: 'chacha20-poly1305', keyLength: 32, ivLength: 12, tagLength: 16 },
} as const satisfies Record<number, Tls13Suite>;

/**
 * The suite parameters for a code, if supported here.
 *
 * @example
 * tls13Suite(0x1303)?.aead; // 'chacha20-poly1305'
 */
export function tls13Suite(code: number): Tls13Suite | undefined {
  return (TLS13_SUITES as Record<number, Tls13Suite>)[code];
}

const HASH_LENGTH: Record<Tls13Hash, number> = { sha256: 32, sha384: 48 };

/**
 * HKDF-Extract (RFC 5869 §2.2): HMAC-Hash(salt, IKM). An empty salt means HashLen zeros.
 *
 * @example
 * hkdfExtract('sha256', new Uint8Array(0), new Uint8Array(32)); // RFC 8448's early secret
 */
export function hkdfExtract(hash: Tls13Hash, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  const key = salt.length > 0 ? salt : new Uint8Array(HASH_LENGTH[hash]);
  return new Uint8Array(createHmac(hash, key).update(ikm).digest());
}

/**
 * HKDF-Expand (RFC 5869 §2.3). Throws RangeError past 255 × HashLen bytes.
 *
 * @example
 * hkdfExpand('sha256', prk, info, 16);
 */
export function hkdfExpand(hash: Tls13Hash, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const hl = HASH_LENGTH[hash];
  // RFC 5869 §2.3: L <= 255*HashLen
  if (length > 255 * hl) throw new RangeError(`hkdfExpand: ${length} > 255*${hl}`);
  const out = new Uint8Array(length);
  let t = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++) {
    t = new Uint8Array(createHmac(hash, prk).update(t).update(info).update(Uint8Array.of(i)).digest());
    out.set(t.subarray(0, Math.min(hl, length - at)), at);
    at += hl;
  }
  return out;
}

const ascii = new TextEncoder();

/**
 * HKDF-Expand-Label (RFC 8446 §7.1).
 *
 * @example
 * hkdfExpandLabel('sha256', secret, 'key', new Uint8Array(0), 16);
 */
export function hkdfExpandLabel(hash: Tls13Hash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  // RFC 8446 §7.1: struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; } HkdfLabel
  const w = new Writer(10 + label.length + context.length);
  w.u16(length);
  const endLabel = w.length8('label');
  w.bytes(ascii.encode(`tls13 ${label}`));
  endLabel();
  const endCtx = w.length8('context');
  w.bytes(context);
  endCtx();
  return hkdfExpand(hash, secret, w.finish(), length);
}

/**
 * Transcript-Hash (RFC 8446 §4.4.1): the hash of the concatenated handshake messages (headers included).
 *
 * @example
 * transcriptHash('sha256', clientHello, serverHello);
 */
export function transcriptHash(hash: Tls13Hash, ...messages: Uint8Array[]): Uint8Array {
  const h = createHash(hash);
  for (const m of messages) h.update(m);
  return new Uint8Array(h.digest());
}

/**
 * Derive-Secret (RFC 8446 §7.1): HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length),
 * given the transcript hash already computed.
 *
 * @example
 * deriveSecret('sha256', handshakeSecret, 's hs traffic', helloHash);
 */
export function deriveSecret(hash: Tls13Hash, secret: Uint8Array, label: string, transcript: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, secret, label, transcript, HASH_LENGTH[hash]);
}

/**
 * The secrets of the handshake phase (RFC 8446 §7.1), without a PSK.
 *
 * @example
 * deriveHandshakeSecrets('sha256', shared, helloHash).serverHandshakeTrafficSecret;
 */
export interface HandshakeSecrets {
  readonly earlySecret: Uint8Array;
  readonly handshakeSecret: Uint8Array;
  readonly clientHandshakeTrafficSecret: Uint8Array;
  readonly serverHandshakeTrafficSecret: Uint8Array;
  /** Salt for the master secret: Derive-Secret(handshake_secret, "derived", ""). */
  readonly masterDerived: Uint8Array;
  readonly masterSecret: Uint8Array;
}

/**
 * The handshake secrets from an (EC)DHE shared secret and Transcript-Hash(ClientHello..ServerHello), no PSK.
 *
 * @example
 * const s = deriveHandshakeSecrets('sha256', sharedSecret, transcriptHash('sha256', ch, sh));
 */
export function deriveHandshakeSecrets(hash: Tls13Hash, sharedSecret: Uint8Array, helloHash: Uint8Array): HandshakeSecrets {
  const zeros = new Uint8Array(HASH_LENGTH[hash]);
  const empty = transcriptHash(hash);
  // RFC 8446 §7.1: Early Secret = HKDF-Extract(0, PSK), with PSK = 0 when none is used
  const earlySecret = hkdfExtract(hash, zeros, zeros);
  // RFC 8446 §7.1: Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE)
  const handshakeSecret = hkdfExtract(hash, deriveSecret(hash, earlySecret, 'derived', empty), sharedSecret);
  const masterDerived = deriveSecret(hash, handshakeSecret, 'derived', empty);
  return {
    earlySecret,
    handshakeSecret,
    clientHandshakeTrafficSecret: deriveSecret(hash, handshakeSecret, 'c hs traffic', helloHash),
    serverHandshakeTrafficSecret: deriveSecret(hash, handshakeSecret, 's hs traffic', helloHash),
    masterDerived,
    // RFC 8446 §7.1: Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0)
    masterSecret: hkdfExtract(hash, masterDerived, zeros),
  };
}

/**
 * Application traffic secrets from the master secret and Transcript-Hash(ClientHello..server Finished).
 *
 * @example
 * deriveApplicationSecrets('sha256', s.masterSecret, transcriptHash('sha256', ch, sh, ee, cert, cv, fin));
 */
export function deriveApplicationSecrets(
  hash: Tls13Hash,
  masterSecret: Uint8Array,
  serverFinishedHash: Uint8Array,
): { clientApplicationTrafficSecret: Uint8Array; serverApplicationTrafficSecret: Uint8Array; exporterMasterSecret: Uint8Array } {
  return {
    clientApplicationTrafficSecret: deriveSecret(hash, masterSecret, 'c ap traffic', serverFinishedHash),
    serverApplicationTrafficSecret: deriveSecret(hash, masterSecret, 's ap traffic', serverFinishedHash),
    exporterMasterSecret: deriveSecret(hash, masterSecret, 'exp master', serverFinishedHash),
  };
}

/**
 * A record protection key and IV (RFC 8446 §7.3).
 *
 * @example
 * const { key, iv } = trafficKeys(suite, secret);
 */
export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

/**
 * Traffic keys from a traffic secret (RFC 8446 §7.3).
 *
 * @example
 * trafficKeys(TLS13_SUITES[0x1301], s.serverHandshakeTrafficSecret);
 */
export function trafficKeys(suite: Tls13Suite, secret: Uint8Array): TrafficKeys {
  const none = new Uint8Array(0);
  // RFC 8446 §7.3: key = HKDF-Expand-Label(Secret, "key", "", key_length); iv = HKDF-Expand-Label(Secret, "iv", "", iv_length)
  return { key: hkdfExpandLabel(suite.hash, secret, 'key', none, suite.keyLength), iv: hkdfExpandLabel(suite.hash, secret, 'iv', none, suite.ivLength) };
}

/**
 * Finished verify_data (RFC 8446 §4.4.4): HMAC(finished_key, Transcript-Hash(…)).
 *
 * @example
 * finishedVerifyData('sha256', s.serverHandshakeTrafficSecret, transcriptHash('sha256', ch, sh, ee, cert, cv));
 */
export function finishedVerifyData(hash: Tls13Hash, baseKey: Uint8Array, transcript: Uint8Array): Uint8Array {
  // RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
  const finishedKey = hkdfExpandLabel(hash, baseKey, 'finished', new Uint8Array(0), HASH_LENGTH[hash]);
  return new Uint8Array(createHmac(hash, finishedKey).update(transcript).digest());
}

function nonce(iv: Uint8Array, seq: bigint): Uint8Array {
  // RFC 8446 §5.3: the 64-bit sequence number, left-padded to iv_length, XORed with the IV
  const n = iv.slice();
  for (let i = 0; i < 8; i++) n[n.length - 1 - i]! ^= Number((seq >> BigInt(8 * i)) & 0xffn);
  return n;
}

/**
 * The content of a decrypted record: its real type and its bytes (RFC 8446 §5.2 TLSInnerPlaintext).
 *
 * @example
 * const { type, content } = decryptRecord(suite, keys, 0n, record);
 */
export interface DecryptedRecord {
  readonly type: number;
  readonly content: Uint8Array;
}

/**
 * RFC 8446 §5.2: a TLSCiphertext is at most 2^14 + 256 bytes.
 *
 * @example
 * record.body.length <= MAX_CIPHERTEXT_LENGTH;
 */
export const MAX_CIPHERTEXT_LENGTH = 2 ** 14 + 256;

/**
 * Decrypt one TLS 1.3 protected record (header fields + body). Throws ParseError: `invalid` when authentication
 * fails or the inner plaintext has no content type, `too-large` past 2^14+256 bytes, `unexpected-value` for a
 * record that is not application_data.
 *
 * @example
 * decryptRecord(TLS13_SUITES[0x1301], keys, 0n, { type: 23, version: 0x0303, length: body.length, body });
 */
export function decryptRecord(suite: Tls13Suite, keys: TrafficKeys, seq: bigint, record: TlsRecord): DecryptedRecord {
  // RFC 8446 §5.2: protected records have opaque_type application_data(23)
  if (record.type !== CONTENT_TYPES.application_data) {
    throw new ParseError('unexpected-value', `record.type: expected application_data(23), got ${record.type}`, 0, 'record.type');
  }
  if (record.body.length > MAX_CIPHERTEXT_LENGTH) {
    throw new ParseError('too-large', `record: ${record.body.length} > ${MAX_CIPHERTEXT_LENGTH}`, 3, 'record.length');
  }
  if (record.body.length < suite.tagLength + 1) {
    throw new ParseError('invalid', 'record: shorter than the AEAD tag', 3, 'record.encrypted_record');
  }
  // RFC 8446 §5.2: additional_data = TLSCiphertext.opaque_type || legacy_record_version || length
  const aad = Uint8Array.of(record.type, record.version >> 8, record.version & 0xff, record.body.length >> 8, record.body.length & 0xff);
  const ct = record.body.subarray(0, record.body.length - suite.tagLength);
  const tag = record.body.subarray(record.body.length - suite.tagLength);
  let plain: Uint8Array;
  try {
    const d = createDecipheriv(suite.aead, keys.key, nonce(keys.iv, seq), { authTagLength: suite.tagLength } as object);
    (d as unknown as { setAAD(b: Uint8Array, o?: object): void }).setAAD(aad, { plaintextLength: ct.length });
    (d as unknown as { setAuthTag(b: Uint8Array): void }).setAuthTag(tag);
    plain = concat([new Uint8Array(d.update(ct)), new Uint8Array(d.final())]);
  } catch {
    throw new ParseError('invalid', 'record: authentication failed (wrong keys, sequence number or tampered bytes)', RECORD_HEADER_LENGTH, 'record.encrypted_record');
  }
  // RFC 8446 §5.4: strip zero padding; the last non-zero byte is the real content type
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  if (end === 0) throw new ParseError('invalid', 'record: inner plaintext has no content type', RECORD_HEADER_LENGTH, 'record.content_type');
  return { type: plain[end - 1]!, content: plain.subarray(0, end - 1) };
}

/**
 * Encrypt one TLS 1.3 record (for tests and the lab). Returns the whole record, header included.
 *
 * @example
 * encryptRecord(suite, keys, 0n, CONTENT_TYPES.handshake, encryptedExtensions);
 */
export function encryptRecord(suite: Tls13Suite, keys: TrafficKeys, seq: bigint, type: number, content: Uint8Array, padding = 0): Uint8Array {
  const inner = concat([content, Uint8Array.of(type), new Uint8Array(padding)]);
  const len = inner.length + suite.tagLength;
  const aad = Uint8Array.of(CONTENT_TYPES.application_data, 3, 3, len >> 8, len & 0xff);
  const c = createCipheriv(suite.aead, keys.key, nonce(keys.iv, seq), { authTagLength: suite.tagLength } as object);
  (c as unknown as { setAAD(b: Uint8Array, o?: object): void }).setAAD(aad, { plaintextLength: inner.length });
  const body = concat([new Uint8Array(c.update(inner)), new Uint8Array(c.final()), new Uint8Array((c as unknown as { getAuthTag(): Buffer }).getAuthTag())]);
  return concat([aad, body]);
}
