import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, fromHex, toHex } from '../bytes.js';
import { HUFFMAN_EOS, HUFFMAN_TABLE, huffmanDecode, huffmanEncode, huffmanEncodedLength } from './huffman.js';

const te = new TextEncoder();
const td = new TextDecoder();

function bitString(code: number, bits: number): string {
  return code.toString(2).padStart(bits, '0');
}

describe('Appendix B table (typed in by hand, so checked for typos)', () => {
  it('has 257 symbols, lengths 5–30, codes that fit their length', () => {
    expect(HUFFMAN_TABLE).toHaveLength(257);
    for (const [code, bits] of HUFFMAN_TABLE) {
      expect(bits).toBeGreaterThanOrEqual(5);
      expect(bits).toBeLessThanOrEqual(30);
      expect(code).toBeLessThan(2 ** bits);
    }
  });

  it('is a complete prefix code: Kraft sum is exactly 1 and no code prefixes another', () => {
    // Sum of 2^(30 - len) over all symbols must equal 2^30 for a complete code.
    const kraft = HUFFMAN_TABLE.reduce((n, [, bits]) => n + 2 ** (30 - bits), 0);
    expect(kraft).toBe(2 ** 30);
    const codes = HUFFMAN_TABLE.map(([c, b]) => bitString(c, b)).sort();
    for (let i = 1; i < codes.length; i++) expect(codes[i]!.startsWith(codes[i - 1]!)).toBe(false);
  });

  it('is canonical: ordered by (length, symbol), each code one more than the previous (shifted)', () => {
    const order = HUFFMAN_TABLE.map(([code, bits], sym) => ({ code, bits, sym })).sort((a, b) => a.bits - b.bits || a.sym - b.sym);
    for (let i = 1; i < order.length; i++) {
      const prev = order[i - 1]!;
      const cur = order[i]!;
      expect(cur.code, `symbol ${cur.sym}`).toBe((prev.code + 1) * 2 ** (cur.bits - prev.bits));
    }
  });

  it('spot values from Appendix B: EOS is thirty ones, "a" is 00011', () => {
    expect(HUFFMAN_TABLE[HUFFMAN_EOS]).toEqual([0x3fffffff, 30]);
    expect(HUFFMAN_TABLE[0x61]).toEqual([0x3, 5]);
  });
});

describe('encode/decode', () => {
  // Pairs from RFC 7541 C.4 and C.6 (the Huffman-coded literals).
  it.each([
    ['www.example.com', 'f1e3c2e5f23a6ba0ab90f4ff'],
    ['no-cache', 'a8eb10649cbf'],
    ['custom-key', '25a849e95ba97d7f'],
    ['custom-value', '25a849e95bb8e8b4bf'],
    ['302', '6402'],
    ['private', 'aec3771a4b'],
    ['Mon, 21 Oct 2013 20:13:21 GMT', 'd07abe941054d444a8200595040b8166e082a62d1bff'],
    ['https://www.example.com', '9d29ad171863c78f0b97c8e9ae82ae43d3'],
    ['307', '640eff'],
    ['gzip', '9bd9ab'],
    ['foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1', '94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007'],
  ])('%s (RFC 7541 C.4/C.6)', (text, hex) => {
    expect(toHex(huffmanEncode(te.encode(text)))).toBe(hex);
    expect(huffmanEncodedLength(te.encode(text))).toBe(hex.length / 2);
    expect(td.decode(huffmanDecode(fromHex(hex)))).toBe(text);
  });

  it('round-trips any octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(huffmanDecode(huffmanEncode(bytes))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('empty input decodes to empty output', () => {
    expect(huffmanDecode(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });
});

describe('RFC 7541 §5.2 errors', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
      return 'ok';
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      return `${(e as ParseError).code}: ${(e as ParseError).message}`;
    }
  };

  it('rejects the EOS symbol inside the string', () => {
    // 30 ones = EOS, then 2 padding ones: ff ff ff ff.
    expect(code(() => huffmanDecode(fromHex('ffffffff')))).toMatch(/^invalid: RFC 7541 §5.2: .*EOS/);
  });

  it('rejects padding longer than 7 bits', () => {
    // 'a' (00011) then 11 ones of padding: 00011111 11111111.
    expect(code(() => huffmanDecode(fromHex('1fff')))).toMatch(/^invalid: RFC 7541 §5.2: .*longer than 7 bits/);
  });

  it('rejects padding that is not all ones', () => {
    // 'a' (00011) then padding 000: 00011000 decodes as 'a' + a zero-padded tail.
    expect(code(() => huffmanDecode(fromHex('18')))).toMatch(/^invalid: RFC 7541 §5.2: .*not all ones/);
  });

  it('bounds the output', () => {
    const enc = huffmanEncode(te.encode('aaaaaaaaaa'));
    expect(code(() => huffmanDecode(enc, { maxLength: 9 }))).toMatch(/^too-large/);
    expect(td.decode(huffmanDecode(enc, { maxLength: 10 }))).toBe('aaaaaaaaaa');
  });

  it('random bytes give octets or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          huffmanDecode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
