import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { concat, fromHex, ParseError, toHex } from '../bytes.js';
import {
  applyMask,
  closePayload,
  decodeFrames,
  encodeFrame,
  type FrameDecoderOptions,
  FrameDecoder,
  type FrameInput,
  OPCODES,
  parseClosePayload,
  type WebSocketFrame,
} from './frame.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const MASK = fromHex('37fa213d');

/** Feed `chunks` and collect frames until the input runs out or a ParseError. */
function drain(chunks: Uint8Array[], opts: FrameDecoderOptions = {}): { frames: WebSocketFrame[]; error?: ParseError; pending: number } {
  const d = new FrameDecoder(opts);
  const frames: WebSocketFrame[] = [];
  try {
    for (const c of chunks) {
      d.push(c);
      for (let f = d.next(); f; f = d.next()) frames.push(f);
    }
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { frames, error: e, pending: d.buffered };
  }
  return { frames, pending: d.buffered };
}

describe('RFC 6455 §5.7 examples', () => {
  test.each([
    ['single-frame unmasked text', '810548656c6c6f', { fin: true, opcode: 1, masked: false, text: 'Hello' }],
    ['single-frame masked text', '818537fa213d7f9f4d5158', { fin: true, opcode: 1, masked: true, text: 'Hello' }],
    ['unmasked ping', '890548656c6c6f', { fin: true, opcode: 9, masked: false, text: 'Hello' }],
    ['masked pong', '8a8537fa213d7f9f4d5158', { fin: true, opcode: 10, masked: true, text: 'Hello' }],
  ])('%s', (_n, hex, want) => {
    const [f] = decodeFrames(fromHex(hex));
    expect(f).toMatchObject({ fin: want.fin, opcode: want.opcode, masked: want.masked, rsv: 0, offset: 0, size: fromHex(hex).length });
    expect(new TextDecoder().decode(f!.payload)).toBe(want.text);
  });

  it('fragmented unmasked text', () => {
    const fs = decodeFrames(fromHex('010348656c 80026c6f'));
    expect(fs.map((f) => [f.fin, f.opcode, new TextDecoder().decode(f.payload)])).toEqual([
      [false, 1, 'Hel'],
      [true, 0, 'lo'],
    ]);
  });

  it('256 bytes with a 16-bit length, 64 KiB with a 64-bit length', () => {
    const b256 = encodeFrame({ opcode: OPCODES.binary, payload: new Uint8Array(256) });
    expect(toHex(b256.subarray(0, 4))).toBe('827e0100');
    const b64k = encodeFrame({ opcode: OPCODES.binary, payload: new Uint8Array(65536) });
    expect(toHex(b64k.subarray(0, 10))).toBe('827f0000000000010000');
    expect(decodeFrames(concat([b256, b64k])).map((f) => f.payload.length)).toEqual([256, 65536]);
  });

  it('encodes the masked example byte for byte', () => {
    expect(toHex(encodeFrame({ opcode: OPCODES.text, payload: utf8('Hello'), mask: MASK }))).toBe('818537fa213d7f9f4d5158');
    expect(toHex(applyMask(applyMask(utf8('Hello'), MASK), MASK))).toBe(toHex(utf8('Hello')));
  });
});

describe('close frames', () => {
  it('round-trips code and reason', () => {
    const [f] = decodeFrames(encodeFrame({ opcode: OPCODES.close, payload: closePayload(1001, 'bye ✓') }));
    expect(f!.close).toEqual({ code: 1001, reason: 'bye ✓' });
    expect(decodeFrames(fromHex('8800'))[0]!.close).toEqual({ reason: '' });
  });
  test.each([
    ['1-byte payload', '880103'],
    ['code 1005', '880203ed'],
    ['code 999', '880203e7'],
    ['code 2999', '88020bb7'],
    ['bad UTF-8 reason', '880403e8c328'],
  ])('%s → invalid', (_n, hex) => {
    const r = drain([fromHex(hex)]);
    expect(r.error?.code).toBe('invalid');
    expect(r.error?.message).toMatch(/RFC 6455 §(5\.5\.1|7\.4)/);
  });
  it('closePayload refuses what may not be sent', () => {
    expect(() => closePayload(1006)).toThrow(RangeError);
    expect(() => closePayload(undefined, 'x')).toThrow(RangeError);
    expect(() => closePayload(1000, 'x'.repeat(124))).toThrow(RangeError);
    expect(parseClosePayload(closePayload(4000, 'app'))).toEqual({ code: 4000, reason: 'app' });
  });
});

describe('protocol rules', () => {
  test.each([
    ['fragmented ping (§5.5)', '0900', 'invalid', /§5\.5/],
    ['ping with 126 bytes (§5.5)', '897e007e', 'invalid', /§5\.5/],
    ['reserved opcode 0x3 (§5.2)', '8300', 'invalid', /§5\.2/],
    ['reserved opcode 0xB (§5.2)', '8b00', 'invalid', /§5\.2/],
    ['RSV1 without extension (§5.2)', 'c100', 'invalid', /§5\.2/],
    ['continuation first (§5.4)', '8000', 'invalid', /§5\.4/],
    ['text inside fragmented message (§5.4)', '0100 8100', 'invalid', /§5\.4/],
    ['64-bit length with MSB set (§5.2)', '827f8000000000000000', 'invalid', /§5\.2/],
    ['non-minimal 16-bit length (§5.2)', '827e0005' + '00'.repeat(5), 'invalid', /minimal/],
    ['non-minimal 64-bit length (§5.2)', '827f000000000000ffff', 'invalid', /minimal/],
  ])('%s', (_n, hex, code, msg) => {
    const r = drain([fromHex(hex)]);
    expect(r.error?.code).toBe(code);
    expect(r.error?.message).toMatch(msg);
  });

  it('rejects an oversized frame from its header, before the payload arrives', () => {
    const r = drain([fromHex('827f0000000100000000')], { maxPayload: 1 << 20 });
    expect(r.error).toMatchObject({ code: 'too-large', offset: 1 });
    expect(drain([fromHex('827e0400')], { maxPayload: 1000 }).error?.code).toBe('too-large');
  });

  it('names a 64-bit length exactly, past 2^53 (2^63−1 is 9223372036854775807, not …776000)', () => {
    const r = drain([fromHex('827f7fffffffffffffff')], { maxPayload: 1 << 20 });
    expect(r.error).toMatchObject({ code: 'too-large', offset: 1 });
    expect(r.error?.message).toContain('payload length 9223372036854775807 exceeds');
    expect(drain([fromHex('827f0020000000000001')]).error?.message).toContain('9007199254740993');
  });

  it('checks masking by direction (§5.1)', () => {
    const masked = encodeFrame({ opcode: OPCODES.text, payload: utf8('x'), mask: MASK });
    const plain = encodeFrame({ opcode: OPCODES.text, payload: utf8('x') });
    expect(drain([masked], { expectMasked: false }).error?.message).toMatch(/§5\.1.*server/);
    expect(drain([plain], { expectMasked: true }).error?.message).toMatch(/§5\.1.*client/);
    expect(drain([masked], { expectMasked: true }).frames.length).toBe(1);
  });

  it('allows negotiated RSV bits and, on request, non-minimal lengths (flagged)', () => {
    expect(drain([fromHex('c100')], { allowRsv: 0b100 }).frames[0]?.rsv).toBe(4);
    const f = drain([encodeFrame({ opcode: OPCODES.binary, payload: utf8('abc'), lengthBits: 64 })], { allowNonMinimalLength: true }).frames[0];
    expect(f).toMatchObject({ nonMinimalLength: true, size: 13 });
  });

  it('allows control frames between fragments', () => {
    const bytes = concat([
      encodeFrame({ opcode: OPCODES.text, payload: utf8('a'), fin: false }),
      encodeFrame({ opcode: OPCODES.ping }),
      encodeFrame({ opcode: OPCODES.continuation, payload: utf8('b') }),
    ]);
    expect(decodeFrames(bytes).map((f) => f.opcode)).toEqual([1, 9, 0]);
  });

  it('stays failed, and reports absolute offsets', () => {
    const d = new FrameDecoder();
    d.push(concat([fromHex('810548656c6c6f'), fromHex('8300')]));
    expect(d.next()?.opcode).toBe(1);
    expect(() => d.next()).toThrow(expect.objectContaining({ code: 'invalid', offset: 7 }));
    expect(() => d.next()).toThrow(ParseError);
  });

  it('decodeFrames reports leftovers as truncated', () => {
    expect(() => decodeFrames(fromHex('8105486565'))).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('encoder refuses invalid control frames unless unchecked', () => {
    expect(() => encodeFrame({ opcode: OPCODES.ping, payload: new Uint8Array(126) })).toThrow(RangeError);
    expect(() => encodeFrame({ opcode: OPCODES.close, fin: false })).toThrow(RangeError);
    expect(toHex(encodeFrame({ opcode: OPCODES.ping, fin: false }, { unchecked: true }))).toBe('0900');
  });
});

// --- properties ---------------------------------------------------------------------------------------

const payloadArb = fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 2, arbitrary: fc.integer({ min: 126, max: 70_000 }).map((n) => new Uint8Array(n).fill(n & 0xff)) },
);
const maskArb = fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: undefined });
const closeArb = fc.option(
  fc.tuple(fc.constantFrom(1000, 1001, 1002, 1003, 1007, 1008, 1011, 1014, 3000, 4999), fc.string({ maxLength: 30 })),
  { nil: undefined },
);
const frameArb: fc.Arbitrary<FrameInput> = fc.oneof(
  fc.record({ opcode: fc.constantFrom(0, 1, 2), payload: payloadArb, fin: fc.boolean(), rsv: fc.constant(0), mask: maskArb }),
  fc.record({ opcode: fc.constantFrom(9, 10), payload: fc.uint8Array({ maxLength: 125 }), mask: maskArb }),
  fc.record({ opcode: fc.constant(8), close: closeArb, mask: maskArb }).map(({ close, ...f }) => ({
    ...f,
    payload: close ? closePayload(close[0], close[1]) : new Uint8Array(0),
  })),
);

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

const strip = (r: ReturnType<typeof drain>) => ({
  frames: r.frames.map((f) => ({ ...f, payload: toHex(f.payload) })),
  error: r.error && { code: r.error.code, offset: r.error.offset, message: r.error.message },
});

describe('properties', () => {
  it('decode(encode(frame)) gives the frame back', () => {
    fc.assert(
      fc.property(frameArb, (input) => {
        const bytes = encodeFrame(input);
        const [f, ...rest] = decodeFrames(bytes, { checkSequence: false });
        expect(rest).toEqual([]);
        expect(f).toMatchObject({ fin: input.fin ?? true, rsv: 0, opcode: input.opcode, masked: input.mask !== undefined, size: bytes.length });
        expect(toHex(f!.payload)).toBe(toHex(input.payload ?? new Uint8Array(0)));
        if (input.mask) expect(toHex(f!.maskKey!)).toBe(toHex(input.mask));
        // and re-encoding gives the same bytes
        const again = encodeFrame({ opcode: f!.opcode, payload: f!.payload, fin: f!.fin, rsv: f!.rsv, ...(f!.maskKey ? { mask: f!.maskKey } : {}) });
        expect(toHex(again)).toBe(toHex(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes give frames or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, seq) => {
        drain([bytes], { maxPayload: 4096, checkSequence: seq });
      }),
      { numRuns: 500 },
    );
  });

  it('mutated and truncated streams give frames or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 5 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), (frames, flips, cut) => {
        const bytes = concat(frames.map((f) => encodeFrame(f)));
        for (const [at, v] of flips) if (bytes.length) bytes[at % bytes.length] = v;
        const r = drain([bytes.subarray(0, cut % (bytes.length + 1))], { checkSequence: false });
        for (const f of r.frames) expect(f.payload.length).toBeLessThanOrEqual(1 << 20);
      }),
      { numRuns: 300 },
    );
  });

  it('any chunking gives the same frames and the same error', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { nil: undefined }),
        (frames, cuts, flip) => {
          const bytes = concat(frames.map((f) => encodeFrame(f)));
          if (flip && bytes.length) bytes[flip[0] % bytes.length] = flip[1];
          const whole = strip(drain([bytes]));
          const chunked = strip(drain(split(bytes, cuts)));
          expect(chunked).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });
});
