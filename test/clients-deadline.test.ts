/**
 * Client simulation when our deadline passes: a server that never answers a simulated client's
 * HTTP/2 request has not said that the client fails. The opening gets one more try; when that too
 * ends on our deadline the client's row is "unknown" (not decided) and client-handshake-fails is not
 * raised; when the second try gets an answer, that answer decides. (Under load, a client's opening
 * that missed our deadline was reported as "fails" and raised client-handshake-fails.)
 * No timing assertion: the server below never answers, whatever the machine's speed.
 */
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabPki } from '../src/lab/pki.js';
import { serve, type LabEnv, type RunningScenario } from '../src/lab/helpers.js';
import { diagnose } from '../src/diagnose.js';
import { findProfile } from '../src/clients/load.js';
import type { ClientFamilyProbe } from '../src/model/index.js';

let env: LabEnv;
beforeAll(async () => {
  env = { pki: await createLabPki() };
});

/** Chromium's SETTINGS_INITIAL_WINDOW_SIZE (profiles/chromium.json): how the server knows the simulated Chromium's connection. */
const CHROMIUM_WINDOW = 6291456;

/** An HTTP/2 server that leaves the simulated Chromium's first `silent` requests unanswered (Infinity: all); every other request gets 200. */
async function server(silent: number): Promise<{ r: RunningScenario; chromiumRequests: () => number }> {
  const c = await env.pki.preset('valid');
  let seen = 0;
  const s = http2.createSecureServer({ cert: c.serverCertPem, key: c.keyPem, allowHTTP1: true });
  s.on('tlsClientError', () => {});
  s.on('stream', (stream) => {
    stream.on('error', () => {});
    if (stream.session?.remoteSettings.initialWindowSize === CHROMIUM_WINDOW && seen++ < silent) return; // never answered
    stream.respond({ ':status': 200 });
    stream.end('ok\n');
  });
  // HTTP/1.1 requests (allowHTTP1) come here only; HTTP/2 ones are the streams above.
  s.on('request', (req, res) => {
    if (req.httpVersion === '1.1') res.end('ok\n');
  });
  return { r: await serve(s, 'https'), chromiumRequests: () => seen };
}

let running: RunningScenario[] = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  running = [];
});

describe("a simulated client's HTTP/2 opening that ends on our deadline", () => {
  it('is tried twice, then not decided: row "unknown", no client-handshake-fails', async () => {
    const { r, chromiumRequests } = await server(Infinity);
    running.push(r);
    const report = await diagnose(r.url, { resolve: r.resolve ?? [], ca: env.pki.rootCa.certPem, timeoutMs: 400, clients: [findProfile('chromium')] });
    const row = report.clients!.find((x) => x.client === 'chromium')!;
    expect(row.outcome).toBe('unknown');
    expect(row.reason).toMatch(/^ALPN h2; its HTTP\/2 opening got no answer within our deadline, tried twice \(timeout: SETTINGS came, no response in time\): not decided$/);
    expect(report.findings.map((f) => f.code)).not.toContain('client-handshake-fails');
    expect(chromiumRequests()).toBe(2);
    const sim = report.probes.find((p): p is ClientFamilyProbe => p.kind === 'client-sim')!;
    expect(sim.client.h2).toMatchObject({ outcome: 'timeout', timedOut: true });
  }, 30_000);

  it('when the second try gets the response, that decides: h2', async () => {
    const { r, chromiumRequests } = await server(1);
    running.push(r);
    const report = await diagnose(r.url, { resolve: r.resolve ?? [], ca: env.pki.rootCa.certPem, timeoutMs: 400, clients: [findProfile('chromium')] });
    expect(report.clients!.find((x) => x.client === 'chromium')).toMatchObject({ outcome: 'h2', reason: 'HTTP/2 200 to its own opening' });
    expect(report.findings.map((f) => f.code)).not.toContain('client-handshake-fails');
    expect(chromiumRequests()).toBe(2);
  }, 30_000);
});
