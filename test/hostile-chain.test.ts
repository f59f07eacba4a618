/**
 * A certificate chain larger than TLS clients accept (the hostile lab's 5.5 MiB chain, served by a
 * real OpenSSL TLS server), over TLS 1.3 (the Certificate message encrypted) and TLS 1.2 only (in the
 * clear): real curl and openssl s_client are the ground truth that OpenSSL clients refuse it
 * ("excessive message size"), and diagnose and trace both name it cert-chain-too-large with the
 * announced size, not tls-malformed-response's "not the TLS service". Bounds (time, RSS, exit 1) are
 * in hostile-lab.test.ts, which runs every hostile scenario.
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
import { runTrace } from '../src/trace/session.js';
import { parseResolve, parseTarget } from '../src/model/target.js';
import { OPENSSL_MAX_CERT_LIST } from '../src/diagnosis/rules/tls/chain-size.js';
import { findBinary, skipWithout } from './real-helpers.js';

let pki: LabPki;
let dir: string;
let ca: string;
const running = new Map<string, RunningScenario>();

const IDS = ['hostile-tls-huge-chain', 'hostile-tls12-huge-chain'] as const;

beforeAll(async () => {
  pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2d-chain-'));
  ca = join(dir, 'ca.pem');
  writeFileSync(ca, pki.rootCa.certPem);
  for (const id of IDS) running.set(id, await HOSTILE_SCENARIOS.find((s) => s.id === id)!.start({ pki }));
}, 60_000);

afterAll(async () => {
  for (const r of running.values()) await r.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Run a real client asynchronously (the lab server answers from this process): its exit status and stderr+stdout. */
function real(cmd: string, args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
    c.on('close', (status) => {
      clearTimeout(kill);
      resolve({ status, out });
    });
  });
}

const port = (r: RunningScenario) => new URL(r.url).port;

/** The announced size in a finding's title ("…: 5773018 bytes (5.5 MiB)"). */
const announced = (title: string) => Number(/(\d+) bytes \(/.exec(title)?.[1]);

describe('a certificate chain over what TLS clients accept', () => {
  test.skipIf(skipWithout(findBinary('curl'), 'curl'))('real curl (OpenSSL) refuses it: excessive message size (TLS 1.3 and TLS 1.2)', async () => {
    for (const id of IDS) {
      const r = running.get(id)!;
      const c = await real('curl', ['-sS', '-o', '/dev/null', '--max-time', '5', '--cacert', ca, ...r.resolve!.flatMap((x) => ['--resolve', x]), r.url]);
      expect(c.status, id).toBe(35);
      expect(c.out, id).toMatch(/excessive message size/);
    }
  }, 30_000);

  test.skipIf(skipWithout(findBinary('openssl'), 'openssl'))('real openssl s_client: the TLS 1.2-only server sends the chain in the clear and s_client gives up on its size; it refuses TLS 1.3', async () => {
    const r = running.get('hostile-tls12-huge-chain')!;
    const s12 = await real('openssl', ['s_client', '-tls1_2', '-connect', `127.0.0.1:${port(r)}`, '-servername', 'localhost', '-CAfile', ca]);
    expect(s12.out).toMatch(/excessive message size/);
    expect(s12.out).toMatch(/Protocol\s*: TLSv1\.2/);
    const s13 = await real('openssl', ['s_client', '-tls1_3', '-connect', `127.0.0.1:${port(r)}`, '-servername', 'localhost', '-CAfile', ca]);
    expect(s13.out).toMatch(/alert protocol version/);
  }, 30_000);

  test.each(IDS)('%s: diagnose names it cert-chain-too-large with the announced size, and nothing else', async (id) => {
    const r = running.get(id)!;
    const report = await diagnose(parseTarget(r.url), { resolve: r.resolve!, ca: pki.rootCa.certPem, timeoutMs: 2000 });
    expect(report.verdict).toBe('fail');
    expect(report.findings.map((f) => f.code)).toEqual(['cert-chain-too-large']);
    const f = report.findings[0]!;
    const bytes = announced(f.title);
    expect(bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(bytes).toBeGreaterThan(OPENSSL_MAX_CERT_LIST);
    expect(f.explanation).not.toMatch(/not the TLS service/);
    expect(f.evidence.map((e) => e.text).join('\n')).toMatch(id === 'hostile-tls12-huge-chain' ? /TLSv1\.2 Certificate message announces/ : /TLSv1\.3 Certificate message announces/);
    expect(report.headline).toMatch(/certificate chain is too large/);
  }, 30_000);

  test.each(IDS)('%s: trace names it too, from the Certificate header it received, with the same size', async (id) => {
    const r = running.get(id)!;
    const t = await runTrace(parseTarget(r.url), { resolve: r.resolve!.map(parseResolve), ca: pki.rootCa.certPem, timeoutMs: 2000 });
    expect(t.findings.map((f) => f.code)).toEqual(['cert-chain-too-large']);
    const bytes = announced(t.findings[0]!.title);
    expect(bytes).toBeGreaterThan(5 * 1024 * 1024);
    const report = await diagnose(parseTarget(r.url), { resolve: r.resolve!, ca: pki.rootCa.certPem, timeoutMs: 2000 });
    expect(bytes).toBe(announced(report.findings[0]!.title));
    expect(t.errors.join('\n')).toMatch(/cert-chain-too-large/);
  }, 30_000);
});
