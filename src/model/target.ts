/**
 * The target: what the user typed, as a typed value, and curl-style `--resolve` pins.
 * Bad input throws TargetError with one clear line (the CLI exits 2).
 */
import { bracketHost, ipVersion } from '../wire/ip.js';
import { TargetError } from './errors.js';

export type Scheme = 'http' | 'https' | 'ws' | 'wss';

export interface Target {
  /** The URL as the user gave it, normalised. */
  url: string;
  scheme: Scheme;
  /** Host name or IP literal, without brackets. */
  host: string;
  port: number;
  /** Path and query, at least '/'. */
  path: string;
  /** True when the scheme speaks TLS (https, wss). */
  tls: boolean;
  /** Server name sent in SNI; null when SNI is off (IP literal, or `--sni ''`). */
  sni: string | null;
}

const DEFAULT_PORTS: Record<Scheme, number> = { http: 80, https: 443, ws: 80, wss: 443 };

/**
 * Parse a target URL. A bare `host[:port]` is taken as https.
 * @example parseTarget('http://localhost:8080/x').port // 8080
 */
export function parseTarget(input: string, sniOverride?: string): Target {
  const raw = input.trim();
  if (!raw) throw new TargetError('no URL given');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  const schemeText = /^([a-z][a-z0-9+.-]*):\/\//i.exec(withScheme)![1]!.toLowerCase();
  if (!(schemeText in DEFAULT_PORTS)) {
    throw new TargetError(`unsupported scheme "${schemeText}:" in ${JSON.stringify(redactUrl(input))} (use http, https, ws or wss)`);
  }
  // Checked before the WHATWG parser, which only says "Invalid URL" for a bad port.
  const explicitPort = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#[]*):([^/?#]*)/i.exec(withScheme)?.[1];
  if (explicitPort !== undefined) {
    const n = Number(explicitPort);
    if (!/^\d+$/.test(explicitPort) || n < 1 || n > 65535) {
      throw new TargetError(`invalid port "${explicitPort}" in ${JSON.stringify(redactUrl(input))} (1-65535)`);
    }
  }
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new TargetError(`not a valid URL: ${JSON.stringify(redactUrl(input))}`);
  }
  const scheme = schemeText;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new TargetError(`no host in ${JSON.stringify(redactUrl(input))}`);
  const s = scheme as Scheme;
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[s];
  const tls = s === 'https' || s === 'wss';
  let sni: string | null = ipVersion(host) ? null : host;
  if (sniOverride !== undefined) sni = sniOverride === '' ? null : sniOverride;
  return { url: redactUrl(u.toString()), scheme: s, host, port, path: (u.pathname || '/') + u.search, tls, sni };
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
  if (!m) throw new TargetError(`--resolve wants host:port:address, got ${JSON.stringify(spec)}`, 'resolve-invalid');
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TargetError(`--resolve: invalid port "${m[3]}" in ${JSON.stringify(spec)}`, 'resolve-invalid');
  const addresses = m[4]!.split(',').map((a) => a.trim().replace(/^\[|\]$/g, ''));
  for (const a of addresses) {
    if (!ipVersion(a)) throw new TargetError(`--resolve: "${a}" is not an IP address in ${JSON.stringify(spec)}`, 'resolve-invalid');
  }
  // An IDN host pins in its A-label form (xn--…), as the URL's host is compared: bücher.example = xn--bcher-kva.example.
  let host = m[2]!.toLowerCase();
  if (host !== '*' && /[^\x00-\x7f]/.test(host)) {
    try {
      host = new URL(`http://${host}/`).hostname;
    } catch {
      throw new TargetError(`--resolve: "${m[2]}" is not a valid host name in ${JSON.stringify(spec)}`, 'resolve-invalid');
    }
  }
  return { host, port, addresses, raw: spec.trim() };
}

/** The pin that applies to a target, if any (`*` matches every host, as in curl). */
export function pinFor(target: Target, pins: readonly ResolvePin[]): ResolvePin | undefined {
  return pins.find((p) => (p.host === target.host.toLowerCase() || p.host === '*') && p.port === target.port);
}

/** The `host` part of a URL authority: IPv6 literals in brackets. */
export function hostForUrl(host: string): string {
  return ipVersion(host) === 6 ? bracketHost(host) : host;
}

/**
 * A URL with its credentials hidden, for anything shown or written: `user:***@` (a user name alone,
 * often a token, becomes `***@`). Probes never send URL credentials; reports, reproduce commands,
 * errors and `init`'s checks file carry only this form.
 * @example redactUrl('https://bob:s3cret@example.com/') // 'https://bob:***@example.com/'
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_m, scheme: string, info: string) => {
    const i = info.indexOf(':');
    return i >= 0 ? `${scheme}${info.slice(0, i)}:***@` : `${scheme}***@`;
  });
}
