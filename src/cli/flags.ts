/**
 * Every flag of every command, defined once. A command lists the flags it takes in
 * src/cli/registry.ts, usually as whole groups (`CONNECTION` goes to every command that connects),
 * so a new connection flag added here reaches diagnose, trace, init, explain --url … at once, and
 * help, the man page and completion pick it up by themselves.
 *
 * Adding a flag: one entry below (and the group it belongs to), then read it in the command with
 * `p.str('name')` / `p.bool('name')` / `p.list('name')` (src/cli/spec.ts `Parsed`).
 */
import type { FlagSpec } from './spec.js';

const def = <const T extends Record<string, Omit<FlagSpec, 'name'>>>(t: T): { [K in keyof T]: FlagSpec } =>
  Object.fromEntries(Object.entries(t).map(([name, f]) => [name, { name, ...f }])) as { [K in keyof T]: FlagSpec };

export const FLAGS = def({
  // ── connection: curl's names and meanings ────────────────────────────────────────────────
  resolve: { type: 'string', multiple: true, value: '<host:port:addr[,addr]>', help: 'use these addresses for host:port, as curl does (repeatable)' },
  'connect-to': { type: 'string', multiple: true, value: '<host1:port1:host2:port2>', help: 'connect to host2:port2 instead of host1:port1, keeping the URL\'s name for SNI and Host, as curl does (repeatable; empty parts match any)' },
  ipv4: { short: '4', type: 'boolean', help: 'use IPv4 addresses only' },
  ipv6: { short: '6', type: 'boolean', help: 'use IPv6 addresses only' },
  cacert: { type: 'string', value: '<file>', complete: 'file', help: 'PEM CA bundle to verify the server with (replaces the default roots)' },
  capath: { type: 'string', value: '<dir>', complete: 'dir', help: 'directory of PEM CA certificates to verify the server with (replaces the default roots)' },
  insecure: { short: 'k', type: 'boolean', help: 'go on when the certificate does not verify (it is still checked and reported)' },
  cert: { short: 'E', type: 'string', value: '<file[:password]>', complete: 'file', help: 'client certificate (PEM) for servers that ask for one (mutual TLS); the key may be in the same file' },
  key: { type: 'string', value: '<file>', complete: 'file', help: 'private key (PEM) of the client certificate' },
  pass: { type: 'string', value: '<phrase>', help: 'pass phrase of the client key' },
  sni: { type: 'string', value: '<name>', help: "send this SNI instead of the URL's host ('' sends none)" },
  'user-agent': { short: 'A', type: 'string', value: '<name>', help: 'User-Agent of the HTTP requests (default h2doctor/<version>)' },
  proxy: { short: 'x', type: 'string', value: '<url>', help: 'go through this HTTP proxy (CONNECT); default from HTTPS_PROXY / HTTP_PROXY' },
  noproxy: { type: 'string', value: '<hosts>', help: "hosts that bypass the proxy, comma-separated ('*': all), as curl's --noproxy and NO_PROXY" },
  'no-proxy': { type: 'boolean', help: 'ignore the proxy variables (same as --noproxy \'*\')' },
  timeout: { type: 'string', value: '<ms>', help: 'deadline for each probe (default 3000)' },
  'max-time': { short: 'm', type: 'string', value: '<seconds>', help: 'the whole run ends within this time whatever the server does, as curl\'s --max-time (default 10; 60 with --survey)' },
  // ── request ──────────────────────────────────────────────────────────────────────────────
  request: { short: 'X', type: 'string', value: '<method>', help: 'method for the HTTP requests (default GET)' },
  header: { short: 'H', type: 'string', multiple: true, value: "<'Name: value'>", help: 'extra request header (repeatable)' },
  'dns-server': { type: 'string', multiple: true, value: '<ip[:port]>', help: "resolve through this resolver instead of the system's (repeatable): every answer is probed, and what works on each resolver's answer is compared" },
  html: { type: 'string', value: '<file>', complete: 'file', help: 'also write the report as one self-contained HTML page (no network fetches when opened)' },
  // ── output ───────────────────────────────────────────────────────────────────────────────
  json: { type: 'boolean', help: 'print JSON (with schemaVersion) instead of text' },
  verbose: { short: 'v', type: 'boolean', help: 'show every probe' },
  color: { type: 'string', value: '<when>', choices: ['auto', 'always', 'never'], help: 'colour: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always or never' },
  'no-color': { type: 'boolean', help: 'no colour (same as --color=never)' },
  help: { short: 'h', type: 'boolean', help: 'this help' },
  version: { short: 'V', type: 'boolean', help: 'print the version' },
});

/** The flags of every command that opens a connection (diagnose, trace, init, explain --url, …). */
export const CONNECTION: readonly FlagSpec[] = [
  FLAGS.resolve,
  FLAGS['connect-to'],
  FLAGS.ipv4,
  FLAGS.ipv6,
  FLAGS.cacert,
  FLAGS.capath,
  FLAGS.insecure,
  FLAGS.cert,
  FLAGS.key,
  FLAGS.pass,
  FLAGS.sni,
  FLAGS['user-agent'],
  FLAGS.proxy,
  FLAGS.noproxy,
  FLAGS['no-proxy'],
  FLAGS.timeout,
  FLAGS['max-time'],
];

/** Output flags every command takes. */
export const OUTPUT: readonly FlagSpec[] = [FLAGS.color, FLAGS['no-color'], FLAGS.help];

/** A shared flag with this command's own words. */
export function withHelp(f: FlagSpec, help: string): FlagSpec {
  return { ...f, help };
}
