/**
 * Turning what the user typed into a typed target, and curl-style `--resolve` pins.
 * Bad input throws UsageError with one clear line (the CLI exits 2).
 */
import net from 'node:net';
import type { Scheme, Target } from './types.js';
import { UsageError } from './cli/io.js';

const DEFAULT_PORTS: Record<Scheme, number> = { http: 80, https: 443, ws: 80, wss: 443 };

/**
 * Parse a target URL. A bare `host[:port]` is taken as https.
 * @example parseTarget('http://localhost:8080/x').port // 8080
 */
export function parseTarget(input: string, sniOverride?: string): Target {
  const raw = input.trim();
  if (!raw) throw new UsageError('no URL given');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  const schemeText = /^([a-z][a-z0-9+.-]*):\/\//i.exec(withScheme)![1]!.toLowerCase();
  if (!(schemeText in DEFAULT_PORTS)) {
    throw new UsageError(`unsupported scheme "${schemeText}:" in ${JSON.stringify(input)} (use http, https, ws or wss)`);
  }
  // Checked before the WHATWG parser, which only says "Invalid URL" for a bad port.
  const explicitPort = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#[]*):([^/?#]*)/i.exec(withScheme)?.[1];
  if (explicitPort !== undefined) {
    const n = Number(explicitPort);
    if (!/^\d+$/.test(explicitPort) || n < 1 || n > 65535) {
      throw new UsageError(`invalid port "${explicitPort}" in ${JSON.stringify(input)} (1-65535)`);
    }
  }
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new UsageError(`not a valid URL: ${JSON.stringify(input)}`);
  }
  const scheme = schemeText;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new UsageError(`no host in ${JSON.stringify(input)}`);
  const s = scheme as Scheme;
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[s];
  const tls = s === 'https' || s === 'wss';
  let sni: string | null = net.isIP(host) ? null : host;
  if (sniOverride !== undefined) sni = sniOverride === '' ? null : sniOverride;
  return { url: u.toString(), scheme: s, host, port, path: (u.pathname || '/') + u.search, tls, sni };
}

export interface ResolvePin {
  host: string;
  port: number;
  addresses: string[];
  /** As the user wrote it, for reproduce commands. */
  raw: string;
}

/**
 * Parse curl's `--resolve host:port:addr[,addr]…` (IPv6 addresses may be bracketed).
 * @example parseResolve('example.com:443:127.0.0.1').addresses // ['127.0.0.1']
 */
export function parseResolve(spec: string): ResolvePin {
  const m = /^(\+)?([^:]+):(\d+):(.+)$/.exec(spec.trim());
  if (!m) throw new UsageError(`--resolve wants host:port:address, got ${JSON.stringify(spec)}`);
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--resolve: invalid port "${m[3]}" in ${JSON.stringify(spec)}`);
  const addresses = m[4]!.split(',').map((a) => a.trim().replace(/^\[|\]$/g, ''));
  for (const a of addresses) {
    if (!net.isIP(a)) throw new UsageError(`--resolve: "${a}" is not an IP address in ${JSON.stringify(spec)}`);
  }
  return { host: m[2]!.toLowerCase(), port, addresses, raw: spec.trim() };
}

/** The pin that applies to a target, if any (`*` matches every host, as in curl). */
export function pinFor(target: Target, pins: readonly ResolvePin[]): ResolvePin | undefined {
  return pins.find((p) => (p.host === target.host.toLowerCase() || p.host === '*') && p.port === target.port);
}

/** The `host` part of a URL authority: IPv6 literals in brackets. */
export function hostForUrl(host: string): string {
  return net.isIP(host) === 6 ? `[${host}]` : host;
}
