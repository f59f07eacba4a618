/**
 * `diagnose(url, options)`: target → addresses → probes (concurrent, bounded) → evidence →
 * diagnosis → report.
 *
 * @example
 * const report = await diagnose('https://example.com');
 * console.log(report.verdict, report.findings.map((f) => f.code));
 */
import { clientRows } from './diagnosis/rules/clients.js';
import { applyPointOfView } from './diagnosis/point-of-view.js';
import { certificateReports } from './diagnosis/certificates.js';
import { offersH2 } from './clients/profile.js';
import { ipVersion } from './wire/ip.js';
import type { Report, Target, TlsSurface, TlsSurfaceReport } from './model/index.js';
import { parseTarget, parseResolve, type ResolvePin } from './model/target.js';
import { parseConnectTo, resolveRoute, routeFor, type ConnectTo } from './transport/route.js';
import type { ClientCert } from './transport/tls.js';
import { resolveEach } from './transport/dns.js';
import { resolverAnswers } from './diagnosis/rules/resolvers.js';
import { probeAddress, probeThroughProxy } from './probes/plan.js';
import type { ProbeContext } from './probes/context.js';
import { diagnoseEvidence } from './diagnosis/index.js';
import { headlineOf } from './diagnosis/headline.js';
import { CODES } from './model/codes.js';
import type { AddressEvidence } from './diagnosis/evidence.js';
import { limiter } from './util/limit.js';
import { connectTcp } from './transport/conn.js';
import { VERSION } from './version.js';
import { dialViaProxy, noProxyMatches, selectProxy, type ProxyConfig } from './transport/proxy.js';
import { directPathProbe } from './probes/upgrade/direct-path.js';
import { protocolMatrix } from './diagnosis/rules/upgrade.js';

export interface DiagnoseOptions {
  /** Client profiles to simulate (--clients); each gets a row in `report.clients`. */
  clients?: import('./clients/profile.js').ClientProfile[];
  /** The id of the client whose point of view the verdict takes (--client); it is among `clients`. */
  pointOfView?: string;
  /** Per-probe deadline in ms (default 3000). */
  timeoutMs?: number;
  /**
   * The whole diagnosis's deadline in ms, curl's --max-time (default 10 000; 60 000 with `survey`):
   * every probe of every wave ends by then, whatever the server does.
   */
  maxTimeMs?: number;
  /**
   * The same deadline as an absolute performance.now() time (the CLI counts --max-time from the
   * process's start, so start-up and output fit in it too); wins over `maxTimeMs`.
   */
  deadline?: number;
  /** curl-style pins: "host:port:addr[,addr]" or parsed pins. */
  resolve?: Array<string | ResolvePin>;
  /** PEM text of a CA bundle replacing the default roots (curl's --cacert). */
  ca?: string;
  /** The file `ca` was read from, so reproduce commands can carry `--cacert <file>` / `-CAfile <file>`. */
  caFile?: string;
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
   * curl's -k: the certificate is still verified and reported, but a certificate finding does not
   * fail the verdict (its severity becomes warning, saying why).
   */
  insecure?: boolean;
  /** Client certificate for servers that ask for one (curl's --cert/--key/--pass): diagnose past a mutual-TLS gate. */
  clientCert?: ClientCert;
  /** curl's --connect-to: connect to another host:port, keeping the URL's name for SNI, Host and the certificate. */
  connectTo?: Array<string | ConnectTo>;
  /** curl's -4 / -6: only addresses of this family. */
  family?: 4 | 6;
  /** User-Agent of the HTTP probes (default h2doctor/<version>). */
  userAgent?: string;
  /** curl's --noproxy: hosts that bypass the proxy (replaces NO_PROXY; '*' = none). */
  noProxy?: string;
  /**
   * Politeness across diagnoses (fleet scans): awaited before every connection to `address:port`;
   * the function it resolves to is called once that connection has closed.
   */
  connectionGate?: ConnectionGate;
  /**
   * Resolvers to ask instead of the system's (`ip` or `ip:port`, --dns-server): every address any of
   * them gives is probed, and the report compares their answers (`resolvers`).
   */
  dnsServers?: string[];
  /** Told when a probe starts and ends (its id): what a progress line names. */
  onProbe?: (id: string, state: 'start' | 'end') => void;
}

/** Waits for a connection slot to `address:port`; resolves to the slot's release. */
export type ConnectionGate = (address: string, port: number) => Promise<() => void>;

export const DEFAULTS = { timeoutMs: 3000, maxTimeMs: 10_000, surveyMaxTimeMs: 60_000, maxAddresses: 4, concurrency: 8, byteBudget: 256 * 1024 } as const;

export async function diagnose(url: string | Target, options: DiagnoseOptions = {}): Promise<Report> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const target = typeof url === 'string' ? parseTarget(url, options.sni) : url;
  const pins = (options.resolve ?? []).map((r) => (typeof r === 'string' ? parseResolve(r) : r));
  // One overall deadline (--max-time): dependent waves share it; no probe, lookup or dial waits past it.
  const deadline = options.deadline ?? t0 + (options.maxTimeMs ?? (options.survey ? DEFAULTS.surveyMaxTimeMs : DEFAULTS.maxTimeMs));
  const timeoutMs = Math.max(1, Math.min(options.timeoutMs ?? DEFAULTS.timeoutMs, Math.round(deadline - t0)));
  const left = (ms: number) => Math.max(1, Math.min(ms, Math.round(deadline - performance.now())));
  // A proxy resolves the name itself (unless --resolve pins an address); see docs/upgrade.md.
  const connectTo = (options.connectTo ?? []).map((c) => (typeof c === 'string' ? parseConnectTo(c) : c));
  const route = routeFor(target, connectTo);
  const proxy = proxyFor(target, options);
  const pinned = pins.some((p) => (p.host === route.host.toLowerCase() || p.host === '*') && p.port === route.port);
  const routeOptions = { pins, connectTo, ...(options.family ? { family: options.family } : {}), maxAddresses: options.maxAddresses ?? DEFAULTS.maxAddresses, timeoutMs };
  // --dns-server: the named resolvers instead of the system's, and their answers compared.
  const byResolver = options.dnsServers?.length && !pinned && !proxy && !route.rule && !ipVersion(route.host)
    ? await resolveEach(options.dnsServers, route.host, routeOptions.maxAddresses, timeoutMs)
    : undefined;
  const resolution = byResolver
    ? byResolver.resolution
    : proxy && !pinned && !route.rule
      ? { source: 'proxy' as const, addresses: [target.host], skipped: [] as string[], error: undefined as string | undefined }
      : await resolveRoute(target, routeOptions);
  const run = limiter(options.concurrency ?? DEFAULTS.concurrency);
  let connections = 0;

  const probePath = (addresses: string[], via: ProxyConfig | undefined) => Promise.all(
    addresses.map(async (address): Promise<AddressEvidence> => {
      const ctx: ProbeContext = {
        target,
        address,
        port: route.port,
        timeoutMs,
        deadline,
        byteBudget: options.byteBudget ?? DEFAULTS.byteBudget,
        t0,
        userAgent: options.userAgent ?? `h2doctor/${VERSION}`,
        options,
        dial: withinDeadline(gated(via ? dialViaProxy(via, options.ca) : connectTcp, options.connectionGate), left),
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.clientCert ? { clientCert: options.clientCert } : {}),
      };
      const probes = via ? await probeThroughProxy(ctx, via, run, () => connections++) : await probeAddress(ctx, run, () => connections++);
      return { address, target, probes };
    }),
  );
  // With --compare-direct the direct path is probed too, at the same time; its probe ids start with direct/.
  const directRes = proxy && options.compareDirect
    ? (resolution.source === 'proxy' ? resolveRoute(target, routeOptions) : Promise.resolve(resolution))
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

  return reportOf({ target, options, startedAt, t0, resolution, evidence, direct, proxy, byResolver, connections });
}

/** What `diagnose` has gathered, for the report. */
interface Gathered {
  target: Target;
  options: DiagnoseOptions;
  startedAt: string;
  t0: number;
  resolution: { source: Report['resolution']['source'] | 'proxy'; addresses: string[]; skipped: string[]; error?: string | undefined };
  evidence: AddressEvidence[];
  direct: AddressEvidence[] | undefined;
  proxy: ProxyConfig | undefined;
  byResolver: Awaited<ReturnType<typeof resolveEach>> | undefined;
  connections: number;
}

/** The evidence judged (findings, -k, --client), and the report around it. */
function reportOf(g: Gathered): Report {
  const { target, options, startedAt, t0, resolution, evidence, direct, proxy, byResolver, connections } = g;
  const diagResolution = { ...resolution, source: resolution.source === 'proxy' ? ('literal' as const) : resolution.source };
  const hop = proxy ? proxyHop(proxy, direct, target, startedAt) : undefined;
  const context = { ...(options.caFile ? { caFile: options.caFile } : {}), ...(proxy ? { proxy: proxy.url } : {}) };
  const out = diagnoseEvidence({ target, resolution: diagResolution, evidence, now: startedAt, context, ...(byResolver ? { resolvers: byResolver.answers } : {}) });
  if (options.insecure) acceptCertificate(out);
  const matrix = evidence.flatMap(protocolMatrix);
  const surfaces = evidence.flatMap((e) => e.probes).flatMap((p) => (p.kind === 'tls-stage' && p.stage.surface?.detail ? [surfaceReport(p.address, p.stage.surface)] : []));
  const clients = evidence.flatMap(clientRows);
  const certificates = certificateReports(evidence.flatMap((e) => e.probes));
  const who = options.pointOfView ? options.clients?.find((c) => c.id === options.pointOfView) : undefined;
  const pov = who ? applyPointOfView(out.findings, clients, target, { id: who.id, name: who.client.name, version: who.client.version, policy: who.policy, offersH2: offersH2(who) }) : undefined;
  if (pov) {
    out.findings = pov.findings;
    out.verdict = pov.verdict;
  }
  return {
    schemaVersion: 1,
    tool: { name: 'h2doctor', version: VERSION },
    target,
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    verdict: out.verdict,
    // After -k and --client changed the findings: the headline names what is left.
    headline: headlineOf(out.findings, out.negotiated, target),
    resolution: { source: resolution.source, addresses: resolution.addresses, skipped: resolution.skipped, ...(resolution.error ? { error: resolution.error } : {}) },
    addresses: out.addresses,
    negotiated: out.negotiated,
    findings: out.findings,
    probes: evidence.flatMap((e) => e.probes).sort((a, b) => a.startMs - b.startMs),
    connections,
    ...(hop ? { proxy: hop } : {}),
    ...(matrix.length ? { matrix } : {}),
    ...(surfaces.length ? { tlsSurface: surfaces } : {}),
    ...(certificates.length ? { certificates } : {}),
    ...(options.clients?.length ? { clients } : {}),
    ...(pov ? { pointOfView: pov.pointOfView } : {}),
    ...(byResolver ? { resolvers: resolverAnswers(byResolver.answers, out.addresses) } : {}),
  };
}

/**
 * The proxy for a target: --proxy, else the environment's; curl's --noproxy list (which replaces
 * NO_PROXY) applies to both.
 */
export function proxyFor(target: Target, o: Pick<DiagnoseOptions, 'proxy' | 'env' | 'noProxy'>): ProxyConfig | undefined {
  // `env` defaults to process.env, as documented: library callers get HTTPS_PROXY / NO_PROXY too.
  const env = o.env ?? process.env;
  if (o.noProxy === undefined) return selectProxy(target, { ...o, env });
  if (noProxyMatches(o.noProxy, target.host, target.port)) return undefined;
  return selectProxy(target, { ...o, env: { ...env, NO_PROXY: o.noProxy, no_proxy: o.noProxy } });
}

/**
 * curl's -k: the diagnosis goes on past the certificate (the probes do anyway), and the certificate
 * findings stay errors with their codes: the contract lets a rule raise a severity, never lower it,
 * and every client that verifies still fails. Each says that -k accepted it for this diagnosis.
 */
function acceptCertificate(out: ReturnType<typeof diagnoseEvidence>): void {
  for (const f of out.findings) {
    if (CODES[f.code].family !== 'certificate' || f.severity !== 'error') continue;
    f.evidence.push({ probe: 'insecure', text: '--insecure (-k): this certificate was accepted for the diagnosis, so HTTP/2 was checked past it; every client that verifies it still fails' });
  }
}

type Dial = ProbeContext['dial'];

/** `dial` behind the connection gate: a slot is taken before connecting and given back when the socket closes. */
function gated(dial: Dial, gate: ConnectionGate | undefined): Dial {
  if (!gate) return dial;
  return async (address, port, timeoutMs) => {
    const asked = performance.now();
    const release = await gate(address, port);
    const queuedMs = Math.round(performance.now() - asked);
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
      return { ...c, queuedMs };
    } catch (e) {
      once();
      throw e;
    }
  };
}

/** A survey's surface, for the report's `tlsSurface`. */
function surfaceReport(address: string, s: TlsSurface): TlsSurfaceReport {
  return {
    address,
    versions: s.detail ?? [],
    refused: s.versions.filter((v) => !v.accepted).map((v) => v.version),
    groups: s.groups ?? [],
    signatureAlgorithms: s.signatureAlgorithms ?? [],
    ...(s.dhe ? { dhe: s.dhe } : {}),
    ...(s.certificateKey ? { certificateKey: s.certificateKey } : {}),
    ...(s.noSni ? { noSni: s.noSni } : {}),
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

/** A dial whose connect timeout never runs past the diagnosis's deadline (`left` clamps it). */
function withinDeadline(dial: ProbeContext['dial'], left: (ms: number) => number): ProbeContext['dial'] {
  return (address, port, timeoutMs) => dial(address, port, left(timeoutMs));
}
