/**
 * The exporter's HTTP endpoint, in the blackbox exporter's shape: `GET /probe?target=<url>[&module=<name>]`
 * runs one light diagnosis (never the TLS survey unless the module asks) and answers with its
 * series; `GET /metrics` is the exporter's own health (probes run, their outcome and duration,
 * process metrics). OpenMetrics text (prom-client). Probes at once are bounded; each diagnosis is
 * bounded by its per-probe deadlines.
 *
 * @example
 * const ex = await startExporter({ host: '127.0.0.1', port: 9799, modules: { default: {} } });
 * // curl 'http://127.0.0.1:9799/probe?target=https://example.com'
 * await ex.stop();
 */
import http from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { diagnose as realDiagnose, type DiagnoseOptions } from '../diagnose.js';
import { parseTarget } from '../model/target.js';
import type { Report } from '../model/index.js';
import { limiter } from '../util/limit.js';
import { reportMetrics } from './metrics.js';

/** A module: the diagnosis options of the probes that name it. */
export type ExporterModule = DiagnoseOptions;

export interface ExporterOptions {
  host: string;
  port: number;
  /** Modules by name; `default` is used when a probe names none. */
  modules: Record<string, ExporterModule>;
  /** Most diagnoses at once (default 4); more wait their turn. */
  concurrency?: number;
  /** For tests: the diagnosis to run. */
  diagnose?: (url: string, o: DiagnoseOptions) => Promise<Report>;
}

export interface RunningExporter {
  host: string;
  port: number;
  stop(): Promise<void>;
}

const CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;
type OpenMetrics = typeof CONTENT_TYPE;

export async function startExporter(o: ExporterOptions): Promise<RunningExporter> {
  const diag = o.diagnose ?? realDiagnose;
  const run = limiter(o.concurrency ?? 4);
  const self = new Registry<OpenMetrics>();
  self.setContentType(CONTENT_TYPE);
  collectDefaultMetrics({ register: self, prefix: 'h2doctor_exporter_' });
  const probes = new Counter({ name: 'h2doctor_exporter_probes', help: 'Probes run, by module and verdict (or error)', labelNames: ['module', 'result'], registers: [self] });
  const duration = new Histogram({ name: 'h2doctor_exporter_probe_duration_seconds', help: 'Wall time of the probes', labelNames: ['module'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [self] });

  const server = http.createServer(async (req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    try {
      const u = new URL(req.url ?? '/', 'http://exporter.invalid');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'GET only\n');
      if (u.pathname === '/metrics') return send(200, CONTENT_TYPE, await self.metrics());
      if (u.pathname === '/probe') {
        const target = u.searchParams.get('target');
        const moduleName = u.searchParams.get('module') ?? 'default';
        if (!target) return send(400, 'text/plain; charset=utf-8', 'target parameter is missing\n');
        const mod = o.modules[moduleName];
        if (!mod) return send(400, 'text/plain; charset=utf-8', `unknown module ${JSON.stringify(moduleName)} (known: ${Object.keys(o.modules).join(', ')})\n`);
        let url: string;
        try {
          url = parseTarget(target.includes('://') ? target : `https://${target}`, mod.sni).url;
        } catch (e) {
          return send(400, 'text/plain; charset=utf-8', `bad target: ${(e as Error).message}\n`);
        }
        const end = duration.startTimer({ module: moduleName });
        let report: Report;
        try {
          report = await run(() => diag(url, { survey: false, ...mod }));
        } catch (e) {
          probes.inc({ module: moduleName, result: 'error' });
          end();
          return send(500, 'text/plain; charset=utf-8', `probe failed: ${(e as Error).message}\n`);
        }
        end();
        probes.inc({ module: moduleName, result: report.verdict });
        const reg = new Registry<OpenMetrics>();
        reg.setContentType(CONTENT_TYPE);
        reportMetrics(report, reg);
        return send(200, CONTENT_TYPE, await reg.metrics());
      }
      if (u.pathname === '/') {
        return send(200, 'text/html; charset=utf-8', `<!doctype html><title>h2doctor exporter</title><h1>h2doctor exporter</h1><p><a href="/metrics">/metrics</a> · /probe?target=&lt;url&gt;[&amp;module=&lt;name&gt;] · modules: ${Object.keys(o.modules).map((m) => m.replace(/[<&>"]/g, '')).join(', ')}</p>\n`);
      }
      return send(404, 'text/plain; charset=utf-8', 'not found: try /probe?target=<url> or /metrics\n');
    } catch (e) {
      if (!res.headersSent) send(500, 'text/plain; charset=utf-8', `internal error: ${(e as Error).message}\n`);
      else res.destroy();
    }
  });
  const sockets = new Set<import('node:stream').Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as { port: number };
  return {
    host: o.host,
    port: addr.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
