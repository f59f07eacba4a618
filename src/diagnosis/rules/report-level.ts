/**
 * Rules over the whole diagnosis (all addresses, several paths): the proxy path against the direct
 * path (`--compare-direct`, whose summary sits in each proxied address's evidence as a `direct-path`
 * probe, so this replays from the report). Each returns findings with the addresses they concern.
 */
import { kindProbe, probe, type AddressEvidence } from '../evidence.js';
import { reportRule, type ReportFinding } from '../raw.js';

const tlsDefault = (ev: AddressEvidence) => {
  const t = probe(ev, 'tls-default');
  return t?.tls.outcome === 'handshake' ? t : undefined;
};

/**
 * ALPN and the certificate through the proxy against the direct path (`--compare-direct`).
 * @example proxyVsDirect(input, []) // [] without a proxy-connect and a direct-path probe
 */
export const proxyVsDirect = reportRule('proxy-vs-direct', ['proxy-alters-alpn', 'tls-interception-suspected'], (input) => {
  const out: ReportFinding[] = [];
  if (!input.target.tls) return out;
  for (const ev of input.evidence) {
    const hop = kindProbe(ev, 'proxy-connect');
    const d = kindProbe(ev, 'direct-path');
    const t = tlsDefault(ev);
    if (!hop || !d?.tls || d.tls.outcome !== 'handshake' || !t) continue;
    const a = t.tls;
    const b = d.tls;
    const addresses = [ev.address];
    if ((a.alpn ?? null) !== (b.alpn ?? null)) {
      out.push({
        code: 'proxy-alters-alpn',
        addresses,
        detail: `through ${hop.proxy} ALPN gives ${a.alpn ?? 'none'}, directly ${b.alpn ?? 'none'}`,
        evidence: [
          { probe: t.id, text: `through the proxy ${hop.proxy}: offered [${a.offeredAlpn.join(', ')}], the server side chose ${a.alpn ?? 'no ALPN'} (${a.version})` },
          { probe: d.id, text: `direct to ${d.directAddress}: offered [${b.offeredAlpn.join(', ')}], the server chose ${b.alpn ?? 'no ALPN'} (${b.version})` },
        ],
      });
    }
    if (a.cert && b.cert && a.cert.fingerprint256 !== b.cert.fingerprint256) {
      out.push({
        code: 'tls-interception-suspected',
        addresses,
        detail: `through ${hop.proxy} the certificate is issued by "${a.cert.issuer}", directly by "${b.cert.issuer}"`,
        evidence: [
          { probe: t.id, text: `through the proxy: ${a.cert.subject}, issued by ${a.cert.issuer}, SHA-256 ${a.cert.fingerprint256.slice(0, 23)}…${a.verify?.ok === false ? ` (${a.verify.code})` : ''}` },
          { probe: d.id, text: `direct: ${b.cert.subject}, issued by ${b.cert.issuer}, SHA-256 ${b.cert.fingerprint256.slice(0, 23)}…` },
        ],
      });
    }
  }
  return out;
});
