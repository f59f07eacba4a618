/**
 * Evidence records of the TLS family's probes (raw ClientHello probes, bisection, survey).
 * Add variants here: `(ProbeCommon & { kind: 'tls-raw'; … })`.
 */
// import type { ProbeCommon } from '../../types.js';

export type TlsFamilyProbe = never;
