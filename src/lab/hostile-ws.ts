/**
 * Scripted hostile WebSocket server sides for the hostile lab: each answers the opening handshake
 * with a valid `101` (RFC 6455 §4.2.2, correct Sec-WebSocket-Accept), then misbehaves. Floods write
 * under back-pressure and stop after {@link HOSTILE_MAX_MS}; every behaviour is bounded in time.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { computeAccept } from '../wire/websocket/handshake.js';
import { OPCODES, encodeFrame } from '../wire/websocket/frame.js';
import { HOSTILE_MAX_MS } from './hostile-h2.js';
import { pump } from './pump.js';
import { listen, type Listening } from './servers.js';

export const HOSTILE_WS_KINDS = ['garbage', 'length-2e63', 'bad-close', 'frame-flood', 'no-pong'] as const;
export type HostileWsKind = (typeof HOSTILE_WS_KINDS)[number];

/** What each behaviour sends after its 101, in words (lab titles). */
export const HOSTILE_WS_WORDS: Record<HostileWsKind, string> = {
  garbage: '4 KiB of bytes that are not WebSocket frames (RSV bits set, reserved opcode)',
  'length-2e63': 'a binary frame announcing 2^63−1 payload bytes (9223372036854775807), then nothing',
  'bad-close': 'a close frame with code 1005 (RFC 6455 §7.4.1: never sent on the wire)',
  'frame-flood': 'an endless flood of ping frames, never a pong',
  'no-pong': 'silence: reads every frame, answers none (no pong, no close)',
};

/** RFC 6455 §5.2: FIN + binary, 127 = a 64-bit length follows, then 0x7fff_ffff_ffff_ffff. */
const LENGTH_2E63 = new Uint8Array([0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

function garbage(): Uint8Array {
  const b = new Uint8Array(4096);
  // 0xff: FIN, RSV1-3 all set, opcode 0xf (reserved); then bytes of no frame at all.
  for (let i = 0; i < b.length; i++) b[i] = i % 2 ? 0xff : (i * 37) & 0xff;
  b[0] = 0xff;
  return b;
}

/** Write `frame` as fast as the client reads it (a batch per loop turn), until the socket closes or the lab's bound passes. */
function flood(s: Duplex, frame: Uint8Array): void {
  const chunk = Buffer.concat(Array.from({ length: 256 }, () => frame));
  pump(s, () => chunk, Date.now() + HOSTILE_MAX_MS);
}

function misbehave(s: Duplex, kind: HostileWsKind): void {
  switch (kind) {
    case 'garbage':
      s.write(garbage());
      return;
    case 'length-2e63':
      s.write(LENGTH_2E63);
      return;
    case 'bad-close':
      s.write(encodeFrame({ opcode: OPCODES.close, payload: new Uint8Array([0x03, 0xed]) }, { unchecked: true }));
      return;
    case 'frame-flood':
      return flood(s, encodeFrame({ opcode: OPCODES.ping, payload: new TextEncoder().encode('flood') }));
    case 'no-pong':
      return;
  }
}

/** Answer a WebSocket handshake with a valid 101, then misbehave as `kind`. */
export function hostileWsUpgrade(req: http.IncomingMessage, s: Duplex, kind: HostileWsKind): void {
  s.on('error', () => {});
  s.on('data', () => {});
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string') return void s.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  s.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${computeAccept(key)}`, '', ''].join('\r\n'));
  misbehave(s, kind);
  // Nothing stays open past the lab's bound, whatever the client does.
  const t = setTimeout(() => s.destroy(), HOSTILE_MAX_MS);
  s.on('close', () => clearTimeout(t));
}

/** A cleartext WebSocket endpoint (plain requests get 426 Upgrade: websocket) that misbehaves after its 101. */
export async function hostileWsServer(kind: HostileWsKind, host = '127.0.0.1'): Promise<Listening> {
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { upgrade: 'websocket', connection: 'Upgrade', 'content-type': 'text/plain' });
    res.end('This endpoint speaks WebSocket only.\n');
  });
  server.on('upgrade', (req, socket) => hostileWsUpgrade(req, socket, kind));
  server.on('clientError', (_e, socket) => socket.destroy());
  return listen(server, host);
}
