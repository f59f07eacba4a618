/**
 * WebSocket over HTTP/2 (RFC 8441): after the extended CONNECT's 2xx, a ping inside the tunnel gets
 * its pong, and the round trip is in the evidence.
 */
import { describe, expect, test } from 'vitest';
import { createLabPki } from '../src/lab/pki.js';
import { runScenario } from '../src/lab/run.js';
import { findScenario } from '../src/lab/scenarios.js';
import { describeProbe } from '../src/report/describe.js';

describe('RFC 8441 tunnel round trip', () => {
  test('ping → pong inside the extended CONNECT stream', async () => {
    const pki = await createLabPki();
    const r = await runScenario(findScenario('websocket-h2-rfc8441')!, pki);
    expect(r.problems).toEqual([]);
    const p = r.report!.probes.find((x) => x.kind === 'ws-h2');
    expect(p?.kind).toBe('ws-h2');
    if (p?.kind !== 'ws-h2') return;
    expect(p.h2.status).toBe(200);
    expect(p.roundTrip).toEqual({ sent: 'ping', outcome: 'pong' });
    expect(describeProbe(p)).toMatch(/ping in the tunnel → pong/);
  });
});
