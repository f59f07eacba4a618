/**
 * Rules over the whole diagnosis (all addresses, several paths): the proxy path against the direct
 * path (`--compare-direct`). Each returns findings with the addresses they concern.
 */
import type { DiagnosisInput } from '../index.js';
import type { AddressEvidence } from '../evidence.js';
import type { RawFinding } from '../raw.js';
import type { ProxyHop } from '../../probes/stages/upgrade-types.js';
import type { Probe } from '../../types.js';

export type ReportRule = (input: DiagnosisInput) => Array<RawFinding & { addresses: string[] }>;

/** What a proxied diagnosis adds to the input: the proxy hop, and the direct path's evidence. */
export interface PathsInput {
  proxy?: ProxyHop;
  /** The same probes without the proxy (`--compare-direct`); their ids start with `direct/`. */
  direct?: AddressEvidence[];
}

type TlsProbe = Extract<Probe, { kind: 'tls' }>;
const tlsDefault = (ev: AddressEvidence) => ev.probes.find((p): p is TlsProbe => p.kind === 'tls' && p.name === 'tls-default' && p.tls.outcome === 'handshake');

/** ALPN and the certificate through the proxy against the direct path. */
export const proxyVsDirect: ReportRule = (input) => {
  const { proxy, direct } = input as DiagnosisInput & PathsInput;
  if (!proxy || !direct?.length || !input.target.tls) return [];
  const viaProxy = input.evidence.map((ev) => ({ ev, t: tlsDefault(ev) })).find((x) => x.t);
  const straight = direct.map((ev) => ({ ev, t: tlsDefault(ev) })).find((x) => x.t);
  if (!viaProxy?.t || !straight?.t) return [];
  const a = viaProxy.t.tls;
  const b = straight.t.tls;
  const out: Array<RawFinding & { addresses: string[] }> = [];
  const addresses = [viaProxy.ev.address];
  if ((a.alpn ?? null) !== (b.alpn ?? null)) {
    out.push({
      code: 'proxy-alters-alpn',
      addresses,
      detail: `through ${proxy.url} ALPN gives ${a.alpn ?? 'none'}, directly ${b.alpn ?? 'none'}`,
      evidence: [
        { probe: viaProxy.t.id, text: `through the proxy ${proxy.url}: offered [${a.offeredAlpn.join(', ')}], the server side chose ${a.alpn ?? 'no ALPN'} (${a.version})` },
        { probe: straight.t.id, text: `direct to ${straight.ev.address}: offered [${b.offeredAlpn.join(', ')}], the server chose ${b.alpn ?? 'no ALPN'} (${b.version})` },
      ],
    });
  }
  if (a.cert && b.cert && a.cert.fingerprint256 !== b.cert.fingerprint256) {
    out.push({
      code: 'tls-interception-suspected',
      addresses,
      detail: `through ${proxy.url} the certificate is issued by "${a.cert.issuer}", directly by "${b.cert.issuer}"`,
      evidence: [
        { probe: viaProxy.t.id, text: `through the proxy: ${a.cert.subject}, issued by ${a.cert.issuer}, SHA-256 ${a.cert.fingerprint256.slice(0, 23)}…${a.verify?.ok === false ? ` (${a.verify.code})` : ''}` },
        { probe: straight.t.id, text: `direct: ${b.cert.subject}, issued by ${b.cert.issuer}, SHA-256 ${b.cert.fingerprint256.slice(0, 23)}…` },
      ],
    });
  }
  return out;
};

export const REPORT_RULES: ReportRule[] = [proxyVsDirect];
