/**
 * A tiny scripted HTTP/2 server side for lab scenarios that real servers will not misbehave in
 * on demand: a first frame that is not SETTINGS, GOAWAY at once, no streams allowed, a response
 * to an `Upgrade: h2c` request on stream 1. Built on our own codec.
 */
import type { Duplex } from 'node:stream';
import { FrameDecoder } from '../wire/http2/frame.js';
import { encodeFrame, goawayFrame, headersFrame, dataFrame, pingFrame, settingsFrame } from '../wire/http2/frame-encode.js';
import { type Frame } from '../wire/http2/frame-types.js';
import { CLIENT_PREFACE, SETTINGS, type ErrorCodeName } from '../wire/http2/registry.js';
import { HpackEncoder } from '../wire/hpack/index.js';
import { concat } from '../wire/bytes.js';

export interface MiniH2Script {
  /** What to send first, once the client preface has arrived. */
  first?: 'settings' | 'ping' | { goaway: ErrorCodeName; debug?: string };
  settings?: Array<{ id: number; value: number }>;
  /** After SETTINGS, send GOAWAY with this code. */
  goawayAfterSettings?: { code: ErrorCodeName; debug?: string };
  /** Answer requests (HEADERS) with 200. */
  respond?: boolean;
  /** After an `Upgrade: h2c` 101: the response to the upgrade request goes on stream 1. */
  answerStream1?: boolean;
  body?: string;
}

/**
 * Speak the scripted server side on `sock`. `initial` holds bytes already read from the socket.
 */
export function serveMiniH2(sock: Duplex, script: MiniH2Script, initial: Uint8Array = new Uint8Array(0)): void {
  let buf = initial;
  let prefaceSeen = false;
  const dec = new FrameDecoder({ maxFrameSize: 16384 });
  const hpack = new HpackEncoder({ huffman: false });
  const write = (f: Frame) => sock.write(encodeFrame(f));
  const respond = (streamId: number) => {
    write(headersFrame(streamId, hpack.encode([[':status', '200'], ['content-type', 'text/plain'], ['server', 'h2doctor-lab']]), { endHeaders: true }));
    write(dataFrame(streamId, new TextEncoder().encode(script.body ?? 'ok\n'), { endStream: true }));
  };
  // Like nginx's lingering close: after GOAWAY keep reading a moment, so the peer's late frames
  // do not turn our close into a reset that discards the GOAWAY before it is read.
  const closeSoon = () => {
    closing = true;
    setTimeout(() => sock.end(), 100).unref();
  };
  let closing = false;
  const start = () => {
    const first = script.first ?? 'settings';
    if (first === 'ping') write(pingFrame(new Uint8Array(8)));
    else if (typeof first === 'object') {
      write(goawayFrame(0, first.goaway, first.debug ?? ''));
      closeSoon();
      return;
    }
    write(settingsFrame(script.settings ?? [{ id: SETTINGS.MAX_CONCURRENT_STREAMS, value: 100 }]));
    if (script.goawayAfterSettings) {
      write(goawayFrame(0, script.goawayAfterSettings.code, script.goawayAfterSettings.debug ?? ''));
      closeSoon();
      return;
    }
    if (script.answerStream1) respond(1);
  };
  const onData = (c: Uint8Array) => {
    if (!prefaceSeen) {
      buf = concat([buf, c]);
      if (buf.length < CLIENT_PREFACE.length) return;
      for (let i = 0; i < CLIENT_PREFACE.length; i++) {
        if (buf[i] !== CLIENT_PREFACE[i]) {
          // RFC 9113 §3.4: an invalid preface is a connection error of type PROTOCOL_ERROR.
          write(goawayFrame(0, 'PROTOCOL_ERROR', 'invalid connection preface'));
          sock.end();
          return;
        }
      }
      prefaceSeen = true;
      c = buf.subarray(CLIENT_PREFACE.length);
      start();
    }
    if (closing) return;
    dec.push(c);
    for (;;) {
      let f: Frame | null;
      try {
        f = dec.next();
      } catch {
        sock.destroy();
        return;
      }
      if (!f) break;
      if (f.kind === 'SETTINGS' && !f.ack) write(settingsFrame([], true));
      else if (f.kind === 'PING' && !f.ack) write(pingFrame(f.opaqueData, true));
      else if (f.kind === 'HEADERS' && script.respond) respond(f.streamId);
    }
  };
  sock.on('data', onData);
  sock.on('error', () => {});
  if (initial.length) onData(new Uint8Array(0));
}
