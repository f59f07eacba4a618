/**
 * Evidence records of the upgrade family's probes (protocol matrix, 426, WebSocket, proxy).
 * Add variants here: `(ProbeCommon & { kind: 'h1-matrix'; … })`.
 */
// import type { ProbeCommon } from '../../types.js';

export type UpgradeFamilyProbe = never;
