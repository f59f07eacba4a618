/**
 * Where the connections of a diagnosis go, as curl decides it: `--connect-to` (connect to another
 * host:port, keeping the URL's name for SNI, Host and the certificate check), `--resolve` pins,
 * then DNS; `-4` / `-6` keep one address family.
 */
import net from 'node:net';
import type { Target } from '../model/index.js';
import type { ResolvePin } from '../model/target.js';
import { UsageError } from '../model/errors.js';
import { resolveTarget, type Resolution } from './dns.js';

/** curl's `--connect-to HOST1:PORT1:HOST2:PORT2`; an empty HOST1/PORT1 matches any, an empty HOST2/PORT2 keeps the URL's. */
export interface ConnectTo {
  host1: string;
  port1?: number;
  host2: string;
  port2?: number;
  /** As the user wrote it. */
  raw: string;
}

/**
 * Parse curl's `--connect-to` (IPv6 literals in brackets).
 * @example parseConnectTo('api.example:443:127.0.0.1:8443') // { host1: 'api.example', port1: 443, host2: '127.0.0.1', port2: 8443, … }
 */
export function parseConnectTo(spec: string): ConnectTo {
  const parts: string[] = [];
  let rest = spec.trim();
  for (let i = 0; i < 4; i++) {
    if (i === 3) {
      parts.push(rest);
      break;
    }
    const m = /^(\[[^\]]*\]|[^:]*):/.exec(rest);
    if (!m) throw new UsageError(`--connect-to wants HOST1:PORT1:HOST2:PORT2 (parts may be empty), got ${JSON.stringify(spec)}`);
    parts.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  const [h1, p1, h2, p2] = parts.map((x) => x.replace(/^\[|\]$/g, '')) as [string, string, string, string];
  const port = (p: string, which: string): number | undefined => {
    if (p === '') return undefined;
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > 65535) throw new UsageError(`--connect-to: invalid ${which} "${p}" in ${JSON.stringify(spec)}`);
    return n;
  };
  return { host1: h1.toLowerCase(), ...(p1 !== '' ? { port1: port(p1, 'port') } : {}), host2: h2, ...(p2 !== '' ? { port2: port(p2, 'port') } : {}), raw: spec.trim() } as ConnectTo;
}

/** The host:port to connect to for `target`: the first matching --connect-to rule, else the URL's. */
export function routeFor(target: Target, rules: readonly ConnectTo[] = []): { host: string; port: number; rule?: ConnectTo } {
  for (const r of rules) {
    if (r.host1 !== '' && r.host1 !== target.host.toLowerCase()) continue;
    if (r.port1 !== undefined && r.port1 !== target.port) continue;
    return { host: r.host2 || target.host, port: r.port2 ?? target.port, rule: r };
  }
  return { host: target.host, port: target.port };
}

/**
 * The addresses to probe: through --connect-to, --resolve pins or DNS, then only IPv4 or IPv6 when
 * `family` says so (an empty result names the family that was asked for).
 */
export async function resolveRoute(
  target: Target,
  o: { pins: readonly ResolvePin[]; connectTo?: readonly ConnectTo[]; family?: 4 | 6; maxAddresses: number; timeoutMs: number },
): Promise<Resolution & { port: number; via?: string }> {
  const route = routeFor(target, o.connectTo);
  const at: Target = route.rule ? { ...target, host: route.host, port: route.port } : target;
  // Ask for every address, then filter by family, then cap: -4 on a dual-stack name keeps 4 IPv4.
  const r = await resolveTarget(at, o.pins, o.family ? 64 : o.maxAddresses, o.timeoutMs);
  const via = route.rule ? `--connect-to ${route.rule.raw}` : undefined;
  if (!o.family) return { ...r, port: route.port, ...(via ? { via } : {}) };
  const all = [...r.addresses, ...r.skipped];
  const keep = all.filter((a) => net.isIP(a) === o.family);
  const out: Resolution = { source: r.source, addresses: keep.slice(0, o.maxAddresses), skipped: keep.slice(o.maxAddresses) };
  if (r.error) out.error = r.error;
  else if (keep.length === 0) out.error = `no IPv${o.family} address (-${o.family}); found ${all.join(', ') || 'none'}`;
  return { ...out, port: route.port, ...(via ? { via } : {}) };
}
