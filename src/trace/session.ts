/**
 * One traced connection: resolve, TCP connect, TLS (what was offered, what the server chose) or
 * cleartext (prior knowledge, or `Upgrade: h2c`), then every HTTP/2 frame both ways, each event
 * stamped with the time since the trace began. The raw bytes in both directions and the TLS key
 * log are kept for a pcapng. Sockets come from src/transport/; nothing here prints.
 * The steps: connect.ts (name, TCP), tls.ts (the handshake), exchange.ts (HTTP/2, h2c upgrade);
 * recorder.ts keeps the events, the capture and what the diagnosis rules are given.
 *
 * @example
 * const r = await runTrace(parseTarget('https://example.com'), {}, (e) => console.log(renderEvent(e)));
 */
import type { Target } from '../model/index.js';
import { TRACE_DEFAULTS, TraceRecorder } from './recorder.js';
import { traceConnect } from './connect.js';
import { traceTls } from './tls.js';
import { cleartextStream, TraceExchange, type Stream } from './exchange.js';
import { traceWebSocket } from './websocket.js';
import type { TraceOptions, TraceResult } from './types.js';
import type { TraceEvent } from '../model/trace.js';

/**
 * Trace one connection to `target`. Never rejects because the server misbehaved: what it did
 * becomes events. `onEvent` sees each event as it happens.
 */
export async function runTrace(target: Target, o: TraceOptions = {}, onEvent?: (e: TraceEvent) => void): Promise<TraceResult> {
  const rec = new TraceRecorder(target, onEvent, o.captureBytes ?? TRACE_DEFAULTS.captureBytes);
  const timeoutMs = o.timeoutMs ?? TRACE_DEFAULTS.timeoutMs;
  const deadline = rec.t0 + timeoutMs;
  const wire = await traceConnect(rec, target, o, timeoutMs);
  if (!wire) return rec.result();
  let stream: Stream;
  const ws = target.scheme === 'ws' || target.scheme === 'wss';
  if (target.tls) {
    // RFC 6455 §4.1: the WebSocket handshake is HTTP/1.1, so wss:// offers ALPN http/1.1 only.
    const secure = await traceTls(rec, wire, target, ws ? { ...o, alpn: ['http/1.1'] } : o, deadline, timeoutMs);
    if (!secure) return rec.result();
    stream = secure;
  } else stream = cleartextStream(rec, wire);
  if (ws) return traceWebSocket(rec, wire, stream, target, o, deadline);
  return new TraceExchange(rec, wire, stream, target, o, deadline, timeoutMs).run();
}
