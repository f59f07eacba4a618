/**
 * RFC 7541 Appendix C vectors, decoded and re-encoded. Every hex fixture, header list and dynamic
 * table below is copied from the RFC section named beside it.
 */
import { describe, expect, it } from 'vitest';
import { Reader, Writer, fromHex, toHex } from '../bytes.js';
import { HpackDecoder, decodeInteger } from './decoder.js';
import { HpackEncoder, encodeInteger } from './encoder.js';

interface Step {
  section: string;
  hex: string;
  headers: Array<[string, string]>;
  /** The RFC's "Dynamic Table (after decoding)": [size, name, value], newest first. */
  table: Array<[number, string, string]>;
  tableSize: number;
}

const REQ1: Array<[string, string]> = [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']];
const REQ2: Array<[string, string]> = [...REQ1, ['cache-control', 'no-cache']];
const REQ3: Array<[string, string]> = [
  [':method', 'GET'],
  [':scheme', 'https'],
  [':path', '/index.html'],
  [':authority', 'www.example.com'],
  ['custom-key', 'custom-value'],
];
const RES1: Array<[string, string]> = [
  [':status', '302'],
  ['cache-control', 'private'],
  ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'],
  ['location', 'https://www.example.com'],
];
const RES2: Array<[string, string]> = [[':status', '307'], ...RES1.slice(1)];
const RES3: Array<[string, string]> = [
  [':status', '200'],
  ['cache-control', 'private'],
  ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'],
  ['location', 'https://www.example.com'],
  ['content-encoding', 'gzip'],
  ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
];
const T_REQ1: Array<[number, string, string]> = [[57, ':authority', 'www.example.com']];
const T_REQ2: Array<[number, string, string]> = [[53, 'cache-control', 'no-cache'], ...T_REQ1];
const T_REQ3: Array<[number, string, string]> = [[54, 'custom-key', 'custom-value'], ...T_REQ2];
const T_RES1: Array<[number, string, string]> = [
  [63, 'location', 'https://www.example.com'],
  [65, 'date', 'Mon, 21 Oct 2013 20:13:21 GMT'],
  [52, 'cache-control', 'private'],
  [42, ':status', '302'],
];
const T_RES2: Array<[number, string, string]> = [[42, ':status', '307'], ...T_RES1.slice(0, 3)];
const T_RES3: Array<[number, string, string]> = [
  [98, 'set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
  [52, 'content-encoding', 'gzip'],
  [65, 'date', 'Mon, 21 Oct 2013 20:13:22 GMT'],
];

/** C.3 and C.4: requests on one connection (table size 4096); C.5 and C.6: responses (table size 256). */
const SEQUENCES: Array<{ name: string; huffman: boolean; maxTableSize: number; steps: Step[] }> = [
  {
    name: 'C.3 requests without Huffman',
    huffman: false,
    maxTableSize: 4096,
    steps: [
      { section: 'C.3.1', hex: '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', headers: REQ1, table: T_REQ1, tableSize: 57 },
      { section: 'C.3.2', hex: '8286 84be 5808 6e6f 2d63 6163 6865', headers: REQ2, table: T_REQ2, tableSize: 110 },
      {
        section: 'C.3.3',
        hex: '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
        headers: REQ3,
        table: T_REQ3,
        tableSize: 164,
      },
    ],
  },
  {
    name: 'C.4 requests with Huffman',
    huffman: true,
    maxTableSize: 4096,
    steps: [
      { section: 'C.4.1', hex: '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff', headers: REQ1, table: T_REQ1, tableSize: 57 },
      { section: 'C.4.2', hex: '8286 84be 5886 a8eb 1064 9cbf', headers: REQ2, table: T_REQ2, tableSize: 110 },
      {
        section: 'C.4.3',
        hex: '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
        headers: REQ3,
        table: T_REQ3,
        tableSize: 164,
      },
    ],
  },
  {
    name: 'C.5 responses without Huffman',
    huffman: false,
    maxTableSize: 256,
    steps: [
      {
        section: 'C.5.1',
        hex: `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
              2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
              6c65 2e63 6f6d`,
        headers: RES1,
        table: T_RES1,
        tableSize: 222,
      },
      { section: 'C.5.2', hex: '4803 3330 37c1 c0bf', headers: RES2, table: T_RES2, tableSize: 222 },
      {
        section: 'C.5.3',
        hex: `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
              54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
              5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
              3d31`,
        headers: RES3,
        table: T_RES3,
        tableSize: 215,
      },
    ],
  },
  {
    name: 'C.6 responses with Huffman',
    huffman: true,
    maxTableSize: 256,
    steps: [
      {
        section: 'C.6.1',
        hex: `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
              2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
        headers: RES1,
        table: T_RES1,
        tableSize: 222,
      },
      { section: 'C.6.2', hex: '4883 640e ffc1 c0bf', headers: RES2, table: T_RES2, tableSize: 222 },
      {
        section: 'C.6.3',
        hex: `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
              77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
              9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
        headers: RES3,
        table: T_RES3,
        tableSize: 215,
      },
    ],
  },
];

describe('RFC 7541 C.1 integer representation', () => {
  it.each([
    // C.1.1: 10 with a 5-bit prefix; C.1.2: 1337 with a 5-bit prefix; C.1.3: 42 at an octet boundary.
    { section: 'C.1.1', value: 10, prefix: 5, hex: '0a' },
    { section: 'C.1.2', value: 1337, prefix: 5, hex: '1f9a0a' },
    { section: 'C.1.3', value: 42, prefix: 8, hex: '2a' },
  ])('$section', ({ value, prefix, hex }) => {
    expect(decodeInteger(new Reader(fromHex(hex)), prefix)).toBe(value);
    expect(toHex(encodeInteger(new Writer(), value, prefix).finish())).toBe(hex);
  });
});

describe('RFC 7541 C.2 header field representations (each on a fresh decoder)', () => {
  it.each([
    // C.2.1: literal with indexing, new name; added to the table (s = 55).
    { section: 'C.2.1', hex: '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572', header: ['custom-key', 'custom-header'], never: false, table: [[55, 'custom-key', 'custom-header']] },
    // C.2.2: literal without indexing, indexed name; table stays empty.
    { section: 'C.2.2', hex: '040c 2f73 616d 706c 652f 7061 7468', header: [':path', '/sample/path'], never: false, table: [] },
    // C.2.3: literal never indexed, new name; table stays empty.
    { section: 'C.2.3', hex: '1008 7061 7373 776f 7264 0673 6563 7265 74', header: ['password', 'secret'], never: true, table: [] },
    // C.2.4: indexed field, static index 2; table stays empty.
    { section: 'C.2.4', hex: '82', header: [':method', 'GET'], never: false, table: [] },
  ])('$section decodes', ({ hex, header, never, table }) => {
    const dec = new HpackDecoder();
    const out = dec.decode(fromHex(hex));
    expect(out.headers).toEqual([header]);
    expect(out.neverIndexed).toEqual([never]);
    expect(dec.tableEntries().map((e) => [e.size, e.name, e.value])).toEqual(table);
    expect(dec.tableSize).toBe(table.reduce((n, e) => n + (e[0] as number), 0));
  });

  it('C.2.1–C.2.4 encode to the RFC bytes with the matching representation', () => {
    expect(toHex(new HpackEncoder({ huffman: false }).encode([['custom-key', 'custom-header']]))).toBe(
      toHex(fromHex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572')),
    );
    expect(toHex(new HpackEncoder({ huffman: false, indexing: false }).encode([[':path', '/sample/path']]))).toBe('040c2f73616d706c652f70617468');
    expect(toHex(new HpackEncoder({ huffman: false }).encode([['password', 'secret', true]]))).toBe('100870617373776f726406736563726574');
    expect(toHex(new HpackEncoder().encode([[':method', 'GET']]))).toBe('82');
  });
});

describe.each(SEQUENCES)('RFC 7541 $name', ({ huffman, maxTableSize, steps }) => {
  it('decodes each block in order, with the dynamic table the RFC shows after each', () => {
    const dec = new HpackDecoder({ maxTableSize });
    for (const step of steps) {
      const out = dec.decode(fromHex(step.hex));
      expect(out.headers, step.section).toEqual(step.headers);
      expect(out.neverIndexed, step.section).toEqual(step.headers.map(() => false));
      expect(dec.tableEntries().map((e) => [e.size, e.name, e.value]), step.section).toEqual(step.table);
      expect(dec.tableSize, step.section).toBe(step.tableSize);
    }
  });

  it('encodes each header list to exactly the RFC bytes, with the same table', () => {
    const enc = new HpackEncoder({ huffman, maxTableSize });
    for (const step of steps) {
      expect(toHex(enc.encode(step.headers)), step.section).toBe(toHex(fromHex(step.hex)));
      expect(enc.tableEntries().map((e) => [e.size, e.name, e.value]), step.section).toEqual(step.table);
      expect(enc.tableSize, step.section).toBe(step.tableSize);
    }
  });
});
