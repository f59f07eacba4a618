/**
 * TLS handshake failures and certificates (issue: TLS handshake diagnosis).
 * Evidence in, findings out; pure.
 */
import type { AddressRule, RawFinding } from '../raw.js';
import { probe, tcpProbe } from '../evidence.js';

export const tlsRule: AddressRule = (ev) => {
  const tcp = tcpProbe(ev);
  if ((tcp && !tcp.connect.ok) || !ev.target.tls) return [];
  const out: RawFinding[] = [];
  const d = probe(ev, 'tls-default');
  if (!d) return out;
  const t = d.tls;
  if (t.outcome === 'alert') {
    // No more specific cause proven (yet): name the alert.
    out.push({
      code: 'tls-handshake-alert',
      detail: `${t.alert!.name} (${t.alert!.code})`,
      evidence: [{ probe: d.id, text: `ClientHello (ALPN h2,http/1.1${t.sni ? `, SNI ${t.sni}` : ', no SNI'}) answered with a ${t.alert!.level} alert ${t.alert!.name} (${t.alert!.code})`, ...(d.first?.excerpt ? { excerpt: d.first.excerpt } : {}) }],
    });
  }
  return out;
};
