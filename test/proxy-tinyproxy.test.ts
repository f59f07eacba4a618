/**
 * A real CONNECT proxy (tinyproxy, Debian package) between h2doctor and a healthy HTTPS h2 server:
 * the diagnosis goes through it (--proxy with credentials, or HTTPS_PROXY from the environment),
 * reports the hop, compares with the direct path, and says proxy-connect-failed when tinyproxy
 * refuses (407 without credentials, 403 for a port it does not allow).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import http2 from 'node:http2';
import { diagnose } from '../src/diagnose.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { ok } from '../src/lab/helpers.js';
import { skipWithout } from './real-helpers.js';
import { findBinary, startTinyproxy, type Running } from './upgrade-helpers.js';

let pki: LabPki;
let origin: Listening;
let open: Running;
let strict: Running;

describe.skipIf(skipWithout(findBinary('tinyproxy'), 'tinyproxy'))('through tinyproxy (skipped without tinyproxy: test/setup/upgrade-proxies.sh installs it)', () => {
  beforeAll(async () => {
    pki = await createLabPki();
    const c = await pki.issue({ names: ['localhost', 'origin.test'] });
    origin = await listen(http2.createSecureServer({ cert: c.chainPem, key: c.keyPem, allowHTTP1: true }, ok), '127.0.0.1');
    open = await startTinyproxy({ credentials: ['lab', 's3cret'] });
    strict = await startTinyproxy({ connectPorts: [443] });
  });
  afterAll(async () => {
    await open?.stop();
    await strict?.stop();
    await origin?.stop();
  });

  const url = () => `https://localhost:${origin.port}/`;
  const pin = () => [`localhost:${origin.port}:127.0.0.1`];

  test('--proxy with credentials: HTTP/2 works through the tunnel; the hop is in the report; the direct path agrees', async () => {
    const r = await diagnose(url(), { resolve: pin(), ca: pki.rootCa.certPem, proxy: `http://lab:s3cret@127.0.0.1:${open.port}`, compareDirect: true, timeoutMs: 3000 });
    expect(r.findings.map((f) => f.code)).toEqual([]);
    expect(r.negotiated.protocol).toBe('h2');
    expect(r.proxy).toMatchObject({ url: `http://127.0.0.1:${open.port}`, source: '--proxy', credentials: true, direct: { protocol: 'h2', findingCodes: [] } });
    const hop = r.probes.find((p) => p.kind === 'proxy-connect');
    expect(hop?.kind === 'proxy-connect' && hop.outcome).toBe('tunnel');
    expect(hop?.kind === 'proxy-connect' && hop.status).toBe(200);
    // The credentials never appear in the report.
    expect(JSON.stringify(r)).not.toContain('s3cret');
    expect(r.probes.some((p) => p.kind === 'direct-path')).toBe(true);
  });

  test('no credentials: 407, proxy-connect-failed', async () => {
    const r = await diagnose(url(), { resolve: pin(), ca: pki.rootCa.certPem, proxy: `http://127.0.0.1:${open.port}`, timeoutMs: 3000 });
    expect(r.findings.map((f) => f.code)).toEqual(['proxy-connect-failed']);
    expect(r.findings[0]!.title).toMatch(/407/);
    expect(r.verdict).toBe('fail');
  });

  test('a port the proxy does not allow (ConnectPort 443 only): 403, proxy-connect-failed', async () => {
    const r = await diagnose(url(), { resolve: pin(), ca: pki.rootCa.certPem, proxy: `http://127.0.0.1:${strict.port}`, timeoutMs: 3000 });
    expect(r.findings.map((f) => f.code)).toEqual(['proxy-connect-failed']);
    expect(r.findings[0]!.title).toMatch(/403/);
  });

  test('HTTPS_PROXY from the environment is used; NO_PROXY bypasses it', async () => {
    const target = `https://origin.test:${origin.port}/`;
    const resolve = [`origin.test:${origin.port}:127.0.0.1`];
    const env = { HTTPS_PROXY: `http://lab:s3cret@127.0.0.1:${open.port}` };
    const via = await diagnose(target, { resolve, ca: pki.rootCa.certPem, env, timeoutMs: 3000 });
    expect(via.findings.map((f) => f.code)).toEqual([]);
    expect(via.proxy?.source).toBe('HTTPS_PROXY');
    const bypass = await diagnose(target, { resolve, ca: pki.rootCa.certPem, env: { ...env, NO_PROXY: '.test' }, timeoutMs: 3000 });
    expect(bypass.proxy).toBeUndefined();
    expect(bypass.findings.map((f) => f.code)).toEqual([]);
  });
});
