/**
 * What the pcapng writer (pcapng.ts) and reader (pcapng-read.ts) share: block types and codes
 * (draft-ietf-opsawg-pcapng), little-endian cursors, 32-bit padding, the RFC 1071 checksum, TCP flags.
 *
 * @example
 * new LeWriter(12).u32le(BLOCK_TYPES.SHB).finish();
 */
import { Reader, Writer } from './bytes.js';

/** pcapng sections here are little-endian; the project's cursors are big-endian (network order). */
export class LeWriter extends Writer {
  u16le(v: number): this {
    return this.u8(v & 0xff).u8((v >>> 8) & 0xff);
  }
  u32le(v: number): this {
    return this.u8(v & 0xff).u8((v >>> 8) & 0xff).u8((v >>> 16) & 0xff).u8((v >>> 24) & 0xff);
  }
}
export class LeReader extends Reader {
  u16le(field: string): number {
    const b = this.bytes(2, field);
    return b[0]! | (b[1]! << 8);
  }
  u32le(field: string): number {
    const b = this.bytes(4, field);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
}

/** pcapng block types (draft-ietf-opsawg-pcapng §4–5). */
export const BLOCK_TYPES = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  EPB: 0x00000006,
  DSB: 0x0000000a,
} as const;
/** Decryption Secrets Block secrets type for an NSS key log (draft-ietf-opsawg-pcapng §4.7). */
export const SECRETS_TLS_KEYLOG = 0x544c534b;
/** LINKTYPE_RAW: the packet begins with an IPv4 or IPv6 header (tcpdump.org link types). */
export const LINKTYPE_RAW = 101;
/** The section header's byte-order magic (draft §4.1); read back as written: little-endian. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** TCP flag bits (RFC 9293 §3.1). */
export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

/** Padding after `n` bytes to the next 32-bit boundary (draft §3.1). */
export function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

/** RFC 1071 Internet checksum over the concatenation of `parts`. */
export function internetChecksum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd === undefined) odd = p[i]!;
      else {
        sum += (odd << 8) | p[i]!;
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
