/**
 * HPACK decoder (RFC 7541 §3, §5, §6) with limits against decompression bombs.
 *
 * One decoder per connection direction: the dynamic table carries over from block to block.
 *
 * @example
 * const dec = new HpackDecoder({ maxTableSize: 4096 });
 * const { headers } = dec.decode(fromHex('828684410f7777772e6578616d706c652e636f6d'));
 * // [[':method','GET'], [':scheme','http'], [':path','/'], [':authority','www.example.com']]
 */
import { ParseError, Reader } from '../bytes.js';
import { DynamicTable, ENTRY_OVERHEAD, type TableEntry } from './dynamic-table.js';
import { huffmanDecode } from './huffman.js';
import { STATIC_TABLE_LENGTH, staticEntry } from './static-table.js';

/** Largest integer the decoder accepts (RFC 7541 §5.1 leaves the limit to the implementation). */
export const MAX_HPACK_INTEGER = 2 ** 32 - 1;

/**
 * Decode an HPACK integer with an N-bit prefix (RFC 7541 §5.1); the reader sits on the octet that
 * holds the prefix. Throws `too-large` past {@link MAX_HPACK_INTEGER} or for over-long encodings.
 *
 * @example
 * decodeInteger(new Reader(Uint8Array.of(0x1f, 0x9a, 0x0a)), 5); // 1337 (RFC 7541 C.1.2)
 */
export function decodeInteger(r: Reader, prefixBits: number, field = 'integer'): number {
  const start = r.offset;
  const mask = (1 << prefixBits) - 1;
  let value = r.u8(field) & mask;
  if (value < mask) return value;
  let shift = 0;
  for (;;) {
    const b = r.u8(field);
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    // RFC 7541 §5.1: integers that exceed implementation limits (value or length) are decoding errors.
    if (value > MAX_HPACK_INTEGER || (shift > 28 && (b & 0x80) !== 0)) {
      throw new ParseError('too-large', `RFC 7541 §5.1: integer exceeds ${MAX_HPACK_INTEGER} or is over-long`, start, field);
    }
    if ((b & 0x80) === 0) return value;
  }
}

/** Limits for {@link HpackDecoder}. @example new HpackDecoder({ maxTableSize: 4096, maxHeaderListSize: 65536 }) */
export interface HpackDecoderOptions {
  /**
   * The table size limit we advertised (SETTINGS_HEADER_TABLE_SIZE); a size update above it is an
   * error. Default 4096 (RFC 9113 §6.5.2).
   */
  maxTableSize?: number;
  /** Bound on the decoded list: name + value octets + 32 per field (RFC 9113 §6.5.2). Default 65536. */
  maxHeaderListSize?: number;
  /** Bound on one decoded string literal in octets. Default 16384. */
  maxStringLength?: number;
}

/** The decoded header block. `neverIndexed[i]` is true when field `i` came as "never indexed" (§6.2.3). */
export interface DecodedBlock {
  headers: Array<[string, string]>;
  neverIndexed: boolean[];
  /** Dynamic table size updates seen at the start of this block (§6.3), in order. */
  tableSizeUpdates: number[];
  /** RFC 9113 §6.5.2 size of the list: sum of name + value octets + 32 per field. */
  listSize: number;
}

const utf8 = new TextDecoder('utf-8');

/**
 * One per connection direction; keeps the dynamic table between blocks.
 *
 * @example
 * new HpackDecoder().decode(fromHex('82')).headers; // [[':method', 'GET']] (RFC 7541 C.2.4)
 */
export class HpackDecoder {
  private readonly table: DynamicTable;
  private limit: number;
  private readonly maxList: number;
  private readonly maxString: number;
  /** Set when our limit dropped below the table's maximum: the next block must open with a size update. */
  private updateRequired = false;

  constructor(opts: HpackDecoderOptions = {}) {
    this.limit = opts.maxTableSize ?? 4096;
    this.maxList = opts.maxHeaderListSize ?? 65536;
    this.maxString = opts.maxStringLength ?? 16384;
    this.table = new DynamicTable(this.limit);
  }

  /** Current dynamic table size in octets (RFC 7541 §4.1). */
  get tableSize(): number {
    return this.table.size;
  }
  /** Current dynamic table maximum (last size update, or the initial limit). */
  get tableMaxSize(): number {
    return this.table.maxSize;
  }
  /** Dynamic table entries, newest first (dynamic index 1 first). */
  tableEntries(): TableEntry[] {
    return this.table.snapshot();
  }

  /**
   * Change the limit we advertise in SETTINGS_HEADER_TABLE_SIZE. The table shrinks at once when
   * the limit drops below its maximum (the peer must then send a size update, RFC 7541 §4.2).
   */
  setMaxTableSize(limit: number): void {
    this.limit = limit;
    if (this.table.maxSize > limit) {
      this.table.setMaxSize(limit);
      this.updateRequired = true;
    }
  }

  /**
   * Decode one complete header block (all CONTINUATION fragments joined). Throws only
   * {@link ParseError}: `invalid` for protocol violations, `too-large` for limits, `truncated` when
   * the block ends inside a representation. After an error the table is unusable (RFC 9113 §4.3:
   * a COMPRESSION_ERROR ends the connection).
   */
  decode(block: Uint8Array): DecodedBlock {
    const r = new Reader(block);
    const headers: Array<[string, string]> = [];
    const neverIndexed: boolean[] = [];
    const tableSizeUpdates: number[] = [];
    let listSize = 0;
    let fieldSeen = false;
    // RFC 7541 §4.2: after the limit shrank, the first block must begin with a dynamic table size update.
    if (this.updateRequired && !r.done && ((r.peekU8()! & 0xe0) !== 0x20)) {
      throw new ParseError('invalid', `RFC 7541 §4.2: table limit dropped to ${this.limit} but the block does not start with a size update`, 0, 'size-update');
    }
    this.updateRequired = false;

    const emit = (at: number, name: string, value: string, octets: number, never: boolean): void => {
      listSize += octets + ENTRY_OVERHEAD;
      // RFC 9113 §6.5.2: SETTINGS_MAX_HEADER_LIST_SIZE counts name + value octets + 32 per field.
      if (listSize > this.maxList) {
        throw new ParseError('too-large', `RFC 9113 §6.5.2: header list exceeds ${this.maxList} octets`, at, 'header-list');
      }
      headers.push([name, value]);
      neverIndexed.push(never);
    };

    while (!r.done) {
      const at = r.offset;
      const b = r.peekU8()!;
      if (b & 0x80) {
        // RFC 7541 §6.1: indexed header field, 7-bit index.
        const index = decodeInteger(r, 7, 'index');
        const e = this.lookup(index, at);
        emit(at, e.name, e.value, e.size - ENTRY_OVERHEAD, false);
        fieldSeen = true;
      } else if ((b & 0xc0) === 0x40) {
        // RFC 7541 §6.2.1: literal with incremental indexing, 6-bit name index.
        const f = this.literal(r, 6, at);
        this.table.add(f.name, f.value, f.nameOctets, f.valueOctets);
        emit(at, f.name, f.value, f.nameOctets + f.valueOctets, false);
        fieldSeen = true;
      } else if ((b & 0xe0) === 0x20) {
        // RFC 7541 §4.2: a dynamic table size update must come at the beginning of a header block.
        if (fieldSeen) throw new ParseError('invalid', 'RFC 7541 §4.2: dynamic table size update after a header field', at, 'size-update');
        const size = decodeInteger(r, 5, 'size-update');
        // RFC 7541 §6.3: a new maximum size above the protocol limit is a decoding error.
        if (size > this.limit) {
          throw new ParseError('invalid', `RFC 7541 §6.3: dynamic table size update to ${size} exceeds the limit ${this.limit}`, at, 'size-update');
        }
        this.table.setMaxSize(size);
        tableSizeUpdates.push(size);
      } else {
        // RFC 7541 §6.2.2 (0000xxxx) without indexing, §6.2.3 (0001xxxx) never indexed; 4-bit name index.
        const never = (b & 0xf0) === 0x10;
        const f = this.literal(r, 4, at);
        emit(at, f.name, f.value, f.nameOctets + f.valueOctets, never);
        fieldSeen = true;
      }
    }
    return { headers, neverIndexed, tableSizeUpdates, listSize };
  }

  private lookup(index: number, at: number): TableEntry {
    // RFC 7541 §6.1: index 0 is a decoding error.
    if (index === 0) throw new ParseError('invalid', 'RFC 7541 §6.1: header field index 0', at, 'index');
    const s = staticEntry(index);
    // Static entries are ASCII: one octet per character.
    if (s) return { name: s[0], value: s[1], size: s[0].length + s[1].length + ENTRY_OVERHEAD, nameOctets: s[0].length };
    const d = this.table.get(index - STATIC_TABLE_LENGTH);
    // RFC 7541 §2.3.3: an index past both tables is a decoding error.
    if (!d) {
      throw new ParseError(
        'invalid',
        `RFC 7541 §2.3.3: index ${index} is past the static table and the ${this.table.length}-entry dynamic table`,
        at,
        'index',
      );
    }
    return d;
  }

  private literal(r: Reader, prefixBits: number, at: number): { name: string; value: string; nameOctets: number; valueOctets: number } {
    const index = decodeInteger(r, prefixBits, 'name-index');
    let name: string;
    let nameOctets: number;
    if (index === 0) {
      const raw = this.string(r, 'name');
      name = utf8.decode(raw);
      nameOctets = raw.length;
    } else {
      const e = this.lookup(index, at);
      name = e.name;
      nameOctets = e.nameOctets;
    }
    const rawValue = this.string(r, 'value');
    return { name, value: utf8.decode(rawValue), nameOctets, valueOctets: rawValue.length };
  }

  /** RFC 7541 §5.2: string literal: H bit, 7-bit prefix length, then the octets (maybe Huffman). */
  private string(r: Reader, field: string): Uint8Array {
    const at = r.offset;
    const huffman = (r.peekU8() ?? 0) & 0x80;
    const len = decodeInteger(r, 7, `${field}.length`);
    if (!huffman && len > this.maxString) {
      throw new ParseError('too-large', `${field}: string literal of ${len} octets exceeds ${this.maxString}`, at, field);
    }
    const bytes = r.bytes(len, field);
    if (!huffman) return bytes;
    return huffmanDecode(bytes, { maxLength: this.maxString, offset: r.offset - len });
  }
}
