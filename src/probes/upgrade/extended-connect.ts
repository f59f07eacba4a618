/**
 * WebSockets over HTTP/2 (RFC 8441): read the server's SETTINGS for SETTINGS_ENABLE_CONNECT_PROTOCOL
 * and, when it is 1, send an extended CONNECT (`:protocol: websocket`) and check the answer.
 * Over TLS with ALPN h2, or h2c by prior knowledge on cleartext targets.
 */
import type { Http2Frame, Http2Result, Probe } from '../../types.js';
import { ByteSink } from '../../transport/conn.js';
import { authority, type ProbeContext } from '../context.js';
import { CLIENT_SETTINGS, frameRecord } from '../h2-exchange.js';
import { FramePump } from '../pump.js';
import { classify, isDecided } from '../../wire/sniff.js';
import { CLIENT_PREFACE, SETTINGS, errorCodeName } from '../../wire/http2/registry.js';
import { FrameDecoder, dataFrame, encodeFrame, goawayFrame, headersFrame, pingFrame, rstStreamFrame, settingsFrame, type Frame } from '../../wire/http2/frame.js';
import { FrameDecoder as WsFrameDecoder, OPCODES, encodeFrame as encodeWsFrame } from '../../wire/websocket/frame.js';
import { randomBytes } from 'node:crypto';
import { HpackDecoder, HpackEncoder } from '../../wire/hpack/index.js';
import { ParseError, concat } from '../../wire/bytes.js';
import { extendedConnectHeaders, validateExtendedConnectResponse } from '../../wire/websocket/extended-connect.js';
import type { WsHandshakeCheck, WsRoundTrip } from '../stages/upgrade-types.js';
import { Meter, headerBag, openStream, userHeaders } from './common.js';

export async function probeExtendedConnect(ctx: ProbeContext, o: { path: string; protocols?: readonly string[] }): Promise<Probe> {
  const m = new Meter(ctx, 'ws-extended-connect');
  const via: Http2Result['via'] = ctx.target.tls ? 'tls' : 'prior-knowledge';
  const frames: Http2Frame[] = [];
  const h2: Http2Result = { via, outcome: 'closed', frames };
  const c = await openStream(m, ctx.target.tls ? ['h2'] : null);
  const base = { kind: 'ws-h2' as const, name: 'ws-extended-connect' as const, path: o.path, ...(c.tls ? { tls: c.tls } : {}) };
  try {
    if (!c.stream || (c.tls && c.tls.alpn !== 'h2')) return { ...base, ...m.common(c.connect), h2 };
    const sink = new ByteSink(c.stream, ctx.byteBudget);
    const send = (f: Frame) => {
      if (frames.length < 32) frames.push(frameRecord('out', f));
      c.write(encodeFrame(f));
    };
    c.write(CLIENT_PREFACE);
    send(settingsFrame(CLIENT_SETTINGS));
    // RFC 9113 §3.4: the server's preface is a SETTINGS frame.
    const endFirst = await sink.until((b) => isDecided(b), m.deadline);
    const first = classify(sink.bytes(), endFirst === 'open' ? 'open' : endFirst);
    h2.first = first;
    if (first.first.kind !== 'h2-settings') {
      h2.outcome = first.first.kind === 'http1' ? 'http1-response' : first.first.kind === 'timeout' || first.first.kind === 'incomplete' ? 'timeout' : first.first.kind === 'eof' ? 'closed' : first.first.kind === 'reset' ? 'reset' : 'not-settings';
      return { ...base, ...m.common(c.connect), h2 };
    }
    const dec = new FrameDecoder({ maxFrameSize: 16384 });
    const hpack = new HpackDecoder({ maxHeaderListSize: 262144, maxTableSize: 4096 });
    let enable: number | undefined;
    let handshake: WsHandshakeCheck | undefined;
    let roundTrip: WsRoundTrip | undefined;
    let block: Uint8Array[] | null = null;
    h2.outcome = 'settings-no-response';
    const pump = new FramePump(sink, dec);
    for (;;) {
      const next = await pump.next(m.deadline);
      if ('error' in next) {
        h2.outcome = 'protocol-error';
        h2.detail = next.error;
        break;
      }
      if ('end' in next) {
        const end = next.end;
        if (h2.outcome === 'settings-no-response' && enable === 1) h2.outcome = end === 'timeout' ? 'timeout' : end === 'reset' ? 'reset' : 'closed';
        break;
      }
      const f = next.frame;
      if (frames.length < 32) frames.push(frameRecord('in', f));
      if (f.kind === 'SETTINGS' && !f.ack) {
        h2.serverSettings ??= f.settings.map((s) => ({ id: s.id, name: s.name, value: s.value }));
        // RFC 8441 §3: absent means 0; RFC 9113 §6.5.3: the last value wins.
        for (const s of f.settings) if (s.id === SETTINGS.ENABLE_CONNECT_PROTOCOL) enable = s.value;
        enable ??= 0;
        send(settingsFrame([], true));
        if (enable !== 1) break;
        // RFC 8441 §4: the request carries :protocol and no END_STREAM (the stream is the tunnel).
        const fields = [...extendedConnectHeaders({ authority: authority(ctx), path: o.path, scheme: ctx.target.tls ? 'https' : 'http', ...(o.protocols?.length ? { protocols: o.protocols } : {}) }), ['user-agent', ctx.userAgent] as [string, string], ...lower(userHeaders(ctx, ['connection', 'upgrade', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-key', 'te', 'keep-alive', 'proxy-connection', 'transfer-encoding']))];
        send(headersFrame(1, new HpackEncoder({ huffman: false, indexing: false }).encode(fields), { endStream: false, endHeaders: true }));
      } else if (f.kind === 'PING' && !f.ack) send(pingFrame(f.opaqueData, true));
      else if (f.kind === 'GOAWAY') {
        h2.goaway = { lastStreamId: f.lastStreamId, errorCode: f.errorCode, errorName: errorCodeName(f.errorCode), debug: new TextDecoder().decode(f.debugData.subarray(0, 256)) };
        h2.outcome = 'goaway';
        break;
      } else if (f.kind === 'RST_STREAM' && f.streamId === 1) {
        h2.rstStream = { errorCode: f.errorCode, errorName: errorCodeName(f.errorCode) };
        h2.outcome = 'rst-stream';
        break;
      } else if ((f.kind === 'HEADERS' || f.kind === 'CONTINUATION') && f.streamId === 1) {
        block = f.kind === 'HEADERS' ? [f.fieldBlockFragment] : [...(block ?? []), f.fieldBlockFragment];
        if (!f.endHeaders) continue;
        let fields: Array<[string, string]>;
        try {
          fields = hpack.decode(concat(block)).headers;
        } catch (e) {
          h2.outcome = 'protocol-error';
          h2.detail = `HPACK: ${e instanceof ParseError ? e.message : String(e)}`;
          break;
        }
        block = null;
        const status = Number(fields.find(([k]) => k === ':status')?.[1]);
        if (!(status >= 200)) continue;
        h2.status = status;
        h2.headers = fields.slice(0, 64);
        h2.outcome = 'response';
        const v = validateExtendedConnectResponse({ status, headers: headerBag(fields.filter(([k]) => !k.startsWith(':'))) }, { ...(o.protocols?.length ? { protocols: o.protocols } : {}) });
        handshake = { ok: v.ok, problems: v.problems.map((p) => ({ code: p.code, fatal: p.fatal, message: p.message })), extensions: v.extensions.map((e) => e.name), ...(v.protocol !== undefined ? { protocol: v.protocol } : {}) };
        if (status >= 200 && status < 300) {
          // RFC 8441 §5: the stream now carries WebSocket frames in DATA frames; ping, await the pong.
          roundTrip = await tunnelPing(send, pump, (f) => frames.length < 32 && frames.push(frameRecord('in', f)), Math.min(m.deadline, performance.now() + PONG_WAIT_MS));
        }
        break;
      }
    }
    // Leave politely: cancel the tunnel stream and say goodbye (RFC 9113 §6.4, §6.8).
    if (h2.outcome === 'response') send(rstStreamFrame(1, 'CANCEL'));
    if (h2.serverSettings) send(goawayFrame(0, 'NO_ERROR'));
    return { ...base, ...m.common(c.connect), ...(enable !== undefined ? { enableConnectProtocol: enable } : {}), h2, ...(handshake ? { handshake } : {}), ...(roundTrip ? { roundTrip } : {}) };
  } finally {
    c.close();
  }
}

function lower(h: Array<[string, string]>): Array<[string, string]> {
  // RFC 9113 §8.2.1: field names are lower case in HTTP/2.
  return h.map(([k, v]) => [k.toLowerCase(), v]);
}

/** Longest wait for the pong inside the tunnel: a live server answers at once. */
const PONG_WAIT_MS = 1000;
const PING_PAYLOAD = new TextEncoder().encode('h2doctor');

/**
 * One WebSocket ping inside the extended-CONNECT stream (RFC 8441 §5, RFC 6455 §5.5.2: client frames
 * are masked), reading DATA on stream 1 until a pong, a close, the stream's end, or the deadline.
 */
async function tunnelPing(send: (f: Frame) => void, pump: FramePump<Frame>, log: (f: Frame) => void, deadline: number): Promise<WsRoundTrip> {
  send(dataFrame(1, encodeWsFrame({ opcode: OPCODES.ping, payload: PING_PAYLOAD, mask: randomBytes(4) })));
  const ws = new WsFrameDecoder({ expectMasked: false, maxPayload: 65536 });
  for (;;) {
    const next = await pump.next(deadline);
    if ('error' in next) return { sent: 'ping', outcome: 'protocol-error', detail: next.error };
    if ('end' in next) return { sent: 'ping', outcome: next.end === 'timeout' ? 'timeout' : 'eof' };
    const f = next.frame;
    log(f);
    if (f.kind === 'RST_STREAM' && f.streamId === 1) return { sent: 'ping', outcome: 'eof', detail: `RST_STREAM ${errorCodeName(f.errorCode)}` };
    if (f.kind !== 'DATA' || f.streamId !== 1) continue;
    ws.push(f.data);
    for (;;) {
      let w;
      try {
        w = ws.next();
      } catch (e) {
        return { sent: 'ping', outcome: 'protocol-error', detail: e instanceof ParseError ? e.message : String(e) };
      }
      if (!w) break;
      if (w.opcode === OPCODES.pong) return { sent: 'ping', outcome: 'pong' };
      if (w.opcode === OPCODES.close) return { sent: 'ping', outcome: 'close', ...(w.close?.code !== undefined ? { closeCode: w.close.code } : {}) };
    }
    if (f.endStream) return { sent: 'ping', outcome: 'eof' };
  }
}
