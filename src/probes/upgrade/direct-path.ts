/**
 * `--compare-direct`: fold the direct path's probes into one record that sits with the proxied
 * evidence of an address, so that the proxy-vs-direct comparison is a pure function of the report.
 */
import { http1Answer, http2Answer, type Probe } from '../../model/index.js';

/**
 * The same address reached without the proxy, as one probe: its TCP, TLS and HTTP answers (undefined when there was no direct run).
 * @example directPathProbe('192.0.2.1', 443, direct.probes)?.kind // 'direct-path'
 */
export function directPathProbe(address: string, port: number, direct: readonly Probe[]): Probe | undefined {
  if (!direct.length) return undefined;
  const tcp = direct.find((p) => p.kind === 'tcp');
  const tls = direct.find((p): p is Extract<Probe, { kind: 'tls' }> => p.kind === 'tls' && p.name === 'tls-default');
  const h2 = http2Answer(direct);
  const h1 = http1Answer(direct);
  const start = Math.min(...direct.map((p) => p.startMs));
  const end = Math.max(...direct.map((p) => p.startMs + p.durationMs));
  return {
    kind: 'direct-path',
    name: 'direct-path',
    id: `${address.includes(':') ? `[${address}]` : address}/direct-path`,
    address,
    port,
    startMs: start,
    durationMs: Math.round((end - start) * 100) / 100,
    bytesSent: direct.reduce((n, p) => n + p.bytesSent, 0),
    bytesReceived: direct.reduce((n, p) => n + p.bytesReceived, 0),
    connect: (tcp ?? direct[0]!).connect,
    directAddress: direct[0]!.address,
    ...(tls ? { tls: tls.tls } : {}),
    ...(h2 ? { h2Answer: h2.h2.outcome === 'response' ? `HTTP/2 ${h2.h2.status}` : h2.h2.outcome } : {}),
    ...(h1 ? { h1Answer: h1.h1.outcome === 'response' ? `HTTP/${h1.h1.version} ${h1.h1.status}` : h1.h1.outcome } : {}),
    probes: direct.length,
  };
}
