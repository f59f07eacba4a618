/**
 * The server that answered, from its `Server` field, and the syntax its version takes: fixes for
 * the detected server come first and use that server's syntax (no `http2 on;` for nginx < 1.25.1).
 */
import type { ConfigChange, Fix } from '../../model/index.js';
import type { DetectedServer, Vars } from './types.js';

export type { DetectedServer };

const SERVER_KINDS: Array<[RegExp, string]> = [
  [/^nginx\b/i, 'nginx'],
  [/^openresty\b/i, 'nginx'],
  [/^apache\b/i, 'apache'],
  [/^caddy\b/i, 'caddy'],
  [/^h2o\b/i, 'h2o'],
  [/^lighttpd\b/i, 'lighttpd'],
  [/^squid\b/i, 'squid'],
  [/^nghttpd\b/i, 'nghttpd'],
  [/^tinyproxy\b/i, 'tinyproxy'],
  [/^haproxy\b/i, 'haproxy'],
];

/**
 * The server named by a `Server` field value ("nginx/1.22.1", "Apache/2.4.71 (Debian)", "Caddy"), or undefined.
 * @example detectServer('Apache/2.4.62 (Debian)') // { kind: 'apache', version: '2.4.62', header: 'Apache/2.4.62 (Debian)' }
 */
export function detectServer(header: string | undefined): DetectedServer | undefined {
  if (!header) return undefined;
  const h = header.trim();
  const kind = SERVER_KINDS.find(([re]) => re.test(h))?.[1];
  if (!kind) return undefined;
  const version = /^[^/\s]+\/(\d+(?:\.\d+)*)/.exec(h)?.[1];
  return version ? { kind, version, header: h } : { kind, header: h };
}

/**
 * True when `version` ("1.22.1") is at least `min` ("1.25.1"); unknown versions count as new.
 * @example versionAtLeast('1.22.1', '1.25.1') // false
 */
export function versionAtLeast(version: string | undefined, min: string): boolean {
  if (!version) return true;
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * nginx's TLS listen line(s) for HTTP/2 on the target's port, in the syntax of the nginx that
 * answered: `http2 on;` exists from 1.25.1, older versions take `http2` on the listen line.
 * @example nginxListen({ ...vars, server: detectServer('nginx/1.22.1') }) // 'listen 8443 ssl http2;   # nginx 1.22.1: http2 on; needs 1.25.1'
 */
export function nginxListen(v: Vars, tls = true): string {
  const ssl = tls ? ' ssl' : '';
  if (v.server?.kind === 'nginx' && v.server.version) {
    return versionAtLeast(v.server.version, '1.25.1') ? `listen ${v.port}${ssl};\n  http2 on;` : `listen ${v.port}${ssl} http2;   # nginx ${v.server.version}: http2 on; needs 1.25.1`;
  }
  return `listen ${v.port}${ssl};\n  http2 on;            # nginx ≥ 1.25.1 (older: listen ${v.port}${ssl} http2;)`;
}


/**
 * HTTP/2 on nginx's listener for the target's port, in the syntax of the nginx that answered: the
 * snippet and its machine form (`http2` added to the listen line before 1.25.1, `http2 on;` from it).
 * @example nginxHttp2({ ...vars, server: detectServer('nginx/1.22.1') }).config // { block: 'server', append: [{ to: 'listen', add: 'http2' }] }
 */
export function nginxHttp2(v: Vars, tls = true): Pick<Fix, 'snippet' | 'config'> {
  const old = v.server?.kind === 'nginx' && v.server.version && !versionAtLeast(v.server.version, '1.25.1');
  return old
    ? { snippet: nginxListen(v, tls), config: { block: 'server', append: [{ to: 'listen', add: 'http2' }] } }
    : { snippet: nginxListen(v, tls), config: { block: 'server', set: ['http2 on;'] } };
}

/** How a block's lines read in the configuration file, for the snippet a person copies. */
function inBlock(block: ConfigChange['block'], lines: string[]): string {
  const indent = (ls: string[], by: string) => ls.flatMap((l) => l.split('\n')).map((l) => by + l);
  if (block === 'tls') return ['tls {', ...indent(lines, '  '), '}'].join('\n');
  if (block === 'servers') return ['{', '  servers {', ...indent(lines, '    '), '  }', '}'].join('\n');
  return lines.join('\n');
}

/**
 * A fix that sets these lines in one block of the server's configuration: the snippet a person
 * copies and the same change in machine form (`Fix.config`).
 * @example setting('server', ['http2_max_concurrent_streams 128;']) // { snippet: 'http2_max_concurrent_streams 128;', config: { block: 'server', set: [...] } }
 */
export function setting(block: ConfigChange['block'], lines: string[], more: Omit<ConfigChange, 'block' | 'set'> = {}): Pick<Fix, 'snippet' | 'config'> {
  return { snippet: inBlock(block, lines), config: { block, set: lines, ...more } };
}

/**
 * lighttpd's HTTP/2 switches (`server.feature-flags`, lighttpd ≥ 1.4.56; on by default from 1.4.59):
 * h2 over TLS and h2c (prior knowledge and Upgrade) in cleartext. Older lighttpd has no HTTP/2.
 * @example lighttpdH2({ server: { kind: 'lighttpd', version: '1.4.69', header: 'lighttpd/1.4.69' } } as Vars).config // { block: 'global', set: ['server.feature-flags = ("server.h2proto" => "enable", "server.h2c" => "enable")'] }
 */
export function lighttpdH2(v: Vars): Pick<Fix, 'text' | 'snippet' | 'config'> {
  const line = 'server.feature-flags = ("server.h2proto" => "enable", "server.h2c" => "enable")';
  if (v.server?.kind === 'lighttpd' && v.server.version && !versionAtLeast(v.server.version, '1.4.56')) {
    return { text: `lighttpd ${v.server.version} has no HTTP/2: upgrade to 1.4.56 or later (1.4.59 and later serve h2 and h2c by default), then keep both switches on.`, snippet: line };
  }
  return { text: 'Turn h2 (TLS) and h2c (cleartext) back on in lighttpd.conf: they are on by default from 1.4.59, so a "disable" in server.feature-flags turns them off.', ...setting('global', [line]) };
}

/**
 * lighttpd's TLS versions and suites (mod_openssl, `ssl.openssl.ssl-conf-cmd`): TLS 1.2 and 1.3, and these suites when given.
 * @example lighttpdTls().snippet // 'ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2", "MaxProtocol" => "TLSv1.3")'
 */
export function lighttpdTls(ciphers?: string): Pick<Fix, 'snippet' | 'config'> {
  const cmd = ['"MinProtocol" => "TLSv1.2"', '"MaxProtocol" => "TLSv1.3"', ...(ciphers ? [`"CipherString" => "${ciphers}"`] : [])];
  return setting('global', [`ssl.openssl.ssl-conf-cmd = (${cmd.join(', ')})`], { remove: ['ssl.cipher-list'] });
}

/**
 * h2o's TLS versions (the listener's `ssl:` map on the target's port): TLS 1.2 and newer (h2o offers TLS 1.3 wherever its OpenSSL has it).
 * @example h2oTls(v).config // { block: 'ssl', set: ['minimum-version: TLSv1.2'] }
 */
export function h2oTls(v: Vars, cipherSuite?: string): Pick<Fix, 'snippet' | 'config'> {
  const lines = ['minimum-version: TLSv1.2', ...(cipherSuite ? [`cipher-suite: ${cipherSuite}`] : [])];
  return { snippet: ['listen:', `  port: ${v.port}`, '  ssl:', ...lines.map((l) => `    ${l}`)].join('\n'), config: { block: 'ssl', set: lines } };
}
