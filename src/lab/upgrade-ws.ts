/**
 * A small WebSocket server side for lab scenarios (RFC 6455), built on our own codecs: it answers a
 * handshake with 101 (or misbehaves on purpose), echoes messages, answers pings, and closes. Plain
 * requests get `426 Upgrade: websocket`. Also the HTTP/2 side of RFC 8441 for node:http2 streams.
 */
import type http from 'node:http';
import type http2 from 'node:http2';
import type { Duplex } from 'node:stream';
import { computeAccept } from '../wire/websocket/handshake.js';
import { joinFieldLines, splitList } from '../wire/http/fields.js';
import { FrameDecoder, OPCODES, closePayload, encodeFrame } from '../wire/websocket/frame.js';

export interface WsBehaviour {
  /** Pick a subprotocol from those offered; default: the first. `none`: never select one. */
  protocols?: 'first' | 'none';
  /** Send a wrong Sec-WebSocket-Accept. */
  badAccept?: boolean;
}

/** RFC 6455 §4.2.1: the client's Sec-WebSocket-Protocol list (every field line), in its order. */
function offeredProtocols(field: string | string[] | undefined): string[] {
  return splitList(joinFieldLines(field) ?? '').items;
}

/** `426 Upgrade Required` naming websocket, for plain requests to the endpoint. */
export function ws426(res: http.ServerResponse): void {
  res.writeHead(426, { upgrade: 'websocket', connection: 'Upgrade', 'content-type': 'text/plain' });
  res.end('This endpoint speaks WebSocket only.\n');
}

/** Handle node:http's 'upgrade' event: a correct handshake gets 101, then frames are served. */
export function wsUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, b: WsBehaviour = {}): void {
  socket.on('error', () => {});
  const key = req.headers['sec-websocket-key'];
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket' || typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13') {
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${b.badAccept ? computeAccept('AAAAAAAAAAAAAAAAAAAAAA==') : computeAccept(key)}`];
  if (offered.length && b.protocols !== 'none') lines.push(`Sec-WebSocket-Protocol: ${offered[0]}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  serveFrames(socket, head);
}

/** RFC 8441 on a node:http2 stream: 200, then WebSocket frames inside DATA. */
export function wsExtendedConnect(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  const offered = offeredProtocols(headers['sec-websocket-protocol']);
  stream.respond({ ':status': 200, ...(offered.length ? { 'sec-websocket-protocol': offered[0] } : {}) });
  serveFrames(stream, Buffer.alloc(0));
}

function serveFrames(s: Duplex, head: Buffer): void {
  const dec = new FrameDecoder({ expectMasked: true });
  const onData = (c: Buffer) => {
    dec.push(c);
    for (;;) {
      let f;
      try {
        f = dec.next();
      } catch {
        s.end(encodeFrame({ opcode: OPCODES.close, payload: closePayload(1002) }));
        return;
      }
      if (!f) return;
      if (f.opcode === OPCODES.ping) s.write(encodeFrame({ opcode: OPCODES.pong, payload: f.payload }));
      else if (f.opcode === OPCODES.text || f.opcode === OPCODES.binary) s.write(encodeFrame({ opcode: f.opcode, payload: f.payload }));
      else if (f.opcode === OPCODES.close) {
        s.end(encodeFrame({ opcode: OPCODES.close, payload: closePayload(1000) }));
        return;
      }
    }
  };
  s.on('data', onData);
  s.on('error', () => {});
  if (head.length) onData(head);
}
