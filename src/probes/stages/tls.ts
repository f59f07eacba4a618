/**
 * Probe stages of the tls family: raw ClientHellos that find which parameter a refused handshake
 * trips on (bisection), the cheap checks behind the TLS warnings, and `--survey` (src/probes/tls/).
 */
import type { ProbeStage } from './types.js';
import { runTlsStage } from '../tls/plan.js';

export const TLS_STAGES: ProbeStage[] = [{ name: 'tls', early: true, run: runTlsStage }];
