/**
 * HPACK Huffman code (RFC 7541 §5.2, Appendix B): encode, decode, and the encoded length.
 *
 * @example
 * const bytes = huffmanEncode(new TextEncoder().encode('www.example.com'));
 * // bytes = f1e3c2e5f23a6ba0ab90f4ff (RFC 7541 C.4.1)
 * new TextDecoder().decode(huffmanDecode(bytes)); // 'www.example.com'
 */
import { ParseError } from '../bytes.js';

/**
 * RFC 7541 Appendix B: `[code, bit length]` for symbols 0–255 and EOS (256). Codes are
 * right-aligned (the "code as hex aligned to LSB" column).
 *
 * @example
 * HUFFMAN_TABLE[0x61]; // [0x3, 5]: 'a' is 00011
 */
export const HUFFMAN_TABLE: ReadonlyArray<readonly [code: number, bits: number]> = [
  // 0–31: control characters
  [0x1ff8, 13], [0x7fffd8, 23], [0xfffffe2, 28], [0xfffffe3, 28], [0xfffffe4, 28], [0xfffffe5, 28], [0xfffffe6, 28], [0xfffffe7, 28],
  [0xfffffe8, 28], [0xffffea, 24], [0x3ffffffc, 30], [0xfffffe9, 28], [0xfffffea, 28], [0x3ffffffd, 30], [0xfffffeb, 28], [0xfffffec, 28],
  [0xfffffed, 28], [0xfffffee, 28], [0xfffffef, 28], [0xffffff0, 28], [0xffffff1, 28], [0xffffff2, 28], [0x3ffffffe, 30], [0xffffff3, 28],
  [0xffffff4, 28], [0xffffff5, 28], [0xffffff6, 28], [0xffffff7, 28], [0xffffff8, 28], [0xffffff9, 28], [0xffffffa, 28], [0xffffffb, 28],
  // 32–63: ' ' ! " # $ % & ' ( ) * + , - . / 0–9 : ; < = > ?
  [0x14, 6], [0x3f8, 10], [0x3f9, 10], [0xffa, 12], [0x1ff9, 13], [0x15, 6], [0xf8, 8], [0x7fa, 11],
  [0x3fa, 10], [0x3fb, 10], [0xf9, 8], [0x7fb, 11], [0xfa, 8], [0x16, 6], [0x17, 6], [0x18, 6],
  [0x0, 5], [0x1, 5], [0x2, 5], [0x19, 6], [0x1a, 6], [0x1b, 6], [0x1c, 6], [0x1d, 6],
  [0x1e, 6], [0x1f, 6], [0x5c, 7], [0xfb, 8], [0x7ffc, 15], [0x20, 6], [0xffb, 12], [0x3fc, 10],
  // 64–95: @ A–Z [ \ ] ^ _
  [0x1ffa, 13], [0x21, 6], [0x5d, 7], [0x5e, 7], [0x5f, 7], [0x60, 7], [0x61, 7], [0x62, 7],
  [0x63, 7], [0x64, 7], [0x65, 7], [0x66, 7], [0x67, 7], [0x68, 7], [0x69, 7], [0x6a, 7],
  [0x6b, 7], [0x6c, 7], [0x6d, 7], [0x6e, 7], [0x6f, 7], [0x70, 7], [0x71, 7], [0x72, 7],
  [0xfc, 8], [0x73, 7], [0xfd, 8], [0x1ffb, 13], [0x7fff0, 19], [0x1ffc, 13], [0x3ffc, 14], [0x22, 6],
  // 96–127: ` a–z { | } ~ DEL
  [0x7ffd, 15], [0x3, 5], [0x23, 6], [0x4, 5], [0x24, 6], [0x5, 5], [0x25, 6], [0x26, 6],
  [0x27, 6], [0x6, 5], [0x74, 7], [0x75, 7], [0x28, 6], [0x29, 6], [0x2a, 6], [0x7, 5],
  [0x2b, 6], [0x76, 7], [0x2c, 6], [0x8, 5], [0x9, 5], [0x2d, 6], [0x77, 7], [0x78, 7],
  [0x79, 7], [0x7a, 7], [0x7b, 7], [0x7ffe, 15], [0x7fc, 11], [0x3ffd, 14], [0x1ffd, 13], [0xffffffc, 28],
  // 128–159
  [0xfffe6, 20], [0x3fffd2, 22], [0xfffe7, 20], [0xfffe8, 20], [0x3fffd3, 22], [0x3fffd4, 22], [0x3fffd5, 22], [0x7fffd9, 23],
  [0x3fffd6, 22], [0x7fffda, 23], [0x7fffdb, 23], [0x7fffdc, 23], [0x7fffdd, 23], [0x7fffde, 23], [0xffffeb, 24], [0x7fffdf, 23],
  [0xffffec, 24], [0xffffed, 24], [0x3fffd7, 22], [0x7fffe0, 23], [0xffffee, 24], [0x7fffe1, 23], [0x7fffe2, 23], [0x7fffe3, 23],
  [0x7fffe4, 23], [0x1fffdc, 21], [0x3fffd8, 22], [0x7fffe5, 23], [0x3fffd9, 22], [0x7fffe6, 23], [0x7fffe7, 23], [0xffffef, 24],
  // 160–191
  [0x3fffda, 22], [0x1fffdd, 21], [0xfffe9, 20], [0x3fffdb, 22], [0x3fffdc, 22], [0x7fffe8, 23], [0x7fffe9, 23], [0x1fffde, 21],
  [0x7fffea, 23], [0x3fffdd, 22], [0x3fffde, 22], [0xfffff0, 24], [0x1fffdf, 21], [0x3fffdf, 22], [0x7fffeb, 23], [0x7fffec, 23],
  [0x1fffe0, 21], [0x1fffe1, 21], [0x3fffe0, 22], [0x1fffe2, 21], [0x7fffed, 23], [0x3fffe1, 22], [0x7fffee, 23], [0x7fffef, 23],
  [0xfffea, 20], [0x3fffe2, 22], [0x3fffe3, 22], [0x3fffe4, 22], [0x7ffff0, 23], [0x3fffe5, 22], [0x3fffe6, 22], [0x7ffff1, 23],
  // 192–223
  [0x3ffffe0, 26], [0x3ffffe1, 26], [0xfffeb, 20], [0x7fff1, 19], [0x3fffe7, 22], [0x7ffff2, 23], [0x3fffe8, 22], [0x1ffffec, 25],
  [0x3ffffe2, 26], [0x3ffffe3, 26], [0x3ffffe4, 26], [0x7ffffde, 27], [0x7ffffdf, 27], [0x3ffffe5, 26], [0xfffff1, 24], [0x1ffffed, 25],
  [0x7fff2, 19], [0x1fffe3, 21], [0x3ffffe6, 26], [0x7ffffe0, 27], [0x7ffffe1, 27], [0x3ffffe7, 26], [0x7ffffe2, 27], [0xfffff2, 24],
  [0x1fffe4, 21], [0x1fffe5, 21], [0x3ffffe8, 26], [0x3ffffe9, 26], [0xffffffd, 28], [0x7ffffe3, 27], [0x7ffffe4, 27], [0x7ffffe5, 27],
  // 224–255
  [0xfffec, 20], [0xfffff3, 24], [0xfffed, 20], [0x1fffe6, 21], [0x3fffe9, 22], [0x1fffe7, 21], [0x1fffe8, 21], [0x7ffff3, 23],
  [0x3fffea, 22], [0x3fffeb, 22], [0x1ffffee, 25], [0x1ffffef, 25], [0xfffff4, 24], [0xfffff5, 24], [0x3ffffea, 26], [0x7ffff4, 23],
  [0x3ffffeb, 26], [0x7ffffe6, 27], [0x3ffffec, 26], [0x3ffffed, 26], [0x7ffffe7, 27], [0x7ffffe8, 27], [0x7ffffe9, 27], [0x7ffffea, 27],
  [0x7ffffeb, 27], [0xffffffe, 28], [0x7ffffec, 27], [0x7ffffed, 27], [0x7ffffee, 27], [0x7ffffef, 27], [0x7fffff0, 27], [0x3ffffee, 26],
  // 256: EOS
  [0x3fffffff, 30],
];

/** RFC 7541 §5.2: the EOS symbol. */
export const HUFFMAN_EOS = 256;

/**
 * The decoding trie, built once from the table: node `n` has children `next[2n]` (bit 0) and
 * `next[2n+1]` (bit 1); a negative child `-(sym+1)` is a leaf. Read-only after construction.
 */
const TRIE: Int32Array = (() => {
  // 256 internal nodes suffice for 257 leaves; room for more keeps a typo in the table from overflowing.
  const next = new Int32Array(2 * 1024);
  let nodes = 1;
  HUFFMAN_TABLE.forEach(([code, bits], sym) => {
    let node = 0;
    for (let i = bits - 1; i >= 0; i--) {
      const bit = Math.floor(code / 2 ** i) & 1;
      const slot = 2 * node + bit;
      if (i === 0) {
        next[slot] = -(sym + 1);
      } else {
        if (next[slot] === 0) next[slot] = nodes++;
        node = next[slot]!;
      }
    }
  });
  return next.slice(0, 2 * nodes);
})();

/**
 * The number of bytes `huffmanEncode(bytes)` produces.
 *
 * @example
 * huffmanEncodedLength(new TextEncoder().encode('no-cache')); // 6
 */
export function huffmanEncodedLength(bytes: Uint8Array): number {
  let bits = 0;
  for (const b of bytes) bits += HUFFMAN_TABLE[b]![1];
  return Math.ceil(bits / 8);
}

/**
 * Huffman-encode octets.
 *
 * @example
 * huffmanEncode(new TextEncoder().encode('302')); // 64 02 (RFC 7541 C.6.1)
 */
export function huffmanEncode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanEncodedLength(bytes));
  let at = 0;
  // At most 7 pending bits + a 30-bit code: stays well below 2^53, so plain arithmetic is exact.
  let acc = 0;
  let nbits = 0;
  for (const b of bytes) {
    const [code, bits] = HUFFMAN_TABLE[b]!;
    acc = acc * 2 ** bits + code;
    nbits += bits;
    while (nbits >= 8) {
      nbits -= 8;
      const p = 2 ** nbits;
      out[at++] = Math.floor(acc / p) & 0xff;
      acc %= p;
    }
  }
  // RFC 7541 §5.2: pad to an octet boundary with the most significant bits of EOS (all ones).
  if (nbits > 0) out[at++] = ((acc << (8 - nbits)) | (0xff >> nbits)) & 0xff;
  return out;
}

/**
 * Decode a Huffman-coded string literal. Throws {@link ParseError}: `invalid` for an EOS symbol or
 * bad padding, `too-large` when the output would pass `maxLength`. `offset` is added to error offsets.
 *
 * @example
 * huffmanDecode(fromHex('a8eb10649cbf')); // bytes of 'no-cache' (RFC 7541 C.4.2)
 */
export function huffmanDecode(bytes: Uint8Array, opts: { maxLength?: number; offset?: number } = {}): Uint8Array {
  const maxLength = opts.maxLength ?? Infinity;
  const base = opts.offset ?? 0;
  // The shortest code is 5 bits, so the output is at most 8/5 of the input.
  const out = new Uint8Array(Math.min(Math.ceil((bytes.length * 8) / 5), maxLength + 1));
  let n = 0;
  let node = 0;
  // Bits read since the last complete symbol, and whether all of them were ones.
  let pending = 0;
  let allOnes = true;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    for (let k = 7; k >= 0; k--) {
      const bit = (byte >> k) & 1;
      const child = TRIE[2 * node + bit]!;
      pending++;
      if (bit === 0) allOnes = false;
      if (child < 0) {
        const sym = -child - 1;
        // RFC 7541 §5.2: a Huffman-encoded string literal containing the EOS symbol is a decoding error.
        if (sym === HUFFMAN_EOS) throw new ParseError('invalid', 'RFC 7541 §5.2: Huffman string contains the EOS symbol', base + i, 'huffman');
        if (n >= maxLength) throw new ParseError('too-large', `Huffman string decodes to more than ${maxLength} bytes`, base + i, 'huffman');
        out[n++] = sym;
        node = 0;
        pending = 0;
        allOnes = true;
      } else if (child === 0) {
        // Unreachable with a complete code; kept so a corrupt table cannot loop or misread.
        throw new ParseError('invalid', 'Huffman code not in the RFC 7541 table', base + i, 'huffman');
      } else {
        node = child;
      }
    }
  }
  // RFC 7541 §5.2: padding longer than 7 bits is a decoding error.
  if (pending > 7) throw new ParseError('invalid', `RFC 7541 §5.2: Huffman padding of ${pending} bits is longer than 7 bits`, base + bytes.length, 'huffman');
  // RFC 7541 §5.2: padding not corresponding to the most significant bits of EOS (all ones) is a decoding error.
  if (!allOnes) throw new ParseError('invalid', 'RFC 7541 §5.2: Huffman padding is not all ones (not a prefix of EOS)', base + bytes.length, 'huffman');
  return out.slice(0, n);
}
