/**
 * The Grafana dashboard and the scrape config in docs/ parse, and every series they query is one the
 * exporter writes (src/exporter/metrics.ts, server.ts): a renamed series breaks this test, not a dashboard.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Registry } from 'prom-client';
import { reportMetrics } from './metrics.js';
import { parseModules } from './modules.js';

const doc = (p: string) => readFileSync(new URL(`../../docs/${p}`, import.meta.url), 'utf8');

describe('exporter docs', () => {
  test('the dashboard queries only series the exporter writes', () => {
    const dash = JSON.parse(doc('grafana/h2doctor-dashboard.json'));
    const exprs: string[] = dash.panels.flatMap((p: { targets: Array<{ expr: string }> }) => p.targets.map((t) => t.expr));
    const src = readFileSync(new URL('./metrics.ts', import.meta.url), 'utf8') + readFileSync(new URL('./server.ts', import.meta.url), 'utf8');
    const names = new Set(exprs.flatMap((e) => e.match(/\b(?:probe|h2doctor)_[a-z0-9_]+/g) ?? []));
    expect(names.size).toBeGreaterThan(5);
    for (const n of names) expect(src.includes(`'${n.replace(/_total$/, '')}'`), n).toBe(true);
  });

  test('the scrape config is the blackbox relabelling onto /probe', () => {
    const cfg = parseYaml(doc('prometheus-h2doctor.yml'));
    const job = cfg.scrape_configs[0];
    expect(job.metrics_path).toBe('/probe');
    expect(job.relabel_configs[0]).toEqual({ source_labels: ['__address__'], target_label: '__param_target' });
  });

  test('a diagnosis with no address writes its finding on address ""', async () => {
    const reg = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
    reg.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    reportMetrics(
      {
        schemaVersion: 1,
        tool: { name: 'h2doctor', version: 't' },
        target: { url: 'https://x.invalid/', scheme: 'https', host: 'x.invalid', port: 443, path: '/', tls: true, sni: 'x.invalid' },
        startedAt: '2026-01-01T00:00:00.000Z',
        durationMs: 1,
        verdict: 'fail',
        resolution: { source: 'dns', addresses: [], skipped: [], error: 'ENOTFOUND' },
        addresses: [],
        negotiated: { protocol: null },
        findings: [{ code: 'dns-no-address', severity: 'error', title: '', explanation: '', clientsSee: [], evidence: [], fixes: [], reproduce: [], addresses: [] }],
        probes: [],
        connections: 0,
      },
      reg,
    );
    const text = await reg.metrics();
    expect(text).toMatch(/^probe_success 0$/m);
    expect(text).toMatch(/^h2doctor_finding\{address="",code="dns-no-address",severity="error"\} 1$/m);
    expect(text.trimEnd().endsWith('# EOF')).toBe(true);
  });

  test('modules: keys checked, cacert read relative, default added', async () => {
    const mods = await parseModules('modules:\n  quick: { timeout: 1000, max_addresses: 1 }\n', { survey: false }, async () => '');
    expect(mods.quick).toMatchObject({ timeoutMs: 1000, maxAddresses: 1, survey: false });
    expect(mods.default).toEqual({ survey: false });
    await expect(parseModules('modules:\n  a: { timout: 1 }\n', {}, async () => '')).rejects.toThrow(/unknown key timout/);
    const grpc = await parseModules('modules:\n  grpc: { client: grpc }\n', {}, async () => '');
    expect([grpc.grpc!.pointOfView, grpc.grpc!.clients?.map((c) => c.id)]).toEqual([grpc.grpc!.clients![0]!.id, [grpc.grpc!.clients![0]!.id]]);
    expect(grpc.grpc!.clients![0]!.client.name).toMatch(/grpc/i);
    await expect(parseModules('modules:\n  a: { client: netscape4 }\n', {}, async () => '')).rejects.toThrow(/module a: client "netscape4": /);
  });
});
