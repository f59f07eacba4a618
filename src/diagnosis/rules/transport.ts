/**
 * Transport: the TCP connection itself, and a TLS port that never answers.
 */
import { addressRule, type RawFinding } from '../raw.js';
import { evidenceItem, probe, tcpProbe } from '../evidence.js';
import { portAnswersCleartext } from './protocol.js';
import { silentTunnel } from './proxy-tunnel.js';

/**
 * TCP refused / timed out / reset, and a TLS port that never answers or drops the ClientHello.
 * @example transportRule({ address, target, probes: [tcpRefused] })[0]?.code // 'tcp-refused'
 */
export const transportRule = addressRule('transport', ['tcp-refused', 'tcp-timeout', 'tcp-reset', 'tls-handshake-timeout'], (ev) => {
  const tcp = tcpProbe(ev);
  if (!tcp) return [];
  const c = tcp.connect;
  if (!c.ok) {
    const text = `TCP connect to ${ev.address}:${tcp.port} failed after ${c.ms} ms: ${c.errno ?? c.error} (${c.message})`;
    const code = c.error === 'timeout' ? 'tcp-timeout' : c.error === 'reset' ? 'tcp-reset' : 'tcp-refused';
    return [{ code, evidence: [{ probe: tcp.id, text }], detail: 'TCP handshake' }];
  }
  const out: RawFinding[] = [];
  if (ev.target.tls) {
    const d = probe(ev, 'tls-default');
    if (!d) return out;
    // An h2c-only port may close on both a ClientHello and HTTP/1.1 yet answer the HTTP/2 preface.
    const sniffIsHttp = portAnswersCleartext(ev);
    const tunnel = silentTunnel(ev);
    if (tunnel?.direct) {
      // The origin answers on the direct path: the proxy's silent tunnel is the cause (proxy-tunnel rule).
    } else if (d.tls.outcome === 'timeout' && d.bytesReceived === 0 && !sniffIsHttp) {
      const through = tunnel ? `through the proxy's tunnel (${tunnel.hop.detail}): ` : '';
      out.push({
        code: 'tls-handshake-timeout',
        evidence: [
          { probe: d.id, text: `${through}TCP connected in ${c.ms} ms; ClientHello sent (${d.bytesSent} bytes); no byte came back in ${d.durationMs} ms` },
          ...(tunnel ? [{ probe: tunnel.hop.id, text: 'the silence may be the proxy\'s (a tunnel that relays nothing) or the origin\'s: --compare-direct tells which' }] : []),
        ],
      });
    } else if ((d.tls.outcome === 'reset' || (d.tls.outcome === 'closed' && d.bytesReceived === 0)) && !sniffIsHttp) {
      out.push({
        code: 'tcp-reset',
        detail: 'TLS handshake',
        evidence: [
          evidenceItem(
            d.id,
            `TCP connected, ClientHello sent, then the peer ${d.tls.outcome === 'reset' ? 'reset the connection (RST)' : 'closed the connection (FIN) without a TLS alert'} after ${d.durationMs} ms${d.bytesReceived ? `, ${d.bytesReceived} byte(s) into its answer (${d.first?.summary ?? 'partial record'})` : ''}`,
            d.first,
          ),
        ],
      });
    }
  }
  return out;
});
