/**
 * HPACK (RFC 7541): header compression for HTTP/2.
 *
 * @example
 * import { HpackEncoder, HpackDecoder } from './wire/hpack/index.js';
 * const block = new HpackEncoder().encode([[':status', '200']]); // 88
 * new HpackDecoder().decode(block).headers; // [[':status', '200']]
 */
export { HpackDecoder, decodeInteger, MAX_HPACK_INTEGER, type DecodedBlock, type HpackDecoderOptions } from './decoder.js';
export { HpackEncoder, encodeInteger, type HeaderInput, type HpackEncoderOptions } from './encoder.js';
export { DynamicTable, ENTRY_OVERHEAD, type TableEntry } from './dynamic-table.js';
export { HUFFMAN_TABLE, HUFFMAN_EOS, huffmanDecode, huffmanEncode, huffmanEncodedLength } from './huffman.js';
export { STATIC_TABLE, STATIC_TABLE_LENGTH, findStatic, staticEntry } from './static-table.js';
