/**
 * Build and parse ClientHello messages (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) for any protocol version, with any
 * cipher list and any of the extensions a diagnosis needs. Pure: the caller supplies the random and the key shares.
 *
 * @example
 * const { record } = buildClientHello({
 *   random, cipherSuites: [0xc02f, 0xc030], serverName: 'example.com', alpn: ['h2', 'http/1.1'],
 *   supportedGroups: [0x001d, 0x0017], signatureAlgorithms: [0x0403, 0x0804], ecPointFormats: [0],
 * });
 */
import { ParseError, Reader, Writer } from '../bytes.js';
import {
  type RawExtension,
  decodeAlpn,
  decodeRenegotiationInfo,
  decodeServerName,
  decodeStatusRequest,
  decodeU16,
  decodeU16List,
  decodeU8List,
  decodeVersionList,
  encodeAlpn,
  encodeRenegotiationInfo,
  encodeServerName,
  encodeStatusRequestOcsp,
  encodeU16List,
  encodeU8List,
  encodeVersionList,
  expectEmpty,
  readExtensionBlock,
  writeExtensionBlock,
} from './extensions.js';
import { type KeyShareEntry, decodeKeyShareClient, encodeKeyShareClient } from './key-share.js';
import { HANDSHAKE_HEADER_LENGTH, encodeHandshake, encodeRecords, parseHandshake } from './record.js';
import { CONTENT_TYPES, EXTENSION_TYPES, HANDSHAKE_TYPES, TLS_VERSIONS } from './registry.js';

export type { KeyShareEntry, RawExtension };

const X = EXTENSION_TYPES;

/**
 * Where to put a GREASE value (RFC 8701): an index in the list, optionally with the value to use there.
 *
 * @example
 * const at: GreasePlacement = { at: 0, value: 0x1a1a };
 */
export type GreasePlacement = number | { readonly at: number; readonly value: number };

/**
 * GREASE (RFC 8701) insertions. Each list names indices at which a GREASE value is inserted (default 0x0a0a).
 *
 * @example
 * const grease: GreaseOptions = { cipherSuites: [0], extensions: [0, { at: 99, value: 0x1a1a }], supportedGroups: [0] };
 */
export interface GreaseOptions {
  readonly cipherSuites?: readonly GreasePlacement[];
  /** An empty extension of a GREASE type; an index past the end appends (before padding). */
  readonly extensions?: readonly GreasePlacement[];
  readonly supportedGroups?: readonly GreasePlacement[];
  readonly supportedVersions?: readonly GreasePlacement[];
  readonly signatureAlgorithms?: readonly GreasePlacement[];
  /** Insert a one-byte key share for a GREASE group at this index of key_share. */
  readonly keyShare?: GreasePlacement;
  readonly alpn?: readonly GreasePlacement[];
}

/**
 * Everything a ClientHello can say. Omitted extensions are not sent; lists are sent in the given order.
 *
 * @example
 * const opts: ClientHelloOptions = { random: new Uint8Array(32), cipherSuites: [0x1301] };
 */
export interface ClientHelloOptions {
  /** 32 bytes; the codec is pure, so the caller brings the randomness. */
  readonly random: Uint8Array;
  /** ClientHello.legacy_version (default 0x0303; TLS 1.3 keeps 0x0303 and uses supported_versions). */
  readonly legacyVersion?: number;
  /** The record layer's legacy_record_version (default 0x0301, RFC 8446 §5.1). */
  readonly recordVersion?: number;
  /** legacy_session_id (default empty). Up to 255 bytes are written, so a probe can send an invalid one. */
  readonly sessionId?: Uint8Array;
  readonly cipherSuites: readonly number[];
  /** Default [0] (null). */
  readonly compressionMethods?: readonly number[];
  /** server_name (RFC 6066 §3): any name, or raw bytes; undefined sends no SNI. */
  readonly serverName?: string | Uint8Array;
  readonly supportedGroups?: readonly number[];
  /** key_share (RFC 8446 §4.2.8): caller-made public keys; `[]` sends an empty key_share. */
  readonly keyShares?: readonly KeyShareEntry[];
  readonly signatureAlgorithms?: readonly number[];
  readonly alpn?: readonly (string | Uint8Array)[];
  readonly supportedVersions?: readonly number[];
  readonly ecPointFormats?: readonly number[];
  /** renegotiation_info (RFC 5746): true sends the empty first-handshake form. */
  readonly renegotiationInfo?: boolean | Uint8Array;
  /** status_request for OCSP (RFC 6066 §8). */
  readonly statusRequest?: boolean;
  readonly extendedMasterSecret?: boolean;
  /** session_ticket (RFC 5077): true sends the empty extension, bytes send a ticket. */
  readonly sessionTicket?: boolean | Uint8Array;
  readonly pskKeyExchangeModes?: readonly number[];
  readonly grease?: GreaseOptions;
  /** Extensions to send as given (after the built ones, before padding). */
  readonly extraExtensions?: readonly RawExtension[];
  /** Reorder extensions: these types first, in this order; the rest keep their order. */
  readonly extensionOrder?: readonly number[];
  /**
   * padding (RFC 7685): a number sends that many zero bytes; `{ toLength }` pads the handshake message to at least
   * that many bytes (no padding if it is already as long).
   */
  readonly padding?: number | { readonly toLength: number };
}

/**
 * A built ClientHello: the handshake message (header included, what the transcript hashes), the record(s) to send,
 * and the extensions in wire order.
 *
 * @example
 * const { message, record } = buildClientHello(opts); socket.write(record);
 */
export interface BuiltClientHello {
  readonly message: Uint8Array;
  readonly record: Uint8Array;
  readonly extensions: readonly RawExtension[];
}

const DEFAULT_GREASE = 0x0a0a;

function placeGrease<T>(list: readonly T[], places: readonly GreasePlacement[] | undefined, make: (v: number) => T): T[] {
  const out = [...list];
  if (!places) return out;
  // insert from the highest index down, so earlier indices keep their meaning relative to the original list
  const norm = places.map((p) => (typeof p === 'number' ? { at: p, value: DEFAULT_GREASE } : p)).sort((a, b) => b.at - a.at);
  for (const p of norm) out.splice(Math.min(Math.max(p.at, 0), out.length), 0, make(p.value));
  return out;
}

/**
 * Build a ClientHello. Throws RangeError for caller mistakes (random not 32 bytes, a list too long to encode).
 *
 * @example
 * const { message, record } = buildClientHello({ random, cipherSuites: [0x1301], supportedVersions: [0x0304],
 *   supportedGroups: [0x001d], keyShares: [{ group: 0x001d, keyExchange: pub }], signatureAlgorithms: [0x0804] });
 */
export function buildClientHello(opts: ClientHelloOptions): BuiltClientHello {
  // RFC 8446 §4.1.2: Random random (32 bytes)
  if (opts.random.length !== 32) throw new RangeError(`random must be 32 bytes, got ${opts.random.length}`);
  const g = opts.grease ?? {};
  const u16 = (v: number) => v;

  let exts: RawExtension[] = [];
  if (opts.serverName !== undefined) exts.push({ type: X.server_name, data: encodeServerName(opts.serverName) });
  if (opts.extendedMasterSecret) exts.push({ type: X.extended_master_secret, data: new Uint8Array(0) });
  if (opts.renegotiationInfo) {
    const v = opts.renegotiationInfo === true ? new Uint8Array(0) : opts.renegotiationInfo;
    exts.push({ type: X.renegotiation_info, data: encodeRenegotiationInfo(v) });
  }
  if (opts.supportedGroups) {
    exts.push({ type: X.supported_groups, data: encodeU16List(placeGrease(opts.supportedGroups, g.supportedGroups, u16)) });
  }
  if (opts.ecPointFormats) exts.push({ type: X.ec_point_formats, data: encodeU8List(opts.ecPointFormats) });
  if (opts.sessionTicket) {
    exts.push({ type: X.session_ticket, data: opts.sessionTicket === true ? new Uint8Array(0) : opts.sessionTicket });
  }
  if (opts.alpn) {
    const names = placeGrease(opts.alpn, g.alpn, (v) => Uint8Array.of(v >> 8, v & 0xff));
    exts.push({ type: X.application_layer_protocol_negotiation, data: encodeAlpn(names) });
  }
  if (opts.statusRequest) exts.push({ type: X.status_request, data: encodeStatusRequestOcsp() });
  if (opts.signatureAlgorithms) {
    exts.push({ type: X.signature_algorithms, data: encodeU16List(placeGrease(opts.signatureAlgorithms, g.signatureAlgorithms, u16)) });
  }
  if (opts.keyShares) {
    // RFC 8701 §3.1: a GREASE key share carries a single byte of key_exchange
    const shares = placeGrease(opts.keyShares, g.keyShare === undefined ? undefined : [g.keyShare], (v) => ({
      group: v,
      keyExchange: Uint8Array.of(0),
    }));
    exts.push({ type: X.key_share, data: encodeKeyShareClient(shares) });
  }
  if (opts.pskKeyExchangeModes) exts.push({ type: X.psk_key_exchange_modes, data: encodeU8List(opts.pskKeyExchangeModes) });
  if (opts.supportedVersions) {
    exts.push({ type: X.supported_versions, data: encodeVersionList(placeGrease(opts.supportedVersions, g.supportedVersions, u16)) });
  }
  exts.push(...(opts.extraExtensions ?? []));
  if (opts.extensionOrder) {
    const rank = new Map(opts.extensionOrder.map((t, i) => [t, i]));
    exts = exts
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (rank.get(a.e.type) ?? rank.size + a.i) - (rank.get(b.e.type) ?? rank.size + b.i))
      .map((x) => x.e);
  }
  exts = placeGrease(exts, g.extensions, (v) => ({ type: v, data: new Uint8Array(0) }));

  const ciphers = placeGrease(opts.cipherSuites, g.cipherSuites, u16);
  const encodeWith = (extensions: readonly RawExtension[]): Uint8Array => {
    const w = new Writer(512);
    w.u16(opts.legacyVersion ?? TLS_VERSIONS.TLS1_2);
    w.bytes(opts.random);
    const endSid = w.length8('legacy_session_id');
    w.bytes(opts.sessionId ?? new Uint8Array(0));
    endSid();
    const endCs = w.length16('cipher_suites');
    for (const c of ciphers) w.u16(c);
    endCs();
    const endComp = w.length8('legacy_compression_methods');
    for (const m of opts.compressionMethods ?? [0]) w.u8(m);
    endComp();
    // RFC 5246 §7.4.1.2: a hello without extensions may omit the block entirely (SSL 3.0-style)
    if (extensions.length > 0) writeExtensionBlock(w, extensions);
    return w.finish();
  };

  if (opts.padding !== undefined) {
    let padLen: number;
    if (typeof opts.padding === 'number') padLen = opts.padding;
    else {
      // the padding extension costs 4 header bytes (+2 for the block's length if it is the only extension)
      const base = HANDSHAKE_HEADER_LENGTH + encodeWith(exts).length + (exts.length === 0 ? 2 : 0);
      padLen = opts.padding.toLength - base - 4;
    }
    // RFC 7685 §3: the extension_data consists of zero bytes
    if (padLen >= 0) exts.push({ type: X.padding, data: new Uint8Array(padLen) });
  }

  const message = encodeHandshake(HANDSHAKE_TYPES.client_hello, encodeWith(exts));
  const record = encodeRecords(CONTENT_TYPES.handshake, opts.recordVersion ?? TLS_VERSIONS.TLS1_0, message);
  return { message, record, extensions: exts };
}

/**
 * A parsed ClientHello: the raw fields, the raw extensions in order, and the decoded known extensions.
 *
 * @example
 * parseClientHello(message).alpn; // ['h2', 'http/1.1']
 */
export interface ParsedClientHello {
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: readonly number[];
  readonly extensions: readonly RawExtension[];
  readonly serverName?: string;
  readonly supportedGroups?: readonly number[];
  readonly keyShares?: readonly KeyShareEntry[];
  readonly signatureAlgorithms?: readonly number[];
  readonly alpn?: readonly string[];
  readonly supportedVersions?: readonly number[];
  readonly ecPointFormats?: readonly number[];
  readonly renegotiationInfo?: Uint8Array;
  readonly statusRequest?: boolean;
  readonly extendedMasterSecret: boolean;
  readonly sessionTicket?: Uint8Array;
  readonly pskKeyExchangeModes?: readonly number[];
  readonly recordSizeLimit?: number;
  /** Length of the padding extension's data, if present. */
  readonly padding?: number;
}

/**
 * Parse a ClientHello handshake message (4-byte header included). Throws ParseError.
 *
 * @example
 * parseClientHello(built.message).cipherSuites; // [0x1301, …]
 */
export function parseClientHello(message: Uint8Array): ParsedClientHello {
  const m = parseHandshake(message);
  if (m.type !== HANDSHAKE_TYPES.client_hello) {
    throw new ParseError('unexpected-value', `handshake: expected client_hello(1), got ${m.type}`, 0, 'handshake.msg_type');
  }
  return parseClientHelloBody(m.body, HANDSHAKE_HEADER_LENGTH);
}

/**
 * Parse a ClientHello body (after the handshake header). `base` offsets error positions.
 *
 * @example
 * parseClientHelloBody(message.subarray(4));
 */
export function parseClientHelloBody(body: Uint8Array, base = 0): ParsedClientHello {
  const r = new Reader(body, 0, body.length, base);
  const legacyVersion = r.u16('client_hello.legacy_version');
  const random = r.bytes(32, 'client_hello.random');
  // RFC 8446 §4.1.2: opaque legacy_session_id<0..32>
  const sidAt = r.offset;
  const sessionId = r.vector8('client_hello.legacy_session_id');
  if (sessionId.length > 32) {
    throw new ParseError('invalid', `legacy_session_id: ${sessionId.length} bytes > 32`, base + sidAt, 'client_hello.legacy_session_id');
  }
  const cs = r.sub16('client_hello.cipher_suites');
  // RFC 8446 §4.1.2: CipherSuite cipher_suites<2..2^16-2>
  if (cs.remaining % 2 !== 0) throw new ParseError('length-mismatch', 'cipher_suites: odd length', base + cs.offset, 'client_hello.cipher_suites');
  const cipherSuites: number[] = [];
  while (!cs.done) cipherSuites.push(cs.u16('client_hello.cipher_suite'));
  const compressionMethods = Array.from(r.vector8('client_hello.legacy_compression_methods'));
  // RFC 5246 §7.4.1.2: the extensions block may be absent entirely
  const extensions = r.done ? [] : readExtensionBlock(r, 'client_hello.extensions');
  r.expectEnd('client_hello');

  const out: { -readonly [K in keyof ParsedClientHello]: ParsedClientHello[K] } = {
    legacyVersion,
    random,
    sessionId,
    cipherSuites,
    compressionMethods,
    extensions,
    extendedMasterSecret: false,
  };
  for (const e of extensions) {
    switch (e.type) {
      case X.server_name:
        out.serverName = decodeServerName(e.data);
        break;
      case X.supported_groups:
        out.supportedGroups = decodeU16List(e.data, 'supported_groups');
        break;
      case X.key_share:
        out.keyShares = decodeKeyShareClient(e.data);
        break;
      case X.signature_algorithms:
        out.signatureAlgorithms = decodeU16List(e.data, 'signature_algorithms');
        break;
      case X.application_layer_protocol_negotiation:
        out.alpn = decodeAlpn(e.data);
        break;
      case X.supported_versions:
        out.supportedVersions = decodeVersionList(e.data);
        break;
      case X.ec_point_formats:
        out.ecPointFormats = decodeU8List(e.data, 'ec_point_formats');
        break;
      case X.renegotiation_info:
        out.renegotiationInfo = decodeRenegotiationInfo(e.data);
        break;
      case X.status_request:
        out.statusRequest = decodeStatusRequest(e.data).statusType === 1;
        break;
      case X.extended_master_secret:
        // RFC 7627 §5.1: the extension_data field is empty
        expectEmpty(e.data, 'extended_master_secret');
        out.extendedMasterSecret = true;
        break;
      case X.session_ticket:
        out.sessionTicket = e.data;
        break;
      case X.psk_key_exchange_modes:
        out.pskKeyExchangeModes = decodeU8List(e.data, 'psk_key_exchange_modes');
        break;
      case X.record_size_limit:
        out.recordSizeLimit = decodeU16(e.data, 'record_size_limit');
        break;
      case X.padding:
        out.padding = e.data.length;
        break;
    }
  }
  return out;
}
