/**
 * One line of a watch history (NDJSON): a light diagnosis of every address, reduced to what a
 * time axis needs: per address the verdict, codes, ALPN, TLS and latency, and which resolver
 * answered it. Pure: a Report in, a record out. Each line carries `schemaVersion`.
 *
 * @example
 * appendFileSync(file, JSON.stringify(toRecord(report, 1)) + '\n');
 */
import { http1Answer, http2Answer, type Probe, type Report } from '../model/index.js';

import type { WatchAddress, WatchRun, ResolverLabel, HistoryLine } from '../model/watch.js';

/** The label of the system resolution (no --dns-server). */
export function systemResolver(r: Report): ResolverLabel {
  return r.resolution.source === 'dns' ? 'system' : r.resolution.source;
}

/** A Report as one history record. */
export function toRecord(r: Report, seq: number): WatchRun {
  const resolvers = r.resolvers;
  const addresses: WatchAddress[] = r.addresses.map((a) => {
    const probes = r.probes.filter((p) => p.address === a.address);
    const w: WatchAddress = {
      address: a.address,
      resolvers: resolvers ? resolvers.filter((x) => x.addresses.includes(a.address)).map((x) => x.server) : [systemResolver(r)],
      verdict: a.verdict,
      codes: [...a.findingCodes],
      protocol: a.negotiated.protocol,
      ...timings(probes),
    };
    if (a.negotiated.alpn !== undefined) w.alpn = a.negotiated.alpn;
    if (a.negotiated.tlsVersion) w.tlsVersion = a.negotiated.tlsVersion;
    if (a.negotiated.cipher) w.cipher = a.negotiated.cipher;
    return w;
  });
  const run: WatchRun = {
    schemaVersion: 1,
    type: 'run',
    url: r.target.url,
    seq,
    at: r.startedAt,
    durationMs: r.durationMs,
    verdict: r.verdict,
    codes: r.findings.map((f) => f.code),
    addresses,
  };
  if (resolvers) run.resolvers = resolvers.map((x) => ({ server: x.server, addresses: [...x.addresses], ...(x.error ? { error: x.error } : {}) }));
  if (r.resolution.error) run.error = r.resolution.error;
  return run;
}

/** Connect, handshake and exchange times of one address, from its probes. */
export function timings(probes: Probe[]): Pick<WatchAddress, 'connectMs' | 'tlsMs' | 'exchangeMs'> {
  const out: Pick<WatchAddress, 'connectMs' | 'tlsMs' | 'exchangeMs'> = {};
  const tcp = probes.find((p) => p.kind === 'tcp');
  if (tcp?.connect.ok) out.connectMs = tcp.connect.ms;
  const tls = probes.find((p) => p.kind === 'tls' && p.name === 'tls-default');
  if (tls && tls.kind === 'tls' && tls.tls.handshakeMs !== undefined && tls.tls.outcome === 'handshake') out.tlsMs = tls.tls.handshakeMs;
  const ex = http2Answer(probes) ?? http1Answer(probes);
  if (ex) out.exchangeMs = ex.durationMs;
  return out;
}

/**
 * Parses a history file's text: one JSON object per line; blank lines skipped. A line that is not
 * a record of schemaVersion 1 is reported by its number (a truncated last line, after a crash, is
 * skipped and named in `skipped`).
 */
export function parseHistory(text: string): { lines: HistoryLine[]; skipped: number[] } {
  const lines: HistoryLine[] = [];
  const skipped: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (!l.trim()) return;
    try {
      const v = JSON.parse(l) as HistoryLine;
      if (v && v.schemaVersion === 1 && (v.type === 'run' || v.type === 'start') && typeof v.url === 'string') lines.push(v);
      else skipped.push(i + 1);
    } catch {
      skipped.push(i + 1);
    }
  });
  return { lines, skipped };
}
