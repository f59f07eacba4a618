/**
 * Evidence: what each probe saw, as plain JSON-serialisable data (recorded in `report.probes`,
 * replayable into the rules). The first-bytes types are the classifier's own (`wire/sniff.ts`).
 */
import type { Classified, Excerpt, FirstBytes, StreamEnd } from '../wire/sniff.js';
import type { TlsFamilyProbe } from './tls-probes.js';
import type { UpgradeFamilyProbe } from './upgrade-probes.js';
import type { ClientFamilyProbe } from './client-probes.js';
import type { Target } from './target.js';

export type { Classified, Excerpt, FirstBytes, StreamEnd };
export type * from './results.js';
import type { Http1Result, Http2Result, ProbeCommon, TlsResult } from './results.js';

/** The foundation's probes. */
export type CoreProbe =
  | (ProbeCommon & { kind: 'tcp' })
  | (ProbeCommon & { kind: 'tls'; name: 'tls-default' | 'tls-alpn-h2' | 'tls-alpn-http1' | 'tls12-alpn-http1' | 'sniff-tls'; tls: TlsResult; first?: Classified })
  | (ProbeCommon & { kind: 'h2'; name: 'h2-tls' | 'h2c-prior-knowledge' | 'sniff-h2c'; tls?: TlsResult; h2: Http2Result })
  | (ProbeCommon & { kind: 'h2c-upgrade'; upgrade: Http1Result; h2?: Http2Result })
  | (ProbeCommon & { kind: 'h1'; name: 'h1-tls' | 'h1-cleartext' | 'sniff-http1'; tls?: TlsResult; h1: Http1Result });

/** Every probe: the foundation's, and each family's own (defined beside its stage). */
export type Probe = CoreProbe | TlsFamilyProbe | UpgradeFamilyProbe | ClientFamilyProbe;

export type ProbeKind = Probe['kind'];
export type ProbeName = Extract<Probe, { name: string }>['name'] | 'tcp' | 'h2c-upgrade';

/** The evidence of one address, as rules see it: its probes. Plain data, replayable. */
export interface AddressEvidence {
  address: string;
  target: Target;
  probes: Probe[];
}
