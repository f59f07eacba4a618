/**
 * The evidence of one address, as rules see it: the probes by name. Plain data, replayable.
 */
import type { AddressEvidence, Classified, EvidenceItem, Probe } from '../model/index.js';

export type { AddressEvidence };

/** The probe variant whose `name` union includes N. */
type ByName<N extends string> = Probe extends infer P ? (P extends { name: infer M } ? (N extends M ? P : never) : never) : never;

/**
 * A core probe of the address by its name (typed by the name).
 * @example probe(ev, 'h2-tls')?.h2.outcome // 'response'
 */
export function probe<N extends 'tls-default' | 'tls-alpn-h2' | 'tls-alpn-http1' | 'sniff-tls' | 'h2-tls' | 'h2c-prior-knowledge' | 'sniff-h2c' | 'h1-tls' | 'h1-cleartext' | 'sniff-http1'>(
  ev: AddressEvidence,
  name: N,
): ByName<N> | undefined {
  return ev.probes.find((p) => 'name' in p && p.name === name) as ByName<N> | undefined;
}
/**
 * The first probe of a kind (`tcp`, `websocket`, `tls-stage`…).
 * @example kindProbe(ev, 'tls-stage')?.stage.plan // 'bisect'
 */
export function kindProbe<K extends Probe['kind']>(ev: AddressEvidence, kind: K): Extract<Probe, { kind: K }> | undefined {
  return ev.probes.find((p): p is Extract<Probe, { kind: K }> => p.kind === kind);
}
/**
 * The address's TCP probe.
 * @example tcpProbe(ev)?.connect.ok // true
 */
export const tcpProbe = (ev: AddressEvidence) => kindProbe(ev, 'tcp');
/**
 * The address's `Upgrade: h2c` probe.
 * @example upgradeProbe(ev)?.upgrade.status // 101
 */
export const upgradeProbe = (ev: AddressEvidence) => kindProbe(ev, 'h2c-upgrade');

/**
 * One line of evidence, carrying the first bytes' excerpt when the probe received any.
 * @example evidenceItem(p.id, 'the preface got HTTP/1.1 400', p.h2.first) // { probe, text, excerpt }
 */
export function evidenceItem(probe: string, text: string, first?: Classified): EvidenceItem {
  return first?.excerpt.length ? { probe, text, excerpt: first.excerpt } : { probe, text };
}
