/**
 * HTTP proxies: which proxy applies to a target (`--proxy`, or `HTTPS_PROXY` / `HTTP_PROXY` /
 * `NO_PROXY` as curl and Go read them), and a CONNECT tunnel through it (RFC 9110 §9.3.6) that the
 * probes then use as their TCP connection.
 *
 * @example
 * const p = selectProxy(target, { env: { HTTPS_PROXY: 'http://user:pw@proxy:3128' } });
 * const t = p && (await connectTunnel(p, 'example.com:443', 3000));
 * if (t?.socket) probeOver(t.socket); else console.log(t?.detail);
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ConnectOutcome, Scheme } from '../model/index.js';
import { connectTcp, round } from './conn.js';
import { onDeadline } from './deadline.js';
import { parseResponseHead, type CompleteResponseHead } from '../wire/http1/head.js';
import { ParseError } from '../wire/bytes.js';

export interface ProxyConfig {
  /** The proxy URL without credentials, for reports. */
  url: string;
  host: string;
  port: number;
  /** An https:// proxy: TLS to the proxy itself, then CONNECT inside it. */
  tls: boolean;
  /** `Basic …` credentials from the URL's userinfo (RFC 7617), never shown. */
  authorization?: string;
  /** Where it came from: `--proxy`, or the variable's name. */
  source: string;
}

export interface ProxySelectOptions {
  /** An explicit proxy URL; null: none at all; undefined: from the environment. */
  proxy?: string | null;
  env?: Record<string, string | undefined>;
}

/**
 * Parse a proxy URL. A bare `host:port` is taken as http:// (as curl does); the default port is 1080
 * for http (curl's) and 443 for https. Undefined for what is not a usable proxy URL.
 *
 * @example parseProxyUrl('http://u:p%40ss@127.0.0.1:3128', '--proxy')?.authorization // 'Basic dTpwQHNz'
 */
export function parseProxyUrl(raw: string, source: string): ProxyConfig | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) return undefined;
  const secure = u.protocol === 'https:';
  const port = u.port ? Number(u.port) : secure ? 443 : 1080;
  const cfg: ProxyConfig = { url: `${u.protocol}//${u.host}`, host, port, tls: secure, source };
  if (u.username || u.password) {
    const user = safeDecode(u.username);
    const pass = safeDecode(u.password);
    // RFC 7617 §2: user-id ":" password, base64.
    cfg.authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
  }
  return cfg;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The proxy that applies to a target, or undefined. Explicit `proxy` wins; otherwise the scheme's
 * variable (lower case first: `https_proxy`, `HTTPS_PROXY` for https/wss; `http_proxy`, `HTTP_PROXY`
 * for http/ws), then `all_proxy`/`ALL_PROXY`, unless `no_proxy`/`NO_PROXY` matches. Like Go's
 * net/http, a proxy from the environment never applies to localhost or a loopback address.
 *
 * @example selectProxy(parseTarget('https://a.example'), { env: { HTTPS_PROXY: 'proxy:3128', NO_PROXY: '.example' } }) // undefined
 */
export function selectProxy(target: { scheme: Scheme; host: string; port: number }, o: ProxySelectOptions): ProxyConfig | undefined {
  if (o.proxy === null) return undefined;
  if (o.proxy !== undefined) return parseProxyUrl(o.proxy, '--proxy');
  const env = o.env ?? {};
  const secure = target.scheme === 'https' || target.scheme === 'wss';
  const names = secure ? ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'] : ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];
  const name = names.find((n) => env[n]?.trim());
  if (!name) return undefined;
  if (isLoopback(target.host)) return undefined;
  const noProxy = env['no_proxy'] ?? env['NO_PROXY'] ?? '';
  if (noProxyMatches(noProxy, target.host, target.port)) return undefined;
  return parseProxyUrl(env[name]!, name);
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Does a `NO_PROXY` list exclude host:port? Entries are separated by commas or spaces: `*` (every host),
 * a domain (matches itself and its subdomains; a leading `.` or `*.` is the same), an IP address, an
 * IPv4 or IPv6 CIDR block, each optionally with `:port`.
 *
 * @example noProxyMatches('localhost,.corp.example,10.0.0.0/8', 'api.corp.example', 443) // true
 */
export function noProxyMatches(list: string, host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  for (let entry of list.split(/[\s,]+/)) {
    entry = entry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: number | undefined;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracket) {
      entry = bracket[1]!;
      if (bracket[2]) entryPort = Number(bracket[2]);
    } else {
      const m = /^([^:]+):(\d+)$/.exec(entry);
      if (m) {
        entry = m[1]!;
        entryPort = Number(m[2]);
      }
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry.includes('/')) {
      if (inCidr(h, entry)) return true;
      continue;
    }
    if (net.isIP(entry) || net.isIP(h)) {
      if (net.isIP(entry) && net.isIP(h) && sameIp(entry, h)) return true;
      continue;
    }
    const domain = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    if (h === domain || h.endsWith(`.${domain}`)) return true;
  }
  return false;
}

function sameIp(a: string, b: string): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  return !!x && !!y && x.length === y.length && x.every((v, i) => v === y[i]);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const a = ipBytes(ip);
  const b = ipBytes(base ?? '');
  if (!a || !b || a.length !== b.length || !Number.isInteger(bits) || bits < 0 || bits > a.length * 8) return false;
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((a[byte]! & mask) !== (b[byte]! & mask)) return false;
  }
  return true;
}

function ipBytes(ip: string): number[] | undefined {
  if (net.isIPv4(ip)) return ip.split('.').map(Number);
  if (!net.isIPv6(ip)) return undefined;
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (v4) {
    tail = v4[1]!.split('.').map(Number);
    s = s.slice(0, -v4[1]!.length) + '0:0';
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const hs = head ? head.split(':') : [];
  const rs = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const fill = rest !== undefined ? 8 - hs.length - rs.length : 0;
  const groups = [...hs, ...Array(fill).fill('0'), ...rs].map((g) => parseInt(g || '0', 16));
  const out: number[] = [];
  for (const g of groups) out.push(g >> 8, g & 0xff);
  if (v4) out.splice(12, 4, ...tail);
  return out.length === 16 ? out : undefined;
}

export interface TunnelResult {
  /** The tunnel, ready for the target's bytes; only when `outcome === 'tunnel'`. */
  socket?: net.Socket;
  /** What the probes see as their TCP connect: ok when the tunnel is up. */
  connect: ConnectOutcome;
  outcome: 'tunnel' | 'refused' | 'connect-failed' | 'closed' | 'timeout' | 'not-http' | 'head-too-large';
  status?: number;
  reason?: string;
  headers?: Array<[string, string]>;
  detail: string;
  bytesSent: number;
  bytesReceived: number;
}

const MAX_CONNECT_HEAD = 16 * 1024;

/**
 * Open a CONNECT tunnel to `authority` (`host:port`, IPv6 in brackets) through the proxy. Never rejects:
 * every way it can fail is a value. Bytes the proxy sent after its 2xx head are given back to the socket.
 */
export async function connectTunnel(p: ProxyConfig, authority: string, timeoutMs: number, o: { ca?: string } = {}): Promise<TunnelResult> {
  const t0 = performance.now();
  const deadline = t0 + timeoutMs;
  const tcp = await connectTcp(p.host, p.port, timeoutMs);
  const fail = (outcome: TunnelResult['outcome'], detail: string, extra: Partial<TunnelResult> = {}): TunnelResult => ({
    connect: { ok: false, error: outcome === 'timeout' ? 'timeout' : 'other', errno: 'EPROXY', message: `proxy ${p.url}: ${detail}`, ms: round(performance.now() - t0) },
    outcome,
    detail,
    bytesSent: 0,
    bytesReceived: 0,
    ...extra,
  });
  if (!tcp.outcome.ok) return fail('connect-failed', `cannot reach the proxy: ${tcp.outcome.errno ?? tcp.outcome.error} (${tcp.outcome.message})`);
  let sock: net.Socket = tcp.socket;
  if (p.tls) {
    const secured = await new Promise<tls.TLSSocket | string>((resolve) => {
      const s = tls.connect({ socket: sock, servername: net.isIP(p.host) ? undefined : p.host, ...(o.ca ? { ca: o.ca } : {}) });
      const cancel = onDeadline(deadline, () => {
        s.destroy();
        resolve('TLS handshake with the proxy timed out');
      });
      s.once('secureConnect', () => {
        cancel();
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        cancel();
        s.destroy();
        resolve(`TLS to the proxy failed: ${e.code ?? ''} ${e.message}`.trim());
      });
    });
    if (typeof secured === 'string') {
      sock.destroy();
      return fail('connect-failed', secured);
    }
    sock = secured;
  }
  // RFC 9110 §9.3.6: CONNECT takes the authority form; Host carries the same authority.
  const head = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, 'User-Agent: h2doctor', ...(p.authorization ? [`Proxy-Authorization: ${p.authorization}`] : []), '', ''].join('\r\n');
  sock.write(head);
  const bytesSent = Buffer.byteLength(head);
  const got = await readHead(sock, deadline);
  const bytesReceived = got.bytes.length;
  if (got.end !== 'head') {
    sock.destroy();
    const start = JSON.stringify(got.bytes.subarray(0, 40).toString('latin1'));
    if (got.end === 'not-http') return fail('not-http', `the proxy answered CONNECT with bytes that are not HTTP: ${start}`, { bytesSent, bytesReceived });
    if (got.end === 'too-large') return fail('head-too-large', `the proxy's answer to CONNECT ${authority} is an HTTP head without end: ${start}…, no empty line within ${MAX_CONNECT_HEAD} bytes`, { bytesSent, bytesReceived });
    // Bytes of a head that had not ended by the deadline: a slow (dripping) answer, not no answer.
    if (got.end === 'timeout' && bytesReceived > 0) return fail('timeout', `the proxy's answer to CONNECT ${authority} was still incomplete after ${timeoutMs} ms (${bytesReceived} bytes: ${start})`, { bytesSent, bytesReceived });
    return fail(got.end === 'timeout' ? 'timeout' : 'closed', got.end === 'timeout' ? `no answer to CONNECT ${authority} within ${timeoutMs} ms` : `the proxy closed the connection after CONNECT ${authority}`, { bytesSent, bytesReceived });
  }
  const h = got.head!;
  const extra = { status: h.status, reason: h.reason, headers: h.headers.slice(0, 32), bytesSent, bytesReceived };
  // RFC 9110 §9.3.6: any 2xx means the tunnel is up.
  if (h.status < 200 || h.status > 299) {
    sock.destroy();
    return fail('refused', `CONNECT ${authority} answered ${h.status} ${h.reason}`.trim(), extra);
  }
  const rest = got.bytes.subarray(h.headLength);
  if (rest.length) sock.unshift(rest);
  sock.on('error', () => {});
  return {
    socket: sock,
    connect: { ok: true, ms: round(performance.now() - t0), ...(tcp.outcome.localPort !== undefined ? { localPort: tcp.outcome.localPort } : {}) },
    outcome: 'tunnel',
    detail: `CONNECT ${authority} → ${h.status} ${h.reason}`.trim(),
    ...extra,
  };
}

/**
 * Read the proxy's answer in paused mode ('readable' + read()), so that once the listener is gone the
 * socket is back in its initial state and the next 'data' listener starts the flow.
 */
function readHead(sock: net.Socket, deadline: number): Promise<{ end: 'head' | 'closed' | 'timeout' | 'not-http' | 'too-large'; bytes: Buffer; head?: CompleteResponseHead }> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const finish = (end: 'head' | 'closed' | 'timeout' | 'not-http' | 'too-large', head?: CompleteResponseHead) => {
      cancelDeadline();
      sock.off('readable', onReadable);
      sock.off('end', onEnd);
      sock.off('close', onEnd);
      sock.off('error', onEnd);
      resolve({ end, bytes: buf, ...(head ? { head } : {}) });
    };
    const onReadable = () => {
      let c: Buffer | null;
      while ((c = sock.read() as Buffer | null) !== null) buf = Buffer.concat([buf, c]);
      try {
        const h = parseResponseHead(buf, { maxHeadBytes: MAX_CONNECT_HEAD });
        if (h.complete) finish('head', h);
        else if (buf.length > MAX_CONNECT_HEAD) finish('too-large');
      } catch (e) {
        // An HTTP/1.x head over the limit is HTTP (a broken one); anything else is not HTTP at all.
        finish(e instanceof ParseError && e.code === 'too-large' ? 'too-large' : 'not-http');
      }
    };
    const onEnd = () => finish('closed');
    const cancelDeadline = onDeadline(deadline, () => finish('timeout'));
    sock.on('readable', onReadable);
    sock.once('end', onEnd);
    sock.once('close', onEnd);
    sock.once('error', onEnd);
  });
}

/** `host:port` for a CONNECT request line: IPv6 literals in brackets. */
export function connectAuthority(host: string, port: number): string {
  return `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/**
 * A `dial` for the probes that opens each connection as a CONNECT tunnel. On failure the socket is a
 * closed placeholder and the outcome says why.
 */
export function dialViaProxy(p: ProxyConfig, ca?: string) {
  return async (address: string, port: number, timeoutMs: number): Promise<{ socket: net.Socket; outcome: ConnectOutcome }> => {
    const t = await connectTunnel(p, connectAuthority(address, port), timeoutMs, ca ? { ca } : {});
    if (t.socket) return { socket: t.socket, outcome: t.connect };
    const placeholder = new net.Socket();
    placeholder.destroy();
    return { socket: placeholder, outcome: t.connect };
  };
}
