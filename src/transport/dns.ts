/**
 * Name resolution: every A and AAAA address of a name, or the `--resolve` pin.
 */
import dns from 'node:dns';
import net from 'node:net';
import type { Target } from '../model/index.js';
import { pinFor, type ResolvePin } from '../model/target.js';

export interface Resolution {
  source: 'dns' | 'resolve-pin' | 'literal';
  addresses: string[];
  skipped: string[];
  error?: string;
}

/**
 * Resolve a target. Names under `.invalid` never resolve (RFC 6761 §6.4), without asking any resolver.
 */
export async function resolveTarget(target: Target, pins: readonly ResolvePin[], maxAddresses: number, timeoutMs: number): Promise<Resolution> {
  const pin = pinFor(target, pins);
  const cap = (list: string[], source: Resolution['source']): Resolution => ({
    source,
    addresses: list.slice(0, maxAddresses),
    skipped: list.slice(maxAddresses),
  });
  if (pin) return cap(pin.addresses, 'resolve-pin');
  if (net.isIP(target.host)) return cap([target.host], 'literal');
  const name = target.host.toLowerCase().replace(/\.$/, '');
  if (name === 'invalid' || name.endsWith('.invalid')) {
    return { source: 'dns', addresses: [], skipped: [], error: 'ENOTFOUND (RFC 6761: .invalid names never resolve)' };
  }
  try {
    const found = await Promise.race([
      dns.promises.lookup(name, { all: true, verbatim: true }),
      new Promise<never>((_, rej) => setTimeout(() => rej(Object.assign(new Error('resolver timeout'), { code: 'ETIMEOUT' })), timeoutMs).unref()),
    ]);
    const uniq = [...new Set(found.map((a) => a.address))];
    // Probe IPv4 and IPv6 alike: interleave so a cap keeps both families.
    const v4 = uniq.filter((a) => net.isIP(a) === 4);
    const v6 = uniq.filter((a) => net.isIP(a) === 6);
    const mixed: string[] = [];
    for (let i = 0; i < Math.max(v4.length, v6.length); i++) {
      if (v4[i]) mixed.push(v4[i]!);
      if (v6[i]) mixed.push(v6[i]!);
    }
    if (mixed.length === 0) return { source: 'dns', addresses: [], skipped: [], error: 'no A or AAAA records' };
    return cap(mixed, 'dns');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { source: 'dns', addresses: [], skipped: [], error: `${err.code ?? 'ERROR'}: ${err.message}` };
  }
}

/** A resolver named with --dns-server. `label` is how reports name it: `ip` or `ip:port` as given. */
export interface DnsServer {
  host: string;
  port: number;
  label: string;
}

/**
 * Parses `ip`, `ip:port`, `[v6]:port` or a bare IPv6 address; undefined when it is not an IP
 * (a resolver is named by address: resolving the resolver's own name would need a resolver).
 *
 * @example parseDnsServer('127.0.0.1:5353') // { host: '127.0.0.1', port: 5353, label: '127.0.0.1:5353' }
 */
export function parseDnsServer(s: string): DnsServer | undefined {
  const t = s.trim();
  let host = t;
  let port = 53;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) {
    host = v6[1]!;
    if (v6[2]) port = Number(v6[2]);
  } else if (net.isIP(t) === 0) {
    const i = t.lastIndexOf(':');
    if (i < 0 || !/^\d+$/.test(t.slice(i + 1))) return undefined;
    host = t.slice(0, i);
    port = Number(t.slice(i + 1));
  }
  if (net.isIP(host) === 0 || port < 1 || port > 65535) return undefined;
  return { host, port, label: t };
}

/**
 * The A and AAAA records of `name` from one resolver (node:dns Resolver, one try, bounded by
 * `timeoutMs`). No answer in one family is not an error; none in both is.
 */
export async function resolveVia(server: DnsServer, name: string, timeoutMs: number): Promise<{ addresses: string[]; error?: string }> {
  const r = new dns.promises.Resolver({ timeout: Math.max(100, timeoutMs), tries: 1 });
  r.setServers([net.isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`]);
  const q = (f: () => Promise<string[]>) => f().then((a) => ({ a }), (e: NodeJS.ErrnoException) => ({ a: [] as string[], code: e.code ?? 'ERROR' }));
  const timer = new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), timeoutMs + 200).unref());
  const both = Promise.all([q(() => r.resolve4(name)), q(() => r.resolve6(name))]);
  const got = await Promise.race([both, timer]);
  if (got === 'timeout') {
    r.cancel();
    return { addresses: [], error: 'ETIMEOUT: the resolver did not answer in time' };
  }
  const [v4, v6] = got;
  const addresses = [...new Set([...v4.a, ...v6.a])];
  if (addresses.length) return { addresses };
  const code = [v4, v6].map((x) => ('code' in x ? x.code : undefined)).find((c) => c && c !== 'ENODATA') ?? 'ENODATA';
  return { addresses: [], error: `${code}: no A or AAAA records from ${server.label}` };
}

/**
 * Each --dns-server asked at once; the addresses to probe are the union of their answers (each
 * capped at `max`). A resolver that is not an IP (with an optional port) is a TypeError.
 */
export async function resolveEach(servers: readonly string[], host: string, max: number, timeoutMs: number) {
  const name = host.toLowerCase().replace(/\.$/, '');
  const answers = await Promise.all(
    servers.map(async (label) => {
      const s = parseDnsServer(label);
      if (!s) throw new TypeError(`not a resolver address (ip or ip:port): ${JSON.stringify(label)}`);
      const r = await resolveVia(s, name, timeoutMs);
      return { server: s.label, addresses: r.addresses.slice(0, max), ...(r.error ? { error: r.error } : {}) };
    }),
  );
  const addresses = [...new Set(answers.flatMap((a) => a.addresses))];
  const errors = answers.filter((a) => a.error).map((a) => `${a.server}: ${a.error}`);
  const resolution: Resolution = { source: 'dns', addresses, skipped: [] };
  if (!addresses.length) resolution.error = errors.join('; ') || 'no A or AAAA records';
  return { resolution, answers };
}
