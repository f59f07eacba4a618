/**
 * Probe stages beyond the foundation's waves. Each family registers its stages in its own file;
 * `diagnose` runs every stage concurrently once the core probes of an address are in. A stage looks
 * at the core evidence and decides itself whether it has anything to do.
 */
import type { Probe } from '../../types.js';
import type { ProbeContext } from '../context.js';
import { TLS_STAGES } from './tls.js';
import { UPGRADE_STAGES } from './upgrade.js';

/** Runs one more probe under the diagnosis's connection bound, counting it. */
export type Go = (probe: () => Promise<Probe>) => Promise<Probe>;

export interface ProbeStage {
  name: string;
  run(ctx: ProbeContext, core: readonly Probe[], go: Go): Promise<Probe[]>;
}

export const STAGES: ProbeStage[] = [...TLS_STAGES, ...UPGRADE_STAGES];
