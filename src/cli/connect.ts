/**
 * The connection flags (src/cli/flags.ts CONNECTION) turned into diagnosis options, once for every
 * command that connects. Bad values are UsageErrors (exit 2) before any connection.
 */
import { readdir, readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { CliIO } from './io.js';
import { UsageError } from '../model/errors.js';
import type { Parsed } from './spec.js';
import { DEFAULTS, type DiagnoseOptions } from '../diagnose.js';
import { hostForUrl, parseResolve, pinFor, type Target } from '../model/target.js';
import { domainToUnicode } from 'node:url';
import { parseConnectTo } from '../transport/route.js';
import { loadClientCert, type ClientCert } from '../transport/tls.js';

/** A whole-number flag value, or a UsageError naming the flag. */
export function intFlag(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`${name} wants a whole number, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** curl's --max-time: seconds, fractions allowed (`-m 2.5`), from 0.1 s to an hour; milliseconds out. */
export function secondsFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v.trim())) throw new UsageError(`${name} wants seconds (e.g. 10 or 2.5), got ${JSON.stringify(v)}`);
  const s = Number(v);
  if (s < 0.1 || s > 3600) throw new UsageError(`${name} must be between 0.1 and 3600 seconds, got ${s}`);
  return Math.round(s * 1000);
}

/** The lowest --timeout accepted, in ms. */
export const TIMEOUT_FLOOR_MS = 100;

/**
 * RFC 6066 §3: SNI carries a DNS host name (A-labels, no trailing dot): at most 253 characters, labels
 * of 1–63 letters, digits or hyphens, not starting or ending with a hyphen. '' turns SNI off.
 */
export function checkSni(sni: string): string {
  if (sni === '') return sni;
  const bad = (why: string) => new UsageError(`--sni: ${JSON.stringify(sni.length > 80 ? `${sni.slice(0, 80)}…` : sni)} is not a valid server name (${why})`);
  if (sni.length > 253) throw bad(`${sni.length} characters, at most 253`);
  for (const label of sni.split('.')) {
    if (label.length === 0) throw bad('an empty label');
    if (label.length > 63) throw bad(`a label of ${label.length} characters, at most 63`);
    if (!/^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/.test(label)) throw bad(`label ${JSON.stringify(label.slice(0, 63))}: letters, digits and inner hyphens only (IDN names as xn-- A-labels)`);
  }
  return sni;
}

/** Every CERTIFICATE block of a PEM text must decode: a broken block is a UsageError naming it. */
export function checkPemBlocks(text: string, what: string): void {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?(?:-----END CERTIFICATE-----|$)/g) ?? [];
  blocks.forEach((b, i) => {
    if (!b.includes('-----END CERTIFICATE-----')) throw new UsageError(`${what}: certificate ${i + 1} has no -----END CERTIFICATE----- line`);
    try {
      new X509Certificate(b);
    } catch (e) {
      throw new UsageError(`${what}: certificate ${i + 1} is not a valid PEM certificate (${(e as Error).message.split('\n')[0]})`);
    }
  });
}

/** Time kept after the probes' deadline for the rules, the report and the exit. */
const RESERVE_MS = 150;

/**
 * The run's deadline as performance.now() time: --max-time counts from `startedAt` (the CLI: the
 * process's start, Node's time origin, so loading, the probes and the output all end within it;
 * default: now, for a command run inside a longer-lived process).
 */
export function runDeadline(maxTimeMs: number, startedAt: number = performance.now()): number {
  return Math.max(startedAt + maxTimeMs - RESERVE_MS, Math.min(startedAt + maxTimeMs, performance.now() + 1));
}

/**
 * `--resolve` pins of which none names the URL's host and port are a mistake (curl ignores them
 * silently, and the run would resolve the name itself): one line, exit 2. IDN hosts compare in
 * their A-label form, whichever form either side was written in.
 */
export function checkPinsApply(target: Target, pins: DiagnoseOptions['resolve']): void {
  const list = (pins ?? []).map((r) => (typeof r === 'string' ? parseResolve(r) : r));
  if (list.length === 0 || pinFor(target, list)) return;
  const unicode = domainToUnicode(target.host);
  const host = `${hostForUrl(target.host)}:${target.port}${unicode && unicode !== target.host ? ` (${unicode})` : ''}`;
  throw new UsageError(`--resolve ${list.map((p) => p.raw).join(', ')} does not match the URL's host ${host}: pin it as ${hostForUrl(target.host)}:${target.port}:<address>`);
}

/** The options every connecting command shares: addresses, trust, proxy, timeout. */
export async function connectionOptions(p: Parsed, io: CliIO): Promise<DiagnoseOptions> {
  const o: DiagnoseOptions = { env: io.env };
  const pins = p.list('resolve').map(parseResolve);
  if (pins.length) o.resolve = pins;
  // A floor: below 100 ms even a loopback TLS handshake cannot finish, and every probe would time out.
  const timeoutMs = intFlag('--timeout', p.str('timeout'), TIMEOUT_FLOOR_MS, 600_000);
  if (timeoutMs !== undefined) o.timeoutMs = timeoutMs;
  const maxTime = secondsFlag('--max-time', p.str('max-time'));
  if (maxTime !== undefined) o.maxTimeMs = maxTime;
  o.deadline = runDeadline(maxTime ?? DEFAULTS.maxTimeMs, io.startedAt);
  const cacert = p.str('cacert');
  if (cacert !== undefined) {
    o.ca = await readCa(cacert);
    o.caFile = cacert;
  }
  const sni = p.str('sni');
  if (sni !== undefined) o.sni = checkSni(sni);
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
  if (p.bool('insecure')) o.insecure = true;
  const capath = p.str('capath');
  if (capath !== undefined) o.ca = (o.ca ?? '') + (await readCaPath(capath));
  const cc = await clientCertFrom(p);
  if (cc) o.clientCert = cc;
  const connectTo = p.list('connect-to').map(parseConnectTo);
  if (connectTo.length) o.connectTo = connectTo;
  if (p.bool('ipv4') && p.bool('ipv6')) throw new UsageError('-4 and -6 contradict each other');
  if (p.bool('ipv4')) o.family = 4;
  if (p.bool('ipv6')) o.family = 6;
  const ua = p.str('user-agent');
  if (ua !== undefined) {
    if (/[\r\n\0]/.test(ua)) throw new UsageError('-A: the User-Agent holds a line break');
    o.userAgent = ua;
  }
  const noproxy = p.str('noproxy');
  if (noproxy !== undefined && noproxy.trim() !== '*') o.noProxy = noproxy;
  return o;
}

/**
 * curl's --cert <file[:password]> (a `\:` is a colon in the file name), --key and --pass: PEM
 * files, checked to load together before any connection.
 */
export async function clientCertFrom(p: Parsed): Promise<ClientCert | undefined> {
  const certArg = p.str('cert');
  const keyFile = p.str('key');
  let pass = p.str('pass');
  if (certArg === undefined) {
    if (keyFile !== undefined || pass !== undefined) throw new UsageError(`${keyFile !== undefined ? '--key' : '--pass'} goes with --cert <file>`);
    return undefined;
  }
  // file:password, as curl: the first colon not preceded by a backslash (C:\ on Windows aside).
  const m = /^((?:[^:\\]|\\.)*?)(?::(.*))?$/s.exec(certArg)!;
  const certFile = m[1]!.replace(/\\:/g, ':');
  if (m[2] !== undefined && pass === undefined) pass = m[2];
  const cert = await readText(certFile, '--cert');
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--cert: ${certFile} holds no PEM certificate`);
  const key = keyFile !== undefined ? await readText(keyFile, '--key') : cert;
  if (!/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(key)) {
    throw new UsageError(keyFile !== undefined ? `--key: ${keyFile} holds no PEM private key` : `--cert: ${certFile} holds no private key; name it with --key <file>`);
  }
  const cc: ClientCert = { cert, key, ...(pass !== undefined ? { passphrase: pass } : {}) };
  try {
    loadClientCert(cc);
  } catch (e) {
    const msg = (e as Error).message;
    // A wrong pass phrase fails the decryption's padding check ("bad decrypt"), or, about once in
    // 256 keys, passes it and leaves bytes the decoder cannot read ("DECODER routines::unsupported").
    const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(key);
    if (/bad decrypt|passphrase|PEM_read_bio|bad password/i.test(msg) || (encrypted && /DECODER routines/i.test(msg))) throw new UsageError(`--cert/--key: cannot decrypt the private key${pass === undefined ? ' (it is encrypted: give --pass)' : ' with this --pass'}`);
    if (/key values mismatch|KEY_VALUES_MISMATCH/i.test(msg)) throw new UsageError('--cert/--key: the private key does not belong to the certificate');
    throw new UsageError(`--cert/--key: cannot load them: ${msg.split('\n')[0]}`);
  }
  return cc;
}

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** curl's --capath: every PEM certificate in the directory (OpenSSL's hashed names and *.pem / *.crt alike). */
export async function readCaPath(dir: string): Promise<string> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new UsageError(`--capath: cannot read ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const pems: string[] = [];
  for (const n of names.sort()) {
    try {
      const t = await readFile(join(dir, n), 'utf8');
      if (t.includes('-----BEGIN CERTIFICATE-----')) pems.push(t.endsWith('\n') ? t : t + '\n');
    } catch {
      // a subdirectory or an unreadable file: not a certificate
    }
  }
  if (!pems.length) throw new UsageError(`--capath: ${dir} holds no PEM certificate`);
  return pems.join('');
}

export async function readCa(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--cacert: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--cacert: ${file} holds no PEM certificate`);
  checkPemBlocks(text, `--cacert: ${file}`);
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

/** The terminal's columns, else COLUMNS; undefined when neither says (output piped to a file or a CI log). */
export function knownWidth(io: CliIO): number | undefined {
  const n = io.columns ?? Number(io.env.COLUMNS || NaN);
  return Number.isFinite(n) && n >= 20 ? Math.min(Math.floor(n), 400) : undefined;
}

/** Columns to wrap to: the terminal's, else COLUMNS, else 80. */
export function widthOf(io: CliIO): number {
  const n = io.columns ?? Number(io.env.COLUMNS);
  return Number.isFinite(n) && n >= 20 ? Math.min(Math.floor(n), 400) : 80;
}
