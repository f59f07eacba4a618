/**
 * The connection flags (src/cli/flags.ts CONNECTION) turned into diagnosis options, once for every
 * command that connects. Bad values are UsageErrors (exit 2) before any connection.
 */
import { readFile } from 'node:fs/promises';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import type { Parsed } from './spec.js';
import type { DiagnoseOptions } from '../diagnose.js';
import { parseResolve } from '../target.js';

/** A whole-number flag value, or a UsageError naming the flag. */
export function intFlag(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`${name} wants a whole number, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** The options every connecting command shares: addresses, trust, proxy, timeout. */
export async function connectionOptions(p: Parsed, io: CliIO): Promise<DiagnoseOptions> {
  const o: DiagnoseOptions = { env: io.env };
  const pins = p.list('resolve').map(parseResolve);
  if (pins.length) o.resolve = pins;
  const timeoutMs = intFlag('--timeout', p.str('timeout'), 1, 600_000);
  if (timeoutMs !== undefined) o.timeoutMs = timeoutMs;
  const cacert = p.str('cacert');
  if (cacert !== undefined) {
    o.ca = await readCa(cacert);
    o.caFile = cacert;
  }
  const sni = p.str('sni');
  if (sni !== undefined) o.sni = sni;
  const proxy = p.str('proxy');
  const noProxy = p.bool('no-proxy') || p.str('noproxy') === '*';
  if (proxy !== undefined && noProxy) throw new UsageError(`--proxy and ${p.bool('no-proxy') ? '--no-proxy' : "--noproxy '*'"} contradict each other`);
  if (proxy !== undefined) {
    let u: URL;
    try {
      u = new URL(proxy);
    } catch {
      throw new UsageError(`--proxy: not a valid URL: ${JSON.stringify(proxy)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--proxy: unsupported proxy scheme "${u.protocol}" (use http:// or https://)`);
    o.proxy = proxy;
  }
  if (noProxy) o.proxy = null;
  for (const name of ['connect-to', 'capath', 'cert', 'key', 'pass', 'noproxy', 'user-agent'] as const) {
    if (p.has(name) && !(name === 'noproxy' && p.str('noproxy') === '*')) throw new UsageError(`--${name} is not supported yet`);
  }
  for (const name of ['ipv4', 'ipv6', 'insecure'] as const) if (p.bool(name)) throw new UsageError(`--${name} is not supported yet`);
  return o;
}

export async function readCa(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--cacert: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--cacert: ${file} holds no PEM certificate`);
  return text;
}

/** Colour for this run: --color / --no-color, else FORCE_COLOR, NO_COLOR and the terminal (io.color). */
export function useColor(p: Parsed, io: CliIO): boolean {
  if (p.bool('no-color')) return false;
  const when = p.str('color') ?? 'auto';
  if (when === 'always') return true;
  if (when === 'never') return false;
  return io.color;
}

/** Columns to wrap to: the terminal's, else COLUMNS, else 80. */
export function widthOf(io: CliIO): number {
  const n = io.columns ?? Number(io.env.COLUMNS);
  return Number.isFinite(n) && n >= 20 ? Math.min(Math.floor(n), 400) : 80;
}
