/**
 * Fuzzing that stays in the suite: every parser and decoder of src/wire (and the HTTP/2 client's
 * checks) gets random bytes, mutations of real encodings, truncations, re-chunkings and inputs up to
 * the budgets. Each may only return a value or throw its typed ParseError; each input must finish
 * (an upper bound of 2 s, far above any real cost); the incremental decoders keep no more than their
 * budget buffered.
 *
 * Short here (a few hundred inputs per target). `npm run fuzz` runs it long (FUZZ_ITERATIONS, default
 * 20 000 per target); a failure prints the seed, and FUZZ_SEED=<seed> replays it.
 */
import { describe, expect, test } from 'vitest';
import { ParseError } from '../src/wire/bytes.js';
import { FrameDecoder } from '../src/wire/http2/frame.js';
import { continuationFrame, dataFrame, encodeFrame, goawayFrame, headersFrame, pingFrame, settingsFrame } from '../src/wire/http2/frame-encode.js';
import { CLIENT_PREFACE } from '../src/wire/http2/registry.js';
import { HpackDecoder, HpackEncoder } from '../src/wire/hpack/index.js';
import { classify } from '../src/wire/sniff.js';
import { RecordDecoder, parseRecords } from '../src/wire/tls/record.js';
import { buildClientHello, parseClientHello } from '../src/wire/tls/client-hello.js';
import { summarizeServerFlight } from '../src/wire/tls/server-flight.js';
import { parseResponseHead } from '../src/wire/http1/head.js';
import { FrameDecoder as WsDecoder, encodeFrame as encodeWs, OPCODES } from '../src/wire/websocket/frame.js';
import { H2Inspector } from '../src/probes/h2-inspect.js';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Upper bound per input (not a speed measurement: a hang or a quadratic blow-up trips it). */
const PER_INPUT_MS = 2000;
/** Largest input: the probes' byte budget. */
const MAX_INPUT = 256 * 1024;

/** mulberry32: a small seeded PRNG, so a failure replays from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const te = new TextEncoder();
/** Real encodings to mutate: what servers and clients actually send. */
const SEEDS: Uint8Array[] = [
  concat(encodeFrame(settingsFrame([{ id: 3, value: 100 }, { id: 4, value: 65535 }])), encodeFrame(headersFrame(1, new HpackEncoder({ huffman: true }).encode([[':status', '200'], ['content-type', 'text/html'], ['server', 'nginx']]), { endHeaders: false })), encodeFrame(continuationFrame(1, new Uint8Array([0x88]))), encodeFrame(dataFrame(1, te.encode('hello'), { endStream: true }))),
  concat(encodeFrame(pingFrame(new Uint8Array(8))), encodeFrame(goawayFrame(0, 'PROTOCOL_ERROR', 'bad'))),
  new HpackEncoder({ huffman: true, indexing: true }).encode([[':status', '404'], ['set-cookie', 'a=b'], ['cache-control', 'private'], ['x-long', 'v'.repeat(300)]]),
  te.encode('HTTP/1.1 426 Upgrade Required\r\nUpgrade: h2c, TLS/1.3\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n'),
  buildClientHello({ random: new Uint8Array(32), cipherSuites: [0x1301, 0xc02f], serverName: 'example.com', alpn: ['h2', 'http/1.1'], supportedGroups: [0x001d], signatureAlgorithms: [0x0403] }).record,
  new Uint8Array([0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00, 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]),
  concat(encodeWs({ opcode: OPCODES.text, payload: te.encode('hi') }), encodeWs({ opcode: OPCODES.close, payload: new Uint8Array([0x03, 0xe8]) })),
  CLIENT_PREFACE,
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One input: random, a mutated seed, a truncated seed, a repeated seed, or a large one. */
function input(rand: () => number): Uint8Array {
  const pick = rand();
  const seed = SEEDS[Math.floor(rand() * SEEDS.length)]!;
  if (pick < 0.2) return Uint8Array.from({ length: Math.floor(rand() * 512) }, () => Math.floor(rand() * 256));
  if (pick < 0.55) {
    const b = seed.slice();
    const flips = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < flips && b.length; i++) {
      const at = Math.floor(rand() * b.length);
      // Bit flips, boundary values and length-field-like bytes.
      const r = rand();
      b[at] = r < 0.3 ? b[at]! ^ (1 << Math.floor(rand() * 8)) : r < 0.6 ? [0, 0x7f, 0x80, 0xff][Math.floor(rand() * 4)]! : Math.floor(rand() * 256);
    }
    return b;
  }
  if (pick < 0.75) return seed.subarray(0, Math.floor(rand() * seed.length));
  if (pick < 0.92) {
    const n = 1 + Math.floor(rand() * 64);
    return concat(...Array.from({ length: n }, () => seed));
  }
  // Large: up to the budget, a seed then filler (zeros or random), as hostile servers send.
  const size = Math.floor(rand() * MAX_INPUT);
  const b = new Uint8Array(size);
  b.set(seed.subarray(0, Math.min(seed.length, size)));
  if (rand() < 0.5) for (let i = seed.length; i < size; i += 97) b[i] = Math.floor(rand() * 256);
  return b;
}

/** Split into random chunks (what TCP does to a stream). */
function rechunk(b: Uint8Array, rand: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < b.length; ) {
    const n = 1 + Math.floor(rand() * Math.min(4096, b.length - at));
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
}

type Target = (b: Uint8Array, rand: () => number) => void;

/** Drain an incremental decoder over re-chunked input, bounded by a frame count. */
function drain<T>(push: (c: Uint8Array) => void, next: () => T | null | undefined, chunks: Uint8Array[]): void {
  let n = 0;
  for (const c of chunks) {
    push(c);
    for (let f = next(); f && n < 100_000; f = next()) n++;
  }
}

const TARGETS: Record<string, Target> = {
  'http2 FrameDecoder + H2Inspector': (b, rand) => {
    const d = new FrameDecoder({ maxFrameSize: 16384 });
    const inspect = new H2Inspector();
    drain((c) => d.push(c), () => {
      const f = d.next();
      if (f) inspect.inspect(f);
      return f;
    }, rechunk(b, rand));
  },
  'hpack HpackDecoder': (b) => {
    new HpackDecoder({ maxHeaderListSize: 262144, maxTableSize: 4096 }).decode(b);
  },
  'sniff classify': (b) => {
    for (const end of ['open', 'eof', 'timeout', 'reset', 'budget'] as const) classify(b, end);
  },
  'tls parseRecords': (b) => {
    parseRecords(b);
  },
  'tls RecordDecoder': (b, rand) => {
    const d = new RecordDecoder();
    drain((c) => d.push(c), () => d.next(), rechunk(b, rand));
    expect(d.buffered).toBeLessThanOrEqual(1 << 20);
  },
  'tls parseClientHello': (b) => {
    parseClientHello(b.subarray(5));
  },
  'tls summarizeServerFlight': (b) => {
    summarizeServerFlight(b, { maxBytes: 64 * 1024 });
  },
  'http1 parseResponseHead': (b) => {
    parseResponseHead(b);
  },
  'websocket FrameDecoder': (b, rand) => {
    const d = new WsDecoder({ expectMasked: false, maxPayload: 65536 });
    drain((c) => d.push(c), () => d.next(), rechunk(b, rand));
  },
};

describe(`fuzz (seed ${SEED}, ${ITERATIONS} inputs per target; FUZZ_SEED=${SEED} replays)`, () => {
  test.each(Object.keys(TARGETS))('%s: typed errors only, bounded time', (name) => {
    const rand = prng(SEED ^ hash(name));
    const target = TARGETS[name]!;
    for (let i = 0; i < ITERATIONS; i++) {
      const b = input(rand);
      const t0 = performance.now();
      try {
        target(b, rand);
      } catch (e) {
        if (!(e instanceof ParseError)) {
          throw new Error(`${name}: input ${i} (seed ${SEED}, ${b.length} bytes, starts ${Buffer.from(b.subarray(0, 64)).toString('hex')}) threw ${(e as Error)?.stack ?? String(e)}`);
        }
      }
      const ms = performance.now() - t0;
      if (ms > PER_INPUT_MS) throw new Error(`${name}: input ${i} (seed ${SEED}, ${b.length} bytes) took ${Math.round(ms)} ms`);
    }
  }, 600_000);
});

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
