/**
 * The first steps of a trace: the name to one address (a trace is one connection; diagnose compares
 * addresses) and the TCP connection, directly or through a proxy, each said as an event.
 */
import type { Target } from '../model/index.js';
import { connectTcp, type Socket } from '../transport/conn.js';
import { resolveRoute, routeFor } from '../transport/route.js';
import { connectAuthority, connectTunnel, type ProxyConfig } from '../transport/proxy.js';
import { proxyAnswer } from '../probes/upgrade/proxy-connect.js';
import { pinFor } from '../model/target.js';
import type { TraceRecorder } from './recorder.js';
import { findingProblem, type TraceHop } from './judge.js';
import type { TraceOptions } from './types.js';
import type { Problem } from '../model/trace.js';

/** The open TCP connection of a trace, and what happened to it (set by its listeners). */
export interface TraceWire {
  raw: Socket;
  /** The socket saw ECONNRESET / EPIPE. */
  reset: boolean;
  /** The peer ended its side. */
  ended: boolean;
}

/** Name → address: the first one. Through a proxy the proxy resolves the name (CONNECT host:port), unless --resolve pins it. */
async function resolveOne(rec: TraceRecorder, target: Target, o: TraceOptions, timeoutMs: number) {
  const route = routeFor(target, o.connectTo);
  const viaProxy = o.proxy && !pinFor({ ...target, host: route.host, port: route.port }, o.resolve ?? []) ? o.proxy : undefined;
  const res = viaProxy
    ? { source: 'literal' as const, addresses: [route.host], skipped: [] as string[], port: route.port, error: undefined as string | undefined }
    : await resolveRoute(target, { pins: o.resolve ?? [], ...(o.connectTo ? { connectTo: o.connectTo } : {}), ...(o.family ? { family: o.family } : {}), maxAddresses: 1, timeoutMs });
  const address = res.addresses[0];
  const problems: Problem[] = viaProxy
    ? [{ level: 'info', text: `through proxy ${viaProxy.url}: the proxy resolves ${route.host}` }]
    : address
      ? res.skipped.length ? [{ level: 'info', text: `${res.skipped.length + 1} addresses; tracing the first (h2doctor diagnose compares them all)` }] : []
      : [{ level: 'error', text: `the name does not resolve: ${res.error ?? 'no address'}` }];
  rec.emit({ kind: 'resolve', host: target.host, addresses: [...res.addresses, ...res.skipped], source: res.source, ...(res.error ? { error: res.error } : {}) }, problems);
  return { address, port: res.port, source: res.source, viaProxy };
}

/** Resolves and connects; undefined when there is no connection (the events say why). */
export async function traceConnect(rec: TraceRecorder, target: Target, o: TraceOptions, timeoutMs: number): Promise<TraceWire | undefined> {
  const { address, port, source, viaProxy } = await resolveOne(rec, target, o, timeoutMs);
  if (!address) return undefined;
  const openedAt = rec.epochNow();
  const { conn, hop } = viaProxy ? await tunnel(viaProxy, address, port, timeoutMs, o.ca) : { conn: await connectTcp(address, port, timeoutMs), hop: undefined };
  rec.seen = { source: source === 'resolve-pin' || source === 'dns' ? source : 'literal', address, port, connect: conn.outcome, ...(hop ? { hop } : {}), bytesSent: 0, bytesReceived: 0, durationMs: 0 };
  // Through a proxy the failure is the proxy's answer to CONNECT (its words), not a TCP failure of the origin.
  if (!conn.outcome.ok) {
    rec.emit({ kind: 'connect', address, port, ok: false, ms: conn.outcome.ms, error: conn.outcome.errno ?? conn.outcome.error }, [{ level: 'error', text: hop ? conn.outcome.message : connectFailure(conn.outcome, timeoutMs) }, ...rec.judge().map(findingProblem)]);
    return undefined;
  }
  const raw = conn.socket!;
  rec.emit({ kind: 'connect', address, port, ok: true, ms: conn.outcome.ms, ...(raw.localPort ? { localPort: raw.localPort } : {}) });
  rec.openCapture(
    { address: raw.localAddress ?? (address.includes(':') ? '::1' : '127.0.0.1'), port: raw.localPort ?? 0 },
    // Through a proxy the TCP peer is the proxy; the capture holds the tunnel's bytes.
    viaProxy ? { address: raw.remoteAddress ?? '127.0.0.1', port: raw.remotePort ?? (viaProxy as ProxyConfig).port } : { address, port },
    openedAt,
  );
  const wire: TraceWire = { raw, reset: false, ended: false };
  raw.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'ECONNRESET' || e.code === 'EPIPE') wire.reset = true;
  });
  raw.on('end', () => (wire.ended = true));
  return wire;
}

/** A CONNECT tunnel through the proxy, and the proxy's answer as the diagnosis rules read it (diagnose's proxy-connect probe). */
async function tunnel(p: ProxyConfig, address: string, port: number, timeoutMs: number, ca: string | undefined): Promise<{ conn: { socket?: Socket; outcome: Awaited<ReturnType<typeof connectTcp>>['outcome'] }; hop: TraceHop }> {
  const authority = connectAuthority(address, port);
  const t = await connectTunnel(p, authority, timeoutMs, ca ? { ca } : {});
  const hop: TraceHop = { ...proxyAnswer(p, authority, t), bytesSent: t.bytesSent, bytesReceived: t.bytesReceived, ms: t.connect.ms };
  return { conn: { ...(t.socket ? { socket: t.socket } : {}), outcome: t.connect }, hop };
}

function connectFailure(out: Extract<Awaited<ReturnType<typeof connectTcp>>['outcome'], { ok: false }>, timeoutMs: number): string {
  const why: Record<string, string> = {
    refused: 'connection refused: nothing listens on this port (or a firewall rejects)',
    timeout: `no TCP answer within ${timeoutMs} ms (a firewall drops the packets, or the host is down)`,
    reset: 'the connection was reset during connect',
    unreachable: 'the address is unreachable from here',
    other: out.message,
  };
  return why[out.error] ?? out.message;
}
