/**
 * ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3): parse what a server chose, and
 * build one for loopback tests and the lab.
 *
 * @example
 * const sh = parseServerHello(message);
 * sh.version;      // 0x0304 when supported_versions says so
 * sh.cipher?.name; // 'TLS_AES_128_GCM_SHA256'
 */
import { ParseError, Reader, Writer, fromHex } from '../bytes.js';
import {
  type RawExtension,
  decodeAlpn,
  decodeRenegotiationInfo,
  decodeU16,
  decodeU8List,
  encodeAlpn,
  encodeRenegotiationInfo,
  encodeU8List,
  expectEmpty,
  readExtensionBlock,
  writeExtensionBlock,
} from './extensions.js';
import { type KeyShareEntry, decodeKeyShareHrr, decodeKeyShareServer, encodeKeyShareServer } from './key-share.js';
import { HANDSHAKE_HEADER_LENGTH, encodeHandshake, encodeRecords, parseHandshake } from './record.js';
import { CONTENT_TYPES, EXTENSION_TYPES, HANDSHAKE_TYPES, TLS_VERSIONS, cipherSuite, type CipherSuiteInfo } from './registry.js';

const X = EXTENSION_TYPES;

/**
 * RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest").
 *
 * @example
 * isHelloRetryRequest(HRR_RANDOM); // true
 */
export const HRR_RANDOM = fromHex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');
/**
 * RFC 8446 §4.1.3: last 8 bytes of a TLS 1.3 server's random when it negotiates TLS 1.2 ("DOWNGRD\x01").
 *
 * @example
 * downgradeSentinel(random) === 'tls12';
 */
export const DOWNGRADE_TLS12 = fromHex('444f574e47524401');
/**
 * RFC 8446 §4.1.3: … when it negotiates TLS 1.1 or below ("DOWNGRD\x00").
 *
 * @example
 * downgradeSentinel(random) === 'tls11';
 */
export const DOWNGRADE_TLS11 = fromHex('444f574e47524400');

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether a ServerHello random is the HelloRetryRequest marker.
 *
 * @example
 * isHelloRetryRequest(HRR_RANDOM); // true
 */
export function isHelloRetryRequest(random: Uint8Array): boolean {
  return equalBytes(random, HRR_RANDOM);
}

/**
 * Which downgrade sentinel (RFC 8446 §4.1.3) a ServerHello random carries, if any.
 *
 * @example
 * downgradeSentinel(random); // 'tls12' | 'tls11' | undefined
 */
export function downgradeSentinel(random: Uint8Array): 'tls12' | 'tls11' | undefined {
  if (random.length !== 32) return undefined;
  const tail = random.subarray(24);
  if (equalBytes(tail, DOWNGRADE_TLS12)) return 'tls12';
  if (equalBytes(tail, DOWNGRADE_TLS11)) return 'tls11';
  return undefined;
}

/**
 * What a ServerHello (or HelloRetryRequest) says.
 *
 * @example
 * parseServerHello(message).cipher?.name;
 */
export interface ParsedServerHello {
  readonly legacyVersion: number;
  /** The negotiated version: supported_versions' selected_version if present (RFC 8446 §4.2.1), else legacy_version. */
  readonly version: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  /** Registry entry for `cipherSuite`, if assigned. */
  readonly cipher?: CipherSuiteInfo;
  readonly compressionMethod: number;
  readonly extensions: readonly RawExtension[];
  readonly isHelloRetryRequest: boolean;
  /** HRR only: the group the server wants a key share for (RFC 8446 §4.2.8). */
  readonly hrrSelectedGroup?: number;
  /** HRR only: the cookie to echo (RFC 8446 §4.2.2). */
  readonly cookie?: Uint8Array;
  /** The downgrade sentinel in the random, if any (RFC 8446 §4.1.3). */
  readonly downgrade?: 'tls12' | 'tls11';
  /** ALPN's selected protocol (TLS ≤ 1.2 carries it here; TLS 1.3 in EncryptedExtensions). */
  readonly alpn?: string;
  /** Every name in the ALPN answer; RFC 7301 §3.1 says exactly one, so more than one is a server bug. */
  readonly alpnProtocols?: readonly string[];
  readonly supportedVersion?: number;
  readonly keyShare?: KeyShareEntry;
  readonly renegotiationInfo?: Uint8Array;
  readonly extendedMasterSecret: boolean;
  /** The server will staple an OCSP response (RFC 6066 §8: empty status_request in the ServerHello). */
  readonly statusRequest: boolean;
  /** The server acknowledged SNI with an empty server_name (RFC 6066 §3). */
  readonly sniAck: boolean;
  readonly ecPointFormats?: readonly number[];
  /** The server will send a NewSessionTicket (RFC 5077 §3.2: empty session_ticket in the ServerHello). */
  readonly sessionTicket: boolean;
  readonly recordSizeLimit?: number;
}

/**
 * Parse a ServerHello handshake message (4-byte header included). Throws ParseError.
 *
 * @example
 * parseServerHello(fromHex('020000560303…')).cipherSuite; // 0x1301
 */
export function parseServerHello(message: Uint8Array): ParsedServerHello {
  const m = parseHandshake(message);
  if (m.type !== HANDSHAKE_TYPES.server_hello) {
    throw new ParseError('unexpected-value', `handshake: expected server_hello(2), got ${m.type}`, 0, 'handshake.msg_type');
  }
  return parseServerHelloBody(m.body, HANDSHAKE_HEADER_LENGTH);
}

/**
 * Parse a ServerHello body (after the handshake header). `base` offsets error positions.
 *
 * @example
 * parseServerHelloBody(message.subarray(4));
 */
export function parseServerHelloBody(body: Uint8Array, base = 0): ParsedServerHello {
  const r = new Reader(body, 0, body.length, base);
  const legacyVersion = r.u16('server_hello.legacy_version');
  const random = r.bytes(32, 'server_hello.random');
  const sidAt = r.offset;
  const sessionId = r.vector8('server_hello.legacy_session_id_echo');
  // RFC 8446 §4.1.3: opaque legacy_session_id_echo<0..32>
  if (sessionId.length > 32) {
    throw new ParseError('invalid', `legacy_session_id_echo: ${sessionId.length} bytes > 32`, base + sidAt, 'server_hello.legacy_session_id_echo');
  }
  const suite = r.u16('server_hello.cipher_suite');
  const compressionMethod = r.u8('server_hello.legacy_compression_method');
  // RFC 5246 §7.4.1.3: a server that sends no extensions may omit the block
  const extensions = r.done ? [] : readExtensionBlock(r, 'server_hello.extensions');
  r.expectEnd('server_hello');

  const hrr = isHelloRetryRequest(random);
  const info = cipherSuite(suite);
  const out: { -readonly [K in keyof ParsedServerHello]: ParsedServerHello[K] } = {
    legacyVersion,
    version: legacyVersion,
    random,
    sessionId,
    cipherSuite: suite,
    compressionMethod,
    extensions,
    isHelloRetryRequest: hrr,
    extendedMasterSecret: false,
    statusRequest: false,
    sniAck: false,
    sessionTicket: false,
  };
  if (info) out.cipher = info;
  const dg = downgradeSentinel(random);
  if (dg) out.downgrade = dg;

  for (const e of extensions) {
    switch (e.type) {
      case X.supported_versions:
        // RFC 8446 §4.2.1: the server's extension holds one selected_version
        out.supportedVersion = decodeU16(e.data, 'supported_versions.selected_version');
        out.version = out.supportedVersion;
        break;
      case X.key_share:
        // RFC 8446 §4.2.8: an HRR names only the selected group; a ServerHello carries one KeyShareEntry
        if (hrr) out.hrrSelectedGroup = decodeKeyShareHrr(e.data);
        else out.keyShare = decodeKeyShareServer(e.data);
        break;
      case X.cookie: {
        const cr = new Reader(e.data, 0, e.data.length, 0);
        out.cookie = cr.vector16('cookie');
        cr.expectEnd('cookie');
        break;
      }
      case X.application_layer_protocol_negotiation: {
        const list = decodeAlpn(e.data);
        out.alpnProtocols = list;
        if (list[0] !== undefined) out.alpn = list[0];
        break;
      }
      case X.renegotiation_info:
        out.renegotiationInfo = decodeRenegotiationInfo(e.data);
        break;
      case X.extended_master_secret:
        // RFC 7627 §5.1: the extension_data field is empty
        expectEmpty(e.data, 'extended_master_secret');
        out.extendedMasterSecret = true;
        break;
      case X.status_request:
        // RFC 6066 §8: the server's status_request has empty extension_data
        expectEmpty(e.data, 'status_request');
        out.statusRequest = true;
        break;
      case X.server_name:
        // RFC 6066 §3: the server's server_name has empty extension_data
        expectEmpty(e.data, 'server_name');
        out.sniAck = true;
        break;
      case X.ec_point_formats:
        out.ecPointFormats = decodeU8List(e.data, 'ec_point_formats');
        break;
      case X.session_ticket:
        out.sessionTicket = true;
        break;
      case X.record_size_limit:
        out.recordSizeLimit = decodeU16(e.data, 'record_size_limit');
        break;
    }
  }
  return out;
}

/**
 * What to put in a built ServerHello (for tests and the lab; a diagnosis never needs to be a server).
 *
 * @example
 * const opts: ServerHelloOptions = { random, cipherSuite: 0xc02f, alpn: 'h2' };
 */
export interface ServerHelloOptions {
  /** 32 bytes; use {@link HRR_RANDOM} for a HelloRetryRequest. */
  readonly random: Uint8Array;
  readonly legacyVersion?: number;
  readonly recordVersion?: number;
  readonly sessionId?: Uint8Array;
  readonly cipherSuite: number;
  readonly compressionMethod?: number;
  readonly supportedVersion?: number;
  readonly keyShare?: KeyShareEntry;
  /** HRR: the group to ask for. */
  readonly selectedGroup?: number;
  readonly cookie?: Uint8Array;
  readonly alpn?: string;
  readonly renegotiationInfo?: boolean | Uint8Array;
  readonly extendedMasterSecret?: boolean;
  readonly statusRequest?: boolean;
  readonly sniAck?: boolean;
  readonly ecPointFormats?: readonly number[];
  readonly sessionTicket?: boolean;
  readonly extraExtensions?: readonly RawExtension[];
}

/**
 * Build a ServerHello (or HRR). Throws RangeError for a random that is not 32 bytes.
 *
 * @example
 * const { message, record } = buildServerHello({ random, cipherSuite: 0x1301, supportedVersion: 0x0304,
 *   keyShare: { group: 0x001d, keyExchange: pub } });
 */
export function buildServerHello(opts: ServerHelloOptions): { message: Uint8Array; record: Uint8Array } {
  if (opts.random.length !== 32) throw new RangeError(`random must be 32 bytes, got ${opts.random.length}`);
  const exts: RawExtension[] = [];
  const empty = new Uint8Array(0);
  if (opts.sniAck) exts.push({ type: X.server_name, data: empty });
  if (opts.renegotiationInfo) {
    exts.push({ type: X.renegotiation_info, data: encodeRenegotiationInfo(opts.renegotiationInfo === true ? empty : opts.renegotiationInfo) });
  }
  if (opts.extendedMasterSecret) exts.push({ type: X.extended_master_secret, data: empty });
  if (opts.ecPointFormats) exts.push({ type: X.ec_point_formats, data: encodeU8List(opts.ecPointFormats) });
  if (opts.sessionTicket) exts.push({ type: X.session_ticket, data: empty });
  if (opts.statusRequest) exts.push({ type: X.status_request, data: empty });
  if (opts.alpn !== undefined) exts.push({ type: X.application_layer_protocol_negotiation, data: encodeAlpn([opts.alpn]) });
  if (opts.keyShare) exts.push({ type: X.key_share, data: encodeKeyShareServer(opts.keyShare) });
  if (opts.selectedGroup !== undefined) exts.push({ type: X.key_share, data: Uint8Array.of(opts.selectedGroup >> 8, opts.selectedGroup & 0xff) });
  if (opts.cookie) {
    const w = new Writer();
    const end = w.length16('cookie');
    w.bytes(opts.cookie);
    end();
    exts.push({ type: X.cookie, data: w.finish() });
  }
  if (opts.supportedVersion !== undefined) {
    exts.push({ type: X.supported_versions, data: Uint8Array.of(opts.supportedVersion >> 8, opts.supportedVersion & 0xff) });
  }
  exts.push(...(opts.extraExtensions ?? []));

  const w = new Writer(256);
  w.u16(opts.legacyVersion ?? TLS_VERSIONS.TLS1_2);
  w.bytes(opts.random);
  const endSid = w.length8('legacy_session_id_echo');
  w.bytes(opts.sessionId ?? empty);
  endSid();
  w.u16(opts.cipherSuite);
  w.u8(opts.compressionMethod ?? 0);
  if (exts.length > 0) writeExtensionBlock(w, exts);
  const message = encodeHandshake(HANDSHAKE_TYPES.server_hello, w.finish());
  return { message, record: encodeRecords(CONTENT_TYPES.handshake, opts.recordVersion ?? TLS_VERSIONS.TLS1_2, message) };
}
