/**
 * IP literals: which version a string is, and the one way to write a host into a URL authority or
 * a `host:port` pair (IPv6 in brackets, RFC 3986 §3.2.2). Pure, no sockets.
 *
 * @example
 * ipVersion('::1') // 6
 * hostPort('::1', 443) // '[::1]:443'
 */

const V4_PART = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function isV4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => V4_PART.test(p));
}

// RFC 4291 §2.2: eight 16-bit groups, one "::" for one or more zero groups, an IPv4 tail in the
// last 32 bits; RFC 4007 §11: an optional %zone.
function isV6(s: string): boolean {
  const zone = s.indexOf('%');
  if (zone >= 0) {
    if (!/^[0-9a-zA-Z\-.:]+$/.test(s.slice(zone + 1))) return false;
    s = s.slice(0, zone);
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const all = halves.map(groups);
  const flat = all.flat();
  let count = flat.length;
  const last = flat[flat.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isV4(last)) return false;
    // The IPv4 tail must close the address.
    if (halves.length === 2 && all[1]!.length === 0) return false;
    count += 1;
    flat.pop();
  }
  if (!flat.every((g) => V6_GROUP.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** 4 or 6 for an IP literal (without brackets), 0 for anything else (as node:net's isIP). */
export function ipVersion(s: string): 0 | 4 | 6 {
  if (isV4(s)) return 4;
  if (s.includes(':') && isV6(s)) return 6;
  return 0;
}

/** A host as it goes into a URL or `host:port`: IPv6 literals in brackets, the rest as is. */
export function bracketHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `host:port`, IPv6 literals bracketed. */
export function hostPort(host: string, port: number): string {
  return `${bracketHost(host)}:${port}`;
}
