/**
 * A small pcapng reader, for tests and tools: little-endian sections only, which is what the
 * writer (pcapng.ts) makes; and a LINKTYPE_RAW TCP/IP packet taken apart with its checksums checked.
 * Bounded by the input; throws only ParseError.
 *
 * @example
 * const epbs = parsePcapng(file).filter((b) => b.type === 'EPB');
 * decodePacket(epbs[0].packet).flags & TCP_FLAGS.SYN;
 */
import { ParseError, Reader, Writer } from './bytes.js';
import { BLOCK_TYPES, BYTE_ORDER_MAGIC, LeReader, internetChecksum, pad4 } from './pcapng-format.js';

/** A block as read back. */
export type PcapngBlock =
  | { type: 'SHB'; major: number; minor: number; options: Array<{ code: number; value: Uint8Array }> }
  | { type: 'IDB'; linkType: number; snapLen: number; options: Array<{ code: number; value: Uint8Array }> }
  | { type: 'DSB'; secretsType: number; secrets: Uint8Array }
  | { type: 'EPB'; interfaceId: number; timestampUs: bigint; capturedLength: number; originalLength: number; packet: Uint8Array; options: Array<{ code: number; value: Uint8Array }> }
  | { type: 'other'; blockType: number; body: Uint8Array };

/** A TCP/IP packet taken apart. */
export interface DecodedPacket {
  ipVersion: 4 | 6;
  src: Uint8Array;
  dst: Uint8Array;
  /** IPv4 total length, or IPv6 40 + payload length. */
  ipLength: number;
  ipChecksumOk: boolean;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  tcpChecksumOk: boolean;
  payload: Uint8Array;
}

/**
 * Read a little-endian pcapng file into blocks. Bounded by the input; throws only ParseError.
 *
 * @example
 * parsePcapng(writePcapng(conn)).filter((b) => b.type === 'EPB').length;
 */
export function parsePcapng(bytes: Uint8Array, maxBlocks = 1_000_000): PcapngBlock[] {
  const r = new LeReader(bytes);
  const blocks: PcapngBlock[] = [];
  while (!r.done) {
    if (blocks.length >= maxBlocks) throw new ParseError('too-large', `more than ${maxBlocks} blocks`, r.offset, 'block');
    const start = r.offset;
    const type = r.u32le('block.type');
    const total = r.u32le('block.total_length');
    // draft §3.1: the total length is a multiple of 4 and at least 12.
    if (total < 12 || total % 4 !== 0) throw new ParseError('invalid', `block total length ${total}`, start + 4, 'block.total_length');
    const body = r.bytes(total - 12, 'block.body');
    const trailer = r.u32le('block.total_length_trailer');
    if (trailer !== total) throw new ParseError('invalid', `block length ${total} vs trailer ${trailer}`, start + total - 4, 'block.total_length');
    const b = new LeReader(body, 0, body.length, start + 8);
    if (blocks.length === 0 && type !== BLOCK_TYPES.SHB) throw new ParseError('invalid', 'the file does not start with a Section Header Block', start, 'block.type');
    switch (type) {
      case BLOCK_TYPES.SHB: {
        const magic = b.u32le('shb.byte_order_magic');
        if (magic !== BYTE_ORDER_MAGIC) throw new ParseError('invalid', 'not a little-endian pcapng section', start + 8, 'shb.byte_order_magic');
        const major = b.u16le('shb.major');
        const minor = b.u16le('shb.minor');
        b.bytes(8, 'shb.section_length');
        blocks.push({ type: 'SHB', major, minor, options: readOptions(b) });
        break;
      }
      case BLOCK_TYPES.IDB: {
        const linkType = b.u16le('idb.link_type');
        b.u16le('idb.reserved');
        const snapLen = b.u32le('idb.snaplen');
        blocks.push({ type: 'IDB', linkType, snapLen, options: readOptions(b) });
        break;
      }
      case BLOCK_TYPES.DSB: {
        const secretsType = b.u32le('dsb.secrets_type');
        const len = b.u32le('dsb.secrets_length');
        blocks.push({ type: 'DSB', secretsType, secrets: b.bytes(len, 'dsb.secrets') });
        break;
      }
      case BLOCK_TYPES.EPB: {
        const interfaceId = b.u32le('epb.interface_id');
        const hi = b.u32le('epb.timestamp_high');
        const lo = b.u32le('epb.timestamp_low');
        const capturedLength = b.u32le('epb.captured_length');
        const originalLength = b.u32le('epb.original_length');
        const packet = b.bytes(capturedLength, 'epb.packet');
        b.bytes(pad4(capturedLength), 'epb.padding');
        blocks.push({ type: 'EPB', interfaceId, timestampUs: (BigInt(hi) << 32n) | BigInt(lo), capturedLength, originalLength, packet, options: readOptions(b) });
        break;
      }
      default:
        blocks.push({ type: 'other', blockType: type, body });
    }
  }
  return blocks;
}

function readOptions(r: LeReader): Array<{ code: number; value: Uint8Array }> {
  const out: Array<{ code: number; value: Uint8Array }> = [];
  while (r.remaining >= 4) {
    const code = r.u16le('option.code');
    const len = r.u16le('option.length');
    if (code === 0) break;
    out.push({ code, value: r.bytes(len, 'option.value') });
    r.bytes(Math.min(pad4(len), r.remaining), 'option.padding');
  }
  return out;
}

/**
 * Take a LINKTYPE_RAW packet apart (IPv4 or IPv6, then TCP), checking lengths and checksums.
 * Throws ParseError for anything else.
 *
 * @example
 * decodePacket(epb.packet).flags & TCP_FLAGS.SYN;
 */
export function decodePacket(p: Uint8Array): DecodedPacket {
  const r = new Reader(p);
  const v = (r.peekU8() ?? 0) >> 4;
  let src: Uint8Array;
  let dst: Uint8Array;
  let ipLength: number;
  let ipChecksumOk = true;
  let tcpStart: number;
  if (v === 4) {
    const ihl = (r.u8('ip.version_ihl') & 0x0f) * 4;
    r.u8('ip.tos');
    ipLength = r.u16('ip.total_length');
    r.bytes(5, 'ip.id_flags_ttl');
    if (r.u8('ip.protocol') !== 6) throw new ParseError('invalid', 'not TCP', 9, 'ip.protocol');
    r.u16('ip.checksum');
    src = r.bytes(4, 'ip.src');
    dst = r.bytes(4, 'ip.dst');
    ipChecksumOk = internetChecksum([p.subarray(0, ihl)]) === 0;
    tcpStart = ihl;
  } else if (v === 6) {
    r.u32('ip6.vtf');
    ipLength = 40 + r.u16('ip6.payload_length');
    if (r.u8('ip6.next_header') !== 6) throw new ParseError('invalid', 'not TCP', 6, 'ip6.next_header');
    r.u8('ip6.hop_limit');
    src = r.bytes(16, 'ip6.src');
    dst = r.bytes(16, 'ip6.dst');
    tcpStart = 40;
  } else {
    throw new ParseError('invalid', `IP version ${v}`, 0, 'ip.version');
  }
  if (ipLength !== p.length) throw new ParseError('length-mismatch', `IP length ${ipLength} but packet is ${p.length} bytes`, 2, 'ip.length');
  const tcp = p.subarray(tcpStart);
  const t = new Reader(tcp, 0, tcp.length, tcpStart);
  const srcPort = t.u16('tcp.src_port');
  const dstPort = t.u16('tcp.dst_port');
  const seq = t.u32('tcp.seq');
  const ack = t.u32('tcp.ack');
  const off = (t.u8('tcp.data_offset') >> 4) * 4;
  const flags = t.u8('tcp.flags');
  if (off < 20 || off > tcp.length) throw new ParseError('invalid', `TCP data offset ${off}`, tcpStart + 12, 'tcp.data_offset');
  const pseudo = new Writer(40);
  pseudo.bytes(src).bytes(dst);
  if (v === 4) pseudo.u8(0).u8(6).u16(tcp.length);
  else pseudo.u32(tcp.length).u8(0).u8(0).u8(0).u8(6);
  const tcpChecksumOk = internetChecksum([pseudo.finish(), tcp]) === 0;
  return { ipVersion: v as 4 | 6, src, dst, ipLength, ipChecksumOk, srcPort, dstPort, seq, ack, flags, tcpChecksumOk, payload: tcp.subarray(off) };
}
