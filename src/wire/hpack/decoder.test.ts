import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, fromHex } from '../bytes.js';
import { HpackDecoder, MAX_HPACK_INTEGER, decodeInteger } from './decoder.js';
import { HpackEncoder } from './encoder.js';
import { outcome } from '../../../test/wire-helpers.js';

describe('decodeInteger (RFC 7541 §5.1)', () => {
  it('reads the largest accepted value and rejects one past it', () => {
    // 2^32 - 1 with a 7-bit prefix: 127 + 4294967168 in 7-bit groups.
    const max = fromHex('7f80ffffff0f');
    expect(decodeInteger(new Reader(max), 7)).toBe(MAX_HPACK_INTEGER);
    expect(outcome(() => decodeInteger(new Reader(fromHex('7f81ffffff0f')), 7))).toMatch(/^too-large: RFC 7541 §5.1/);
  });

  it('rejects over-long encodings made of zero continuation groups', () => {
    expect(outcome(() => decodeInteger(new Reader(fromHex('7f8080808080808000')), 7))).toMatch(/^too-large/);
  });

  it('reports truncation inside the integer', () => {
    expect(outcome(() => decodeInteger(new Reader(fromHex('1f9a')), 5))).toMatch(/^truncated/);
  });
});

describe('HpackDecoder errors', () => {
  it.each([
    ['index 0 (§6.1)', '80', /^invalid: RFC 7541 §6.1: header field index 0/],
    ['index past both tables (§2.3.3)', 'be', /^invalid: RFC 7541 §2.3.3: index 62/],
    ['literal whose name index is past both tables', '7f0100', /^invalid: RFC 7541 §2.3.3/],
    ['size update after a field (§4.2)', '8220', /^invalid: RFC 7541 §4.2/],
    ['size update above the SETTINGS limit (§6.3)', '3fe21f', /^invalid: RFC 7541 §6.3: .*4097 exceeds the limit 4096/],
    ['string cut short', '400a6375', /^truncated/],
    ['Huffman value with bad padding (§5.2)', '4081ff8118', /^invalid: RFC 7541 §5.2/],
  ])('%s', (_name, hex, expected) => {
    expect(outcome(() => new HpackDecoder().decode(fromHex(hex)))).toMatch(expected);
  });

  it('accepts size updates at the start of a block, applies them, and reports them', () => {
    const dec = new HpackDecoder({ maxTableSize: 4096 });
    dec.decode(fromHex('400a637573746f6d2d6b65790d637573746f6d2d686561646572')); // C.2.1: 55 octets
    // 0x20 = update to 0 (empties the table), then 3fe11f = update to 4096, then 82.
    const out = dec.decode(fromHex('20 3fe11f 82'));
    expect(out.tableSizeUpdates).toEqual([0, 4096]);
    expect(out.headers).toEqual([[':method', 'GET']]);
    expect(dec.tableSize).toBe(0);
    expect(dec.tableMaxSize).toBe(4096);
  });

  it('setMaxTableSize lowers the limit a later size update is checked against', () => {
    const dec = new HpackDecoder();
    dec.setMaxTableSize(100);
    expect(outcome(() => dec.decode(fromHex('3f46')))).toMatch(/§6.3: .*101 exceeds the limit 100/);
    const dec2 = new HpackDecoder();
    dec2.setMaxTableSize(100);
    expect(outcome(() => dec2.decode(fromHex('82')))).toMatch(/^invalid: RFC 7541 §4.2: table limit dropped to 100/);
    const dec3 = new HpackDecoder();
    dec3.setMaxTableSize(100);
    expect(dec3.decode(fromHex('3f45 82')).headers).toEqual([[':method', 'GET']]);
    expect(dec3.decode(fromHex('82')).headers).toEqual([[':method', 'GET']]);
    expect(new HpackDecoder({ maxTableSize: 100 }).decode(fromHex('3f45')).tableSizeUpdates).toEqual([100]);
  });

  it('preserves the never-indexed flag, and does not add those fields to the table', () => {
    const block = new HpackEncoder().encode([['authorization', 'secret', true], ['x', 'y']]);
    const dec = new HpackDecoder();
    const out = dec.decode(block);
    expect(out.headers).toEqual([['authorization', 'secret'], ['x', 'y']]);
    expect(out.neverIndexed).toEqual([true, false]);
    expect(dec.tableEntries().map((e) => e.name)).toEqual(['x']);
  });
});

describe('HpackDecoder limits against decompression bombs', () => {
  it('maxHeaderListSize counts name + value + 32 per field (RFC 9113 §6.5.2)', () => {
    // ':method: GET' is 7 + 3 + 32 = 42 octets.
    expect(new HpackDecoder({ maxHeaderListSize: 84 }).decode(fromHex('8282')).listSize).toBe(84);
    expect(outcome(() => new HpackDecoder({ maxHeaderListSize: 83 }).decode(fromHex('8282')))).toMatch(/^too-large: RFC 9113 §6.5.2/);
  });

  it('one big table entry referenced many times hits the list limit, not memory', () => {
    const big = 'v'.repeat(4000);
    const enc = new HpackEncoder({ huffman: false });
    const first = enc.encode([['x', big]]);
    const bomb = new Uint8Array(10_000).fill(0xbe); // index 62 again and again
    const dec = new HpackDecoder({ maxHeaderListSize: 65536 });
    dec.decode(first);
    expect(outcome(() => dec.decode(bomb))).toMatch(/^too-large/);
  });

  it('maxStringLength bounds raw and Huffman literals', () => {
    const enc = (huffman: boolean) => new HpackEncoder({ huffman, indexing: false }).encode([['x', 'a'.repeat(101)]]);
    expect(outcome(() => new HpackDecoder({ maxStringLength: 100 }).decode(enc(false)))).toMatch(/^too-large: value: string literal of 101/);
    expect(outcome(() => new HpackDecoder({ maxStringLength: 100 }).decode(enc(true)))).toMatch(/^too-large: Huffman/);
    expect(new HpackDecoder({ maxStringLength: 101 }).decode(enc(true)).headers[0]![1]).toHaveLength(101);
  });

  it('a string length far past the input is refused by its size, before any read', () => {
    expect(outcome(() => new HpackDecoder().decode(fromHex('407f ffffff0f')))).toMatch(/^too-large/);
  });

  it('maxTableSize bounds the table: entries are evicted to stay within it (§4.4)', () => {
    const dec = new HpackDecoder({ maxTableSize: 100 });
    const enc = new HpackEncoder({ maxTableSize: 100 });
    for (let i = 0; i < 20; i++) {
      dec.decode(enc.encode([[`name-${i}`, `value-${i}`]]));
      expect(dec.tableSize).toBeLessThanOrEqual(100);
    }
    expect(dec.tableEntries().map((e) => e.name)).toEqual(['name-19', 'name-18']);
  });
});

describe('HpackDecoder properties', () => {
  it('random bytes give a header list or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        outcome(() => new HpackDecoder({ maxTableSize: 4096 }).decode(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('mutated and truncated valid blocks give a header list or a ParseError, nothing else', () => {
    const headers = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 40 })), { maxLength: 10 });
    fc.assert(
      fc.property(
        headers,
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        (list, huffman, edits, cut) => {
          const block = new HpackEncoder({ huffman }).encode(list);
          const bytes = block.slice();
          for (const [at, v] of edits) if (bytes.length > 0) bytes[at % bytes.length] = v;
          outcome(() => new HpackDecoder().decode(bytes));
          outcome(() => new HpackDecoder().decode(block.subarray(0, block.length === 0 ? 0 : cut % block.length)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
