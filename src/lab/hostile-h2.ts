/**
 * Scripted hostile HTTP/2 server sides for the hostile lab: floods, HPACK bombs, oversized and
 * out-of-range frames, malformed responses, slow drips. Each waits for the client preface, then
 * misbehaves; every flood writes under back-pressure and stops after {@link HOSTILE_MAX_MS}, so a
 * scenario is bounded in time whatever the client does.
 */
import type { Duplex } from 'node:stream';
import { FrameDecoder } from '../wire/http2/frame.js';
import { continuationFrame, dataFrame, encodeFrame, encodeRawFrame, headersFrame, pingFrame, rstStreamFrame, settingsFrame } from '../wire/http2/frame-encode.js';
import { type Frame } from '../wire/http2/frame-types.js';
import { CLIENT_PREFACE, FRAME_TYPES, SETTINGS } from '../wire/http2/registry.js';
import { encodeInteger } from '../wire/hpack/index.js';
import { Writer, concat } from '../wire/bytes.js';
import { pump } from './pump.js';

const int = (value: number, prefix: number, flags: number) => encodeInteger(new Writer(), value, prefix, flags).finish();

/** Longest a hostile server keeps misbehaving on one connection. */
export const HOSTILE_MAX_MS = 15_000;

export const HOSTILE_H2_KINDS = [
  'settings-flood',
  'ping-flood',
  'continuation-flood',
  'empty-data-flood',
  'rst-flood',
  'hpack-table-bomb',
  'hpack-huge-literal',
  'hpack-integer-overflow',
  'hpack-bad-huffman-padding',
  'hpack-table-size-2e32',
  'frame-16mb',
  'settings-out-of-range',
  'goaway-1mb-debug',
  'status-abc',
  'data-before-headers',
  'slow-drip',
  'no-response',
] as const;
export type HostileH2Kind = (typeof HOSTILE_H2_KINDS)[number];

const ascii = (s: string) => new TextEncoder().encode(s);
/** HPACK: indexed :status 200 (RFC 7541 Appendix A, index 8). */
const STATUS_200 = 0x88;

/** The field block each HPACK bomb sends (RFC 7541 §5–§6 encodings, deliberately abused). */
function hpackBomb(kind: HostileH2Kind): Uint8Array {
  switch (kind) {
    case 'hpack-table-bomb': {
      // A 4000-byte entry in the dynamic table (§6.2.1), then 10 000 one-byte references to it (§6.1):
      // 14 kB on the wire, 40 MB decoded.
      const value = new Uint8Array(4000).fill(0x61);
      const insert = concat([new Uint8Array([0x40, 0x01, 0x78]), int(value.length, 7, 0x00), value]);
      return concat([new Uint8Array([STATUS_200]), insert, new Uint8Array(10_000).fill(0xbe)]);
    }
    case 'hpack-huge-literal':
      // A literal value declaring 1 MiB (§5.2), of which a few bytes follow.
      return concat([new Uint8Array([STATUS_200, 0x00, 0x01, 0x78]), int(1 << 20, 7, 0x00), ascii('aaaa')]);
    case 'hpack-integer-overflow':
      // An indexed field whose index never ends (§5.1: continuation bytes with the high bit set).
      return new Uint8Array([STATUS_200, 0xff, ...new Array(16).fill(0xff), 0x7f]);
    case 'hpack-bad-huffman-padding':
      // A Huffman value (§5.2) of one byte 0x00: code '00000' ('0'), then padding '000', not the EOS prefix.
      return new Uint8Array([STATUS_200, 0x00, 0x01, 0x78, 0x81, 0x00]);
    case 'hpack-table-size-2e32':
      // A dynamic table size update (§6.3) to 2^32, far above the 4096 we allow.
      return concat([int(2 ** 32, 5, 0x20), new Uint8Array([STATUS_200])]);
    default:
      return new Uint8Array([STATUS_200]);
  }
}

/** One hostile connection's means: write a frame, flood, repeat on a timer; all bounded by `until`. */
interface HostileIo {
  write(b: Uint8Array | Frame): void;
  flood(make: () => Uint8Array): void;
  every(ms: number, f: () => void): void;
}

function hostileIo(sock: Duplex, until: number): HostileIo {
  const timers: NodeJS.Timeout[] = [];
  sock.on('close', () => timers.forEach(clearInterval));
  const write = (b: Uint8Array | Frame) => {
    if (!sock.destroyed) sock.write(b instanceof Uint8Array ? b : encodeFrame(b));
  };
  /** Write `make()` a batch per event-loop turn under back-pressure until the socket closes or time is up (lab/pump.ts). */
  const flood = (make: () => Uint8Array) => pump(sock, make, until);
  const every = (ms: number, f: () => void) => void timers.push(setInterval(() => (sock.destroyed || Date.now() > until ? sock.destroy() : f()), ms));
  return { write, flood, every };
}

/** What the server does once the client's request (its first HEADERS) arrived. */
function onRequest(kind: HostileH2Kind, io: HostileIo): void {
  const { write, flood, every } = io;
  switch (kind) {
    case 'continuation-flood': {
      write(headersFrame(1, new Uint8Array([STATUS_200]), { endHeaders: false }));
      const frag = encodeFrame(continuationFrame(1, new Uint8Array([0x88]), false));
      return flood(() => frag);
    }
    case 'empty-data-flood': {
      // A response whose body is an endless run of empty DATA frames (CVE-2019-9518).
      write(headersFrame(1, new Uint8Array([STATUS_200]), { endHeaders: true }));
      const empty = encodeFrame(dataFrame(1, new Uint8Array(0)));
      return flood(() => empty);
    }
    case 'rst-flood': {
      let id = 3;
      return flood(() => encodeFrame(rstStreamFrame((id += 2) & 0x7fffffff, 'CANCEL')));
    }
    case 'hpack-table-bomb':
    case 'hpack-huge-literal':
    case 'hpack-integer-overflow':
    case 'hpack-bad-huffman-padding':
    case 'hpack-table-size-2e32':
      return write(headersFrame(1, hpackBomb(kind), { endHeaders: true, endStream: true }));
    case 'frame-16mb':
      // A frame header declaring 2^24-1 bytes (RFC 9113 §4.2: above SETTINGS_MAX_FRAME_SIZE), then a drip of its payload.
      write(concat([new Uint8Array([0xff, 0xff, 0xff, FRAME_TYPES.DATA, 0x00, 0, 0, 0, 1])]));
      return every(50, () => write(new Uint8Array(1024)));
    case 'goaway-1mb-debug': {
      const debug = new Uint8Array(1 << 20).fill(0x64);
      return write(encodeRawFrame(FRAME_TYPES.GOAWAY, 0, 0, concat([new Uint8Array([0, 0, 0, 0, 0, 0, 0, 2]), debug])));
    }
    case 'status-abc':
      // :status "abc" as a literal with an indexed name (RFC 7541 §6.2.2, name index 8).
      return write(headersFrame(1, new Uint8Array([0x08, 0x03, ...ascii('abc')]), { endHeaders: true, endStream: true }));
    case 'data-before-headers':
      write(dataFrame(1, ascii('body first\n')));
      return write(headersFrame(1, new Uint8Array([STATUS_200]), { endHeaders: true, endStream: true }));
    case 'slow-drip': {
      // A whole response, one byte a second: its HEADERS alone take 10 s, past any sane deadline.
      const all = concat([encodeFrame(headersFrame(1, new Uint8Array([STATUS_200]), { endHeaders: true })), encodeFrame(dataFrame(1, ascii('ok\n'), { endStream: true }))]);
      let i = 0;
      return every(1000, () => (i < all.length ? write(all.subarray(i, ++i)) : undefined));
    }
    default:
      return; // no-response: SETTINGS, then silence
  }
}

/** What the server does once the client preface arrived: its SETTINGS, or its first misbehaviour. */
function onPreface(kind: HostileH2Kind, io: HostileIo): void {
  switch (kind) {
    case 'settings-flood': {
      const f = encodeFrame(settingsFrame([{ id: SETTINGS.MAX_CONCURRENT_STREAMS, value: 100 }]));
      return io.flood(() => f);
    }
    case 'ping-flood': {
      io.write(settingsFrame([]));
      const f = encodeFrame(pingFrame(new Uint8Array(8)));
      return io.flood(() => f);
    }
    case 'settings-out-of-range':
      // RFC 9113 §6.5.2: SETTINGS_ENABLE_PUSH must be 0 or 1; INITIAL_WINDOW_SIZE at most 2^31-1.
      return io.write(encodeRawFrame(FRAME_TYPES.SETTINGS, 0, 0, new Uint8Array([0, SETTINGS.INITIAL_WINDOW_SIZE, 0x80, 0, 0, 0])));
    default:
      return io.write(settingsFrame([{ id: SETTINGS.MAX_CONCURRENT_STREAMS, value: 100 }]));
  }
}

/**
 * Serve one hostile HTTP/2 connection on `sock` (TLS with ALPN h2, or cleartext h2c).
 * `initial`: bytes already read from the socket.
 */
export function serveHostileH2(sock: Duplex, kind: HostileH2Kind, initial: Uint8Array = new Uint8Array(0)): void {
  sock.on('error', () => {});
  const io = hostileIo(sock, Date.now() + HOSTILE_MAX_MS);
  let buf = initial;
  let started = false;
  let requested = false;
  const dec = new FrameDecoder({ maxFrameSize: 1 << 24 });
  const onData = (c: Uint8Array) => {
    if (!started) {
      buf = concat([buf, c]);
      if (buf.length < CLIENT_PREFACE.length) return;
      started = true;
      c = buf.subarray(CLIENT_PREFACE.length);
      onPreface(kind, io);
    }
    if (requested) return;
    dec.push(c);
    for (;;) {
      let f: Frame | null;
      try {
        f = dec.next();
      } catch {
        return void sock.destroy();
      }
      if (!f) return;
      if (f.kind === 'SETTINGS' && !f.ack && kind !== 'settings-flood') io.write(settingsFrame([], true));
      if (f.kind === 'HEADERS' && !requested) {
        requested = true;
        return onRequest(kind, io);
      }
    }
  };
  sock.on('data', onData);
  if (initial.length) onData(new Uint8Array(0));
  // The slow ones end too: nothing stays open past the bound.
  setTimeout(() => sock.destroy(), HOSTILE_MAX_MS).unref();
}
