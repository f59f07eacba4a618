/**
 * WebSockets over HTTP/2 (RFC 8441): read the server's SETTINGS for SETTINGS_ENABLE_CONNECT_PROTOCOL
 * and, when it is 1, send an extended CONNECT (`:protocol: websocket`) and check the answer.
 * Over TLS with ALPN h2, or h2c by prior knowledge on cleartext targets.
 */
import type { Http2Frame, Http2Result, Probe } from '../../model/index.js';
import { ByteSink } from '../../transport/conn.js';
import { authority, type ProbeContext } from '../context.js';
import { H2Client } from '../h2-client.js';
import { SETTINGS, errorCodeName } from '../../wire/http2/registry.js';
import { dataFrame, goawayFrame, rstStreamFrame } from '../../wire/http2/frame-encode.js';
import { FrameDecoder as WsFrameDecoder, OPCODES, encodeFrame as encodeWsFrame } from '../../wire/websocket/frame.js';
import { randomBytes } from 'node:crypto';
import { ParseError } from '../../wire/bytes.js';
import { extendedConnectHeaders, validateExtendedConnectResponse } from '../../wire/websocket/extended-connect.js';
import type { WsHandshakeCheck, WsRoundTrip } from '../../model/upgrade-probes.js';
import { headerBag } from './common.js';
import { Meter } from '../meter.js';
import { openStream } from '../open.js';
import { userHeaders } from '../headers.js';

/**
 * A WebSocket over HTTP/2 (RFC 8441 extended CONNECT): SETTINGS_ENABLE_CONNECT_PROTOCOL, then CONNECT :protocol websocket.
 * @example const p = await probeExtendedConnect(ctx, { path: '/ws' }); p.kind // 'ws-h2'
 */
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
    const client = new H2Client(c.write, sink, { via, deadline: m.deadline, maxFrames: 32 });
    const h2x = client.result;
    let enable: number | undefined;
    let handshake: WsHandshakeCheck | undefined;
    let roundTrip: WsRoundTrip | undefined;
    if (await client.start()) {
      for (let e = await client.next(); e; e = await client.next()) {
        if (e.kind === 'settings') {
          // RFC 8441 §3: absent means 0; RFC 9113 §6.5.3: the last value wins.
          for (const s of e.settings) if (s.id === SETTINGS.ENABLE_CONNECT_PROTOCOL) enable = s.value;
          enable ??= 0;
          if (enable !== 1) break;
          // RFC 8441 §4: the request carries :protocol and no END_STREAM (the stream is the tunnel).
          const fields = [...extendedConnectHeaders({ authority: authority(ctx), path: o.path, scheme: ctx.target.tls ? 'https' : 'http', ...(o.protocols?.length ? { protocols: o.protocols } : {}) }), ['user-agent', ctx.userAgent] as [string, string], ...userHeaders(ctx, '2', ['sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-key'])];
          client.request(fields, { endStream: false });
        } else if (e.kind === 'response') {
          const v = validateExtendedConnectResponse({ status: e.status, headers: headerBag(e.fields.filter(([k]) => !k.startsWith(':'))) }, { ...(o.protocols?.length ? { protocols: o.protocols } : {}) });
          handshake = { ok: v.ok, problems: v.problems.map((p) => ({ code: p.code, fatal: p.fatal, message: p.message })), extensions: v.extensions.map((x) => x.name), ...(v.protocol !== undefined ? { protocol: v.protocol } : {}) };
          // RFC 8441 §5: the stream now carries WebSocket frames in DATA frames; ping, await the pong.
          if (e.status >= 200 && e.status < 300) roundTrip = await tunnelPing(client, Math.min(m.deadline, performance.now() + PONG_WAIT_MS));
          break;
        }
      }
    }
    // Leave politely: cancel the tunnel stream and say goodbye (RFC 9113 §6.4, §6.8).
    if (h2x.outcome === 'response') client.send(rstStreamFrame(1, 'CANCEL'));
    if (h2x.serverSettings) client.send(goawayFrame(0, 'NO_ERROR'));
    return { ...base, ...m.common(c.connect), ...(enable !== undefined ? { enableConnectProtocol: enable } : {}), h2: h2x, ...(handshake ? { handshake } : {}), ...(roundTrip ? { roundTrip } : {}) };
  } finally {
    c.close();
  }
}

/** Longest wait for the pong inside the tunnel: a live server answers at once. */
const PONG_WAIT_MS = 1000;
const PING_PAYLOAD = new TextEncoder().encode('h2doctor');

/**
 * One WebSocket ping inside the extended-CONNECT stream (RFC 8441 §5, RFC 6455 §5.5.2: client frames
 * are masked), reading DATA on stream 1 until a pong, a close, the stream's end, or the deadline.
 */
async function tunnelPing(client: H2Client, deadline: number): Promise<WsRoundTrip> {
  client.send(dataFrame(1, encodeWsFrame({ opcode: OPCODES.ping, payload: PING_PAYLOAD, mask: randomBytes(4) })));
  const ws = new WsFrameDecoder({ expectMasked: false, maxPayload: 65536 });
  for (;;) {
    const e = await client.next(deadline);
    if (!e && client.result.outcome === 'response') return { sent: 'ping', outcome: performance.now() >= deadline ? 'timeout' : 'eof' };
    if (!e) {
      const r = client.result;
      if (r.outcome === 'protocol-error' || r.outcome === 'flood') return { sent: 'ping', outcome: 'protocol-error', detail: r.detail ?? r.outcome };
      return { sent: 'ping', outcome: r.outcome === 'timeout' ? 'timeout' : 'eof' };
    }
    if (e.kind !== 'frame') continue;
    const f = e.frame;
    if (f.kind === 'RST_STREAM' && f.streamId === 1) return { sent: 'ping', outcome: 'eof', detail: `RST_STREAM ${errorCodeName(f.errorCode)}` };
    if (f.kind !== 'DATA' || f.streamId !== 1) continue;
    ws.push(f.data);
    for (;;) {
      let w;
      try {
        w = ws.next();
      } catch (err) {
        return { sent: 'ping', outcome: 'protocol-error', detail: err instanceof ParseError ? err.message : String(err) };
      }
      if (!w) break;
      if (w.opcode === OPCODES.pong) return { sent: 'ping', outcome: 'pong' };
      if (w.opcode === OPCODES.close) return { sent: 'ping', outcome: 'close', ...(w.close?.code !== undefined ? { closeCode: w.close.code } : {}) };
    }
    if (f.endStream) return { sent: 'ping', outcome: 'eof' };
  }
}
