/**
 * Probe stages of the tls family: raw ClientHellos that find which parameter a refused handshake
 * trips on (bisection), the cheap checks behind the TLS warnings, and `--survey` (src/probes/tls/).
 */
import type { ProbeStage } from './types.js';
import { runTlsStage } from '../tls/plan.js';

/**
 * The TLS stage: raw hellos that prove why a handshake was refused, the survey when asked.
 * @example TLS_STAGES[0].early // true: it starts as soon as the default handshake is over
 */
export const TLS_STAGES: ProbeStage[] = [{ name: 'tls', early: true, run: runTlsStage }];
