/**
 * Probe stages beyond the foundation's waves. Each family registers its stages in its own file;
 * `diagnose` runs every stage concurrently once the core probes of an address are in. A stage looks
 * at the core evidence and decides itself whether it has anything to do.
 */
import { TLS_STAGES } from './tls.js';
import { UPGRADE_STAGES } from './upgrade.js';
import { CLIENT_STAGES } from '../clients/stage.js';

import type { ProbeStage } from './types.js';

/**
 * Every probe stage after the core probes, in order: TLS, upgrade, client simulation.
 * @example for (const s of STAGES) probes.push(...(await s.run(ctx, core, go)))
 */
export const STAGES: ProbeStage[] = [...TLS_STAGES, ...UPGRADE_STAGES, ...CLIENT_STAGES];
