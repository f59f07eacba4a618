import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, concat, fromHex, toHex } from '../bytes.js';
import { FrameDecoder, parseFrame, parseFrameHeader } from './frame.js';
import { continuationFrame, dataFrame, encodeFrame, encodeRawFrame, goawayFrame, headersFrame, pingFrame, priorityFrame, rstStreamFrame, settingsFrame, windowUpdateFrame } from './frame-encode.js';
import { describeFrame } from './frame-describe.js';
import { type Frame } from './frame-types.js';
import { ERROR_CODES, MAX_ALLOWED_FRAME_SIZE, SETTINGS, frameTypeName, settingName } from './registry.js';
import { outcome } from '../../../test/wire-helpers.js';

const raw = (type: number, flags: number, streamId: number, payloadHex: string): Uint8Array =>
  encodeRawFrame(type, flags, streamId, fromHex(payloadHex));

describe('parseFrameHeader (RFC 9113 §4.1)', () => {
  it('reads the 9 octets and ignores the reserved bit', () => {
    // Hand-built: length 0x000102, type HEADERS, flags 0x25, R bit set + stream 5.
    expect(parseFrameHeader(fromHex('000102 01 25 80000005'))).toEqual({ length: 258, type: 1, typeName: 'HEADERS', flags: 0x25, streamId: 5 });
  });
  it('reads at an offset and reports truncation', () => {
    expect(parseFrameHeader(fromHex('ffff 000000 04 01 00000000'), 2).typeName).toBe('SETTINGS');
    expect(outcome(() => parseFrameHeader(fromHex('0000000400000000')))).toMatch(/^truncated/);
  });
});

describe('parseFrame: valid frames', () => {
  it('an empty SETTINGS frame, as a server preface often is (RFC 9113 §3.4)', () => {
    expect(parseFrame(fromHex('000000 04 00 00000000'))).toEqual({ kind: 'SETTINGS', type: 4, flags: 0, streamId: 0, length: 0, ack: false, settings: [] });
  });

  it('SETTINGS with values, names from the registry, unknown ids kept', () => {
    const f = parseFrame(fromHex('00000c 04 00 00000000 0003 00000064 00ff 00000001'));
    expect(f).toMatchObject({ kind: 'SETTINGS', settings: [{ id: 3, name: 'MAX_CONCURRENT_STREAMS', value: 100 }, { id: 0xff, name: 'UNKNOWN(0xff)', value: 1 }] });
  });

  it('HEADERS with PADDED and PRIORITY exposes the field block fragment alone', () => {
    // pad length 2, exclusive dep on 3, weight 15, block 8284, 2 padding bytes.
    const f = parseFrame(raw(1, 0x2d, 1, '02 80000003 0f 8284 0000'));
    expect(f).toEqual({
      kind: 'HEADERS',
      type: 1,
      flags: 0x2d,
      streamId: 1,
      length: 10,
      endStream: true,
      endHeaders: true,
      padLength: 2,
      priority: { exclusive: true, streamDependency: 3, weight: 15 },
      fieldBlockFragment: fromHex('8284'),
    });
  });

  it('DATA with padding; GOAWAY with debug data; PUSH_PROMISE; unknown types', () => {
    expect(parseFrame(raw(0, 0x09, 3, '03 6869 000000'))).toMatchObject({ kind: 'DATA', endStream: true, padLength: 3, data: fromHex('6869') });
    expect(parseFrame(raw(7, 0, 0, '80000003 00000001 6f6f7073'))).toMatchObject({
      kind: 'GOAWAY',
      lastStreamId: 3,
      errorCode: 1,
      errorName: 'PROTOCOL_ERROR',
      debugData: new TextEncoder().encode('oops'),
    });
    expect(parseFrame(raw(5, 0x04, 1, '00000002 82'))).toMatchObject({ kind: 'PUSH_PROMISE', promisedStreamId: 2, endHeaders: true, fieldBlockFragment: fromHex('82') });
    expect(parseFrame(raw(0x0a, 0, 0, '0000'))).toMatchObject({ kind: 'UNKNOWN', type: 0x0a, typeName: 'ALTSVC', payload: fromHex('0000') });
    expect(parseFrame(raw(0xfe, 0xff, 9, ''))).toMatchObject({ kind: 'UNKNOWN', typeName: 'UNKNOWN(0xfe)', flags: 0xff });
  });

  it('parses at an offset and ignores what follows the frame', () => {
    const two = concat([Uint8Array.of(0xaa), encodeFrame(pingFrame()), encodeFrame(settingsFrame([], true))]);
    expect(parseFrame(two, { offset: 1 })).toMatchObject({ kind: 'PING', length: 8 });
  });

  it('incomplete input is truncated, not invalid', () => {
    expect(outcome(() => parseFrame(fromHex('000008 06 00 00000000 0102')))).toMatch(/^truncated/);
  });
});

describe('parseFrame: RFC 9113 violations name the rule, the error code and the scope', () => {
  it.each([
    ['§4.2 frame larger than SETTINGS_MAX_FRAME_SIZE', raw(0, 0, 1, '00'.repeat(17)), 16, /^too-large \[FRAME_SIZE_ERROR\/stream\]: RFC 9113 §4.2: DATA frame length 17 exceeds SETTINGS_MAX_FRAME_SIZE 16/],
    ['§4.2 oversized HEADERS is a connection error', raw(1, 4, 1, '00'.repeat(17)), 16, /^too-large \[FRAME_SIZE_ERROR\/connection\]/],
    ['§6.1 DATA on stream 0', raw(0, 0, 0, ''), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.1: DATA frame on stream 0/],
    ['§6.1 padding longer than payload', raw(0, 0x08, 1, '05 6869'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.1: Pad Length 5 is longer than the 2 byte/],
    ['§6.1 padding as long as the whole payload', raw(0, 0x08, 1, '03 0000'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.1: Pad Length 3/],
    ['§6.1 padding filling all after Pad Length is allowed', raw(0, 0x08, 1, '02 0000'), undefined, /^ok$/],
    ['§6.1 PADDED with no room for Pad Length', raw(0, 0x08, 1, ''), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.1: PADDED DATA/],
    ['§6.2 HEADERS on stream 0', raw(1, 4, 0, '82'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.2/],
    ['§6.2 PRIORITY flag without room for priority', raw(1, 0x24, 1, '0000'), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.2/],
    ['§6.2 padding longer than what follows priority', raw(1, 0x2c, 1, '04 00000000 10 82'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.2: Pad Length 4/],
    ['§5.3.1 HEADERS stream depends on itself', raw(1, 0x24, 3, '00000003 10 82'), undefined, /^invalid \[PROTOCOL_ERROR\/stream\]: RFC 9113 §5.3.1/],
    ['§6.3 PRIORITY on stream 0', raw(2, 0, 0, '00000001 10'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.3/],
    ['§6.3 PRIORITY of 4 bytes', raw(2, 0, 1, '00000003'), undefined, /^invalid \[FRAME_SIZE_ERROR\/stream\]: RFC 9113 §6.3: PRIORITY payload is 4 bytes, must be 5/],
    ['§6.4 RST_STREAM on stream 0', raw(3, 0, 0, '00000008'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.4/],
    ['§6.4 RST_STREAM of 5 bytes', raw(3, 0, 1, '0000000800'), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.4/],
    ['§6.5 SETTINGS on a stream', raw(4, 0, 1, ''), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.5: SETTINGS frame on stream 1/],
    ['§6.5 SETTINGS length not a multiple of 6', raw(4, 0, 0, '00030000006400'), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.5: SETTINGS payload is 7 bytes, not a multiple of 6/],
    ['§6.5 SETTINGS ACK with payload', raw(4, 1, 0, '000300000064'), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.5: SETTINGS ACK/],
    ['§6.5.2 ENABLE_PUSH = 2', raw(4, 0, 0, '000200000002'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.5.2: SETTINGS_ENABLE_PUSH = 2/],
    ['§6.5.2 INITIAL_WINDOW_SIZE = 2^31', raw(4, 0, 0, '000480000000'), undefined, /^invalid \[FLOW_CONTROL_ERROR\/connection\]: RFC 9113 §6.5.2: SETTINGS_INITIAL_WINDOW_SIZE = 2147483648/],
    ['§6.5.2 MAX_FRAME_SIZE = 16383', raw(4, 0, 0, '000500003fff'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.5.2: SETTINGS_MAX_FRAME_SIZE = 16383/],
    ['§6.5.2 MAX_FRAME_SIZE = 2^24', raw(4, 0, 0, '000501000000'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.5.2: SETTINGS_MAX_FRAME_SIZE = 16777216/],
    ['RFC 8441 §3 ENABLE_CONNECT_PROTOCOL = 7', raw(4, 0, 0, '000800000007'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]/],
    ['§6.6 PUSH_PROMISE on stream 0', raw(5, 4, 0, '00000002'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.6/],
    ['§6.6 PUSH_PROMISE too short', raw(5, 4, 1, '000002'), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.6/],
    ['§6.6 PUSH_PROMISE promising stream 0', raw(5, 4, 1, '00000000'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.6: PUSH_PROMISE promises stream 0/],
    ['§6.7 PING of 7 bytes', raw(6, 0, 0, '00'.repeat(7)), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.7: PING payload is 7 bytes, must be 8/],
    ['§6.7 PING on a stream', raw(6, 0, 1, '00'.repeat(8)), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.7/],
    ['§6.8 GOAWAY on a stream', raw(7, 0, 1, '00'.repeat(8)), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.8/],
    ['§6.8 GOAWAY of 7 bytes', raw(7, 0, 0, '00'.repeat(7)), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.8/],
    ['§6.9 WINDOW_UPDATE of 3 bytes', raw(8, 0, 0, '000001'), undefined, /^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.9/],
    ['§6.9 WINDOW_UPDATE of 0 on the connection', raw(8, 0, 0, '00000000'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.9: WINDOW_UPDATE increment of 0/],
    ['§6.9 WINDOW_UPDATE of 0 on a stream', raw(8, 0, 5, '80000000'), undefined, /^invalid \[PROTOCOL_ERROR\/stream\]/],
    ['§6.10 CONTINUATION on stream 0', raw(9, 4, 0, '82'), undefined, /^invalid \[PROTOCOL_ERROR\/connection\]: RFC 9113 §6.10/],
  ])('%s', (_name, bytes, maxFrameSize, expected) => {
    expect(outcome(() => parseFrame(bytes, maxFrameSize === undefined ? {} : { maxFrameSize }))).toMatch(expected);
  });

  it('the error offset points into the input', () => {
    const bytes = concat([fromHex('eeee'), raw(4, 0, 0, '000400000001 000480000000')]);
    try {
      parseFrame(bytes, { offset: 2 });
      expect.unreachable();
    } catch (e) {
      // 2 bytes before, 9 of header, 6 of the first setting.
      expect((e as ParseError).offset).toBe(2 + 9 + 6);
    }
  });

  it('accepts the setting boundaries', () => {
    const ok = settingsFrame({ ENABLE_PUSH: 1, INITIAL_WINDOW_SIZE: 0x7fffffff, MAX_FRAME_SIZE: MAX_ALLOWED_FRAME_SIZE, HEADER_TABLE_SIZE: 0xffffffff });
    expect(parseFrame(encodeFrame(ok))).toEqual(ok);
    expect(parseFrame(encodeFrame(settingsFrame({ MAX_FRAME_SIZE: 16384 })))).toMatchObject({ settings: [{ value: 16384 }] });
  });
});

describe('encoders and helpers', () => {
  it('produce the expected bytes', () => {
    expect(toHex(encodeFrame(settingsFrame([], true)))).toBe('000000040100000000');
    expect(toHex(encodeFrame(settingsFrame({ MAX_CONCURRENT_STREAMS: 100 })))).toBe('000006040000000000000300000064');
    expect(toHex(encodeFrame(goawayFrame(0, 'PROTOCOL_ERROR', 'x')))).toBe('000009070000000000000000000000000178');
    expect(toHex(encodeFrame(windowUpdateFrame(0, 65535)))).toBe('0000040800000000000000ffff');
    expect(toHex(encodeFrame(rstStreamFrame(1, 'CANCEL')))).toBe('00000403000000000100000008');
    expect(toHex(encodeFrame(pingFrame(fromHex('0102030405060708'), true)))).toBe('0000080601000000000102030405060708');
    expect(toHex(encodeFrame(headersFrame(1, fromHex('82'), { endStream: true, endHeaders: true })))).toBe('00000101050000000182');
    expect(toHex(encodeFrame(dataFrame(1, fromHex('6869'), { endStream: true, padLength: 1 })))).toBe('000004000900000001016869' + '00');
    expect(toHex(encodeFrame(continuationFrame(1, fromHex('84'))))).toBe('00000109040000000184');
    // RFC 9113 §6.3: E bit + 31-bit dependency, then the weight byte.
    expect(toHex(encodeFrame(priorityFrame(3, { exclusive: true, streamDependency: 1, weight: 199 })))).toBe('000005020000000003' + '80000001' + 'c7');
  });

  it('helpers build the same object that parsing their bytes gives', () => {
    const frames: Frame[] = [
      settingsFrame({ HEADER_TABLE_SIZE: 0, ENABLE_PUSH: 0 }),
      settingsFrame([{ id: 0x99, value: 7 }]),
      headersFrame(3, fromHex('8286'), { priority: { exclusive: false, streamDependency: 1, weight: 255 }, padLength: 4 }),
      goawayFrame(7, ERROR_CODES.ENHANCE_YOUR_CALM, 'calm down'),
      pingFrame(),
      windowUpdateFrame(1, 0x7fffffff),
      rstStreamFrame(5, 0x1234),
      dataFrame(1, new Uint8Array(100)),
      continuationFrame(1, fromHex('be'), false),
      priorityFrame(5, { exclusive: false, streamDependency: 3, weight: 41 }),
    ];
    for (const f of frames) expect(parseFrame(encodeFrame(f))).toEqual(f);
  });

  it('keep undefined flag bits, and derive the defined ones from the fields', () => {
    const f = { ...dataFrame(1, new Uint8Array(0)), flags: 0xf0 | 0x01 };
    // endStream is false, so bit 0x01 is cleared; 0xf0 is kept.
    expect(parseFrameHeader(encodeFrame(f)).flags).toBe(0xf0);
  });
});

describe('describeFrame', () => {
  it.each<[Frame, string]>([
    [settingsFrame({ MAX_CONCURRENT_STREAMS: 100, INITIAL_WINDOW_SIZE: 65535 }), 'SETTINGS MAX_CONCURRENT_STREAMS=100 INITIAL_WINDOW_SIZE=65535'],
    [settingsFrame([], true), 'SETTINGS ACK'],
    [settingsFrame([]), 'SETTINGS (empty)'],
    [goawayFrame(0, 'PROTOCOL_ERROR', 'debug text'), 'GOAWAY last_stream=0 PROTOCOL_ERROR "debug text"'],
    [goawayFrame(3, 'NO_ERROR'), 'GOAWAY last_stream=3 NO_ERROR'],
    [goawayFrame(0, 0x99, 'a\nb'), 'GOAWAY last_stream=0 UNKNOWN(0x99) "a\\nb"'],
    [dataFrame(1, new Uint8Array(1234), { endStream: true }), 'DATA 1234 bytes END_STREAM'],
    [dataFrame(1, new Uint8Array(3), { padLength: 5 }), 'DATA 3 bytes padding=5'],
    [headersFrame(1, new Uint8Array(20), { endStream: true }), 'HEADERS block=20 bytes END_STREAM END_HEADERS'],
    [headersFrame(3, new Uint8Array(2), { endHeaders: false, priority: { exclusive: true, streamDependency: 1, weight: 15 } }), 'HEADERS block=2 bytes depends_on=1 weight=16 exclusive'],
    [rstStreamFrame(1, 'REFUSED_STREAM'), 'RST_STREAM REFUSED_STREAM'],
    [pingFrame(fromHex('0001020304050607'), true), 'PING ACK 0001020304050607'],
    [windowUpdateFrame(0, 1000), 'WINDOW_UPDATE +1000'],
    [continuationFrame(1, new Uint8Array(9)), 'CONTINUATION block=9 bytes END_HEADERS'],
    [parseFrame(raw(2, 0, 3, '00000001 0f')), 'PRIORITY depends_on=1 weight=16'],
    [parseFrame(raw(5, 4, 1, '00000002 82')), 'PUSH_PROMISE promised_stream=2 block=1 bytes END_HEADERS'],
    [parseFrame(raw(0x10, 0, 0, '00000001')), 'PRIORITY_UPDATE 4 bytes'],
    [parseFrame(raw(0x0, 0x40, 1, '')), 'DATA 0 bytes flags=0x40'],
  ])('#%#', (frame, text) => {
    expect(describeFrame(frame)).toBe(text);
  });
});

describe('FrameDecoder', () => {
  const stream = concat([
    encodeFrame(settingsFrame({ MAX_CONCURRENT_STREAMS: 100 })),
    encodeFrame(settingsFrame([], true)),
    encodeFrame(headersFrame(1, fromHex('88'), { endHeaders: true })),
    encodeFrame(dataFrame(1, new Uint8Array(300).fill(7), { endStream: true })),
    encodeFrame(goawayFrame(1, 'NO_ERROR', 'bye')),
  ]);

  it('returns null until a frame is whole, then the frame', () => {
    const dec = new FrameDecoder();
    dec.push(stream.subarray(0, 8));
    expect(dec.next()).toBeNull();
    dec.push(stream.subarray(8, 14));
    expect(dec.next()).toBeNull();
    dec.push(stream.subarray(14));
    const kinds: string[] = [];
    for (let f = dec.next(); f; f = dec.next()) kinds.push(f.kind);
    expect(kinds).toEqual(['SETTINGS', 'SETTINGS', 'HEADERS', 'DATA', 'GOAWAY']);
    expect(dec.buffered).toBe(0);
    expect(dec.offset).toBe(stream.length);
  });

  it('rejects an oversized length from the header alone, before the payload arrives, and stays failed', () => {
    const dec = new FrameDecoder({ maxFrameSize: 16384 });
    dec.push(fromHex('004001 00 00 00000001')); // DATA claiming 16385 bytes; no payload sent
    expect(outcome(() => dec.next())).toMatch(/^too-large \[FRAME_SIZE_ERROR\/stream\]: RFC 9113 §4.2/);
    expect(outcome(() => dec.next())).toMatch(/^too-large/);
    expect(dec.buffered).toBe(9);
  });

  it('a server speaking HTTP/1.1 is caught from its first 9 bytes', () => {
    const dec = new FrameDecoder();
    dec.push(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n'));
    // 'HTT' read as a 24-bit length is 4740180: far above 16384.
    expect(outcome(() => dec.next())).toMatch(/^too-large \[FRAME_SIZE_ERROR\/stream\]: RFC 9113 §4.2: .*length 4740180/);
  });

  it('skips an invalid frame after throwing, so the GOAWAY after it is still read', () => {
    const dec = new FrameDecoder();
    dec.push(concat([raw(6, 0, 0, '00'), encodeFrame(goawayFrame(0, 'FRAME_SIZE_ERROR'))]));
    expect(outcome(() => dec.next())).toMatch(/^invalid \[FRAME_SIZE_ERROR\/connection\]: RFC 9113 §6.7/);
    expect(dec.next()).toMatchObject({ kind: 'GOAWAY', errorName: 'FRAME_SIZE_ERROR' });
  });

  it('error offsets count from the start of the stream', () => {
    const dec = new FrameDecoder();
    dec.push(concat([encodeFrame(pingFrame()), raw(4, 0, 0, '0002 00000009')]));
    dec.next();
    try {
      dec.next();
      expect.unreachable();
    } catch (e) {
      expect((e as ParseError).offset).toBe(17 + 9);
    }
  });

  it('frames stay intact after later pushes reuse the buffer', () => {
    const dec = new FrameDecoder();
    const a = encodeFrame(dataFrame(1, new Uint8Array(600).fill(1)));
    dec.push(a);
    const first = dec.next() as { data: Uint8Array };
    for (let i = 0; i < 5; i++) {
      dec.push(encodeFrame(dataFrame(1, new Uint8Array(600).fill(9))));
      dec.next();
    }
    expect(first.data.every((b) => b === 1)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const u31 = fc.integer({ min: 0, max: 0x7fffffff });
const streamId = fc.integer({ min: 1, max: 0x7fffffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const padLength = fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined });
const undefinedBits = (defined: number) => fc.integer({ min: 0, max: 255 }).map((b) => b & ~defined);

/** Loosely typed on purpose: the arbitraries assemble frames field by field. */
function build(f: { kind: Frame['kind']; extraFlags: number; [field: string]: unknown }): Frame {
  // Defined flags come from the fields; the encoder keeps extra bits; then fill length and flags.
  const { extraFlags, ...rest } = f;
  const frame = { ...rest, flags: extraFlags, length: 0 } as Frame;
  const wire = encodeFrame(frame);
  const h = parseFrameHeader(wire);
  return { ...frame, flags: h.flags, length: h.length } as Frame;
}
const noPad = <T extends { padLength?: number }>(o: T): T => {
  if (o.padLength === undefined) delete o.padLength;
  return o;
};

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ streamId, endStream: fc.boolean(), padLength, data: bytes(64), extraFlags: undefinedBits(0x09) }).map((r) =>
    build(noPad({ kind: 'DATA' as const, type: 0, ...r })),
  ),
  fc
    .record({
      streamId,
      endStream: fc.boolean(),
      endHeaders: fc.boolean(),
      padLength,
      priority: fc.option(fc.record({ exclusive: fc.boolean(), streamDependency: u31, weight: fc.integer({ min: 0, max: 255 }) }), { nil: undefined }),
      fieldBlockFragment: bytes(64),
      extraFlags: undefinedBits(0x2d),
    })
    .filter((r) => r.priority === undefined || r.priority.streamDependency !== r.streamId)
    .map((r) => {
      const o: Record<string, unknown> = { kind: 'HEADERS', type: 1, ...noPad(r) };
      if (r.priority === undefined) delete o.priority;
      return build(o as never);
    }),
  fc
    .record({ streamId, exclusive: fc.boolean(), streamDependency: u31, weight: fc.integer({ min: 0, max: 255 }), extraFlags: undefinedBits(0) })
    .filter((r) => r.streamDependency !== r.streamId)
    .map((r) => build({ kind: 'PRIORITY', type: 2, ...r })),
  fc.record({ streamId, errorCode: u32, extraFlags: undefinedBits(0) }).map((r) => build({ kind: 'RST_STREAM', type: 3, ...r, errorName: rstStreamFrame(1, r.errorCode).errorName })),
  fc
    .oneof(
      fc.record({ ack: fc.constant(true), settings: fc.constant([]) }),
      fc.record({
        ack: fc.constant(false),
        settings: fc.array(
          fc.oneof(
            fc.record({ id: fc.constantFrom(SETTINGS.HEADER_TABLE_SIZE, SETTINGS.MAX_CONCURRENT_STREAMS, SETTINGS.MAX_HEADER_LIST_SIZE), value: u32 }),
            fc.record({ id: fc.constantFrom(SETTINGS.ENABLE_PUSH, SETTINGS.ENABLE_CONNECT_PROTOCOL, SETTINGS.NO_RFC7540_PRIORITIES), value: fc.integer({ min: 0, max: 1 }) }),
            fc.record({ id: fc.constant(SETTINGS.INITIAL_WINDOW_SIZE), value: u31 }),
            fc.record({ id: fc.constant(SETTINGS.MAX_FRAME_SIZE), value: fc.integer({ min: 16384, max: MAX_ALLOWED_FRAME_SIZE }) }),
            fc.record({ id: fc.integer({ min: 0x0a, max: 0xffff }), value: u32 }),
          ),
          { maxLength: 8 },
        ),
      }),
    )
    .chain((s) => undefinedBits(0x01).map((extraFlags) => ({ ...s, extraFlags })))
    .map((r) => build({ kind: 'SETTINGS', type: 4, streamId: 0, ...r, settings: r.settings.map((s) => ({ ...s, name: settingName(s.id) })) })),
  fc
    .record({ streamId, endHeaders: fc.boolean(), padLength, promisedStreamId: streamId, fieldBlockFragment: bytes(64), extraFlags: undefinedBits(0x0c) })
    .map((r) => build(noPad({ kind: 'PUSH_PROMISE' as const, type: 5, ...r }))),
  fc.record({ ack: fc.boolean(), opaqueData: fc.uint8Array({ minLength: 8, maxLength: 8 }), extraFlags: undefinedBits(0x01) }).map((r) => build({ kind: 'PING', type: 6, streamId: 0, ...r })),
  fc
    .record({ lastStreamId: u31, errorCode: u32, debugData: bytes(64), extraFlags: undefinedBits(0) })
    .map((r) => build({ kind: 'GOAWAY', type: 7, streamId: 0, ...r, errorName: goawayFrame(0, r.errorCode).errorName })),
  fc.record({ streamId: u31, windowSizeIncrement: fc.integer({ min: 1, max: 0x7fffffff }), extraFlags: undefinedBits(0) }).map((r) => build({ kind: 'WINDOW_UPDATE', type: 8, ...r })),
  fc.record({ streamId, endHeaders: fc.boolean(), fieldBlockFragment: bytes(64), extraFlags: undefinedBits(0x04) }).map((r) => build({ kind: 'CONTINUATION', type: 9, ...r })),
  fc
    .record({ type: fc.integer({ min: 0x0a, max: 0xff }), streamId: u31, payload: bytes(64), extraFlags: fc.integer({ min: 0, max: 255 }) })
    .map((r) => build({ kind: 'UNKNOWN', ...r, typeName: frameTypeName(r.type) })),
);

describe('frame properties', () => {
  it('parse(encode(x)) equals x for random frames', () => {
    fc.assert(
      fc.property(frameArb, (f) => {
        expect(parseFrame(encodeFrame(f), { maxFrameSize: MAX_ALLOWED_FRAME_SIZE })).toEqual(f);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes give a frame or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(bytes(80), (b) => {
        outcome(() => parseFrame(b));
      }),
      { numRuns: 300 },
    );
  });

  it('mutated and truncated valid frames give a frame or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(frameArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (f, edits, cut) => {
        const wire = encodeFrame(f);
        const mutated = wire.slice();
        for (const [at, v] of edits) mutated[at % mutated.length] = v;
        outcome(() => parseFrame(mutated));
        outcome(() => parseFrame(wire.subarray(0, cut % wire.length)));
        const dec = new FrameDecoder();
        dec.push(mutated);
        outcome(() => dec.next());
      }),
      { numRuns: 300 },
    );
  });

  it('any split of a byte stream into chunks gives the same frames from FrameDecoder', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (frames, cutsRaw) => {
        const wire = concat(frames.map((f) => encodeFrame(f)));
        const cuts = [...new Set(cutsRaw.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
        const dec = new FrameDecoder({ maxFrameSize: MAX_ALLOWED_FRAME_SIZE });
        const got: Frame[] = [];
        let prev = 0;
        for (const cut of [...cuts, wire.length]) {
          dec.push(wire.subarray(prev, cut));
          prev = cut;
          for (let f = dec.next(); f; f = dec.next()) got.push(f);
        }
        expect(got).toEqual(frames);
        expect(dec.buffered).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('any split of random bytes gives the same frames and the same first error', () => {
    fc.assert(
      fc.property(bytes(120), fc.array(fc.nat(), { maxLength: 8 }), (b, cutsRaw) => {
        const run = (chunks: Uint8Array[]): string[] => {
          const dec = new FrameDecoder();
          const out: string[] = [];
          for (const c of chunks) {
            dec.push(c);
            for (;;) {
              try {
                const f = dec.next();
                if (!f) break;
                out.push(describeFrame(f));
              } catch (e) {
                if (!(e instanceof ParseError)) throw e;
                out.push(`error ${e.code} @${e.offset}`);
                if (e.code === 'too-large') return out;
              }
            }
          }
          return out;
        };
        const cuts = [...new Set(cutsRaw.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const cut of [...cuts, b.length]) {
          chunks.push(b.subarray(prev, cut));
          prev = cut;
        }
        expect(run(chunks)).toEqual(run([b]));
      }),
      { numRuns: 300 },
    );
  });
});
