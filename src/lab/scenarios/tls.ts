/**
 * Lab scenarios of the tls family. Server helpers: ../helpers.js (local, tlsCert, tlsRaw, tlsMiniH2, HOST, ok), ../servers.js, ../mini-h2.js.
 */
import type { LabScenario } from '../helpers.js';

export const TLS_SCENARIOS: LabScenario[] = [];
