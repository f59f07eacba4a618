/**
 * Applies a fix's machine form (`Fix.config`, a {@link ConfigChange}) to the lines of one block of
 * a server configuration: pure, lines in, lines out. The fix-verification tests
 * (test/real-fix-verification.test.ts) apply h2doctor's own fixes to real servers with it.
 */
import type { ConfigChange } from '../model/index.js';

/** Directives that may appear several times in one block: their key is the name and first argument. */
const REPEATS = new Set([
  // OpenSSL configuration commands: `ssl_conf_command Options …` and `ssl_conf_command SignatureAlgorithms …` are two settings.
  'ssl_conf_command',
  'sslopensslconfcmd',
  'add_header',
  'proxy_set_header',
  'proxy_hide_header',
  'header',
  'requestheader',
  'proxypass',
  'proxypassreverse',
  'loadmodule',
  'http-request',
  'http-response',
  'http-after-response',
  'crt',
  'header_down',
  'header_up',
]);

/** Directives whose lines add to each other (`acl SSL_ports port 443` then `acl SSL_ports port 8443`): setting one adds it unless the same line is there. */
const ACCUMULATE = new Set(['acl']);

/**
 * A directive's name: its first word, lower-cased (Apache's names are case-insensitive), without nginx's `;` or the `:` of h2o's YAML keys.
 * @example directiveName('  SSLProtocol -all +TLSv1.2') // 'sslprotocol'; directiveName('http2 on;') // 'http2'
 */
export function directiveName(line: string): string {
  return (line.trim().split(/\s+/)[0] ?? '').replace(/[;:]$/, '').toLowerCase();
}

/**
 * The key a `set` line replaces: the directive's name, or for directives that repeat the name and
 * its first argument (quotes removed).
 * @example configKey('add_header Upgrade "HTTP/2.0" always;') // 'add_header upgrade'
 */
export function configKey(line: string): string {
  const name = directiveName(line);
  // Squid's and HAProxy's acl lines add to the named list: each line is a key of its own.
  if (ACCUMULATE.has(name)) return line.trim().replace(/\s+/g, ' ').toLowerCase();
  if (!REPEATS.has(name)) return name;
  const arg = (line.trim().split(/\s+/)[1] ?? '').replace(/^["']|["';]+$/g, '').toLowerCase();
  return `${name} ${arg}`;
}

/**
 * The block's lines with the change applied: `remove` drops every line of those names, `set`
 * replaces the first line with the same key (dropping the others) or adds the line at the end,
 * `append` adds a parameter to every line of that name that lacks it (before nginx's `;`). A `remove`
 * entry that is a name and its first argument (`ssl_conf_command SignatureAlgorithms`) drops only those lines.
 * @example
 * applyConfigChange(['listen 127.0.0.1:8443 ssl;', 'ssl_protocols TLSv1;'], { block: 'server', set: ['ssl_protocols TLSv1.2 TLSv1.3;'], append: [{ to: 'listen', add: 'http2' }] })
 * // ['listen 127.0.0.1:8443 ssl http2;', 'ssl_protocols TLSv1.2 TLSv1.3;']
 */
export function applyConfigChange(lines: readonly string[], change: ConfigChange): string[] {
  // A name removes every line of that directive; a name and its first argument (a directive that repeats) only those lines.
  const removed = new Set((change.remove ?? []).map((n) => n.trim().replace(/\s+/g, ' ').toLowerCase()));
  let out = lines.filter((l) => !removed.has(directiveName(l)) && !removed.has(configKey(l)));
  for (const line of change.set ?? []) {
    const key = configKey(line);
    const at = out.findIndex((l) => configKey(l) === key);
    if (at < 0) out.push(line);
    else out = out.flatMap((l, i) => (i === at ? [line] : configKey(l) === key ? [] : [l]));
  }
  for (const { to, add } of change.append ?? []) {
    out = out.map((l) => {
      if (directiveName(l) !== to.toLowerCase() || l.trim().split(/\s+/).includes(add) || l.trim().split(/\s+/).includes(`${add};`)) return l;
      return /;\s*$/.test(l) ? l.replace(/;\s*$/, ` ${add};`) : `${l.trimEnd()} ${add}`;
    });
  }
  return out;
}
