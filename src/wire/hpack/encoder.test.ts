import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes.js';
import { HpackDecoder } from './decoder.js';
import { HpackEncoder, type HeaderInput } from './encoder.js';

const name = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' });
const value = fc.string({ maxLength: 60, unit: 'grapheme' });
const headerList = fc.array(fc.tuple(name, value, fc.boolean()), { maxLength: 15 });
/** Names and values drawn from a small pool, so table hits and evictions happen often. */
const pooled = fc.array(
  fc.tuple(fc.constantFrom(':status', 'cache-control', 'x-a', 'date', 'set-cookie'), fc.constantFrom('', '200', 'private', 'a'.repeat(50)), fc.boolean()),
  { maxLength: 15 },
);

describe('HpackEncoder options', () => {
  it('huffman: false sends raw literals; true sends Huffman; auto picks the shorter', () => {
    const list: HeaderInput[] = [['x-a', 'no-cache']];
    expect(toHex(new HpackEncoder({ huffman: false, indexing: false }).encode(list))).toBe('0003782d61086e6f2d6361636865');
    // 'x-a' is 7 + 6 + 5 bits: f2 b0 ff with padding.
    expect(toHex(new HpackEncoder({ huffman: true, indexing: false }).encode(list))).toBe('0083f2b0ff86a8eb10649cbf');
    // auto: 'x-a' is 3 octets either way (kept raw); 'no-cache' is 6 octets coded vs 8 raw.
    expect(toHex(new HpackEncoder({ huffman: 'auto', indexing: false }).encode(list))).toBe('0003782d6186a8eb10649cbf');
    // '\x00' costs 13 bits in Huffman: raw is shorter, so auto keeps it raw.
    expect(toHex(new HpackEncoder({ indexing: false }).encode([['x-a', '\x00']]))).toBe('0003782d610100');
  });

  it('indexing: false never touches the table', () => {
    const enc = new HpackEncoder({ indexing: false });
    enc.encode([['a', 'b'], ['a', 'b']]);
    expect(enc.tableSize).toBe(0);
  });

  it('indexing: true reuses a table entry as a one-octet index', () => {
    const enc = new HpackEncoder();
    enc.encode([['x-a', 'b']]);
    expect(toHex(enc.encode([['x-a', 'b']]))).toBe('be');
  });

  it('setMaxTableSize sends the smallest then the final size at the next block (§4.2, §6.3)', () => {
    const enc = new HpackEncoder();
    enc.setMaxTableSize(0);
    enc.setMaxTableSize(100);
    const block = enc.encode([[':method', 'GET']]);
    expect(toHex(block)).toBe('203f4582');
    const dec = new HpackDecoder();
    expect(dec.decode(block).tableSizeUpdates).toEqual([0, 100]);
    expect(toHex(enc.encode([[':method', 'GET']]))).toBe('82');
  });
});

describe('HpackEncoder → HpackDecoder round trip', () => {
  for (const [label, opts] of [
    ['huffman auto, indexing', {}],
    ['no huffman, no indexing', { huffman: false, indexing: false }],
    ['huffman always, small table', { huffman: true, maxTableSize: 128 }],
  ] as const) {
    it(`random header lists, several blocks on one connection (${label})`, () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(headerList, pooled), { minLength: 1, maxLength: 4 }), (blocks) => {
          const enc = new HpackEncoder(opts);
          const dec = new HpackDecoder({ maxTableSize: 'maxTableSize' in opts ? opts.maxTableSize : 4096, maxHeaderListSize: 1 << 20 });
          for (const list of blocks) {
            const out = dec.decode(enc.encode(list));
            expect(out.headers).toEqual(list.map(([n, v]) => [n, v]));
            expect(out.neverIndexed).toEqual(list.map(([, , never]) => never));
            expect(dec.tableEntries()).toEqual(enc.tableEntries());
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
