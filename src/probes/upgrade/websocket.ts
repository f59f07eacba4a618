/**
 * The WebSocket opening handshake over HTTP/1.1 (RFC 6455 §4.1), checked the way a client must, then
 * a ping (§5.5.2: the server must answer with a pong) and a close. Over TLS for wss/https targets.
 */
import { randomBytes } from 'node:crypto';
import type { Probe } from '../../model/index.js';
import { ByteSink } from '../../transport/conn.js';
import { authority, type ProbeContext } from '../context.js';
import { h1Request, readH1Response } from '../h1-exchange.js';
import { handshakeRequestHeaders, makeWebSocketKey, validateHandshakeResponse } from '../../wire/websocket/handshake.js';
import { FrameDecoder, OPCODES, closePayload, encodeFrame, opcodeName } from '../../wire/websocket/frame.js';
import { FramePump } from '../pump.js';
import type { WsHandshakeCheck, WsRoundTrip } from '../../model/upgrade-probes.js';
import { headerBag, requestSent } from './common.js';
import { Meter } from '../meter.js';
import { openStream } from '../open.js';
import { userHeaders } from '../headers.js';

/**
 * What a WebSocket probe asks for, and why it ran.
 * @example probeWebSocket(ctx, { path: '/chat', trigger: 'option', protocols: ['chat.v1'] })
 */
export interface WsProbeOptions {
  path: string;
  trigger: 'target' | 'option' | 'server-hint';
  protocols?: readonly string[];
}

/** Longest wait for the pong once the handshake is done: a live server answers at once. */
const PONG_WAIT_MS = 1000;
const PING_PAYLOAD = new TextEncoder().encode('h2doctor');

/**
 * An RFC 6455 WebSocket upgrade over HTTP/1.1 and what the server answered (101 and its Sec-WebSocket-Accept checked); never throws.
 * @example const p = await probeWebSocket(ctx, { path: '/ws', trigger: 'target' }); p.kind // 'websocket'
 */
export async function probeWebSocket(ctx: ProbeContext, o: WsProbeOptions): Promise<Probe> {
  const m = new Meter(ctx, 'ws-upgrade');
  const key = makeWebSocketKey(randomBytes(16));
  // Host comes from h1Request; the rest of RFC 6455 §4.1's fields from the codec.
  const wsHeaders = handshakeRequestHeaders({ host: authority(ctx), key, ...(o.protocols?.length ? { protocols: o.protocols } : {}) })
    .filter(([k]) => k !== 'host')
    .map(([k, v]) => [canonical(k), v] as [string, string]);
  const headers = [...wsHeaders, ...userHeaders(ctx, '1.1', wsHeaders.map(([k]) => k))];
  const request = requestSent('GET', o.path, '1.1', headers);
  const c = await openStream(m, ctx.target.tls ? ['http/1.1'] : null);
  try {
    const base = { kind: 'websocket' as const, name: 'ws-upgrade' as const, request, trigger: o.trigger, ...(c.tls ? { tls: c.tls } : {}) };
    if (!c.stream) return { ...base, ...m.common(c.connect), h1: { outcome: 'closed' } };
    const sink = new ByteSink(c.stream, ctx.byteBudget);
    // RFC 6455 §4.1: the handshake is a GET, HTTP/1.1 or higher.
    c.write(h1Request({ method: 'GET', path: o.path, host: authority(ctx), userAgent: ctx.userAgent, headers, keepOpen: true }));
    const h1 = await readH1Response(sink, { deadline: m.deadline, bodyPreview: 512 });
    const headLength = h1.headLength;
    delete h1.headLength;
    if (h1.outcome !== 'response' || h1.status === undefined) return { ...base, ...m.common(c.connect), h1 };
    const v = validateHandshakeResponse({ status: h1.status, headers: headerBag(h1.headers ?? []) }, { key, ...(o.protocols?.length ? { protocols: o.protocols } : {}) });
    const handshake: WsHandshakeCheck = {
      ok: v.ok,
      problems: v.problems.map((p) => ({ code: p.code, fatal: p.fatal, message: p.message })),
      extensions: v.extensions.map((e) => e.name),
      ...(v.protocol !== undefined ? { protocol: v.protocol } : {}),
    };
    if (!v.ok || headLength === undefined) return { ...base, ...m.common(c.connect), h1, handshake };
    const roundTrip = await pingPong(c.write, sink, headLength, Math.min(m.deadline, performance.now() + PONG_WAIT_MS));
    return { ...base, ...m.common(c.connect), h1, handshake, roundTrip };
  } finally {
    c.close();
  }
}

function canonical(k: string): string {
  return k.replace(/(^|-)([a-z])/g, (_s, d: string, ch: string) => d + ch.toUpperCase()).replace('Websocket', 'WebSocket');
}

/**
 * Frames that are not the pong, after which the server counts as flooding (RFC 6455 §5.5.2 lets a
 * peer answer only the most recent ping, so a live server's pong comes among the first few).
 */
const WS_FLOOD_FRAMES = 1000;

/** RFC 6455 §5.5.2–3: a ping gets a pong with the same payload; then we close (§5.5.1, code 1000). */
async function pingPong(write: (b: Uint8Array) => void, sink: ByteSink, offset: number, deadline: number): Promise<WsRoundTrip> {
  // RFC 6455 §5.3: every frame from a client is masked with a fresh key.
  write(encodeFrame({ opcode: OPCODES.ping, payload: PING_PAYLOAD, mask: randomBytes(4) }));
  const dec = new FrameDecoder({ expectMasked: false, maxPayload: 64 * 1024, allowRsv: 0b111 });
  const pump = new FramePump(sink, dec, offset);
  const t0 = performance.now();
  const seen = new Map<string, number>();
  let frames = 0;
  const ms = () => Math.round(performance.now() - t0);
  const counted = () => [...seen].map(([k, n]) => `${n} ${k}`).join(', ');
  const flood = (why: string): WsRoundTrip => ({ sent: 'ping', outcome: 'flood', detail: `${frames} frames (${counted()}), ${sink.length - offset} bytes in ${ms()} ms and no pong: ${why}` });
  let result: WsRoundTrip | undefined;
  while (!result) {
    const next = await pump.next(deadline);
    if ('error' in next) result = { sent: 'ping', outcome: 'protocol-error', detail: next.error };
    else if ('end' in next) {
      if (next.end === 'budget') result = flood(`the byte budget of ${sink.length} bytes ran out`);
      else if (next.end === 'timeout') result = { sent: 'ping', outcome: 'timeout', detail: `no pong in ${ms()} ms${frames ? ` (${frames} other frames: ${counted()})` : ', nothing at all after the 101'}` };
      else result = { sent: 'ping', outcome: 'eof' };
    } else if (next.frame.opcode === OPCODES.pong) result = { sent: 'ping', outcome: 'pong' };
    else if (next.frame.opcode === OPCODES.close) result = { sent: 'ping', outcome: 'close', ...(next.frame.close?.code !== undefined ? { closeCode: next.frame.close.code } : {}) };
    else {
      // Anything else (a greeting, the server's own ping) may come before the pong: keep reading, up to a bound.
      const name = opcodeName(next.frame.opcode);
      seen.set(name, (seen.get(name) ?? 0) + 1);
      if (++frames >= WS_FLOOD_FRAMES) result = flood(`${WS_FLOOD_FRAMES} frames before any pong`);
    }
  }
  if (result.outcome !== 'close' && result.outcome !== 'eof') write(encodeFrame({ opcode: OPCODES.close, payload: closePayload(1000), mask: randomBytes(4) }));
  return result;
}
