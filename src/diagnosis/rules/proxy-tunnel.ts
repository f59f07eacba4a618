/**
 * A CONNECT proxy that answers 2xx and then relays nothing: the TLS handshake through its tunnel
 * gets no byte back, while the direct path (`--compare-direct`) reaches the same origin. That is
 * the proxy's failure, not the origin's `tls-handshake-timeout`.
 */
import { addressRule } from '../raw.js';
import type { AddressEvidence } from '../evidence.js';
import { kindProbe, probe } from '../evidence.js';

/**
 * The tunnel is up and silent, and the direct path proves the origin answers; undefined otherwise.
 * Without a direct path the silence may be the origin's: the transport rule says so.
 * @example silentTunnel(ev)?.direct // the direct-path probe when the proxy, not the origin, is silent
 */
export function silentTunnel(ev: AddressEvidence) {
  const hop = kindProbe(ev, 'proxy-connect');
  const d = probe(ev, 'tls-default');
  if (!ev.target.tls || hop?.outcome !== 'tunnel' || !d || d.tls.outcome !== 'timeout' || d.bytesReceived !== 0) return undefined;
  const direct = kindProbe(ev, 'direct-path');
  return { hop, d, direct: direct?.tls?.outcome === 'handshake' ? direct : undefined };
}

/**
 * The proxy's tunnel relays nothing while the origin answers directly.
 * @example proxyTunnelRule(ev)[0]?.detail // 'the tunnel opened (200 Connection established) but relayed nothing'
 */
export const proxyTunnelRule = addressRule('proxy-tunnel', ['proxy-connect-failed'], (ev) => {
  const s = silentTunnel(ev);
  if (!s?.direct) return [];
  const { hop, d, direct } = s;
  return [
    {
      code: 'proxy-connect-failed',
      detail: `the tunnel opened (${hop.status ?? '2xx'} ${hop.reason ?? ''}) but relayed nothing`.replace(' )', ')'),
      evidence: [
        { probe: hop.id, text: `${hop.proxy}: ${hop.detail}` },
        { probe: d.id, text: `through that tunnel: ClientHello sent (${d.bytesSent} bytes), no byte came back in ${d.durationMs} ms` },
        { probe: direct.id, text: `the direct path to ${direct.directAddress} completes TLS${direct.h2Answer ? ` and HTTP/2 answers ${direct.h2Answer}` : ''}: the origin answers, the proxy does not relay` },
      ],
    },
  ];
});
