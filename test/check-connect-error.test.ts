/**
 * `check` against a port nothing listens on: one JUnit <error> naming the root cause (tcp-refused),
 * not one <failure> per expectation.
 */
import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/run.js';
import type { CliIO } from '../src/cli/io.js';
import { freePort } from '../src/lab/servers.js';

test('a dead port is one <error> with its root cause', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h2d-check-dead-'));
  try {
    const port = await freePort();
    const file = join(dir, 'dead.yaml');
    writeFileSync(file, `version: 1\nchecks:\n  - name: dead\n    url: http://127.0.0.1:${port}/\n    expect: { protocol: h2c, maxSeverity: ok, status: { h2c: 200 } }\n`);
    let out = '';
    const io: CliIO = { stdout: (t) => void (out += t), stderr: () => {}, readStdin: async () => '', stdinIsTTY: true, color: false, env: {}, cwd: dir };
    const junit = join(dir, 'junit.xml');
    expect(await runCli(['check', file, '--junit', junit, '--json'], io)).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<error /g)).toHaveLength(1);
    expect(xml).not.toMatch(/<failure /);
    expect(xml).toMatch(/<error message="could not connect: tcp-refused: /);
    const json = JSON.parse(out) as { errors: number; failed: number; results: Array<{ failures: unknown[]; error?: string }> };
    expect(json.errors).toBe(1);
    expect(json.results[0]!.failures).toEqual([]);
    expect(json.results[0]!.error).toMatch(/tcp-refused/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('protocol: h2 is what a verifying client gets: an expired certificate does not pass it', async () => {
  const { createLabPki } = await import('../src/lab/pki.js');
  const { findScenario } = await import('../src/lab/scenarios.js');
  const pki = await createLabPki();
  const dir = mkdtempSync(join(tmpdir(), 'h2d-check-expired-'));
  const running = await findScenario('cert-expired')!.start({ pki });
  try {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, pki.rootCa.certPem);
    const file = join(dir, 'expired.yaml');
    writeFileSync(file, `version: 1\nenvironments:\n  lab:\n    cacert: ${ca}\n    resolve: [${running.resolve![0]}]\nchecks:\n  - name: expired\n    url: ${running.url}\n    expect: { protocol: h2 }\n`);
    let out = '';
    const io: CliIO = { stdout: (t) => void (out += t), stderr: () => {}, readStdin: async () => '', stdinIsTTY: true, color: false, env: {}, cwd: dir };
    expect(await runCli(['check', file, '--env', 'lab', '--json'], io)).toBe(1);
    const json = JSON.parse(out) as { results: Array<{ passed: boolean; failures: Array<{ expectation: string; message: string }> }> };
    expect(json.results[0]!.passed).toBe(false);
    expect(json.results[0]!.failures).toEqual([expect.objectContaining({ expectation: 'protocol', message: expect.stringMatching(/a client that verifies the certificate gets none: cert-expired/) })]);
  } finally {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
