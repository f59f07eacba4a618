/**
 * `tls-weak-dh-params`: the server uses Diffie-Hellman parameters below 2048 bits for DHE suites
 * (Logjam, RFC 7919 §1; NIST SP 800-57 wants ≥ 2048). Proof: Node's own handshake negotiated DHE
 * with a smaller prime (getEphemeralKeyInfo), or a raw hello (the survey's elimination) got a
 * ServerKeyExchange whose dh_p is smaller. Pure: evidence in, at most one finding out.
 */
import type { EvidenceItem, Probe } from '../../model/index.js';
import { addressRule, type RawFinding } from '../raw.js';
import { probe, type AddressEvidence } from '../evidence.js';

type Raw = Extract<Probe, { kind: 'tls-raw' }>;
const MIN_BITS = 2048;

/**
 * The rule: a DHE handshake with a prime under 2048 bits is tls-weak-dh-params, with the smallest size seen.
 * @example tlsWeakDhRule(ev)[0]?.detail // '1024 bits'
 */
export const tlsWeakDhRule = addressRule('tls-weak-dh', ['tls-weak-dh-params'], (ev: AddressEvidence): RawFinding[] => {
  if (!ev.target.tls) return [];
  const evidence: EvidenceItem[] = [];
  let smallest: number | undefined;
  const d = probe(ev, 'tls-default');
  const eph = d?.tls.outcome === 'handshake' ? d.tls.ephemeral : undefined;
  if (eph?.type === 'DH' && eph.size !== undefined && eph.size < MIN_BITS) {
    smallest = eph.size;
    evidence.push({ probe: d!.id, text: `Node's handshake negotiated ${d!.tls.cipher?.standardName ?? 'a DHE suite'} (${d!.tls.version}) with a ${eph.size}-bit Diffie-Hellman prime` });
  }
  const raws = ev.probes.filter((p): p is Raw => p.kind === 'tls-raw' && (p.raw.outcome === 'server-hello') && p.raw.dhBits !== undefined && p.raw.dhBits < MIN_BITS);
  for (const p of raws.slice(0, 2)) {
    smallest = Math.min(smallest ?? Infinity, p.raw.dhBits!);
    evidence.push({ probe: p.id, text: `${p.purpose} → ServerHello ${p.raw.version} ${p.raw.cipher}; its ServerKeyExchange carries a ${p.raw.dhBits}-bit prime (dh_p)` });
  }
  if (smallest === undefined) return [];
  return [{ code: 'tls-weak-dh-params', detail: `${smallest} bits`, evidence }];
});
