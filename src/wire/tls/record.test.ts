import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, concat, fromHex } from '../bytes.js';
import {
  HandshakeReassembler,
  MAX_RECORD_LENGTH,
  RecordDecoder,
  encodeHandshake,
  encodeRecord,
  encodeRecords,
  parseHandshake,
  parseRecordHeader,
  parseRecords,
  type TlsRecord,
} from './record.js';
import { valueOrParseError } from '../../../test/wire-helpers.js';

function drain(dec: RecordDecoder): TlsRecord[] {
  const out: TlsRecord[] = [];
  for (let r = dec.next(); r; r = dec.next()) out.push(r);
  return out;
}

const plain = (r: TlsRecord) => ({ type: r.type, version: r.version, body: Array.from(r.body) });

describe('record header', () => {
  it('parses and encodes', () => {
    // RFC 8448 §3: the first bytes of the ClientHello record
    expect(parseRecordHeader(fromHex('16030100c4'))).toEqual({ type: 22, version: 0x0301, length: 196 });
    expect(Array.from(encodeRecord(21, 0x0303, Uint8Array.of(2, 40)))).toEqual([0x15, 3, 3, 0, 2, 2, 40]);
  });

  it('rejects what is not TLS', () => {
    const http = new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n');
    expect(() => parseRecordHeader(http)).toThrow(expect.objectContaining({ code: 'unexpected-value', field: 'record.type' }));
    expect(() => parseRecordHeader(fromHex('1602010000'))).toThrow(expect.objectContaining({ code: 'unexpected-value', field: 'record.legacy_version' }));
    expect(() => parseRecordHeader(fromHex('1603'))).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('rejects a length over 2^14+2048 as too-large', () => {
    expect(parseRecordHeader(fromHex('1703034800')).length).toBe(MAX_RECORD_LENGTH);
    expect(() => parseRecordHeader(fromHex('1703034801'))).toThrow(expect.objectContaining({ code: 'too-large' }));
    expect(() => encodeRecord(23, 0x0303, new Uint8Array(MAX_RECORD_LENGTH + 1))).toThrow(RangeError);
  });

  it('fragments long data and parses it back', () => {
    const data = Uint8Array.from({ length: 40000 }, (_, i) => i & 0xff);
    const { records, rest } = parseRecords(encodeRecords(22, 0x0303, data));
    expect(records.map((r) => r.length)).toEqual([16384, 16384, 40000 - 32768]);
    expect(rest.length).toBe(0);
    expect(concat(records.map((r) => r.body))).toEqual(data);
  });
});

describe('RecordDecoder', () => {
  it('returns null until a record completes, then the record', () => {
    const dec = new RecordDecoder();
    const bytes = encodeRecord(22, 0x0303, Uint8Array.of(1, 2, 3));
    dec.push(bytes.subarray(0, 4));
    expect(dec.next()).toBeNull();
    dec.push(bytes.subarray(4, 7));
    expect(dec.next()).toBeNull();
    dec.push(bytes.subarray(7));
    expect(plain(dec.next()!)).toEqual({ type: 22, version: 0x0303, body: [1, 2, 3] });
    expect(dec.next()).toBeNull();
    expect(dec.buffered).toBe(0);
  });

  it('fails fast on garbage and stays failed', () => {
    const dec = new RecordDecoder();
    dec.push(new TextEncoder().encode('H'));
    expect(() => dec.next()).toThrow(ParseError);
    expect(() => dec.next()).toThrow(ParseError);
    expect(() => dec.push(Uint8Array.of(1))).toThrow(ParseError);
  });

  it('reports error offsets in the whole stream', () => {
    const dec = new RecordDecoder();
    dec.push(concat([encodeRecord(22, 0x0303, Uint8Array.of(0)), fromHex('ff030300')]));
    dec.next();
    try {
      dec.next();
      expect.unreachable();
    } catch (e) {
      expect((e as ParseError).offset).toBe(6);
    }
  });

  it('is bounded', () => {
    const dec = new RecordDecoder({ maxBuffered: 100 });
    expect(() => dec.push(new Uint8Array(101))).toThrow(expect.objectContaining({ code: 'too-large' }));
    const small = new RecordDecoder({ maxRecordLength: 10 });
    small.push(fromHex('170303000b'));
    expect(() => small.next()).toThrow(expect.objectContaining({ code: 'too-large' }));
  });

  const recordArb = fc.record({
    type: fc.constantFrom(20, 21, 22, 23),
    version: fc.constantFrom(0x0300, 0x0301, 0x0303),
    body: fc.uint8Array({ maxLength: 300 }),
  });

  it('property: any chunking of a record stream gives the same records', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }), (recs, cuts) => {
        const stream = concat(recs.map((r) => encodeRecord(r.type, r.version, r.body)));
        const dec = new RecordDecoder();
        const got: TlsRecord[] = [];
        let at = 0;
        let i = 0;
        while (at < stream.length) {
          const n = cuts[i++ % cuts.length]!;
          dec.push(stream.subarray(at, at + n));
          at += n;
          got.push(...drain(dec));
        }
        expect(got.map(plain)).toEqual(recs.map((r) => ({ type: r.type, version: r.version, body: Array.from(r.body) })));
        expect(dec.buffered).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('property: random bytes give records, null or ParseError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 100 }), (bytes, step) => {
        const dec = new RecordDecoder();
        valueOrParseError(() => {
          for (let at = 0; at < bytes.length; at += step) {
            dec.push(bytes.subarray(at, at + step));
            drain(dec);
          }
        });
        valueOrParseError(() => parseRecords(bytes));
        valueOrParseError(() => parseRecordHeader(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('property: mutated and truncated valid streams give records, null or ParseError only', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (recs, flips, cut) => {
          const stream = concat(recs.map((r) => encodeRecord(r.type, r.version, r.body)));
          for (const [pos, v] of flips) stream[pos % stream.length] = v;
          const dec = new RecordDecoder();
          valueOrParseError(() => {
            dec.push(stream.subarray(0, cut % (stream.length + 1)));
            drain(dec);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('HandshakeReassembler', () => {
  const sh = encodeHandshake(2, Uint8Array.from({ length: 70 }, (_, i) => i));
  const done = encodeHandshake(14, new Uint8Array(0));

  it('splits coalesced messages and joins fragmented ones', () => {
    const hs = new HandshakeReassembler();
    const both = concat([sh, done]);
    hs.push(both.subarray(0, 3));
    expect(hs.next()).toBeNull();
    hs.push(both.subarray(3, 50));
    expect(hs.next()).toBeNull();
    expect(hs.pending).toBe(50);
    hs.push(both.subarray(50));
    const a = hs.next()!;
    const b = hs.next()!;
    expect(a.type).toBe(2);
    expect(a.body.length).toBe(70);
    expect(a.raw).toEqual(sh);
    expect(b).toEqual({ type: 14, body: new Uint8Array(0), raw: done });
    expect(hs.next()).toBeNull();
    expect(hs.pending).toBe(0);
  });

  it('rejects a message larger than the bound', () => {
    const hs = new HandshakeReassembler({ maxMessageSize: 1000 });
    hs.push(fromHex('0b0003e9'));
    expect(() => hs.next()).toThrow(expect.objectContaining({ code: 'too-large' }));
    expect(() => hs.next()).toThrow(ParseError);
    // The header of the refused message stays readable: its type and announced length (a chain of 5.5 MiB).
    expect(hs.head()).toEqual({ type: 11, length: 1001 });
  });

  it('head(): the message under way, none before its 4-byte header nor once taken', () => {
    const hs = new HandshakeReassembler();
    hs.push(sh.subarray(0, 3));
    expect(hs.head()).toBeUndefined();
    hs.push(sh.subarray(3, 10));
    expect(hs.head()).toEqual({ type: 2, length: 70 });
    hs.push(sh.subarray(10));
    hs.next();
    expect(hs.head()).toBeUndefined();
  });

  it('parses one handshake message exactly', () => {
    expect(parseHandshake(done)).toMatchObject({ type: 14 });
    expect(() => parseHandshake(concat([done, Uint8Array.of(0)]))).toThrow(expect.objectContaining({ code: 'length-mismatch' }));
    expect(() => parseHandshake(fromHex('0200'))).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('property: any fragmentation gives the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ type: fc.integer({ min: 0, max: 255 }), body: fc.uint8Array({ maxLength: 200 }) }), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (msgs, cuts) => {
          const stream = concat(msgs.map((m) => encodeHandshake(m.type, m.body)));
          const hs = new HandshakeReassembler();
          const got: { type: number; body: number[] }[] = [];
          let at = 0;
          let i = 0;
          while (at < stream.length) {
            const n = cuts[i++ % cuts.length]!;
            hs.push(stream.subarray(at, at + n));
            at += n;
            for (let m = hs.next(); m; m = hs.next()) got.push({ type: m.type, body: Array.from(m.body) });
          }
          expect(got).toEqual(msgs.map((m) => ({ type: m.type, body: Array.from(m.body) })));
        },
      ),
      { numRuns: 300 },
    );
  });
});
