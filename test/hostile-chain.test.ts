/**
 * A certificate chain larger than TLS clients accept (the hostile lab's 5.5 MiB chain, served by a
 * real OpenSSL TLS server): real curl is the ground truth that OpenSSL clients refuse it ("excessive
 * message size"), and the diagnosis names it cert-chain-too-large with the announced size, not
 * tls-malformed-response's "not the TLS service". Bounds (time, RSS, exit 1) are in hostile-lab.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { HOSTILE_SCENARIOS } from '../src/lab/scenarios/hostile.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { diagnose } from '../src/diagnose.js';
import { parseTarget } from '../src/model/target.js';
import { OPENSSL_MAX_CERT_LIST } from '../src/diagnosis/rules/tls/chain-size.js';
import { findBinary, skipWithout } from './real-helpers.js';

let pki: LabPki;
let r: RunningScenario;
let dir: string;
let ca: string;

beforeAll(async () => {
  pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2d-chain-'));
  ca = join(dir, 'ca.pem');
  writeFileSync(ca, pki.rootCa.certPem);
  r = await HOSTILE_SCENARIOS.find((s) => s.id === 'hostile-tls-huge-chain')!.start({ pki });
}, 60_000);

afterAll(async () => {
  await r?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a certificate chain over what TLS clients accept', () => {
  test.skipIf(skipWithout(findBinary('curl'), 'curl'))('real curl (OpenSSL) refuses it: excessive message size', async () => {
    // Asynchronous: the lab server answers from this process.
    const c = spawn('curl', ['-sS', '-o', '/dev/null', '--max-time', '5', '--cacert', ca, ...r.resolve!.flatMap((x) => ['--resolve', x]), r.url]);
    let stderr = '';
    c.stderr.on('data', (d) => (stderr += d));
    const status = await new Promise<number | null>((resolve) => c.on('close', resolve));
    expect(status).toBe(35);
    expect(stderr).toMatch(/excessive message size/);
  }, 15_000);

  test('diagnose names it cert-chain-too-large with the announced size, and nothing else', async () => {
    const report = await diagnose(parseTarget(r.url), { resolve: r.resolve!, ca: pki.rootCa.certPem, timeoutMs: 2000 });
    expect(report.verdict).toBe('fail');
    expect(report.findings.map((f) => f.code)).toEqual(['cert-chain-too-large']);
    const f = report.findings[0]!;
    const bytes = Number(/^(\d+) bytes/.exec(f.title.split(': ').pop()!)?.[1]);
    expect(bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(bytes).toBeGreaterThan(OPENSSL_MAX_CERT_LIST);
    expect(f.explanation).not.toMatch(/not the TLS service/);
    expect(report.headline).toMatch(/certificate chain is too large/);
  }, 30_000);
});
