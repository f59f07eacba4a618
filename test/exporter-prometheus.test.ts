/**
 * `h2doctor exporter` scraped by a real Prometheus (Debian `prometheus`, installed by
 * test/setup/watch-exporter.sh), started here on loopback with its own config and a temporary data
 * directory, and stopped at the end. Two lab targets: healthy-tls (h2 works) and tls-alpn-no-h2
 * (ALPN offers only http/1.1). Expected before running: Prometheus's HTTP API holds probe_success 1
 * for the healthy one and 0 for the broken one, h2doctor_h2_negotiated 1 / 0, and an
 * h2doctor_finding series whose code label is alpn-no-h2 (severity error) for the broken one only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { startExporter, type RunningExporter } from '../src/exporter/server.js';
import { findBinary, freePort, skipWithout } from './real-helpers.js';

const PROMETHEUS = findBinary('prometheus');
const skip = skipWithout(PROMETHEUS, 'prometheus');

let dir: string;
let healthy: RunningScenario;
let broken: RunningScenario;
let exporter: RunningExporter;
let prom: ChildProcess | undefined;
let promPort: number;
let healthyUrl: string;
let brokenUrl: string;

const ipUrl = (r: RunningScenario) => `https://127.0.0.1:${new URL(r.url).port}/`;

async function get(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url);
  return { status: r.status, body: await r.text() };
}

beforeAll(async () => {
  if (skip) return;
  const pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2d-prom-'));
  healthy = await findScenario('healthy-tls')!.start({ pki });
  broken = await findScenario('tls-alpn-no-h2')!.start({ pki });
  healthyUrl = ipUrl(healthy);
  brokenUrl = ipUrl(broken);
  exporter = await startExporter({ host: '127.0.0.1', port: 0, modules: { default: { ca: pki.rootCa.certPem, timeoutMs: 2000, proxy: null } } });
  promPort = await freePort();
  // The blackbox exporter's relabelling: the target becomes ?target= and the instance label.
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: h2doctor
    metrics_path: /probe
    scrape_interval: 2s
    scrape_timeout: 2s
    static_configs:
      - targets: ['${healthyUrl}', '${brokenUrl}']
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:${exporter.port}
  - job_name: h2doctor-exporter
    static_configs:
      - targets: ['127.0.0.1:${exporter.port}']
`,
  );
  prom = spawn(PROMETHEUS!, ['--config.file', join(dir, 'prometheus.yml'), '--storage.tsdb.path', join(dir, 'data'), '--web.listen-address', `127.0.0.1:${promPort}`, '--log.level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  prom.stderr!.on('data', (b) => (log = (log + b).slice(-4000)));
  for (let i = 0; ; i++) {
    const ok = await get(`http://127.0.0.1:${promPort}/-/ready`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (i > 150 || prom.exitCode !== null) throw new Error(`prometheus did not become ready: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);

afterAll(async () => {
  if (prom && prom.exitCode === null) {
    const exited = new Promise((r) => prom!.once('exit', r));
    prom.kill('SIGTERM');
    const t = setTimeout(() => prom!.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
  await exporter?.stop();
  await healthy?.stop();
  await broken?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Sample = { metric: Record<string, string>; value: [number, string] };
async function query(q: string): Promise<Sample[]> {
  const r = await get(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
  const j = JSON.parse(r.body) as { status: string; data: { result: Sample[] } };
  expect(j.status).toBe('success');
  return j.data.result;
}

describe.skipIf(skip)('exporter scraped by a real Prometheus', () => {
  test('Prometheus holds the h2doctor series of a healthy and a broken target, the broken one with its finding code as a label', async () => {
    // Bounded wait for the first scrapes of both targets (scrape interval 2 s).
    let success: Sample[] = [];
    for (let i = 0; i < 60; i++) {
      success = await query('probe_success{job="h2doctor"}');
      if (success.length === 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const by = (s: Sample[], instance: string) => s.find((x) => x.metric.instance === instance);
    expect(by(success, healthyUrl)?.value[1]).toBe('1');
    expect(by(success, brokenUrl)?.value[1]).toBe('0');

    const h2 = await query('h2doctor_h2_negotiated');
    expect(by(h2, healthyUrl)).toMatchObject({ metric: { address: '127.0.0.1' }, value: [expect.any(Number), '1'] });
    expect(by(h2, brokenUrl)?.value[1]).toBe('0');

    const info = await query('h2doctor_tls_info');
    expect(by(info, healthyUrl)?.metric).toMatchObject({ alpn: 'h2', tls_version: 'TLSv1.3' });
    expect(by(info, brokenUrl)?.metric).toMatchObject({ alpn: 'http/1.1' });

    const findings = await query('h2doctor_finding');
    const brokenCodes = findings.filter((x) => x.metric.instance === brokenUrl);
    expect(brokenCodes.map((x) => x.metric.code)).toContain('alpn-no-h2');
    expect(brokenCodes.find((x) => x.metric.code === 'alpn-no-h2')!.metric).toMatchObject({ severity: 'error', address: '127.0.0.1' });
    expect(findings.filter((x) => x.metric.instance === healthyUrl)).toEqual([]);

    // The HTTP/2 latencies of the healthy target: preface to first frame, to the response (which comes later).
    const first = Number(by(await query('h2doctor_h2_first_frame_seconds'), healthyUrl)?.value[1]);
    const resp = Number(by(await query('h2doctor_h2_response_seconds'), healthyUrl)?.value[1]);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(resp).toBeGreaterThanOrEqual(first);

    const expiry = await query('h2doctor_cert_not_after_seconds');
    expect(Number(by(expiry, healthyUrl)?.value[1])).toBeGreaterThan(Date.now() / 1000);

    // The exporter's own health, scraped from /metrics (its own job: wait for a scrape after the probes).
    let probes: Sample[] = [];
    for (let i = 0; i < 40; i++) {
      probes = await query('h2doctor_exporter_probes_total');
      if (probes.some((x) => x.metric.result === 'fail') && probes.some((x) => x.metric.result === 'ok')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(probes.some((x) => x.metric.result === 'fail')).toBe(true);
    expect(probes.some((x) => x.metric.result === 'ok')).toBe(true);
  }, 60_000);

  test('/probe without a target or with an unknown module is a 400 naming the problem', async () => {
    const a = await get(`http://127.0.0.1:${exporter.port}/probe`);
    expect(a.status).toBe(400);
    expect(a.body).toMatch(/target parameter is missing/);
    const b = await get(`http://127.0.0.1:${exporter.port}/probe?target=${encodeURIComponent(healthyUrl)}&module=nope`);
    expect(b.status).toBe(400);
    expect(b.body).toMatch(/unknown module "nope"/);
  });
});
