/**
 * Probe stages of the upgrade family.
 */
import type { ProbeStage } from './index.js';

export const UPGRADE_STAGES: ProbeStage[] = [];
