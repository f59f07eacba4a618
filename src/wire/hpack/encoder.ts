/**
 * HPACK encoder (RFC 7541 §5, §6): indexed fields, literals with or without indexing, never-indexed
 * literals, optional Huffman coding, and dynamic table size updates.
 *
 * @example
 * const enc = new HpackEncoder({ huffman: false });
 * enc.encode([[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']]);
 * // 828684410f7777772e6578616d706c652e636f6d (RFC 7541 C.3.1)
 */
import { Writer } from '../bytes.js';
import { DynamicTable, type TableEntry } from './dynamic-table.js';
import { huffmanEncode, huffmanEncodedLength } from './huffman.js';
import { STATIC_TABLE_LENGTH, findStatic } from './static-table.js';

/**
 * Write an HPACK integer with an N-bit prefix (RFC 7541 §5.1); `flags` fills the bits above the prefix.
 *
 * @example
 * encodeInteger(new Writer(), 1337, 5).finish(); // 1f 9a 0a (RFC 7541 C.1.2)
 */
export function encodeInteger(w: Writer, value: number, prefixBits: number, flags = 0): Writer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`HPACK integer out of range: ${value}`);
  const max = (1 << prefixBits) - 1;
  // RFC 7541 §5.1: values below 2^N - 1 fit in the prefix.
  if (value < max) return w.u8(flags | value);
  w.u8(flags | max);
  let rest = value - max;
  // RFC 7541 §5.1: the remainder follows in 7-bit groups, least significant first, high bit = more.
  while (rest >= 128) {
    w.u8((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  return w.u8(rest);
}

/** A field to encode; the optional third element asks for a never-indexed literal (RFC 7541 §6.2.3). */
export type HeaderInput = readonly [name: string, value: string, neverIndexed?: boolean];

/** Options for {@link HpackEncoder}. @example new HpackEncoder({ huffman: false, indexing: false }) */
export interface HpackEncoderOptions {
  /** Huffman-code string literals: always, never, or when shorter (default 'auto'). */
  huffman?: boolean | 'auto';
  /** Add literals to the dynamic table (§6.2.1); false sends literals without indexing (§6.2.2). Default true. */
  indexing?: boolean;
  /** The peer's SETTINGS_HEADER_TABLE_SIZE; the table starts at this size. Default 4096. */
  maxTableSize?: number;
}

const utf8 = new TextEncoder();

/**
 * One per connection direction; mirrors the peer decoder's dynamic table.
 *
 * @example
 * new HpackEncoder().encode([['password', 'secret', true]]); // never-indexed literal, 0x10 …
 */
export class HpackEncoder {
  private readonly table: DynamicTable;
  private readonly huffman: boolean | 'auto';
  private readonly indexing: boolean;
  /** Size updates to send at the start of the next block (RFC 7541 §4.2). */
  private pendingUpdates: number[] = [];

  constructor(opts: HpackEncoderOptions = {}) {
    this.huffman = opts.huffman ?? 'auto';
    this.indexing = opts.indexing ?? true;
    this.table = new DynamicTable(opts.maxTableSize ?? 4096);
  }

  /** Current dynamic table size in octets. */
  get tableSize(): number {
    return this.table.size;
  }
  /** Dynamic table entries, newest first. */
  tableEntries(): TableEntry[] {
    return this.table.snapshot();
  }

  /**
   * Change the table maximum; the next block starts with a size update (RFC 7541 §6.3). Two calls
   * before a block send the smallest size then the final one, as §4.2 requires when it shrank.
   */
  setMaxTableSize(size: number): void {
    const min = Math.min(size, ...this.pendingUpdates);
    this.pendingUpdates = min < size ? [min, size] : [size];
    this.table.setMaxSize(size);
  }

  /**
   * Encode one header block. Names are sent as given (HTTP/2 wants them lowercase, RFC 9113 §8.2.1).
   */
  encode(headers: readonly HeaderInput[]): Uint8Array {
    const w = new Writer();
    for (const size of this.pendingUpdates) {
      // RFC 7541 §6.3: dynamic table size update, 001 + 5-bit prefix.
      encodeInteger(w, size, 5, 0x20);
    }
    this.pendingUpdates = [];
    for (const [name, value, never] of headers) this.field(w, name, value, never === true);
    return w.finish();
  }

  private field(w: Writer, name: string, value: string, never: boolean): void {
    const st = findStatic(name, value);
    const dyn = this.table.find(name, value);
    if (!never) {
      // RFC 7541 §6.1: a full match is sent as an index alone.
      if (st?.exact) {
        encodeInteger(w, st.index, 7, 0x80);
        return;
      }
      if (dyn.exact !== undefined) {
        encodeInteger(w, STATIC_TABLE_LENGTH + dyn.exact, 7, 0x80);
        return;
      }
    }
    const nameIndex = st ? st.index : dyn.name !== undefined ? STATIC_TABLE_LENGTH + dyn.name : 0;
    const nameBytes = utf8.encode(name);
    const valueBytes = utf8.encode(value);
    if (never) {
      // RFC 7541 §6.2.3: never indexed, 0001 + 4-bit name index; intermediaries must keep it so.
      encodeInteger(w, nameIndex, 4, 0x10);
    } else if (this.indexing) {
      // RFC 7541 §6.2.1: incremental indexing, 01 + 6-bit name index.
      encodeInteger(w, nameIndex, 6, 0x40);
    } else {
      // RFC 7541 §6.2.2: without indexing, 0000 + 4-bit name index.
      encodeInteger(w, nameIndex, 4, 0x00);
    }
    if (nameIndex === 0) this.string(w, nameBytes);
    this.string(w, valueBytes);
    if (!never && this.indexing) this.table.add(name, value, nameBytes.length, valueBytes.length);
  }

  /** RFC 7541 §5.2: H bit + 7-bit prefix length, then the octets. */
  private string(w: Writer, bytes: Uint8Array): void {
    const useHuffman = this.huffman === 'auto' ? huffmanEncodedLength(bytes) < bytes.length : this.huffman;
    if (useHuffman) {
      const h = huffmanEncode(bytes);
      encodeInteger(w, h.length, 7, 0x80);
      w.bytes(h);
    } else {
      encodeInteger(w, bytes.length, 7, 0x00);
      w.bytes(bytes);
    }
  }
}
