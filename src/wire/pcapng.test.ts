import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BLOCK_TYPES, LINKTYPE_RAW, SECRETS_TLS_KEYLOG, TCP_FLAGS } from './pcapng-format.js';
import { decodePacket, parsePcapng } from './pcapng-read.js';
import { ipBytes, writePcapng, type CapturedChunk, type PcapngConnection } from './pcapng.js';
import { ParseError, concat, toHex } from './bytes.js';

const enc = new TextEncoder();
const T0 = 1_700_000_000_000.5;
const conn = (segments: CapturedChunk[], more: Partial<PcapngConnection> = {}): PcapngConnection => ({
  client: { address: '127.0.0.1', port: 50123 },
  server: { address: '127.0.0.1', port: 443 },
  openedAt: T0,
  segments,
  ...more,
});

function packets(file: Uint8Array) {
  return parsePcapng(file)
    .filter((b) => b.type === 'EPB')
    .map((b) => ({ ...decodePacket((b as { packet: Uint8Array }).packet), ts: (b as { timestampUs: bigint }).timestampUs, options: (b as { options: Array<{ code: number; value: Uint8Array }> }).options }));
}

describe('ipBytes', () => {
  it.each([
    ['127.0.0.1', '7f000001'],
    ['::1', '00000000000000000000000000000001'],
    ['[::1]', '00000000000000000000000000000001'],
    ['2001:db8::8:800:200c:417a', '20010db80000000000080800200c417a'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
    ['fe80::1%eth0', 'fe800000000000000000000000000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
  ])('%s', (text, hex) => expect(toHex(ipBytes(text))).toBe(hex));
  it.each(['256.0.0.1', '1::2::3', 'localhost', '1:2:3', '1:2:3:4:5:6:7:8:9', '12345::', ''])('rejects %j', (text) => {
    expect(() => ipBytes(text)).toThrow(ParseError);
  });
});

describe('writePcapng structure', () => {
  const keylog = 'CLIENT_RANDOM 00 11\n';
  const file = writePcapng(conn([{ dir: 'out', at: T0 + 1, data: enc.encode('hello') }], { keylog, comment: 'note', application: 'h2doctor test' }));
  const blocks = parsePcapng(file);

  it('SHB (v1.0, comment, application), IDB LINKTYPE_RAW with µs resolution, DSB, then packets', () => {
    expect(blocks.map((b) => b.type)).toEqual(['SHB', 'IDB', 'DSB', 'EPB', 'EPB', 'EPB', 'EPB', 'EPB', 'EPB', 'EPB']);
    const shb = blocks[0]!;
    expect(shb).toMatchObject({ type: 'SHB', major: 1, minor: 0 });
    if (shb.type === 'SHB') expect(shb.options.map((o) => [o.code, new TextDecoder().decode(o.value)])).toEqual([[1, 'note'], [4, 'h2doctor test']]);
    const idb = blocks[1]!;
    expect(idb).toMatchObject({ type: 'IDB', linkType: LINKTYPE_RAW, snapLen: 0 });
    if (idb.type === 'IDB') expect(idb.options.find((o) => o.code === 9)?.value).toEqual(Uint8Array.of(6));
  });

  it('the DSB holds the key log as TLS key log secrets (0x544c534b), type 0x0000000A', () => {
    expect(BLOCK_TYPES.DSB).toBe(0x0a);
    const dsb = blocks[2]!;
    expect(dsb).toMatchObject({ type: 'DSB', secretsType: SECRETS_TLS_KEYLOG });
    if (dsb.type === 'DSB') expect(new TextDecoder().decode(dsb.secrets)).toBe(keylog);
    // First block type on the wire is the SHB magic; the DSB type word is 0x0000000A little-endian.
    expect(toHex(file.subarray(0, 4))).toBe('0a0d0d0a');
  });

  it('no DSB without a key log', () => {
    expect(parsePcapng(writePcapng(conn([]))).map((b) => b.type)).toEqual(['SHB', 'IDB', 'EPB', 'EPB', 'EPB', 'EPB', 'EPB', 'EPB']);
  });

  it('every block length is a multiple of 4 and the file ends on a block boundary', () => {
    // parsePcapng would throw otherwise; also check the total.
    expect(file.length % 4).toBe(0);
  });

  it('timestamps are microseconds since the epoch; direction flags say inbound or outbound', () => {
    const p = packets(file);
    expect(p[0]!.ts).toBe(BigInt(Math.round(T0 * 1000)));
    expect(p[3]!.ts).toBe(BigInt(Math.round((T0 + 1) * 1000)));
    const dir = (x: (typeof p)[number]) => x.options.find((o) => o.code === 2)!.value[0];
    expect(p.map(dir)).toEqual([2, 1, 2, 2, 2, 1, 2]);
  });
});

describe('synthetic TCP', () => {
  it('handshake, data with consistent seq/ack, FIN from the client, correct checksums (IPv4)', () => {
    const p = packets(
      writePcapng(
        conn([
          { dir: 'out', at: T0, data: enc.encode('abc') },
          { dir: 'in', at: T0 + 2, data: enc.encode('12345') },
          { dir: 'out', at: T0 + 3, data: enc.encode('d') },
        ]),
      ),
    );
    const S = TCP_FLAGS;
    expect(p.map((x) => x.flags)).toEqual([S.SYN, S.SYN | S.ACK, S.ACK, S.ACK | S.PSH, S.ACK | S.PSH, S.ACK | S.PSH, S.FIN | S.ACK, S.FIN | S.ACK, S.ACK]);
    const [syn, synAck, ack, d1, d2, d3, fin1, fin2, last] = p as [typeof p[0], ...typeof p];
    expect(synAck!.ack).toBe(syn.seq + 1);
    expect(ack!.seq).toBe(syn.seq + 1);
    expect(ack!.ack).toBe(synAck!.seq + 1);
    expect(d1!.seq).toBe(ack!.seq);
    expect(d2!.seq).toBe(synAck!.seq + 1);
    expect(d2!.ack).toBe(d1!.seq + 3);
    expect(d3!.seq).toBe(d1!.seq + 3);
    expect(d3!.ack).toBe(d2!.seq + 5);
    expect(fin1!.seq).toBe(d3!.seq + 1);
    expect(fin2!.ack).toBe(fin1!.seq + 1);
    expect(last!.ack).toBe(fin2!.seq + 1);
    for (const x of p) {
      expect(x.ipChecksumOk).toBe(true);
      expect(x.tcpChecksumOk).toBe(true);
      expect(x.ipVersion).toBe(4);
    }
    expect(p.filter((x) => x.srcPort === 50123).length).toBe(6);
    expect(syn.dstPort).toBe(443);
  });

  it('IPv6 framing with correct lengths and checksums; close by the server with RST', () => {
    const p = packets(
      writePcapng(conn([{ dir: 'in', at: T0, data: enc.encode('x') }], { client: { address: '::1', port: 5 }, server: { address: '::1', port: 6 }, close: { by: 'server', reset: true } })),
    );
    expect(p.every((x) => x.ipVersion === 6 && x.tcpChecksumOk)).toBe(true);
    expect(p.at(-1)!.flags).toBe(TCP_FLAGS.RST | TCP_FLAGS.ACK);
    expect(p.at(-1)!.srcPort).toBe(6);
    expect(p.at(-1)!.seq).toBe(p.at(-2)!.seq + 1);
  });

  it("close: 'open' writes no closing segments; by server sends FIN from the server first", () => {
    expect(packets(writePcapng(conn([], { close: 'open' }))).length).toBe(3);
    const p = packets(writePcapng(conn([], { close: { by: 'server' } })));
    expect(p.at(-3)!.srcPort).toBe(443);
    expect(p.at(-3)!.flags).toBe(TCP_FLAGS.FIN | TCP_FLAGS.ACK);
  });

  it('segments a large write under the MSS, PSH on the last piece only', () => {
    const big = new Uint8Array(5000).map((_, i) => i & 0xff);
    const p = packets(writePcapng(conn([{ dir: 'out', at: T0, data: big }], { mss: 1460 })));
    const data = p.filter((x) => x.payload.length > 0);
    expect(data.map((x) => x.payload.length)).toEqual([1460, 1460, 1460, 620]);
    expect(data.map((x) => (x.flags & TCP_FLAGS.PSH) !== 0)).toEqual([false, false, false, true]);
    expect(concat(data.map((x) => x.payload))).toEqual(big);
    expect(() => writePcapng(conn([], { mss: 0 }))).toThrow(RangeError);
  });

  it('mixed address families are refused', () => {
    expect(() => writePcapng(conn([], { client: { address: '::1', port: 1 } }))).toThrow(ParseError);
  });
});

describe('properties', () => {
  it('any chunks: each direction reassembles to its bytes, seq runs without gaps, checksums hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dir: fc.constantFrom<'in' | 'out'>('in', 'out'), data: fc.uint8Array({ minLength: 0, maxLength: 3000 }) }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.boolean(),
        (chunks, mss, v6) => {
          const segs = chunks.map((c, i) => ({ ...c, at: T0 + i }));
          const more: Partial<PcapngConnection> = { mss, ...(v6 ? { client: { address: '::1', port: 40000 }, server: { address: '2001:db8::1', port: 8443 } } : {}) };
          const p = packets(writePcapng(conn(segs, more)));
          for (const dir of ['out', 'in'] as const) {
            const fromClient = dir === 'out';
            const mine = p.filter((x) => (x.srcPort === (v6 ? 40000 : 50123)) === fromClient);
            const want = concat(segs.filter((s) => s.dir === dir).map((s) => s.data));
            const data = mine.filter((x) => x.payload.length > 0);
            expect(concat(data.map((x) => x.payload))).toEqual(want);
            expect(data.every((x) => x.payload.length <= mss)).toBe(true);
            // Sequence numbers: each data segment starts where the previous ended.
            for (let i = 1; i < data.length; i++) expect(data[i]!.seq).toBe((data[i - 1]!.seq + data[i - 1]!.payload.length) >>> 0);
          }
          expect(p.every((x) => x.tcpChecksumOk && x.ipChecksumOk)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('parsePcapng: random bytes give blocks or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          parsePcapng(b);
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
