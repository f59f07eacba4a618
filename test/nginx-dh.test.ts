/**
 * `tls-weak-dh-params` against a real nginx: `ssl_dhparam` with a 1024-bit prime (RFC 2409's MODP
 * group 2) and DHE suites only, over TLS 1.2. Ground truth first, from openssl s_client: the
 * server's temporary key is "DH, 1024 bits" (at SECLEVEL 0, since OpenSSL's default level refuses
 * it: "dh key too small"). Then the diagnosis names the cause, and the survey reports the size.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { weakDhParamsPem } from '../src/lab/scenarios/tls.js';
import { diagnose } from '../src/diagnose.js';
import type { Probe } from '../src/model/index.js';
import { findBinary, startNginx } from './nginx-helpers.js';
import { skipWithout } from './real-helpers.js';

let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
});

describe.skipIf(skipWithout(findBinary('nginx'), 'nginx DH') || skipWithout(findBinary('openssl'), 'openssl'))('nginx with 1024-bit DH parameters', () => {
  test('openssl sees a 1024-bit DH key; h2doctor finds tls-weak-dh-params, and the survey the size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h2d-dh-'));
    const dh = join(dir, 'dh1024.pem');
    writeFileSync(dh, weakDhParamsPem());
    const ng = await startNginx(pki, { tls: `ssl_protocols TLSv1.2;\n    ssl_ciphers DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0;\n    ssl_dhparam ${dh};`, http2: true, rsa: true });
    try {
      const s = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${ng.port}`, '-servername', 'localhost', '-cipher', 'DHE:@SECLEVEL=0'], { input: '', encoding: 'latin1', timeout: 10_000 });
      expect(s.stdout).toMatch(/Server Temp Key: DH, 1024 bits/);
      const strict = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${ng.port}`, '-servername', 'localhost'], { input: '', encoding: 'latin1', timeout: 10_000 });
      expect(strict.stdout + strict.stderr).toMatch(/dh key too small/);

      const url = `https://localhost:${ng.port}/`;
      const opts = { ca: pki.rootCa.certPem, resolve: [`localhost:${ng.port}:127.0.0.1`], timeoutMs: 3000 };
      const report = await diagnose(url, opts);
      expect(new Set(report.findings.map((f) => f.code))).toEqual(new Set(['tls-weak-dh-params', 'tls13-not-supported']));
      const f = report.findings.find((x) => x.code === 'tls-weak-dh-params')!;
      expect(f.severity).toBe('warning');
      expect(f.evidence.map((e) => e.text).join(' ')).toMatch(/1024-bit/);

      const surveyed = await diagnose(url, { ...opts, survey: true });
      const st = surveyed.probes.find((p): p is Extract<Probe, { kind: 'tls-stage' }> => p.kind === 'tls-stage')!;
      expect(st.stage.surface?.dhe?.bits).toBe(1024);
      const t12 = st.stage.surface?.detail?.find((v) => v.version === 'TLSv1.2');
      expect(t12?.suites.map((x) => x.name).sort()).toEqual(['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384']);
      expect(t12?.suites.every((x) => x.forwardSecrecy && !x.weak && !x.h2Blocklisted)).toBe(true);
    } finally {
      await ng.stop();
    }
  }, 120_000);
});
