/**
 * `diagnose(url, options)`: target → addresses → probes (concurrent, bounded) → evidence →
 * diagnosis → report.
 *
 * @example
 * const report = await diagnose('https://example.com');
 * console.log(report.verdict, report.findings.map((f) => f.code));
 */
import type { ConnectOutcome, Probe, Report, Target } from './types.js';
import { parseTarget, parseResolve, type ResolvePin } from './target.js';
import { resolveTarget } from './transport/dns.js';
import { probeH1Cleartext, probeH2cPrior, probeH2cUpgrade, probeTcp, probeTls } from './probes/run.js';
import type { ProbeContext } from './probes/context.js';
import { diagnoseEvidence } from './diagnosis/index.js';
import type { AddressEvidence } from './diagnosis/evidence.js';
import { limiter } from './util/limit.js';
import { connectTcp, type Socket } from './transport/conn.js';
import { STAGES } from './probes/stages/index.js';
import { VERSION } from './version.js';
import { dialViaProxy, selectProxy, type ProxyConfig } from './transport/proxy.js';
import { probeProxyConnect } from './probes/upgrade/proxy-connect.js';
import { directPathProbe } from './probes/upgrade/direct-path.js';
import { protocolMatrix } from './diagnosis/rules/upgrade.js';

export interface DiagnoseOptions {
  /** Per-probe deadline in ms (default 3000). */
  timeoutMs?: number;
  /** curl-style pins: "host:port:addr[,addr]" or parsed pins. */
  resolve?: Array<string | ResolvePin>;
  /** PEM text of a CA bundle replacing the default roots (curl's --cacert). */
  ca?: string;
  /** SNI to send instead of the URL's host ('' for none). */
  sni?: string;
  /** Most addresses probed per name (default 4). */
  maxAddresses?: number;
  /** Most connections open at once (default 8). */
  concurrency?: number;
  /** Most bytes one probe reads (default 256 KiB). */
  byteBudget?: number;
  /** Enumerate the server's whole TLS surface (versions, ciphers, groups), not just bisect a failure. */
  survey?: boolean;
  /** Most new connections per second during a survey. */
  rate?: number;
  /** Request method for the HTTP probes (default GET). */
  method?: string;
  /** Extra request headers for the HTTP probes. */
  headers?: Array<[string, string]>;
  /** A WebSocket path to test (ws:// and wss:// targets test their own path). */
  websocket?: string;
  /** Subprotocols to offer in a WebSocket upgrade. */
  wsProtocols?: string[];
  /** Proxy URL (HTTP CONNECT). Undefined: from HTTPS_PROXY/HTTP_PROXY/NO_PROXY in `env`; null: none. */
  proxy?: string | null;
  /** With a proxy: probe the direct path too, and compare. */
  compareDirect?: boolean;
  /** Environment for proxy variables (default process.env). */
  env?: Record<string, string | undefined>;
  /**
   * Politeness across diagnoses (fleet scans): awaited before every connection to `address:port`;
   * the function it resolves to is called once that connection has closed.
   */
  connectionGate?: ConnectionGate;
}

/** Waits for a connection slot to `address:port`; resolves to the slot's release. */
export type ConnectionGate = (address: string, port: number) => Promise<() => void>;

export const DEFAULTS = { timeoutMs: 3000, maxAddresses: 4, concurrency: 8, byteBudget: 256 * 1024 } as const;

export async function diagnose(url: string | Target, options: DiagnoseOptions = {}): Promise<Report> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const target = typeof url === 'string' ? parseTarget(url, options.sni) : url;
  const pins = (options.resolve ?? []).map((r) => (typeof r === 'string' ? parseResolve(r) : r));
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  // A proxy resolves the name itself (unless --resolve pins an address); see docs/upgrade.md.
  const proxy = selectProxy(target, options);
  const pinned = pins.some((p) => (p.host === target.host.toLowerCase() || p.host === '*') && p.port === target.port);
  const resolution = proxy && !pinned
    ? { source: 'proxy' as const, addresses: [target.host], skipped: [] as string[], error: undefined as string | undefined }
    : await resolveTarget(target, pins, options.maxAddresses ?? DEFAULTS.maxAddresses, timeoutMs);
  const run = limiter(options.concurrency ?? DEFAULTS.concurrency);
  let connections = 0;

  const probePath = (addresses: string[], via: ProxyConfig | undefined) => Promise.all(
    addresses.map(async (address): Promise<AddressEvidence> => {
      const ctx: ProbeContext = {
        target,
        address,
        port: target.port,
        timeoutMs,
        byteBudget: options.byteBudget ?? DEFAULTS.byteBudget,
        t0,
        userAgent: `h2doctor/${VERSION}`,
        options,
        dial: gated(via ? dialViaProxy(via, options.ca) : connectTcp, options.connectionGate),
        ...(options.ca ? { ca: options.ca } : {}),
      };
      const probes = via ? await probeThroughProxy(ctx, via, run, () => connections++) : await probeAddress(ctx, run, () => connections++);
      return { address, target, probes };
    }),
  );
  // With --compare-direct the direct path is probed too, at the same time; its probe ids start with direct/.
  const directRes = proxy && options.compareDirect
    ? (resolution.source === 'proxy' ? resolveTarget(target, pins, options.maxAddresses ?? DEFAULTS.maxAddresses, timeoutMs) : Promise.resolve(resolution))
    : undefined;
  const [evidence, direct] = await Promise.all([
    probePath(resolution.addresses, proxy),
    directRes?.then((r) => probePath(r.addresses, undefined)),
  ]);
  // The direct path's outcome joins each proxied address's evidence as one `direct-path` record.
  if (direct) {
    for (const ev of evidence) {
      const same = direct.find((d) => d.address === ev.address) ?? direct[0];
      const rec = same && directPathProbe(ev.address, target.port, same.probes);
      if (rec) ev.probes.push(rec);
    }
  }

  const diagResolution = { ...resolution, source: resolution.source === 'proxy' ? ('literal' as const) : resolution.source };
  const hop = proxy ? proxyHop(proxy, direct, target, startedAt) : undefined;
  const out = diagnoseEvidence({ target, resolution: diagResolution, evidence, now: startedAt });
  const matrix = evidence.flatMap(protocolMatrix);
  return {
    schemaVersion: 1,
    tool: { name: 'h2doctor', version: VERSION },
    target,
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    verdict: out.verdict,
    resolution: { source: resolution.source, addresses: resolution.addresses, skipped: resolution.skipped, ...(resolution.error ? { error: resolution.error } : {}) },
    addresses: out.addresses,
    negotiated: out.negotiated,
    findings: out.findings,
    probes: evidence.flatMap((e) => e.probes).sort((a, b) => a.startMs - b.startMs),
    connections,
    ...(hop ? { proxy: hop } : {}),
    ...(matrix.length ? { matrix } : {}),
  };
}

type Dial = ProbeContext['dial'];

/** `dial` behind the connection gate: a slot is taken before connecting and given back when the socket closes. */
function gated(dial: Dial, gate: ConnectionGate | undefined): Dial {
  if (!gate) return dial;
  return async (address, port, timeoutMs) => {
    const release = await gate(address, port);
    let released = false;
    const once = () => {
      if (!released) {
        released = true;
        release();
      }
    };
    try {
      const c = await dial(address, port, timeoutMs);
      if (!c.outcome.ok || c.socket.destroyed) once();
      else c.socket.once('close', once);
      return c;
    } catch (e) {
      once();
      throw e;
    }
  };
}

/** The proxy hop for the report; with the direct path's outcome when it was probed too. */
function proxyHop(p: ProxyConfig, direct: AddressEvidence[] | undefined, target: Target, now: string): NonNullable<Report['proxy']> {
  const hop: NonNullable<Report['proxy']> = { url: p.url, source: p.source, credentials: p.authorization !== undefined };
  if (direct) {
    const d = diagnoseEvidence({ target, resolution: { source: 'dns', addresses: direct.map((e) => e.address) }, evidence: direct, now });
    hop.direct = { protocol: d.negotiated.protocol, ...(d.negotiated.alpn !== undefined ? { alpn: d.negotiated.alpn } : {}), findingCodes: d.findings.map((f) => f.code), addresses: direct.map((e) => e.address) };
  }
  return hop;
}

/** Through a proxy: first the CONNECT itself (the proxy hop's probe); the core plan only when the tunnel opens. */
async function probeThroughProxy(ctx: ProbeContext, proxy: ProxyConfig, run: Run, count: () => void): Promise<Probe[]> {
  count();
  const hop = await run(() => probeProxyConnect(ctx, proxy));
  if (!hop.connect.ok) return [hop];
  return [hop, ...(await probeAddress(ctx, run, count))];
}

type Run = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * The probe plan for one address. Wave 0: TCP connect (its socket is reused by the first TLS
 * probe). Wave 1: every experiment at once. Wave 2: only when wave 1 could not tell what the port speaks.
 */
async function probeAddress(ctx: ProbeContext, run: Run, count: () => void): Promise<Probe[]> {
  count();
  const tcp = await run(() => probeTcp(ctx));
  const probes: Probe[] = [tcp.probe];
  if (!tcp.outcome.ok) return probes;
  const pre: { socket: Socket; outcome: ConnectOutcome } = { socket: tcp.socket!, outcome: tcp.outcome };
  const go = (f: () => Promise<Probe>) => {
    count();
    return run(f);
  };

  if (ctx.target.tls) {
    const wave1 = await Promise.all([
      run(() => probeTls(ctx, 'tls-default', ['h2', 'http/1.1'], 'none', pre)),
      go(() => probeTls(ctx, 'tls-alpn-h2', ['h2'], 'h2')),
      go(() => probeTls(ctx, 'tls-alpn-http1', ['http/1.1'], 'h1')),
    ]);
    probes.push(...wave1);
    const d = wave1[0] as Extract<Probe, { kind: 'tls' }>;
    if (['timeout', 'closed', 'not-tls', 'error'].includes(d.tls.outcome)) {
      const s = (await go(() => probeH1Cleartext(ctx, 'sniff-http1'))) as Extract<Probe, { kind: 'h1' }>;
      probes.push(s);
      // A prior-knowledge-only h2c port (HAProxy `proto h2`) closes on both a ClientHello and an
      // HTTP/1.1 request without a byte: only the HTTP/2 preface shows what it speaks.
      if (s.h1.outcome !== 'response' && !s.h1.first?.first.kind.startsWith('h2-')) probes.push(await go(() => probeH2cPrior(ctx, 'sniff-h2c')));
    }
    return runStages(ctx, probes, go);
  }
  pre.socket.destroy();
  // ws:// is HTTP/1.1 by definition (RFC 6455): no h2c probes for it.
  const h2c = ctx.target.scheme === 'ws' ? [] : [go(() => probeH2cPrior(ctx)), go(() => probeH2cUpgrade(ctx))];
  const wave1 = await Promise.all([go(() => probeH1Cleartext(ctx)), ...h2c]);
  probes.push(...wave1);
  const c = wave1[0] as Extract<Probe, { kind: 'h1' }>;
  const k = c.h1.first?.first.kind;
  const tlsLike = k === 'tls-alert' || k === 'tls-handshake' || k === 'tls-other';
  // A 400 is what TLS ports of nginx, Apache and Go answer to cleartext HTTP ("The plain HTTP request
  // was sent to HTTPS port"): sniff for TLS then too, or http:// to a TLS port reads as "no h2c".
  const answered400 = c.h1.outcome === 'response' && c.h1.status === 400;
  if ((c.h1.outcome !== 'response' || answered400) && !tlsLike) {
    probes.push(await go(() => probeTls(ctx, 'sniff-tls', ['h2', 'http/1.1'], 'none')));
  }
  return runStages(ctx, probes, go);
}

/** Every family's stages at once, after the core waves. */
async function runStages(ctx: ProbeContext, core: Probe[], go: (f: () => Promise<Probe>) => Promise<Probe>): Promise<Probe[]> {
  const more = await Promise.all(STAGES.map((st) => st.run(ctx, core, go)));
  return [...core, ...more.flat()];
}
