/**
 * Reading a TLS 1.3 server's encrypted flight (RFC 8446 §4.3–§4.4) with the key schedule of
 * keyschedule.ts: EncryptedExtensions (the ALPN it chose), its Certificate and Finished, either from
 * the (EC)DHE shared secret a raw probe computed or from a logged handshake traffic secret. What came
 * before encryption (ServerHello, alerts, TLS 1.2 flights) is read by server-flight.ts.
 *
 * @example
 * const flight = decryptServerFlight({ cipherSuite: 0x1301, sharedSecret, clientHello, serverHello, records });
 * flight.encryptedExtensions?.alpn; // 'h2'
 */
import { ParseError, Reader } from '../bytes.js';
import { parseCertificate13, type CertificateLimits, type ParsedCertificate } from './certificate.js';
import {
  type RawExtension,
  decodeAlpn,
  decodeU16,
  decodeU16List,
  expectEmpty,
  readExtensionBlock,
} from './extensions.js';
import { decryptRecord, deriveHandshakeSecrets, finishedVerifyData, tls13Suite, trafficKeys, transcriptHash, type HandshakeSecrets } from './keyschedule.js';
import { HandshakeReassembler, parseHandshake, type HandshakeMessage, type TlsRecord } from './record.js';
import { CONTENT_TYPES, EXTENSION_TYPES, HANDSHAKE_TYPES } from './registry.js';

/**
 * What EncryptedExtensions says (RFC 8446 §4.3.1).
 *
 * @example
 * parseEncryptedExtensions(msg.raw).alpn; // 'h2'
 */
export interface ParsedEncryptedExtensions {
  readonly extensions: readonly RawExtension[];
  /** ALPN's selected protocol (RFC 7301 §3.1; TLS 1.3 sends it here). */
  readonly alpn?: string;
  readonly alpnProtocols?: readonly string[];
  /** The server acknowledged SNI (empty server_name, RFC 6066 §3). */
  readonly sniAck: boolean;
  /** The server's preferred groups, if it told us (RFC 8446 §4.2.7). */
  readonly supportedGroups?: readonly number[];
  readonly recordSizeLimit?: number;
  readonly earlyData: boolean;
}

/**
 * Parse an EncryptedExtensions message (header included). Throws ParseError.
 *
 * @example
 * parseEncryptedExtensions(fromHex('080000020000')).extensions; // []
 */
export function parseEncryptedExtensions(message: Uint8Array): ParsedEncryptedExtensions {
  const m = parseHandshake(message);
  if (m.type !== HANDSHAKE_TYPES.encrypted_extensions) {
    throw new ParseError('unexpected-value', `handshake: expected encrypted_extensions(8), got ${m.type}`, 0, 'handshake.msg_type');
  }
  const r = new Reader(m.body, 0, m.body.length, 4);
  // RFC 8446 §4.3.1: struct { Extension extensions<0..2^16-1>; } EncryptedExtensions
  const extensions = readExtensionBlock(r, 'encrypted_extensions');
  r.expectEnd('encrypted_extensions');
  const out: { -readonly [K in keyof ParsedEncryptedExtensions]: ParsedEncryptedExtensions[K] } = { extensions, sniAck: false, earlyData: false };
  for (const e of extensions) {
    switch (e.type) {
      case EXTENSION_TYPES.application_layer_protocol_negotiation: {
        const list = decodeAlpn(e.data);
        out.alpnProtocols = list;
        if (list[0] !== undefined) out.alpn = list[0];
        break;
      }
      case EXTENSION_TYPES.server_name:
        expectEmpty(e.data, 'server_name');
        out.sniAck = true;
        break;
      case EXTENSION_TYPES.supported_groups:
        out.supportedGroups = decodeU16List(e.data, 'supported_groups');
        break;
      case EXTENSION_TYPES.record_size_limit:
        out.recordSizeLimit = decodeU16(e.data, 'record_size_limit');
        break;
      case EXTENSION_TYPES.early_data:
        out.earlyData = true;
        break;
    }
  }
  return out;
}

/**
 * Inputs to {@link decryptServerFlight}.
 *
 * @example
 * decryptServerFlight({ cipherSuite: 0x1301, sharedSecret, clientHello, serverHello, records });
 */
export interface ServerFlightKeys extends CertificateLimits {
  readonly cipherSuite: number;
  /** The (EC)DHE shared secret the caller computed (x25519: 32 bytes; P-256: the x coordinate). */
  readonly sharedSecret: Uint8Array;
  /** The ClientHello and ServerHello handshake messages, headers included, exactly as sent. */
  readonly clientHello: Uint8Array;
  readonly serverHello: Uint8Array;
  /** The protected records that followed the ServerHello (ChangeCipherSpec records are skipped). */
  readonly records: readonly TlsRecord[];
  /** Handshake messages returned at most (default 16). */
  readonly maxMessages?: number;
}

/**
 * What the decrypted server flight showed.
 *
 * @example
 * decryptServerFlight(keys).finishedVerified; // true
 */
export interface DecryptedServerFlight {
  readonly secrets: HandshakeSecrets;
  readonly messages: readonly HandshakeMessage[];
  readonly encryptedExtensions?: ParsedEncryptedExtensions;
  /** From the TLS 1.3 Certificate message, leaf first. */
  readonly certificates?: readonly Uint8Array[];
  /** The server's Finished was present and its verify_data matched the transcript. */
  readonly finishedVerified?: boolean;
  /** An alert the server sent under encryption (RFC 8446 §6), as [level, description]. */
  readonly alert?: readonly [number, number];
  /** Why decryption or parsing stopped early. */
  readonly error?: { readonly code: string; readonly message: string };
  /** A handshake message begun and not finished in the records read: its type and announced length. */
  readonly unfinished?: { readonly type: number; readonly length: number };
}

/**
 * Decrypt and read a TLS 1.3 server's handshake flight. Never throws for bad input bytes: problems land in `error`.
 * Throws RangeError only for an unsupported `cipherSuite` (a caller bug: check {@link tls13Suite} first).
 *
 * @example
 * const out = decryptServerFlight({ cipherSuite: sh.cipherSuite, sharedSecret, clientHello: ch.message,
 *   serverHello: shMessage, records: summary.encryptedRecords });
 * out.encryptedExtensions?.alpn; // 'h2'
 */
export function decryptServerFlight(input: ServerFlightKeys): DecryptedServerFlight {
  const suite = tls13Suite(input.cipherSuite);
  if (!suite) throw new RangeError(`cipher suite 0x${input.cipherSuite.toString(16)} is not supported for decryption`);
  const helloHash = transcriptHash(suite.hash, input.clientHello, input.serverHello);
  const secrets = deriveHandshakeSecrets(suite.hash, input.sharedSecret, helloHash);
  const keys = trafficKeys(suite, secrets.serverHandshakeTrafficSecret);
  const hs = new HandshakeReassembler();
  const messages: HandshakeMessage[] = [];
  const max = input.maxMessages ?? 16;
  const transcript: Uint8Array[] = [input.clientHello, input.serverHello];
  const out: { -readonly [K in keyof DecryptedServerFlight]: DecryptedServerFlight[K] } = { secrets, messages };
  let seq = 0n;
  try {
    for (const rec of input.records) {
      // RFC 8446 §5: a compatibility change_cipher_spec is sent in the clear and is not protected
      if (rec.type === CONTENT_TYPES.change_cipher_spec) continue;
      const plain = decryptRecord(suite, keys, seq++, rec);
      if (plain.type === CONTENT_TYPES.alert) {
        out.alert = [plain.content[0] ?? 0, plain.content[1] ?? 0];
        break;
      }
      if (plain.type !== CONTENT_TYPES.handshake) continue;
      hs.push(plain.content);
      for (let m = hs.next(); m && messages.length < max; m = hs.next()) {
        if (m.type === HANDSHAKE_TYPES.finished) {
          const expected = finishedVerifyData(suite.hash, secrets.serverHandshakeTrafficSecret, transcriptHash(suite.hash, ...transcript));
          out.finishedVerified = expected.length === m.body.length && expected.every((b, i) => b === m.body[i]);
        }
        messages.push(m);
        transcript.push(m.raw);
        if (m.type === HANDSHAKE_TYPES.encrypted_extensions) out.encryptedExtensions = parseEncryptedExtensions(m.raw);
        if (m.type === HANDSHAKE_TYPES.certificate) out.certificates = parseCertificate13(m.body, input).certificates;
      }
      if (out.finishedVerified !== undefined || messages.length >= max) break;
    }
  } catch (e) {
    if (e instanceof ParseError) out.error = { code: e.code, message: e.message };
    else out.error = { code: 'invalid', message: (e as Error)?.message ?? String(e) };
  }
  const head = hs.head();
  if (head) out.unfinished = head;
  return out;
}

/**
 * A TLS 1.3 server flight decrypted with the server's handshake traffic secret itself, as a TLS
 * library logs it (NSS key log `SERVER_HANDSHAKE_TRAFFIC_SECRET`): for a connection another library
 * made, whose key share we never held. Reads up to the server's Finished (not verified: that needs
 * the ClientHello). Never throws for bad input bytes: problems land in `error`.
 *
 * @example
 * readFlightWithSecret({ cipherSuite: 0x1301, serverHandshakeTrafficSecret, records }).certificate?.entries?.[0];
 */
export function readFlightWithSecret(input: {
  readonly cipherSuite: number;
  readonly serverHandshakeTrafficSecret: Uint8Array;
  readonly records: readonly TlsRecord[];
  readonly maxMessages?: number;
} & CertificateLimits): { messages: HandshakeMessage[]; certificate?: ParsedCertificate; error?: { code: string; message: string }; unfinished?: { type: number; length: number } } {
  const suite = tls13Suite(input.cipherSuite);
  if (!suite) return { messages: [], error: { code: 'unsupported', message: `cipher suite 0x${input.cipherSuite.toString(16)} cannot be decrypted here` } };
  const keys = trafficKeys(suite, input.serverHandshakeTrafficSecret);
  const hs = new HandshakeReassembler();
  const out: { messages: HandshakeMessage[]; certificate?: ParsedCertificate; error?: { code: string; message: string }; unfinished?: { type: number; length: number } } = { messages: [] };
  const max = input.maxMessages ?? 16;
  let seq = 0n;
  try {
    for (const rec of input.records) {
      // RFC 8446 §5: a compatibility change_cipher_spec is sent in the clear and is not protected
      if (rec.type === CONTENT_TYPES.change_cipher_spec) continue;
      const plain = decryptRecord(suite, keys, seq++, rec);
      if (plain.type !== CONTENT_TYPES.handshake) break;
      hs.push(plain.content);
      let finished = false;
      for (let m = hs.next(); m && out.messages.length < max; m = hs.next()) {
        out.messages.push(m);
        // RFC 8446 §4.4.2: the server's Certificate, entries with their own extensions (status_request: a stapled OCSP response).
        if (m.type === HANDSHAKE_TYPES.certificate) out.certificate = parseCertificate13(m.body, input);
        if (m.type === HANDSHAKE_TYPES.finished) finished = true;
      }
      if (finished || out.messages.length >= max) break;
    }
  } catch (e) {
    if (e instanceof ParseError) out.error = { code: e.code, message: e.message };
    else out.error = { code: 'invalid', message: (e as Error)?.message ?? String(e) };
  }
  // A message begun and not finished in the records read (a Certificate of megabytes): its header.
  const head = hs.head();
  if (head) out.unfinished = head;
  return out;
}
