/**
 * The values of a checks file a schema cannot judge: URLs (absolute, scheme) and curl-style
 * `resolve` pins. Pure; used by parse.ts.
 *
 * @example
 *   parsePin('api.test:443:127.0.0.1,::1'); // { ok: true, pins: [{ host: 'api.test', port: 443, address: '127.0.0.1' }, …] }
 */
import type { ResolvePin } from './types.js';

export const URL_SCHEMES = ['http:', 'https:', 'ws:', 'wss:'];
export const PROXY_SCHEMES = ['http:', 'https:'];

export function isAbsoluteLike(url: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url);
}

/**
 * What is wrong with an absolute URL, judged with every `${var}` replaced by a stand-in;
 * undefined when it looks right, or when a variable supplies the scheme or host.
 */
export function urlShapeProblem(url: string, schemes: readonly string[], what: string): string | undefined {
  if (url.startsWith('${')) return undefined;
  if (!isAbsoluteLike(url)) return `${what} '${url}' must be an absolute URL (${schemeList(schemes)})`;
  if (!url.includes('${')) return absoluteUrlProblem(url, url, schemes, what);
  // A variable may stand for a host, a port or a path: fine if any stand-in makes a good URL.
  const problems = ['x', '1'].map((stand) => absoluteUrlProblem(url.replace(/\$\{[^}]*\}/g, stand), url, schemes, what));
  return problems.includes(undefined) ? undefined : problems[0];
}

export function absoluteUrlProblem(candidate: string, shown: string, schemes: readonly string[], what: string): string | undefined {
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    return `${what} '${shown}' is not a valid URL`;
  }
  if (!schemes.includes(u.protocol)) {
    const hint = /^[a-z0-9.-]+:\d+/i.test(shown) ? ` (did you forget '${schemes.includes('https:') ? 'https' : 'http'}://'?)` : '';
    return `${what} '${shown}' must use ${schemeList(schemes)}${hint}`;
  }
  if (!u.hostname) return `${what} '${shown}' has no host`;
  return undefined;
}

function schemeList(schemes: readonly string[]): string {
  const names = schemes.map((s) => s.slice(0, -1));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? '');
}

/** `host:port:address[,address…]`, as curl's --resolve. */
export function parsePin(pin: string): { ok: true; pins: ResolvePin[] } | { ok: false; message: string } {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5}):(.+)$/.exec(pin);
  if (!m) return { ok: false, message: `resolve entry '${pin}' must look like host:port:address` };
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return { ok: false, message: `resolve entry '${pin}': port ${port} is not between 1 and 65535` };
  const pins: ResolvePin[] = [];
  for (const raw of m[3]!.split(',')) {
    const address = raw.trim().replace(/^\[|\]$/g, '');
    if (!isIpLiteral(address)) {
      return { ok: false, message: `resolve entry '${pin}': '${raw.trim()}' is not an IP address` };
    }
    pins.push({ host, port, address });
  }
  return { ok: true, pins };
}

function isIpLiteral(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255 && (o === '0' || !o.startsWith('0')));
  if (!s.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  try {
    // The URL parser implements the IPv6 text grammar (RFC 4291 §2.2).
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}

