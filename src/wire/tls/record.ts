/**
 * The TLS record layer (RFC 8446 §5, RFC 5246 §6.2): record headers, an incremental record decoder for bytes that
 * arrive in arbitrary chunks, and reassembly of handshake messages that span records.
 *
 * @example
 * const dec = new RecordDecoder();
 * dec.push(chunk);
 * for (let rec = dec.next(); rec; rec = dec.next()) console.log(contentTypeName(rec.type), rec.body.length);
 */
import { ByteQueue, ParseError, Reader, Writer, hex } from '../bytes.js';
import { CONTENT_TYPES } from './registry.js';

/**
 * RFC 8446 §5.1: type(1) + legacy_record_version(2) + length(2).
 *
 * @example
 * bytes.length >= RECORD_HEADER_LENGTH;
 */
export const RECORD_HEADER_LENGTH = 5;
/**
 * RFC 8446 §5.1: a TLSPlaintext fragment is at most 2^14 bytes.
 *
 * @example
 * encodeRecords(22, 0x0303, data, MAX_PLAINTEXT_LENGTH);
 */
export const MAX_PLAINTEXT_LENGTH = 2 ** 14;
/**
 * RFC 5246 §6.2.3: a TLSCiphertext fragment is at most 2^14 + 2048 bytes (TLS 1.3 allows only +256: §5.2).
 *
 * @example
 * parseRecordHeader(fromHex('1703034801')); // ParseError 'too-large'
 */
export const MAX_RECORD_LENGTH = 2 ** 14 + 2048;
/**
 * RFC 8446 §4: a handshake message header is msg_type(1) + length(3).
 *
 * @example
 * message.subarray(HANDSHAKE_HEADER_LENGTH); // the body
 */
export const HANDSHAKE_HEADER_LENGTH = 4;

/**
 * One record header.
 *
 * @example
 * parseRecordHeader(fromHex('1603010005')); // { type: 22, version: 0x0301, length: 5 }
 */
export interface RecordHeader {
  readonly type: number;
  readonly version: number;
  readonly length: number;
}

/**
 * A whole record: header fields plus a view of its fragment.
 *
 * @example
 * new RecordDecoder().next()?.body;
 */
export interface TlsRecord extends RecordHeader {
  readonly body: Uint8Array;
}

const KNOWN_CONTENT_TYPES: ReadonlySet<number> = new Set(Object.values(CONTENT_TYPES));

/**
 * Parse a record header at `offset`. Throws ParseError: `truncated` (fewer than 5 bytes), `unexpected-value`
 * (a content type or version byte no TLS peer sends: the bytes are not TLS), `too-large` (length > 2^14+2048).
 *
 * @example
 * parseRecordHeader(fromHex('15030300020228')).type; // 21 (alert)
 */
export function parseRecordHeader(bytes: Uint8Array, offset = 0): RecordHeader {
  const r = new Reader(bytes, offset, Math.min(bytes.length, offset + RECORD_HEADER_LENGTH), 0);
  const at = r.offset;
  const type = r.u8('record.type');
  // RFC 8446 §5.1: ContentType is one of the registered values; anything else is not a TLS record
  if (!KNOWN_CONTENT_TYPES.has(type)) {
    throw new ParseError('unexpected-value', `record.type: 0x${hex(type, 2)} is not a TLS content type`, at, 'record.type');
  }
  const version = r.u16('record.legacy_version');
  // RFC 8446 §5.1 / RFC 6101 §5.2.1: the version's major byte is 3 (SSL 3.0 … TLS 1.3)
  if (version >> 8 !== 3) {
    throw new ParseError('unexpected-value', `record.legacy_version: 0x${hex(version, 4)} is not SSL 3.x/TLS`, at + 1, 'record.legacy_version');
  }
  const length = r.u16('record.length');
  // RFC 5246 §6.2.3: the fragment MUST NOT exceed 2^14 + 2048 (the most any version permits)
  if (length > MAX_RECORD_LENGTH) {
    throw new ParseError('too-large', `record.length: ${length} exceeds ${MAX_RECORD_LENGTH}`, at + 3, 'record.length');
  }
  return { type, version, length };
}

/**
 * Encode one record. Throws RangeError (a caller bug, not a parse failure) if the body exceeds 2^14+2048 bytes.
 *
 * @example
 * encodeRecord(21, 0x0303, Uint8Array.of(2, 40)); // 15 03 03 00 02 02 28
 */
export function encodeRecord(type: number, version: number, body: Uint8Array): Uint8Array {
  if (body.length > MAX_RECORD_LENGTH) throw new RangeError(`record body ${body.length} exceeds ${MAX_RECORD_LENGTH}`);
  const w = new Writer(body.length + RECORD_HEADER_LENGTH);
  w.u8(type).u16(version);
  const end = w.length16('record.fragment');
  w.bytes(body);
  end();
  return w.finish();
}

/**
 * Encode `data` as as many records as needed, each fragment at most `maxFragment` bytes (RFC 8446 §5.1 allows
 * fragmenting handshake messages across records). Empty data gives one empty record.
 *
 * @example
 * encodeRecords(22, 0x0301, bigClientHello).length; // header bytes + data
 */
export function encodeRecords(type: number, version: number, data: Uint8Array, maxFragment = MAX_PLAINTEXT_LENGTH): Uint8Array {
  if (maxFragment < 1 || maxFragment > MAX_RECORD_LENGTH) throw new RangeError(`maxFragment ${maxFragment} out of range`);
  if (data.length === 0) return encodeRecord(type, version, data);
  const w = new Writer(data.length + RECORD_HEADER_LENGTH * Math.ceil(data.length / maxFragment));
  for (let at = 0; at < data.length; at += maxFragment) {
    const part = data.subarray(at, Math.min(data.length, at + maxFragment));
    w.u8(type).u16(version).u16(part.length).bytes(part);
  }
  return w.finish();
}

/**
 * Parse every complete record in `bytes`; `rest` is the incomplete tail (empty if the input ends on a boundary).
 * Throws ParseError only for a header that is not TLS; a cut-off record is returned as `rest`, not an error.
 *
 * @example
 * const { records, rest } = parseRecords(bytes);
 */
export function parseRecords(bytes: Uint8Array, maxRecords = 10_000): { records: TlsRecord[]; rest: Uint8Array } {
  const records: TlsRecord[] = [];
  let at = 0;
  while (bytes.length - at >= RECORD_HEADER_LENGTH && records.length < maxRecords) {
    const h = parseRecordHeader(bytes, at);
    if (bytes.length - at - RECORD_HEADER_LENGTH < h.length) break;
    const start = at + RECORD_HEADER_LENGTH;
    records.push({ ...h, body: bytes.subarray(start, start + h.length) });
    at = start + h.length;
  }
  return { records, rest: bytes.subarray(at) };
}

/**
 * Limits for {@link RecordDecoder}.
 *
 * @example
 * new RecordDecoder({ maxBuffered: 64 * 1024 });
 */
export interface RecordDecoderOptions {
  /** Most bytes held while waiting for a record to complete (default 1 MiB). */
  readonly maxBuffered?: number;
  /** Largest fragment accepted (default and ceiling 2^14+2048). */
  readonly maxRecordLength?: number;
}

/**
 * Incremental record decoder: push chunks as they arrive, pull whole records. Any chunking of the same stream gives
 * the same records. A malformed header throws ParseError from `next()` and keeps throwing it (the stream is dead).
 *
 * @example
 * const dec = new RecordDecoder();
 * dec.push(a); dec.push(b);
 * const rec = dec.next(); // TlsRecord, or null until more bytes arrive
 */
export class RecordDecoder {
  private readonly q: ByteQueue;
  private readonly maxRecordLength: number;
  private failed: ParseError | undefined;

  constructor(opts: RecordDecoderOptions = {}) {
    this.q = new ByteQueue(opts.maxBuffered ?? 1 << 20, 'record-decoder');
    this.maxRecordLength = Math.min(opts.maxRecordLength ?? MAX_RECORD_LENGTH, MAX_RECORD_LENGTH);
  }

  /** Bytes received but not yet returned as a record. */
  get buffered(): number {
    return this.q.size;
  }
  /** Stream offset of the next record's first byte. */
  get offset(): number {
    return this.q.consumed;
  }

  push(chunk: Uint8Array): void {
    if (this.failed) throw this.failed;
    this.q.push(chunk);
  }

  next(): TlsRecord | null {
    if (this.failed) throw this.failed;
    const view = this.q.view();
    if (view.length < 1) return null;
    let h: RecordHeader;
    try {
      // validate as much of the header as has arrived, so garbage is reported without waiting for 5 bytes
      h = parseRecordHeader(view.length >= RECORD_HEADER_LENGTH ? view : padHeader(view));
    } catch (e) {
      return this.fail(e as ParseError);
    }
    if (view.length < RECORD_HEADER_LENGTH) return null;
    if (h.length > this.maxRecordLength) {
      return this.fail(new ParseError('too-large', `record.length: ${h.length} exceeds ${this.maxRecordLength}`, 3, 'record.length'));
    }
    if (view.length < RECORD_HEADER_LENGTH + h.length) return null;
    const raw = this.q.take(RECORD_HEADER_LENGTH + h.length);
    return { ...h, body: raw.subarray(RECORD_HEADER_LENGTH) };
  }

  private fail(e: ParseError): never {
    this.failed = new ParseError(e.code, e.message, this.q.consumed + e.offset, e.field);
    throw this.failed;
  }
}

/** Complete a partial header with the most permissive bytes, so only what has arrived can fail validation. */
function padHeader(partial: Uint8Array): Uint8Array {
  const out = Uint8Array.of(CONTENT_TYPES.handshake, 3, 1, 0, 0);
  out.set(partial.subarray(0, RECORD_HEADER_LENGTH));
  return out;
}

/**
 * One handshake message (RFC 8446 §4): its type, its body, and `raw` (header + body, what a transcript hashes).
 *
 * @example
 * msg.type === 2; // server_hello
 */
export interface HandshakeMessage {
  readonly type: number;
  readonly body: Uint8Array;
  readonly raw: Uint8Array;
}

/**
 * Limits for {@link HandshakeReassembler}.
 *
 * @example
 * new HandshakeReassembler({ maxMessageSize: 32 * 1024 });
 */
export interface HandshakeReassemblerOptions {
  /** Largest handshake message accepted (default 256 KiB, room for long certificate chains). */
  readonly maxMessageSize?: number;
}

/**
 * Reassemble handshake messages from the fragments of consecutive handshake records (RFC 8446 §5.1: messages may be
 * coalesced into one record or split across several). Push each handshake record's body; pull messages.
 *
 * @example
 * const hs = new HandshakeReassembler();
 * hs.push(record.body);
 * for (let m = hs.next(); m; m = hs.next()) console.log(handshakeTypeName(m.type));
 */
export class HandshakeReassembler {
  private readonly q: ByteQueue;
  private readonly maxMessageSize: number;
  private failed: ParseError | undefined;

  constructor(opts: HandshakeReassemblerOptions = {}) {
    this.maxMessageSize = opts.maxMessageSize ?? 256 * 1024;
    this.q = new ByteQueue(this.maxMessageSize + HANDSHAKE_HEADER_LENGTH + MAX_RECORD_LENGTH, 'handshake-reassembler');
  }

  /** Bytes of a message that has begun but not finished (RFC 8446 §5.1: nothing else may come between). */
  get pending(): number {
    return this.q.size;
  }

  push(fragment: Uint8Array): void {
    if (this.failed) throw this.failed;
    this.q.push(fragment);
  }

  /**
   * The header of the message under way (begun, not finished): its type and the length it announces,
   * also when that length was over the limit. Undefined when no header is held.
   * @example r.head() // { type: 11, length: 2801469 }
   */
  head(): { type: number; length: number } | undefined {
    const view = this.q.view();
    if (view.length < HANDSHAKE_HEADER_LENGTH) return undefined;
    return { type: view[0]!, length: (view[1]! << 16) | (view[2]! << 8) | view[3]! };
  }

  next(): HandshakeMessage | null {
    if (this.failed) throw this.failed;
    const view = this.q.view();
    if (view.length < HANDSHAKE_HEADER_LENGTH) return null;
    const r = new Reader(view);
    const type = r.u8('handshake.msg_type');
    const length = r.u24('handshake.length');
    if (length > this.maxMessageSize) {
      this.failed = new ParseError(
        'too-large',
        `handshake ${type}: length ${length} exceeds ${this.maxMessageSize}`,
        this.q.consumed + 1,
        'handshake.length',
      );
      throw this.failed;
    }
    if (view.length < HANDSHAKE_HEADER_LENGTH + length) return null;
    const raw = this.q.take(HANDSHAKE_HEADER_LENGTH + length);
    return { type, body: raw.subarray(HANDSHAKE_HEADER_LENGTH), raw };
  }
}

/**
 * Wrap a handshake body in its 4-byte header.
 *
 * @example
 * encodeHandshake(HANDSHAKE_TYPES.server_hello_done, new Uint8Array(0)); // 0e 00 00 00
 */
export function encodeHandshake(type: number, body: Uint8Array): Uint8Array {
  const w = new Writer(body.length + HANDSHAKE_HEADER_LENGTH);
  w.u8(type);
  const end = w.length24('handshake.body');
  w.bytes(body);
  end();
  return w.finish();
}

/**
 * Parse one whole handshake message (header + body, nothing after). Throws ParseError.
 *
 * @example
 * parseHandshake(fromHex('0e000000')).type; // 14
 */
export function parseHandshake(bytes: Uint8Array): HandshakeMessage {
  const r = new Reader(bytes);
  const type = r.u8('handshake.msg_type');
  const body = r.vector24('handshake.body');
  r.expectEnd('handshake');
  return { type, body, raw: bytes };
}
