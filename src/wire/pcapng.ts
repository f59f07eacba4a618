/**
 * A pcapng writer for one traced TCP connection (the reader, for tests and round trips, is
 * pcapng-read.ts):
 * the real application bytes, in synthetic IPv4/IPv6 + TCP framing, with a Decryption Secrets
 * Block holding the TLS key log, so Wireshark or tshark shows decrypted HTTP/2 with no capture
 * privileges. Pure: bytes in, bytes out.
 *
 * Layout (pcapng, IETF draft-ietf-opsawg-pcapng): Section Header Block, one Interface
 * Description Block (LINKTYPE_RAW: each packet starts with its IP header, v4 or v6), the Decryption
 * Secrets Block, then one Enhanced Packet Block per segment: SYN, SYN-ACK, ACK, the data split
 * under the MSS with consistent sequence and acknowledgment numbers, then FIN/ACK (or RST).
 *
 * @example
 * const file = writePcapng({
 *   client: { address: '127.0.0.1', port: 50000 }, server: { address: '127.0.0.1', port: 443 },
 *   openedAt: Date.now(), segments: [{ dir: 'out', at: Date.now(), data: clientHello }],
 *   keylog: 'CLIENT_RANDOM …\n',
 * });
 */
import { ParseError, Writer, concat } from './bytes.js';
import { BLOCK_TYPES, BYTE_ORDER_MAGIC, LINKTYPE_RAW, LeWriter, SECRETS_TLS_KEYLOG, TCP_FLAGS, internetChecksum, pad4 } from './pcapng-format.js';

/** One side of the connection. */
export interface Endpoint {
  /** IPv4 dotted quad or IPv6 text. Both ends must be of the same family. */
  address: string;
  port: number;
}

/** Bytes that crossed the connection in one direction, at one time. */
export interface CapturedChunk {
  /** 'out': client → server; 'in': server → client. */
  dir: 'out' | 'in';
  /** Milliseconds since the Unix epoch (fractions kept to the microsecond). */
  at: number;
  data: Uint8Array;
}

/** What {@link writePcapng} needs. */
export interface PcapngConnection {
  client: Endpoint;
  server: Endpoint;
  /** When the TCP connection opened (the SYN), ms since the epoch. */
  openedAt: number;
  segments: readonly CapturedChunk[];
  /** How it ended; default: the client closes with FIN. `open`: no closing segments. */
  close?: { by: 'client' | 'server'; reset?: boolean; at?: number } | 'open';
  /** NSS key log lines (SSLKEYLOGFILE format); written to a Decryption Secrets Block when non-empty. */
  keylog?: string;
  /** Largest TCP payload per packet; default 1460. */
  mss?: number;
  /** Section comment (opt_comment). */
  comment?: string;
  /** Application name for shb_userappl. */
  application?: string;
}

// ---------------------------------------------------------------------------------------------
// Addresses

/**
 * IPv4 or IPv6 text to its bytes (4 or 16). Throws ParseError for anything else.
 *
 * @example
 * ipBytes('::1'); // 15 zero bytes then 1
 */
export function ipBytes(text: string): Uint8Array {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const b = v4.slice(1).map(Number);
    if (b.some((x) => x > 255)) throw new ParseError('invalid', `not an IPv4 address: ${text}`, 0, 'address');
    return Uint8Array.from(b);
  }
  // RFC 4291 §2.2: eight 16-bit groups, one run of zeros may be "::", the last 32 bits may be dotted.
  const clean = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!/^[0-9a-fA-F:.]+$/.test(clean) || clean.split('::').length > 2) throw new ParseError('invalid', `not an IP address: ${text}`, 0, 'address');
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    items.forEach((g, i) => {
      if (i === items.length - 1 && g.includes('.')) {
        const q = ipBytes(g);
        out.push((q[0]! << 8) | q[1]!, (q[2]! << 8) | q[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new ParseError('invalid', `not an IPv6 address: ${text}`, 0, 'address');
        out.push(parseInt(g, 16));
      }
    });
    return out;
  };
  const [head, tail] = clean.split('::') as [string, string | undefined];
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const zeros = 8 - h.length - t.length;
  if ((tail === undefined && zeros !== 0) || zeros < 0 || (tail !== undefined && zeros < 1)) {
    throw new ParseError('invalid', `not an IPv6 address: ${text}`, 0, 'address');
  }
  const all = [...h, ...new Array<number>(zeros).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Packets

interface TcpSegment {
  src: Endpoint;
  dst: Endpoint;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
  /** MSS option (SYN and SYN-ACK only). */
  mss?: number;
}

/** An IP packet carrying one TCP segment, with correct lengths and checksums. */
function ipPacket(s: TcpSegment, ipId: number): Uint8Array {
  const src = ipBytes(s.src.address);
  const dst = ipBytes(s.dst.address);
  if (src.length !== dst.length) throw new ParseError('invalid', 'client and server addresses are of different IP families', 0, 'address');
  const optLen = s.mss !== undefined ? 4 : 0;
  const tcpLen = 20 + optLen + s.payload.length;
  const tcp = new Writer(tcpLen);
  // RFC 9293 §3.1: ports, sequence, acknowledgment, data offset (32-bit words), flags, window, checksum, urgent pointer.
  tcp.u16(s.src.port).u16(s.dst.port).u32(s.seq >>> 0).u32(s.ack >>> 0);
  tcp.u8(((20 + optLen) / 4) << 4).u8(s.flags).u16(65535).u16(0).u16(0);
  // RFC 9293 §3.2: the Maximum Segment Size option, kind 2, length 4.
  if (s.mss !== undefined) tcp.u8(2).u8(4).u16(s.mss);
  tcp.bytes(s.payload);
  const seg = tcp.finish();
  // RFC 9293 §3.1 (IPv4) and RFC 8200 §8.1 (IPv6): the TCP checksum covers a pseudo-header.
  const pseudo = new Writer(40);
  pseudo.bytes(src).bytes(dst);
  if (src.length === 4) pseudo.u8(0).u8(6).u16(tcpLen);
  else pseudo.u32(tcpLen).u8(0).u8(0).u8(0).u8(6);
  const sum = internetChecksum([pseudo.finish(), seg]);
  seg[16] = sum >> 8;
  seg[17] = sum & 0xff;

  const ip = new Writer(40 + tcpLen);
  if (src.length === 4) {
    // RFC 791 §3.1: version 4, IHL 5, total length, identification, DF, TTL, protocol 6 (TCP), checksum.
    const h = new Writer(20);
    h.u8(0x45).u8(0).u16(20 + tcpLen).u16(ipId & 0xffff).u16(0x4000).u8(64).u8(6).u16(0).bytes(src).bytes(dst);
    const hb = h.finish();
    const c = internetChecksum([hb]);
    hb[10] = c >> 8;
    hb[11] = c & 0xff;
    ip.bytes(hb);
  } else {
    // RFC 8200 §3: version 6, traffic class 0, flow label 0, payload length, next header 6, hop limit.
    ip.u32(0x60000000).u16(tcpLen).u8(6).u8(64).bytes(src).bytes(dst);
  }
  ip.bytes(seg);
  return ip.finish();
}

// ---------------------------------------------------------------------------------------------
// Blocks

/** One option (code, length, value padded to 32 bits). */
function option(w: LeWriter, code: number, value: Uint8Array): void {
  w.u16le(code).u16le(value.length).bytes(value).bytes(new Uint8Array(pad4(value.length)));
}

/** A block: type, total length, body, total length again (draft §3.1). */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length;
  const w = new LeWriter(total);
  w.u32le(type).u32le(total).bytes(body).u32le(total);
  return w.finish();
}

const utf8 = new TextEncoder();

function sectionHeader(comment?: string, application?: string): Uint8Array {
  const w = new LeWriter(64);
  // Section Header Block: byte-order magic, version 1.0, section length unknown (-1).
  w.u32le(BYTE_ORDER_MAGIC).u16le(1).u16le(0).u32le(0xffffffff).u32le(0xffffffff);
  if (comment) option(w, 1, utf8.encode(comment));
  if (application) option(w, 4, utf8.encode(application)); // shb_userappl
  if (comment || application) w.u32le(0); // opt_endofopt
  return block(BLOCK_TYPES.SHB, w.finish());
}

function interfaceDescription(name: string): Uint8Array {
  const w = new LeWriter(48);
  w.u16le(LINKTYPE_RAW).u16le(0).u32le(0); // link type, reserved, snaplen 0 = no limit
  option(w, 2, utf8.encode(name)); // if_name
  option(w, 9, Uint8Array.of(6)); // if_tsresol: 10^-6 s
  w.u32le(0);
  return block(BLOCK_TYPES.IDB, w.finish());
}

function decryptionSecrets(keylog: string): Uint8Array {
  const data = utf8.encode(keylog);
  const w = new LeWriter(8 + data.length + 4);
  w.u32le(SECRETS_TLS_KEYLOG).u32le(data.length).bytes(data).bytes(new Uint8Array(pad4(data.length)));
  return block(BLOCK_TYPES.DSB, w.finish());
}

function enhancedPacket(atMs: number, packet: Uint8Array, outbound: boolean): Uint8Array {
  const us = BigInt(Math.max(0, Math.round(atMs * 1000)));
  const w = new LeWriter(32 + packet.length + 16);
  w.u32le(0).u32le(Number(us >> 32n)).u32le(Number(us & 0xffffffffn)).u32le(packet.length).u32le(packet.length);
  w.bytes(packet).bytes(new Uint8Array(pad4(packet.length)));
  // epb_flags: bits 0–1 direction, 01 inbound, 10 outbound (from the client's point of view).
  const flags = new LeWriter(4);
  flags.u32le(outbound ? 2 : 1);
  option(w, 2, flags.finish());
  w.u32le(0);
  return block(BLOCK_TYPES.EPB, w.finish());
}

// ---------------------------------------------------------------------------------------------
// The connection

/** Initial sequence numbers: fixed, so the same trace gives the same file. */
const CLIENT_ISN = 0x1000;
const SERVER_ISN = 0x8000;

/**
 * Write one TCP connection as a pcapng file.
 *
 * @example
 * writeFileSync('trace.pcapng', writePcapng(conn));
 */
export function writePcapng(c: PcapngConnection): Uint8Array {
  const mss = c.mss ?? 1460;
  if (!Number.isInteger(mss) || mss < 1 || mss > 65495) throw new RangeError(`mss ${mss} is out of range`);
  const out: Uint8Array[] = [sectionHeader(c.comment, c.application), interfaceDescription(`h2doctor ${c.client.address} → ${c.server.address}:${c.server.port}`)];
  // The DSB goes before the packets it decrypts (draft §4.7).
  if (c.keylog && c.keylog.trim()) out.push(decryptionSecrets(c.keylog.endsWith('\n') ? c.keylog : `${c.keylog}\n`));

  let ipId = 1;
  let cSeq = CLIENT_ISN;
  let sSeq = SERVER_ISN;
  const emit = (at: number, outbound: boolean, flags: number, payload: Uint8Array, seq: number, ack: number, opts: { mss?: number } = {}): void => {
    const seg: TcpSegment = outbound
      ? { src: c.client, dst: c.server, seq, ack, flags, payload, ...opts }
      : { src: c.server, dst: c.client, seq, ack, flags, payload, ...opts };
    out.push(enhancedPacket(at, ipPacket(seg, ipId++), outbound));
  };

  // RFC 9293 §3.5: the three-way handshake; SYN and FIN each take one sequence number.
  const t0 = c.openedAt;
  emit(t0, true, TCP_FLAGS.SYN, new Uint8Array(0), cSeq, 0, { mss });
  emit(t0, false, TCP_FLAGS.SYN | TCP_FLAGS.ACK, new Uint8Array(0), sSeq, cSeq + 1, { mss });
  cSeq += 1;
  sSeq += 1;
  emit(t0, true, TCP_FLAGS.ACK, new Uint8Array(0), cSeq, sSeq);

  let last = t0;
  for (const chunk of c.segments) {
    const outbound = chunk.dir === 'out';
    last = Math.max(last, chunk.at);
    for (let i = 0; i < chunk.data.length; i += mss) {
      const part = chunk.data.subarray(i, Math.min(chunk.data.length, i + mss));
      const end = i + mss >= chunk.data.length;
      const flags = TCP_FLAGS.ACK | (end ? TCP_FLAGS.PSH : 0);
      if (outbound) {
        emit(chunk.at, true, flags, part, cSeq, sSeq);
        cSeq = (cSeq + part.length) >>> 0;
      } else {
        emit(chunk.at, false, flags, part, sSeq, cSeq);
        sSeq = (sSeq + part.length) >>> 0;
      }
    }
  }

  if (c.close !== 'open') {
    const close = c.close ?? { by: 'client' };
    // The close comes after the last captured byte, whatever the clock said.
    const at = Math.max(close.at ?? last, last);
    const byClient = close.by === 'client';
    if (close.reset) {
      // RFC 9293 §3.5.2: a reset carries the sender's next sequence number.
      emit(at, byClient, TCP_FLAGS.RST | TCP_FLAGS.ACK, new Uint8Array(0), byClient ? cSeq : sSeq, byClient ? sSeq : cSeq);
    } else {
      // RFC 9293 §3.6: FIN from the closer, FIN from the other side, and the last ACK.
      if (byClient) {
        emit(at, true, TCP_FLAGS.FIN | TCP_FLAGS.ACK, new Uint8Array(0), cSeq, sSeq);
        cSeq = (cSeq + 1) >>> 0;
        emit(at, false, TCP_FLAGS.FIN | TCP_FLAGS.ACK, new Uint8Array(0), sSeq, cSeq);
        sSeq = (sSeq + 1) >>> 0;
        emit(at, true, TCP_FLAGS.ACK, new Uint8Array(0), cSeq, sSeq);
      } else {
        emit(at, false, TCP_FLAGS.FIN | TCP_FLAGS.ACK, new Uint8Array(0), sSeq, cSeq);
        sSeq = (sSeq + 1) >>> 0;
        emit(at, true, TCP_FLAGS.FIN | TCP_FLAGS.ACK, new Uint8Array(0), cSeq, sSeq);
        cSeq = (cSeq + 1) >>> 0;
        emit(at, false, TCP_FLAGS.ACK, new Uint8Array(0), sSeq, cSeq);
      }
    }
  }
  return concat(out);
}
