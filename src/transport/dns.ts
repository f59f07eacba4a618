/**
 * Name resolution: every A and AAAA address of a name, or the `--resolve` pin.
 */
import dns from 'node:dns';
import net from 'node:net';
import type { Target } from '../types.js';
import { pinFor, type ResolvePin } from '../target.js';

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
