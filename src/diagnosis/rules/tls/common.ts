/**
 * What the TLS family's rules share: the evidence they read (the default handshake, the raw hellos
 * by label, the stage's record), when a hello counts as accepted or refused, and how a raw hello is
 * said in evidence. The raw probes are looked up by label (`StageHelloLabel` in
 * src/model/tls-probes.ts, sent by src/probes/tls/plan.ts and survey.ts):
 * - refused default handshake: `mirror` (Node's hello, raw), `widest`, `narrow-*`, `widest-no-sni`, `sslv3`;
 * - healthy default handshake: `tls12-only`, `legacy`, `no-sni`, `mirror` (`tls12-no-sni`, both
 *   questions in one hello, is no longer sent nor read, even from recorded evidence: a server's
 *   per-name TLS versions made its TLS 1.2 answer wrong for the name, and a TLS 1.3-only server's
 *   refusal of it said nothing about SNI);
 * - `--survey`: `survey-*`.
 */
import type { EvidenceItem, Probe } from '../../../model/index.js';
import type { Code } from '../../../model/codes.js';
import type { RawTlsResult, StageHelloLabel, TlsStageResult } from '../../../model/tls-probes.js';
import { addressRule, type RawFinding, type Rule } from '../../raw.js';
import { kindProbe, probe, tcpProbe, type AddressEvidence } from '../../evidence.js';

/**
 * A raw ClientHello probe (its `label` says which hello).
 * @example const raws = ev.probes.filter((p): p is Raw => p.kind === 'tls-raw');
 */
export type Raw = Extract<Probe, { kind: 'tls-raw' }>;
/**
 * The default handshake's probe (`tls-default`).
 * @example c.d.tls.outcome // 'alert'
 */
export type TlsProbe = NonNullable<ReturnType<typeof probe<'tls-default'>>>;
/**
 * A raw probe of the TLS stage by its label (a label the stage never sends is a type error).
 * @example c.by('narrow-cipher')?.raw.outcome // 'alert'
 */
export type By = (label: StageHelloLabel) => Raw | undefined;

/**
 * The TLS evidence of one address, as every TLS rule reads it.
 * @example tlsEvidence(ev)?.by('mirror')
 */
export interface TlsEvidence {
  ev: AddressEvidence;
  /** The default handshake (Node's own hello). */
  d: TlsProbe;
  /** Every raw hello of the address. */
  raws: Raw[];
  by: By;
  stage: TlsStageResult | undefined;
}

/**
 * The TLS evidence of an address, or undefined when there is none to judge (not TLS, no TCP, no default handshake).
 * @example tlsEvidence(ev)?.d.tls.outcome // 'handshake'
 */
export function tlsEvidence(ev: AddressEvidence): TlsEvidence | undefined {
  const tcp = tcpProbe(ev);
  if ((tcp && !tcp.connect.ok) || !ev.target.tls) return undefined;
  const d = probe(ev, 'tls-default');
  if (!d) return undefined;
  const raws = ev.probes.filter((p): p is Raw => p.kind === 'tls-raw');
  const by: By = (label) => raws.find((p) => p.label === label);
  return { ev, d, raws, by, stage: kindProbe(ev, 'tls-stage')?.stage };
}

/**
 * A rule of the TLS family: an address rule that runs only when the address has TLS evidence.
 * @example const r = tlsRule('clock-skew', ['clock-skew'], (c) => []); r.codes // ['clock-skew']
 */
export function tlsRule(ruleName: string, codes: readonly Code[], body: (c: TlsEvidence) => RawFinding[]): Rule {
  return addressRule(ruleName, codes, (ev) => {
    const c = tlsEvidence(ev);
    return c ? body(c) : [];
  });
}

/**
 * The default handshake was refused: an alert, a close or a reset.
 * @example handshakeRefused(c) // true after a fatal alert
 */
export const handshakeRefused = (c: TlsEvidence): boolean => ['alert', 'closed', 'reset'].includes(c.d.tls.outcome);

/**
 * The server took the hello: a ServerHello or a HelloRetryRequest.
 * @example accepted(c.by('widest'))
 */
export const accepted = (p: Raw | undefined): p is Raw => p?.raw.outcome === 'server-hello' || p?.raw.outcome === 'hello-retry';
/**
 * The server refused this hello: with an alert, or by hanging up (close or reset) twice in a row on
 * the same hello. One hang-up alone proves nothing (a loaded server, a dropped connection), and a
 * connection that was never made is no answer at all.
 * @example refused(c.by('narrow-cipher'))
 */
export const refused = (p: Raw | undefined): boolean => {
  if (!p || !p.connect.ok) return false;
  if (p.raw.outcome === 'alert') return true;
  if (p.raw.outcome !== 'closed' && p.raw.outcome !== 'reset') return false;
  const again = p.raw.repeat?.outcome;
  return again === 'closed' || again === 'reset' || again === 'alert';
};

/**
 * One line for what a raw hello got back.
 * @example rawAnswer(p.raw) // 'ServerHello TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, x25519'
 */
export function rawAnswer(r: RawTlsResult): string {
  switch (r.outcome) {
    case 'server-hello':
      return `ServerHello ${r.version} ${r.cipher}${r.group ? `, ${r.group}` : ''}${r.alpn !== undefined ? `, ALPN ${r.alpn ?? 'none'}` : ''}${r.certificateRequest ? ', CertificateRequest' : ''}`;
    case 'hello-retry':
      return `HelloRetryRequest ${r.version} ${r.cipher}, asking for ${r.group}`;
    case 'alert':
      return `alert ${r.alert?.name} (${r.alert?.code})`;
    default:
      return `${r.outcome}${r.detail ? ` (${r.detail})` : ''}`;
  }
}

/**
 * One line for what a raw hello offered.
 * @example rawOffer(p.raw) // 'TLSv1.2, 30 suites, groups x25519, 9 signature schemes, ALPN none, SNI example.test'
 */
export function rawOffer(r: RawTlsResult): string {
  const o = r.offer;
  const ciphers = o.ciphers ? o.ciphers.join(', ') : `${o.cipherCount} suites`;
  // A wide offer's groups come summarised ("54 groups"); name them only when they are few.
  const groups = o.groups.length === 1 && /^\d+ groups$/.test(o.groups[0]!) ? o.groups[0] : `groups ${o.groups.join(', ')}`;
  return `${o.versions.join('/')}, ${ciphers}, ${groups}, ${o.sigalgCount} signature schemes, ALPN ${o.alpn ? o.alpn.join(',') : 'none'}, SNI ${o.sni ?? 'none'}`;
}

/**
 * A raw hello as evidence: its purpose, offer and answer (or the given text).
 * @example item(c.by('widest')!) // { probe: '127.0.0.1/tls-raw-widest', text: 'the widest hello … → alert …' }
 */
export const item = (p: Raw, text?: string): EvidenceItem => ({ probe: p.id, text: text ?? `${p.purpose} — offered ${rawOffer(p.raw)} → ${rawAnswer(p.raw)}` });
