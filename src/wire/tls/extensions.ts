/**
 * Hello extension blocks and the bodies of the extensions h2doctor reads and writes (RFC 8446 §4.2, RFC 6066,
 * RFC 7301, RFC 8422, RFC 5746, RFC 7627, RFC 5077). Shared by the ClientHello, ServerHello and
 * EncryptedExtensions codecs. key_share's bodies are key-share.ts.
 *
 * @example
 * const exts = readExtensionBlock(reader, 'client_hello.extensions');
 * const alpn = decodeAlpn(exts.find((e) => e.type === EXTENSION_TYPES.application_layer_protocol_negotiation)!.data);
 */
import { ParseError, Reader, Writer } from '../bytes.js';
import { extensionName } from './registry.js';

/**
 * One extension as it appears on the wire.
 *
 * @example
 * const ext: RawExtension = { type: 16, data: encodeAlpn(['h2']) };
 */
export interface RawExtension {
  readonly type: number;
  readonly data: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const enc = new TextEncoder();

/**
 * Read a u16-length-prefixed extension list from `r`. Throws ParseError on bad lengths or a repeated type.
 *
 * @example
 * readExtensionBlock(new Reader(fromHex('0000')), 'extensions'); // []
 */
export function readExtensionBlock(r: Reader, field: string): RawExtension[] {
  const block = r.sub16(field);
  const out: RawExtension[] = [];
  const seen = new Set<number>();
  while (!block.done) {
    const at = block.offset;
    const type = block.u16(`${field}.type`);
    const data = block.vector16(`${field}.${extensionName(type)}`);
    // RFC 8446 §4.2: there MUST NOT be more than one extension of the same type in a given extension block
    if (seen.has(type)) {
      throw new ParseError('invalid', `${field}: duplicate extension ${extensionName(type)}`, at, field);
    }
    seen.add(type);
    out.push({ type, data });
  }
  return out;
}

/**
 * Write a u16-length-prefixed extension list.
 *
 * @example
 * writeExtensionBlock(w, [{ type: 23, data: new Uint8Array(0) }]);
 */
export function writeExtensionBlock(w: Writer, exts: readonly RawExtension[]): void {
  const end = w.length16('extensions');
  for (const e of exts) {
    w.u16(e.type);
    const endOne = w.length16(`extension ${e.type}`);
    w.bytes(e.data);
    endOne();
  }
  end();
}

// ------------------------------------------------------------------------------------ server_name

/**
 * RFC 6066 §3: ServerNameList with one host_name entry.
 *
 * @example
 * encodeServerName('example.com');
 */
export function encodeServerName(name: string | Uint8Array): Uint8Array {
  const w = new Writer();
  const end = w.length16('server_name_list');
  // RFC 6066 §3: NameType host_name(0), then a u16-prefixed HostName
  w.u8(0);
  const endName = w.length16('host_name');
  w.bytes(typeof name === 'string' ? enc.encode(name) : name);
  endName();
  end();
  return w.finish();
}

/**
 * The host_name in a ClientHello's server_name extension (the first of that type), or '' for the empty
 * extension a server sends to acknowledge SNI (RFC 6066 §3).
 *
 * @example
 * decodeServerName(encodeServerName('example.com')); // 'example.com'
 */
export function decodeServerName(data: Uint8Array): string {
  if (data.length === 0) return '';
  const r = new Reader(data);
  const list = r.sub16('server_name_list');
  r.expectEnd('server_name');
  let host: string | undefined;
  while (!list.done) {
    const type = list.u8('server_name.name_type');
    const name = list.vector16('server_name.host_name');
    if (type === 0 && host === undefined) host = utf8.decode(name);
  }
  return host ?? '';
}

// ------------------------------------------------------------------------------------ ALPN

/**
 * RFC 7301 §3.1: ProtocolNameList.
 *
 * @example
 * encodeAlpn(['h2', 'http/1.1']);
 */
export function encodeAlpn(protocols: readonly (string | Uint8Array)[]): Uint8Array {
  const w = new Writer();
  const end = w.length16('protocol_name_list');
  for (const p of protocols) {
    const endOne = w.length8('protocol_name');
    w.bytes(typeof p === 'string' ? enc.encode(p) : p);
    endOne();
  }
  end();
  return w.finish();
}

/**
 * Decode a ProtocolNameList (a server's answer holds exactly one name, RFC 7301 §3.1).
 *
 * @example
 * decodeAlpn(encodeAlpn(['h2'])); // ['h2']
 */
export function decodeAlpn(data: Uint8Array): string[] {
  const r = new Reader(data);
  const list = r.sub16('alpn.protocol_name_list');
  r.expectEnd('alpn');
  const out: string[] = [];
  while (!list.done) {
    const at = list.offset;
    const name = list.vector8('alpn.protocol_name');
    // RFC 7301 §3.1: empty strings MUST NOT be included
    if (name.length === 0) throw new ParseError('invalid', 'alpn: empty protocol name', at, 'alpn.protocol_name');
    out.push(utf8.decode(name));
  }
  return out;
}

// ------------------------------------------------------------------------------------ lists of codes

/**
 * A u16-length-prefixed list of u16 codes (supported_groups RFC 8422 §5.1.1, signature_algorithms RFC 8446 §4.2.3).
 *
 * @example
 * encodeU16List([0x001d, 0x0017]);
 */
export function encodeU16List(codes: readonly number[]): Uint8Array {
  const w = new Writer();
  const end = w.length16('list');
  for (const c of codes) w.u16(c);
  end();
  return w.finish();
}

/**
 * Decode a u16-length-prefixed list of u16 codes.
 *
 * @example
 * decodeU16List(encodeU16List([29, 23]), 'supported_groups'); // [29, 23]
 */
export function decodeU16List(data: Uint8Array, field: string): number[] {
  const r = new Reader(data);
  const list = r.sub16(field);
  r.expectEnd(field);
  if (list.remaining % 2 !== 0) throw new ParseError('length-mismatch', `${field}: odd length`, list.offset, field);
  const out: number[] = [];
  while (!list.done) out.push(list.u16(field));
  return out;
}

/**
 * A u8-length-prefixed list of u16 codes (ClientHello supported_versions, RFC 8446 §4.2.1).
 *
 * @example
 * encodeVersionList([0x0304, 0x0303]);
 */
export function encodeVersionList(versions: readonly number[]): Uint8Array {
  const w = new Writer();
  const end = w.length8('versions');
  for (const v of versions) w.u16(v);
  end();
  return w.finish();
}

/**
 * Decode a ClientHello supported_versions body.
 *
 * @example
 * decodeVersionList(fromHex('020304')); // [0x0304]
 */
export function decodeVersionList(data: Uint8Array): number[] {
  const r = new Reader(data);
  const list = r.sub8('supported_versions');
  r.expectEnd('supported_versions');
  if (list.remaining % 2 !== 0) throw new ParseError('length-mismatch', 'supported_versions: odd length', list.offset, 'supported_versions');
  const out: number[] = [];
  while (!list.done) out.push(list.u16('supported_versions'));
  return out;
}

/**
 * A u8-length-prefixed list of u8 codes (ec_point_formats RFC 8422 §5.1.2, psk_key_exchange_modes RFC 8446 §4.2.9).
 *
 * @example
 * encodeU8List([0]); // 01 00
 */
export function encodeU8List(codes: readonly number[]): Uint8Array {
  const w = new Writer();
  const end = w.length8('list');
  for (const c of codes) w.u8(c);
  end();
  return w.finish();
}

/**
 * Decode a u8-length-prefixed list of u8 codes.
 *
 * @example
 * decodeU8List(fromHex('0100'), 'ec_point_formats'); // [0]
 */
export function decodeU8List(data: Uint8Array, field: string): number[] {
  const r = new Reader(data);
  const list = r.vector8(field);
  r.expectEnd(field);
  return Array.from(list);
}

// ------------------------------------------------------------------------------------ small bodies

/**
 * RFC 5746 §3.2: renegotiation_info carries a u8-prefixed renegotiated_connection (empty on a first handshake).
 *
 * @example
 * encodeRenegotiationInfo(new Uint8Array(0)); // 00
 */
export function encodeRenegotiationInfo(verifyData: Uint8Array): Uint8Array {
  const w = new Writer(1 + verifyData.length);
  const end = w.length8('renegotiated_connection');
  w.bytes(verifyData);
  end();
  return w.finish();
}

/**
 * Decode a renegotiation_info body.
 *
 * @example
 * decodeRenegotiationInfo(fromHex('00')).length; // 0
 */
export function decodeRenegotiationInfo(data: Uint8Array): Uint8Array {
  const r = new Reader(data);
  const v = r.vector8('renegotiation_info.renegotiated_connection');
  r.expectEnd('renegotiation_info');
  return v;
}

/**
 * RFC 6066 §8: a ClientHello status_request for OCSP with no responder ids and no request extensions.
 *
 * @example
 * encodeStatusRequestOcsp(); // 01 0000 0000
 */
export function encodeStatusRequestOcsp(): Uint8Array {
  return Uint8Array.of(1, 0, 0, 0, 0);
}

/**
 * Decode a ClientHello status_request body: its status_type (1 = ocsp).
 *
 * @example
 * decodeStatusRequest(encodeStatusRequestOcsp()); // { statusType: 1 }
 */
export function decodeStatusRequest(data: Uint8Array): { statusType: number } {
  const r = new Reader(data);
  const statusType = r.u8('status_request.status_type');
  if (statusType === 1) {
    // RFC 6066 §8: OCSPStatusRequest { ResponderID responder_id_list<0..2^16-1>; Extensions request_extensions; }
    r.vector16('status_request.responder_id_list');
    r.vector16('status_request.request_extensions');
    r.expectEnd('status_request');
  }
  return { statusType };
}

/**
 * Fail unless an extension that must be empty is (extended_master_secret RFC 7627 §5.1, a server's SNI ack, …).
 *
 * @example
 * expectEmpty(new Uint8Array(0), 'extended_master_secret');
 */
export function expectEmpty(data: Uint8Array, field: string): void {
  if (data.length !== 0) throw new ParseError('invalid', `${field}: expected empty, got ${data.length} byte(s)`, 0, field);
}

/**
 * RFC 8449 §4: record_size_limit is one u16.
 *
 * @example
 * decodeU16(fromHex('4001'), 'record_size_limit'); // 16385
 */
export function decodeU16(data: Uint8Array, field: string): number {
  const r = new Reader(data);
  const v = r.u16(field);
  r.expectEnd(field);
  return v;
}
