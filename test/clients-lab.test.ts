/**
 * Client simulation on the lab scenarios where clients differ: the per-client table (how each
 * shipped profile ends up) is asserted against CLIENT_EXPECT, written from what these clients do
 * before the simulation ran; and `--client grpc` / `--client chrome` on a cleartext HTTP/1.1-only
 * server give different verdicts, each with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabPki } from '../src/lab/pki.js';
import { CLIENT_EXPECT, CLIENT_SCENARIOS } from '../src/lab/scenarios/clients.js';
import { diagnose } from '../src/diagnose.js';
import { shippedProfiles, findProfile } from '../src/clients/load.js';
import type { LabEnv, RunningScenario } from '../src/lab/helpers.js';
import { runCli } from '../src/cli/run.js';
import { readFileSync } from 'node:fs';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(new URL('../docs/report.schema.json', import.meta.url), 'utf8')));

let env: LabEnv;
beforeAll(async () => {
  env = { pki: await createLabPki() };
});

async function withScenario<T>(id: string, f: (r: RunningScenario) => Promise<T>): Promise<T> {
  const s = CLIENT_SCENARIOS.find((x) => x.id === id)!;
  const r = await s.start(env);
  try {
    return await f(r);
  } finally {
    await r.stop();
  }
}

describe('client simulation: the per-client table on scenarios where clients differ', () => {
  for (const s of CLIENT_SCENARIOS) {
    it(`${s.id}: every client ends up as expected, and the report carries the table`, async () => {
      await withScenario(s.id, async (r) => {
        const ca = env.pki.rootCa.certPem;
        const report = await diagnose(r.url, { resolve: r.resolve ?? [], ca, ...r.options });
        const got = Object.fromEntries((report.clients ?? []).map((c) => [c.client, c.outcome]));
        const expected = Object.fromEntries(shippedProfiles().map((p) => [p.id, CLIENT_EXPECT[s.id]![p.id]]));
        expect(got).toEqual(expected);
        for (const c of report.clients ?? []) if (c.outcome === 'fails') expect(c.reason.length).toBeGreaterThan(0);
        expect(report.findings.map((f) => f.code).sort()).toEqual([...s.expect].sort());
        expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      });
    }, 30_000);
  }

  it('names the failing parameter: the TLS 1.2-only client fails on the version of a TLS 1.3-only server', async () => {
    await withScenario('clients-tls13-only', async (r) => {
      const report = await diagnose(r.url, { resolve: r.resolve ?? [], ca: env.pki.rootCa.certPem, clients: [findProfile('curl-tls12')] });
      const row = report.clients![0]!;
      expect(row.outcome).toBe('fails');
      expect(row.parameter).toBe('version');
      const f = report.findings.find((x) => x.code === 'client-handshake-fails')!;
      expect(f.severity).toBe('warning');
      expect(f.title).toContain('curl-tls12 (version)');
    });
  }, 30_000);
});

describe('--client: the verdict from one client\'s point of view', () => {
  it('grpc fails and chrome is fine on a cleartext HTTP/1.1-only server, each with its reason', async () => {
    await withScenario('clients-cleartext-http1', async (r) => {
      // The lab server runs in this process: on a loaded machine (load 17 on 2 cores seen) the default 3 s probe
      // deadline expired before it answered ("no bytes before the deadline", or no connection at all). Generous
      // deadlines keep the answer the server's, not the machine's load.
      const args = (who: string) => [r.url, '--resolve', r.resolve![0]!, '--client', who, '--json', '--timeout', '20000', '--max-time', '60'];
      const outs: Record<string, { code: number; json: { verdict: string; pointOfView: { reason: string; outcome: string; setAside: Array<{ code: string }> }; findings: Array<{ code: string; severity: string }> } }> = {};
      for (const who of ['grpc', 'chrome']) {
        let text = '';
        const io = { stdout: (t: string) => void (text += t), stderr: () => {}, readStdin: async () => '', stdinIsTTY: true, color: false, env: {}, cwd: process.cwd() };
        const code = await runCli(args(who), io);
        outs[who] = { code, json: JSON.parse(text) };
      }
      const g = outs.grpc!;
      const c = outs.chrome!;
      expect(g.code).toBe(1);
      expect(g.json.verdict).toBe('fail');
      expect(g.json.pointOfView.outcome).toBe('fails');
      // Node's http server answers the preface (one write: preface, SETTINGS, WINDOW_UPDATE) with 400 and closes.
      expect(g.json.pointOfView.reason).toBe('@grpc/grpc-js fails: sends the HTTP/2 preface (prior knowledge) and needs HTTP/2; the server answered: HTTP/1.1 400 Bad Request');
      expect(g.json.findings.find((f) => f.code === 'client-falls-back-to-http1')?.severity).toBe('error');
      expect(c.code, JSON.stringify(c.json.findings.map((f) => f.code)) + JSON.stringify(c.json.pointOfView)).toBe(0);
      expect(c.json.verdict).toBe('ok');
      expect(c.json.pointOfView.outcome).toBe('http/1.1');
      expect(c.json.pointOfView.reason).toBe('Chromium (headless) speaks HTTP/1.1 to http:// URLs (never h2c): HTTP/1.1 200: that is what it asks for');
      expect(c.json.pointOfView.setAside.map((a) => a.code).sort()).toEqual(['h2c-not-supported', 'preface-http1-response']);
    });
  }, 30_000);

  it('refuses an unknown client with exit 2 and one line', async () => {
    let err = '';
    const io = { stdout: () => {}, stderr: (t: string) => void (err += t), readStdin: async () => '', stdinIsTTY: true, color: false, env: {}, cwd: process.cwd() };
    expect(await runCli(['http://127.0.0.1:1/', '--client', 'netscape'], io)).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});

afterAll(() => {});
