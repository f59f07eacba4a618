/**
 * After a valid `101` (or a 2xx to RFC 8441's extended CONNECT), the WebSocket connection itself:
 * our ping (RFC 6455 §5.5.2) must get a pong. Bytes that are not frames, an illegal length, a bad
 * close frame, a flood of other frames or no pong at all are `websocket-protocol-error`.
 */
import type { EvidenceItem } from '../../model/index.js';
import type { WsRoundTrip } from '../../model/upgrade-probes.js';
import { addressRule, type RawFinding } from '../raw.js';
import { kindProbe, type AddressEvidence } from '../evidence.js';

/** What the server did after the handshake, in words; undefined when the round trip was sound. */
function broken(rt: WsRoundTrip | undefined): string | undefined {
  switch (rt?.outcome) {
    case 'protocol-error':
      return `its frames break RFC 6455: ${rt.detail ?? 'a frame the decoder refused'}`;
    case 'flood':
      return `a flood instead of a pong: ${rt.detail ?? 'frames without end'}`;
    case 'timeout':
      return `no pong to our ping (RFC 6455 §5.5.2: a ping MUST be answered): ${rt.detail ?? 'nothing before the deadline'}`;
    default:
      return undefined;
  }
}

function body(ev: AddressEvidence): RawFinding[] {
  const out: RawFinding[] = [];
  const ws = kindProbe(ev, 'websocket');
  const w = ws?.handshake?.ok ? broken(ws.roundTrip) : undefined;
  if (ws && w) {
    const evidence: EvidenceItem[] = [
      { probe: ws.id, text: `GET ${ws.request.path} with Upgrade: websocket → 101 Switching Protocols, Sec-WebSocket-Accept correct` },
      { probe: ws.id, text: `then ${w}` },
    ];
    out.push({ code: 'websocket-protocol-error', detail: w, evidence });
  }
  const x = kindProbe(ev, 'ws-h2');
  const t = x?.handshake?.ok ? broken(x.roundTrip) : undefined;
  if (x && t && !w) {
    out.push({ code: 'websocket-protocol-error', detail: `over HTTP/2 (RFC 8441): ${t}`, evidence: [{ probe: x.id, text: `extended CONNECT :protocol websocket ${x.path} → ${x.h2.status}, then inside the stream ${t}` }] });
  }
  return out;
}

/**
 * No valid WebSocket after its 101 (or after RFC 8441's 2xx).
 * @example websocketFramesRule(ev)[0]?.detail // 'its frames break RFC 6455: payload length 9223372036854775807 exceeds …'
 */
export const websocketFramesRule = addressRule('websocket-frames', ['websocket-protocol-error'], body);
