/**
 * The connection economy (issue 14): a healthy TLS target in at most 4 connections, a broken one
 * still bisected in at most 6, a healthy cleartext one in at most 4, and every probe saying why its
 * connection was opened (or whose connection it ran on). The findings themselves are lab.test.ts's.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import { ALL_SCENARIOS } from '../src/lab/scenarios.js';
import { runScenario } from '../src/lab/run.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import type { Report } from '../src/model/index.js';

let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
});

/** Every probe but the stage summaries carries a note; `connections` counts the `new` ones; `of` names a real probe. */
function checkNotes(report: Report): void {
  const ids = new Set(report.probes.map((p) => p.id));
  let fresh = 0;
  for (const p of report.probes) {
    if (p.kind === 'tls-stage') continue;
    expect(p.connection, p.id).toBeDefined();
    expect(p.connection!.why.length, p.id).toBeGreaterThan(10);
    if (p.connection!.use === 'new') fresh++;
    else {
      expect(p.connection!.of, p.id).toBeDefined();
      expect(ids.has(p.connection!.of!), `${p.id} reused ${p.connection!.of}`).toBe(true);
    }
  }
  expect(fresh).toBe(report.connections);
}

const scenario = (id: string) => ALL_SCENARIOS.find((s) => s.id === id)!;

describe('connections per diagnosis', () => {
  // Healthy TLS: 4. The TLS 1.2 question is asked with the name on the HTTP/1.1 probe's connection
  // (TLS 1.2 at most), the no-SNI question on its own: one TLS 1.2 hello without SNI for both gave a
  // false "TLS 1.2 works" on Caddy, whose per-site `tls { protocols tls1.3 }` accepts TLS 1.2 without
  // SNI only (test/real-fix-verification.test.ts).
  test.each([
    ['healthy-tls', 4],
    ['h2c-upgrade', 4],
    ['tls13-only', 6],
    ['tls12-only', 4],
  ] as const)('%s: at most %i connections, every one explained', async (id, most) => {
    const r = await runScenario(scenario(id), pki);
    expect(r.problems).toEqual([]);
    expect(new Set(r.found)).toEqual(new Set(scenario(id).expect));
    expect(r.report!.connections).toBeLessThanOrEqual(most);
    checkNotes(r.report!);
  });

  test('healthy TLS: the HTTP/2 exchange rides on the default handshake, HTTP/1.0 on the HTTP/1.1 connection', async () => {
    const r = await runScenario(scenario('healthy-tls'), pki);
    const report = r.report!;
    const h2 = report.probes.find((p) => p.kind === 'h2' && p.name === 'h2-tls')!;
    expect(h2.connection).toMatchObject({ use: 'reused', of: expect.stringMatching(/tls-default$/) });
    const http10 = report.probes.find((p) => p.kind === 'h1-request' && p.name === 'http10')!;
    expect(http10.connection).toMatchObject({ use: 'reused', of: expect.stringMatching(/tls-alpn-http1$/) });
    expect(report.connections).toBe(4);
  });

  test('healthy TLS 1.3 target: HTTP/1.1 goes over TLS 1.2 with the name, and no TLS 1.2 hello of its own is sent', async () => {
    const r = await runScenario(scenario('healthy-tls'), pki);
    const report = r.report!;
    const d = report.probes.find((p) => p.kind === 'tls' && p.name === 'tls-default')!;
    expect(d.kind === 'tls' && d.tls.version).toBe('TLSv1.3');
    const h1 = report.probes.find((p) => p.kind === 'h1' && p.name === 'h1-tls')!;
    expect(h1.kind === 'h1' && h1.tls).toMatchObject({ maxVersion: 'TLSv1.2', version: 'TLSv1.2', outcome: 'handshake', sni: d.kind === 'tls' ? d.tls.sni : '' });
    expect(h1.kind === 'h1' && h1.h1.outcome).toBe('response');
    expect(h1.connection?.why).toMatch(/TLS 1\.2/);
    expect(report.probes.some((p) => p.kind === 'tls-raw' && p.label === 'tls12-only')).toBe(false);
  });

  test.each(['tls13-only', 'h2-only-tls'])(
    '%s: the TLS 1.2 connection gave no HTTP/1.1 answer: HTTP/1.1 asked again with the default versions, TLS 1.2 asked by its own hello',
    async (id) => {
      const r = await runScenario(scenario(id), pki);
      expect(r.problems).toEqual([]);
      const report = r.report!;
      const t12 = report.probes.find((p) => p.kind === 'tls' && p.name === 'tls12-alpn-http1')!;
      expect(t12.kind === 'tls' && t12.tls.maxVersion).toBe('TLSv1.2');
      expect(t12.kind === 'tls' && t12.tls.outcome).not.toBe('handshake');
      const h1 = report.probes.find((p) => p.kind === 'h1' && p.name === 'h1-tls')!;
      expect(h1.kind === 'h1' && h1.tls?.maxVersion).toBeUndefined();
      expect(report.probes.some((p) => p.kind === 'tls-raw' && p.label === 'tls12-only')).toBe(true);
      expect(report.connections).toBeLessThanOrEqual(6);
      checkNotes(report);
    },
  );

  test.each(['tls-legacy-ciphers-only', 'tls-no-shared-group', 'tls-legacy-only', 'tls-sni-unknown-name-alert', 'tls-client-cert-required'])(
    'broken TLS (%s): still bisected to its cause in at most 6 connections',
    async (id) => {
      const r = await runScenario(scenario(id), pki);
      expect(r.problems).toEqual([]);
      expect(new Set(r.found)).toEqual(new Set(scenario(id).expect));
      expect(r.report!.connections).toBeLessThanOrEqual(6);
      checkNotes(r.report!);
    },
  );
});
