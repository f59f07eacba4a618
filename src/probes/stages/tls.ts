/**
 * Probe stages of the tls family.
 */
import type { ProbeStage } from './index.js';

export const TLS_STAGES: ProbeStage[] = [];
