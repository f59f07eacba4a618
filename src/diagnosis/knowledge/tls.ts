/**
 * Words for the tls and certificate codes: titles, explanations, what clients print, fixes for
 * servers (nginx, Apache, HAProxy, Caddy, Node) and clients (Node, Python, Go, curl, Java), and
 * the commands that reproduce each one.
 */
import type { Fix } from '../../model/index.js';
import type { Code } from '../../model/codes.js';
import type { Knowledge, Vars } from './types.js';
import { h2oTls, lighttpdTls, nginxListen, setting } from './server.js';
import { clientsPrint } from './printed.js';

const ossl = (v: Vars, extra: string) => `openssl s_client -connect ${v.connect}${v.servername} -alpn h2 ${extra}</dev/null 2>&1 | grep -aE 'Protocol|Cipher|alert|Verify|subject|issuer|ALPN'`;
const curl = (v: Vars, extra = '') => `curl -sv --http2${extra} -o /dev/null${v.resolve} ${v.url}`;

/** The version lines each server's fixes repeat (TLS 1.2 and 1.3 on, nothing older). */
const NGINX_TLS12_13 = 'ssl_protocols TLSv1.2 TLSv1.3;';
const APACHE_TLS12_13 = 'SSLProtocol -all +TLSv1.2 +TLSv1.3';
const NODE_MIN_TLS12 = "http2.createSecureServer({ key, cert, minVersion: 'TLSv1.2' });";


const MODERN_CIPHERS = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';
/** HAProxy's bind line on the target's port with these options (the machine form: the options alone, ssl-max-ver dropped). */
const haproxyBind = (v: Vars, options: string[], remove: string[] = []): Pick<Fix, 'snippet' | 'config'> => ({
  snippet: `bind :${v.port} ssl crt /etc/haproxy/site.pem ${options.join(' ')}${remove.length ? `   # and no ${remove.join(', ')}` : ''}`,
  config: { block: 'bind', set: options, ...(remove.length ? { remove } : {}) },
});

/** TLS 1.2 and 1.3 with the modern suites and groups, for each server (the target's port in HAProxy's bind line). */
const modernServer = (v: Vars): Fix[] => [
  { side: 'server', applies: 'nginx', text: 'Enable TLS 1.2 and 1.3 with the modern suites and groups.', ...setting('server', ['ssl_protocols TLSv1.2 TLSv1.3;', `ssl_ciphers ${MODERN_CIPHERS};`, 'ssl_ecdh_curve X25519:prime256v1:secp384r1;']) },
  { side: 'server', applies: 'apache', text: 'mod_ssl: the same in the virtual host.', ...setting('virtualhost', ['SSLProtocol -all +TLSv1.2 +TLSv1.3', 'SSLCipherSuite ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305', 'SSLOpenSSLConfCmd Curves X25519:prime256v1:secp384r1']) },
  { side: 'server', applies: 'haproxy', text: 'On the bind line (or ssl-default-bind-* in global); drop an ssl-max-ver below TLSv1.3.', ...haproxyBind(v, ['alpn h2,http/1.1', 'ssl-min-ver TLSv1.2', 'ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256', 'curves X25519:P-256'], ['ssl-max-ver']) },
  { side: 'server', applies: 'caddy', text: 'Caddy\'s defaults are modern; remove custom protocols/ciphers/curves from the tls block.', ...setting('tls', ['protocols tls1.2 tls1.3'], { remove: ['ciphers', 'curves'] }) },
  { side: 'server', applies: 'lighttpd', text: 'mod_openssl: TLS 1.2 and 1.3 with the modern suites for both key types (and no ssl.cipher-list of your own).', ...lighttpdTls(MODERN_CIPHERS) },
  { side: 'server', applies: 'h2o', text: 'In the listener\'s ssl map: TLS 1.2 as the minimum and the modern suites for both key types (h2o adds TLS 1.3 where its OpenSSL has it).', ...h2oTls(v, MODERN_CIPHERS) },
  { side: 'server', applies: 'node', text: 'Leave Node\'s defaults (TLS 1.2–1.3, its cipher list and groups) or set them explicitly.', snippet: "http2.createSecureServer({ key, cert, allowHTTP1: true, minVersion: 'TLSv1.2' });" },
];

/** The names the server's default certificate covers (from the evidence), usable as SNI: no wildcards, no IP addresses. */
const configuredNames = (v: Vars): string[] => (v.facts?.names ?? []).filter((n) => !n.includes('*') && !/^[\d.]+$|:/.test(n) && n !== (v.sniName ?? v.host));

/** Testing a name the server is configured for: one the certificate names, or (none seen) words without a placeholder. */
function sniOther(v: Vars, name: string): Fix {
  const known = configuredNames(v);
  if (!known.length) {
    return { side: 'client', applies: 'any', text: `Check the URL and DNS: ${name} may point at the wrong server. The server showed no certificate for any name, so which names it serves is known only from its configuration (or its operator): send one of them as SNI (h2doctor --sni, curl --connect-to) to confirm.` };
  }
  const other = known[0]!;
  return {
    side: 'client',
    applies: 'any',
    text: `Check the URL and DNS: ${name} may point at the wrong server. The server's default certificate covers ${known.join(', ')}: send ${other} as SNI to confirm the server works for the names it has.`,
    snippet: `h2doctor ${v.url} --sni ${other}\ncurl -v --connect-to ${other}:${v.port}:${v.connect} https://${other}:${v.port}/`,
  };
}

const CLIENT_VERSION: Fix[] = [
  { side: 'client', applies: 'node', text: 'Node ≥ 12 refuses below TLS 1.2 by default; only lower it to reach a legacy server you cannot fix.', snippet: "tls.connect({ host, port, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });" },
  { side: 'client', applies: 'python', text: 'ssl.SSLContext.minimum_version.', snippet: 'ctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2' },
  { side: 'client', applies: 'go', text: 'tls.Config MinVersion / MaxVersion.', snippet: 'cfg := &tls.Config{MinVersion: tls.VersionTLS12}' },
  { side: 'client', applies: 'curl', text: 'Pin the version to test it.', snippet: 'curl --tlsv1.2 --tls-max 1.2 -v https://host/' },
  { side: 'client', applies: 'java', text: 'jdk.tls.client.protocols, or SSLParameters.setProtocols.', snippet: '-Djdk.tls.client.protocols=TLSv1.2,TLSv1.3' },
];

const CERT_SERVER = (what: string): Fix[] => [
  { side: 'server', applies: 'nginx', text: `${what} ssl_certificate takes the full chain (leaf first, then intermediates).`, ...setting('server', ['ssl_certificate     /etc/ssl/site/fullchain.pem;', 'ssl_certificate_key /etc/ssl/site/privkey.pem;']) },
  { side: 'server', applies: 'apache', text: `${what} Apache ≥ 2.4.8 reads the chain from SSLCertificateFile.`, ...setting('virtualhost', ['SSLCertificateFile    /etc/ssl/site/fullchain.pem', 'SSLCertificateKeyFile /etc/ssl/site/privkey.pem']) },
  { side: 'server', applies: 'haproxy', text: `${what} The crt file holds leaf, intermediates and key.`, snippet: 'cat fullchain.pem privkey.pem > /etc/haproxy/site.pem\nbind :443 ssl crt /etc/haproxy/site.pem alpn h2,http/1.1' },
  { side: 'server', applies: 'caddy', text: `${what} Caddy's automatic HTTPS obtains and renews the certificate; for a manual one give the full chain.`, snippet: 'example.com {\n  tls /etc/ssl/site/fullchain.pem /etc/ssl/site/privkey.pem\n}' },
  { side: 'server', applies: 'lighttpd', text: `${what} ssl.pemfile takes the full chain (leaf first, then intermediates), ssl.privkey the key.`, ...setting('global', ['ssl.pemfile = "/etc/ssl/site/fullchain.pem"', 'ssl.privkey = "/etc/ssl/site/privkey.pem"']) },
  { side: 'server', applies: 'h2o', text: `${what} certificate-file in the listener's ssl map takes the full chain (leaf first, then intermediates).`, ...setting('ssl', ['certificate-file: /etc/ssl/site/fullchain.pem', 'key-file: /etc/ssl/site/privkey.pem']) },
  { side: 'server', applies: 'node', text: `${what} Pass the chain as cert.`, snippet: "http2.createSecureServer({ cert: fs.readFileSync('fullchain.pem'), key: fs.readFileSync('privkey.pem'), allowHTTP1: true });" },
];

const CLIENT_CA: Fix[] = [
  { side: 'client', applies: 'node', text: 'Trust a private CA explicitly (never rejectUnauthorized: false in production).', snippet: "tls.connect({ host, port, ca: fs.readFileSync('ca.pem') });  // or NODE_EXTRA_CA_CERTS=ca.pem" },
  { side: 'client', applies: 'python', text: 'Load the CA into the context.', snippet: "ctx = ssl.create_default_context(cafile='ca.pem')" },
  { side: 'client', applies: 'go', text: 'RootCAs in tls.Config.', snippet: 'pool := x509.NewCertPool(); pool.AppendCertsFromPEM(caPEM)\ncfg := &tls.Config{RootCAs: pool}' },
  { side: 'client', applies: 'curl', text: 'curl --cacert.', snippet: 'curl --cacert ca.pem https://host/' },
  { side: 'client', applies: 'java', text: 'Import the CA into the trust store.', snippet: 'keytool -importcert -alias myca -file ca.pem -keystore truststore.jks' },
];

const show = (v: Vars) => `openssl s_client -connect ${v.connect}${v.servername} -showcerts </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -dates -ext subjectAltName`;

/**
 * The words of the TLS and certificate codes.
 * @example TLS_KNOWLEDGE['tls-malformed-response']?.fixes(vars).map((f) => f.side) // ['client', 'server', 'network']
 */
export const TLS_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'tls-malformed-response': {
    title: () => 'The server answered the ClientHello with something that is not a usable TLS handshake',
    explanation: (v) =>
      `Our ClientHello was answered with ${v.detail ?? 'bytes that are not TLS'}. No TLS client can go on from there. Usually the port is not the TLS service (another protocol, a TLS multiplexer such as sslh routing to the wrong backend), a broken or overloaded TLS terminator, or a middlebox that mangles the handshake.`,
    clientsSee: clientsPrint('tls-malformed-response'),
    fixes: () => [
      { side: 'client', applies: 'any', text: 'Check the host and port: the bytes in the evidence tell what really answers there.' },
      { side: 'server', applies: 'any', text: 'Check what listens on the port (ss -ltnp) and, behind a multiplexer or load balancer, which backend it routes TLS to.' },
      { side: 'network', applies: 'middlebox', text: 'Compare from another network: a DPI box or captive portal that rewrites the handshake shows up as bytes the server never sent.' },
    ],
    // -msg: what came back, record by record (`<<< Not TLS data …` and its bytes), and OpenSSL's verdict.
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} -msg </dev/null 2>&1 | grep -aiE -A2 '<<<|error'`, `curl -sv -o /dev/null${v.resolve} ${v.url}`],
  },
  'tls-handshake-alert': {
    title: (v) => `The server aborted the TLS handshake: ${v.detail ?? 'alert'}`,
    explanation: (v) =>
      `Our ClientHello (Node's: TLS 1.2–1.3, ALPN h2/http/1.1, SNI ${v.servername ? 'set' : 'off'}) was answered with the TLS alert ${v.detail ?? ''}. The raw hellos that vary one parameter at a time did not pin it on the version, the cipher suites or the groups; the alert alone cannot say more, because a cipher, version, group, signature algorithm, SNI or ALPN mismatch all produce handshake_failure (40).`,
    clientsSee: clientsPrint('tls-handshake-alert'),
    fixes: (v) => [...modernServer(v).slice(0, 2), { side: 'client', applies: 'any', text: 'Compare what the client offers (openssl s_client -msg, Wireshark) with what the server accepts; h2doctor --survey lists the server side.' }],
    reproduce: (v) => [ossl(v, '-tls1_2 '), ossl(v, '-tls1_3 '), `h2doctor ${v.url} --survey -v`],
  },
  'tls-no-shared-cipher': {
    title: () => 'No cipher suite in common: the server accepts only suites the client does not offer',
    explanation: (v) =>
      v.detail?.includes('no cipher suite at all')
        ? `The server accepts no cipher suite at all${v.detail.includes('without SNI') ? ` for ${v.sniName ?? v.host}: every hello naming it is refused with handshake_failure (40), even one offering every suite, group and signature scheme from TLS 1.0 to 1.3, while the same hello without SNI is accepted by the server's default settings. So the server applies its own TLS settings to this name (a site's tls block, a virtual host's cipher list), and under them no client can connect` : ': every hello is refused with handshake_failure (40), even one offering every suite, group and signature scheme from TLS 1.0 to 1.3, with and without SNI. So no client can connect'}, and the mistake is on the server: its TLS settings leave nothing its certificate can serve. Two settings do this, and the wire cannot tell them apart (both answer handshake_failure to every hello). (1) The certificate's key type fits none of the enabled suites: an ECDSA certificate needs ECDHE-ECDSA-* suites, an RSA certificate ECDHE-RSA-* (or plain RSA) suites; a cipher list copied for the other key type (e.g. only ECDHE-RSA-* with an ECDSA key) leaves nothing when TLS 1.3, whose suites do not depend on the key type, is off. (2) A signature algorithm list (nginx ssl_conf_command SignatureAlgorithms, Apache SSLOpenSSLConfCmd SignatureAlgorithms) with no scheme the certificate's key can sign with (e.g. ed25519 alone with an ECDSA P-256 key): this fails TLS 1.3 too. The server's error log tells which: OpenSSL logs "no shared cipher" for TLS 1.2 hellos in both cases, and "no suitable signature algorithm" for TLS 1.3 hellos in case (2).`
        : `With every other parameter as wide as possible the server accepts a hello, and refuses it as soon as only Node's cipher suites are offered: ${v.detail ?? ''}. Modern clients (Node, Go, browsers, curl with OpenSSL 3) no longer offer legacy suites (CBC without ECDHE, 3DES, RC4, Camellia…), and HTTP/2 forbids most of them anyway (RFC 9113 Appendix A).`,
    clientsSee: clientsPrint('tls-no-shared-cipher'),
    fixes: (v) => [
      ...(v.detail?.includes('no cipher suite at all')
        ? [
            { side: 'server' as const, applies: 'nginx', text: 'Enable suites for your certificate\'s key type (check it: openssl x509 -in cert.pem -noout -text | grep "Public Key Algorithm"), for both key types when unsure, and TLS 1.3; and remove an ssl_conf_command SignatureAlgorithms line that names no scheme for that key (OpenSSL\'s default list has them all).', ...setting('server', ['ssl_protocols TLSv1.2 TLSv1.3;', `ssl_ciphers ${MODERN_CIPHERS};`], { remove: ['ssl_conf_command SignatureAlgorithms'] }) },
            { side: 'server' as const, applies: 'apache', text: 'The same in mod_ssl: suites for the certificate\'s key type, and TLS 1.3; and remove an SSLOpenSSLConfCmd SignatureAlgorithms line that names no scheme for that key.', ...setting('virtualhost', ['SSLProtocol -all +TLSv1.2 +TLSv1.3', 'SSLCipherSuite ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384'], { remove: ['SSLOpenSSLConfCmd SignatureAlgorithms'] }) },
            { side: 'server' as const, applies: 'haproxy', text: 'ciphers on the bind line for the key type of the crt, and TLS 1.3 (drop an ssl-max-ver below it).', ...haproxyBind(v, ['alpn h2,http/1.1', 'ssl-min-ver TLSv1.2', 'ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256'], ['ssl-max-ver']) },
          ]
        : []),
      ...modernServer(v),
      { side: 'client', applies: 'node', text: 'Only to reach a legacy server you cannot change: add its suite.', snippet: "tls.connect({ host, port, ciphers: tls.DEFAULT_CIPHERS + ':ECDHE-ECDSA-CAMELLIA128-SHA256' });" },
      { side: 'client', applies: 'python', text: 'Widen the cipher list of the context.', snippet: "ctx.set_ciphers('DEFAULT:@SECLEVEL=1')" },
      { side: 'client', applies: 'go', text: 'Go picks from its own list; CipherSuites applies to TLS 1.2 only.', snippet: 'cfg := &tls.Config{CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}}' },
      { side: 'client', applies: 'curl', text: 'Name a suite to test.', snippet: 'curl --ciphers ECDHE-RSA-AES128-GCM-SHA256 -v https://host/' },
      { side: 'client', applies: 'java', text: 'jdk.tls.disabledAlgorithms in java.security removes legacy suites; re-enable only for a test.' },
    ],
    reproduce: (v) =>
      v.detail?.includes('no cipher suite at all')
        ? [ossl(v, "-tls1_2 -cipher 'ALL:@SECLEVEL=0' "), `${ossl(v, '-tls1_3 ')}   # refused too: TLS 1.3 suites fit every key type, so if TLS 1.3 is on, look at the signature algorithms`]
        : [ossl(v, '-tls1_2 '), `${ossl(v, "-tls1_2 -cipher 'ALL:@SECLEVEL=0' ")}   # accepted: the server needs a suite outside the default list`, `h2doctor ${v.url} --survey -v`],
  },
  'tls-no-shared-group': {
    title: () => 'No key-exchange group in common with the server',
    explanation: (v) => `The server accepts the widest hello but refuses it once only Node's groups (x25519, P-256, P-384, P-521, x448, ffdhe…) are offered: ${v.detail ?? ''}. The server's curve list (ssl_ecdh_curve, SSLOpenSSLConfCmd Curves, ecdhCurve) names only groups current clients do not send.`,
    clientsSee: clientsPrint('tls-no-shared-group'),
    fixes: () => [
      { side: 'server', applies: 'nginx', text: 'Offer the common groups.', ...setting('server', ['ssl_ecdh_curve X25519:prime256v1:secp384r1;']) },
      { side: 'server', applies: 'apache', text: 'mod_ssl with OpenSSL ≥ 1.0.2.', snippet: 'SSLOpenSSLConfCmd Curves X25519:prime256v1:secp384r1' },
      { side: 'server', applies: 'haproxy', text: 'curves on the bind line.', snippet: 'bind :443 ssl crt /etc/haproxy/site.pem curves X25519:P-256:P-384 alpn h2,http/1.1' },
      { side: 'server', applies: 'caddy', text: 'Remove the curves override or list common ones.', snippet: 'tls {\n  curves x25519 secp256r1 secp384r1\n}' },
      { side: 'server', applies: 'node', text: "ecdhCurve 'auto' (the default) or a common list.", snippet: "http2.createSecureServer({ key, cert, ecdhCurve: 'X25519:P-256:P-384' });" },
      { side: 'client', applies: 'node', text: 'To reach the server as it is, add its group.', snippet: "tls.connect({ host, port, ecdhCurve: 'X25519:P-256:brainpoolP256r1' });" },
      { side: 'client', applies: 'go', text: 'tls.Config CurvePreferences (Go supports only X25519 and the NIST curves).', snippet: 'cfg := &tls.Config{CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256}}' },
      { side: 'client', applies: 'curl', text: '--curves to test one group.', snippet: 'curl --curves X25519 -v https://host/' },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} -groups X25519:P-256:P-384 </dev/null 2>&1 | grep -E 'alert|Server Temp Key'`, `h2doctor ${v.url} --survey -v`],
  },
  'tls-version-too-old': {
    title: (v) => `The server speaks only ${v.detail ?? 'TLS < 1.2'}: HTTP/2 needs TLS 1.2 or later`,
    explanation: (v) => `Offered every version from TLS 1.0 to 1.3, the server chose ${v.detail ?? 'an old one'}; a server always picks the highest version both sides have, so it has nothing newer. Current clients refuse TLS 1.0/1.1 (RFC 8996), and RFC 9113 §9.2 requires TLS 1.2 or later for HTTP/2.`,
    clientsSee: clientsPrint('tls-version-too-old'),
    fixes: (v) => [...modernServer(v), ...CLIENT_VERSION],
    reproduce: (v) => [ossl(v, '-tls1_2 '), `${ossl(v, '-tls1_1 ')}   # (OpenSSL 3 needs -cipher 'DEFAULT@SECLEVEL=0' for TLS 1.0/1.1)`, curl(v, ' --tlsv1.2')],
  },
  'tls12-not-supported': {
    title: () => 'TLS 1.3 only: clients limited to TLS 1.2 fail',
    explanation: () => 'The server refuses a hello that offers TLS 1.2 alone. Clients without TLS 1.3 (Java 8 before 8u261, OpenSSL 1.0.x, older Go, Android < 10, many embedded stacks) cannot connect. Fine if it is a deliberate policy; otherwise enable TLS 1.2 as well.',
    clientsSee: clientsPrint('tls12-not-supported'),
    fixes: (v) => [
      { side: 'server', applies: 'nginx', text: 'Add TLS 1.2.', ...setting('server', [NGINX_TLS12_13]) },
      { side: 'server', applies: 'apache', text: 'Add TLS 1.2.', ...setting('virtualhost', [APACHE_TLS12_13]) },
      { side: 'server', applies: 'haproxy', text: 'Lower the minimum.', ...haproxyBind(v, ['ssl-min-ver TLSv1.2', 'alpn h2,http/1.1']) },
      { side: 'server', applies: 'caddy', text: 'Allow TLS 1.2 in the site\'s tls block.', ...setting('tls', ['protocols tls1.2 tls1.3']) },
      { side: 'server', applies: 'lighttpd', text: 'mod_openssl: allow TLS 1.2 again.', ...lighttpdTls() },
      { side: 'server', applies: 'h2o', text: 'Lower minimum-version in the listener\'s ssl map.', ...h2oTls(v) },
      { side: 'server', applies: 'node', text: "minVersion 'TLSv1.2'.", snippet: NODE_MIN_TLS12 },
      ...CLIENT_VERSION.slice(1, 3),
    ],
    reproduce: (v) => [ossl(v, '-tls1_2 '), curl(v, ' --tlsv1.2 --tls-max 1.2')],
  },
  'tls13-not-supported': {
    title: () => 'No TLS 1.3: clients that require it fail',
    explanation: () => 'Offered TLS 1.3 and 1.2, the server chose TLS 1.2, so it has no TLS 1.3 (RFC 8446 §4.2.1: a server picks the highest version both sides support). Clients configured for TLS 1.3 only fail, and every handshake costs an extra round trip.',
    clientsSee: clientsPrint('tls13-not-supported'),
    fixes: (v) => [
      { side: 'server', applies: 'nginx', text: 'Enable TLS 1.3 (nginx ≥ 1.13 with OpenSSL ≥ 1.1.1).', ...setting('server', [NGINX_TLS12_13]) },
      { side: 'server', applies: 'apache', text: 'Enable TLS 1.3 (Apache ≥ 2.4.37 with OpenSSL ≥ 1.1.1).', ...setting('virtualhost', [APACHE_TLS12_13]) },
      { side: 'server', applies: 'haproxy', text: 'Raise the maximum.', ...haproxyBind(v, ['ssl-max-ver TLSv1.3', 'alpn h2,http/1.1']) },
      { side: 'server', applies: 'caddy', text: 'Caddy enables TLS 1.3 by default; allow it in the site\'s tls block.', ...setting('tls', ['protocols tls1.2 tls1.3']) },
      { side: 'server', applies: 'lighttpd', text: 'mod_openssl: raise MaxProtocol to TLS 1.3 (lighttpd with OpenSSL ≥ 1.1.1).', ...lighttpdTls() },
      { side: 'server', applies: 'h2o', text: 'h2o has no setting that turns TLS 1.3 off (2.2 ignores maximum-version): it offers TLS 1.3 whenever the OpenSSL it is built with has it (≥ 1.1.1). Upgrade h2o or its OpenSSL; or a TLS terminator in front of h2o is the one to fix.' },
      { side: 'server', applies: 'node', text: "Remove maxVersion 'TLSv1.2'.", snippet: "http2.createSecureServer({ key, cert, maxVersion: 'TLSv1.3' });" },
      { side: 'client', applies: 'node', text: 'A client that must reach it: allow TLS 1.2.', snippet: "tls.connect({ host, port, minVersion: 'TLSv1.2' });" },
    ],
    reproduce: (v) => [ossl(v, '-tls1_3 '), curl(v, ' --tlsv1.3')],
  },
  'tls-weak-dh-params': {
    title: (v) => `DHE suites use weak Diffie-Hellman parameters (${v.detail ?? 'below 2048 bits'})`,
    explanation: (v) =>
      `The server signs a Diffie-Hellman prime of ${v.detail ?? 'fewer than 2048 bits'} for its DHE suites. Primes this small are within reach of precomputation (Logjam, 2015): a well-funded attacker can break the key exchange of recorded sessions. Browsers stopped accepting DH below 1024 bits long ago, Java and OpenSSL at security level 2 refuse below 2048 bits, so stricter clients fail the handshake where older ones succeed. Use a 2048-bit (or larger) group, or drop DHE and keep ECDHE and TLS 1.3.`,
    clientsSee: clientsPrint('tls-weak-dh-params'),
    fixes: () => [
      { side: 'server', applies: 'nginx', text: 'Generate 2048-bit parameters (`openssl dhparam -out /etc/nginx/dhparam.pem 2048`) and point ssl_dhparam at them, or drop the DHE suites.', snippet: 'ssl_dhparam /etc/nginx/dhparam.pem;   # openssl dhparam -out /etc/nginx/dhparam.pem 2048' },
      { side: 'server', applies: 'apache', text: 'mod_ssl ≥ 2.4.8 picks parameters from the key size; a custom file overrides it: append 2048-bit parameters to the certificate file, or drop DHE.', snippet: 'openssl dhparam 2048 >> /etc/ssl/site/cert.pem\n# or: SSLOpenSSLConfCmd DHParameters "/etc/ssl/dhparam.pem"' },
      { side: 'server', applies: 'haproxy', text: 'Set the default DH size (or a dhparam file) in global.', snippet: 'global\n  tune.ssl.default-dh-param 2048\n  # or: ssl-dh-param-file /etc/haproxy/dhparam.pem' },
      { side: 'server', applies: 'node', text: "Give the server a 2048-bit group ('auto' picks one from the key size).", snippet: "https.createServer({ key, cert, dhparam: 'auto' });  // or fs.readFileSync('dhparam.pem') from openssl dhparam 2048" },
      { side: 'server', applies: 'caddy', text: 'Caddy (Go crypto/tls) has no DHE suites at all: a DHE answer comes from something in front of it.' },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} -tls1_2 -cipher 'DHE:@SECLEVEL=0' </dev/null 2>&1 | grep -E 'Server Temp Key|Cipher is|alert'`],
  },
  'tls-legacy-version-enabled': {
    title: (v) => `Deprecated TLS versions still accepted: ${v.detail ?? 'TLS 1.0/1.1'}`,
    explanation: (v) => `A hello offering only TLS 1.0 and 1.1 is accepted (${v.detail ?? ''}). RFC 8996 deprecates both; HTTP/2 cannot use them, and keeping them enabled exposes clients to downgrade attacks and fails compliance scans (PCI DSS).`,
    clientsSee: clientsPrint('tls-legacy-version-enabled'),
    fixes: () => [
      { side: 'server', applies: 'nginx', text: 'Drop TLSv1 and TLSv1.1.', ...setting('server', [NGINX_TLS12_13]) },
      { side: 'server', applies: 'apache', text: 'Drop TLSv1 and TLSv1.1.', ...setting('virtualhost', [APACHE_TLS12_13]) },
      { side: 'server', applies: 'haproxy', text: 'Set a minimum.', snippet: 'ssl-default-bind-options ssl-min-ver TLSv1.2' },
      { side: 'server', applies: 'caddy', text: 'Caddy never enables TLS 1.0/1.1; check a proxy in front of it.' },
      { side: 'server', applies: 'node', text: "Remove minVersion 'TLSv1'.", snippet: NODE_MIN_TLS12 },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' </dev/null 2>&1 | grep -E 'Protocol|alert'`, `curl -sv --tlsv1.0 --tls-max 1.1 --ciphers 'DEFAULT@SECLEVEL=0' -o /dev/null${v.resolve} ${v.url}`],
  },
  'tls-sni-required': {
    title: (v) => `The server needs SNI: without it the handshake is ${v.detail?.startsWith('refused') ? 'refused' : 'served another certificate'}`,
    explanation: (v) => `With SNI ${v.host} the handshake works; without SNI ${v.detail ?? 'it does not'}. Clients that send no SNI — connections by IP address, some health checkers, old Java/Python/Android stacks, gRPC with a custom authority — fail or see the wrong certificate.`,
    clientsSee: clientsPrint('tls-sni-required'),
    fixes: (v) => [
      { side: 'server', applies: 'nginx', text: 'Make this site the default server, so SNI-less hellos get its certificate.', snippet: `server {\n  listen 443 ssl default_server;\n  server_name ${v.host};\n  …\n}` },
      { side: 'server', applies: 'apache', text: 'The first virtual host on *:443 answers SNI-less clients; put this site first.', snippet: `<VirtualHost *:443>\n  ServerName ${v.host}\n  …\n</VirtualHost>` },
      { side: 'server', applies: 'haproxy', text: 'The first crt on the bind line is the default certificate.', snippet: 'bind :443 ssl crt /etc/haproxy/default.pem crt /etc/haproxy/certs/ alpn h2,http/1.1' },
      { side: 'server', applies: 'caddy', text: 'Set a default SNI.', snippet: `{\n  default_sni ${v.host}\n}` },
      { side: 'server', applies: 'node', text: 'The server\'s own cert/key answer SNI-less hellos; SNICallback only adds names.', snippet: "tls.createServer({ key, cert, SNICallback: (name, cb) => cb(null, contexts[name] ?? defaultContext) });" },
      { side: 'client', applies: 'any', text: 'Send SNI: connect by name, or set it explicitly (curl --resolve / --connect-to, Node servername, Go ServerName, Python server_hostname).', snippet: `curl -v --connect-to ${v.host}:${v.port}:${v.connect} ${v.url}` },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect} -noservername </dev/null 2>&1 | grep -E 'alert|subject'`, `openssl s_client -connect ${v.connect}${v.servername} </dev/null 2>&1 | grep -E 'alert|subject'`],
  },
  'tls-client-cert-required': {
    title: () => 'The server demands a client certificate (mutual TLS)',
    explanation: (v) =>
      v.detail?.startsWith('every request answered')
        ? `The server sends a CertificateRequest, lets the handshake finish without a client certificate, and then refuses every request: ${v.detail}. nginx with ssl_verify_client on does this ("400 No required SSL certificate was sent"): the TLS layer looks healthy, and the failure shows up as an HTTP error. Clients must present a certificate the server's CA list accepts.`
        : `The server sends a CertificateRequest and aborts (${v.detail ?? 'alert'}) when the client has no certificate to send. Under TLS 1.3 the client finishes its side first, so the failure shows up only at the first read, often as a confusing "connection closed" or "certificate required" error in the HTTP layer.`,
    clientsSee: clientsPrint('tls-client-cert-required'),
    fixes: () => [
      { side: 'client', applies: 'node', text: 'Present the client certificate.', snippet: "tls.connect({ host, port, cert: fs.readFileSync('client.pem'), key: fs.readFileSync('client-key.pem') });" },
      { side: 'client', applies: 'python', text: 'Load the client certificate into the context.', snippet: "ctx.load_cert_chain('client.pem', 'client-key.pem')" },
      { side: 'client', applies: 'go', text: 'Certificates in tls.Config.', snippet: 'cert, _ := tls.LoadX509KeyPair("client.pem", "client-key.pem")\ncfg := &tls.Config{Certificates: []tls.Certificate{cert}}' },
      { side: 'client', applies: 'curl', text: '--cert and --key.', snippet: 'curl --cert client.pem --key client-key.pem https://host/' },
      { side: 'client', applies: 'java', text: 'A key store with the client key.', snippet: '-Djavax.net.ssl.keyStore=client.p12 -Djavax.net.ssl.keyStorePassword=…' },
      { side: 'server', applies: 'nginx', text: 'If client certificates should be optional here:', ...setting('server', ['ssl_verify_client optional;']) },
      { side: 'server', applies: 'node', text: 'Optional client certificates: keep requestCert, drop rejectUnauthorized and check req.socket.authorized per route.', snippet: 'https.createServer({ key, cert, ca, requestCert: true, rejectUnauthorized: false });' },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} </dev/null 2>&1 | grep -A3 'Acceptable client certificate CA names'`, `curl -sv -o /dev/null${v.resolve} ${v.url}`],
  },
  'tls-sni-unknown-name': {
    title: (v) => `The server has no certificate for ${v.sniName ?? v.host}${v.detail?.includes('unrecognized_name') ? ': it refuses the name with unrecognized_name (112)' : ''}`,
    explanation: (v) =>
      `The server does not know the name sent in SNI: ${v.detail ?? v.host}. It answers with the TLS alert unrecognized_name (112, RFC 6066 §3), or serves its default site's certificate, which does not cover the name. This is not a cipher or version problem: the name is missing from the server's configuration (server_name / ServerName / a crt for it), or DNS points this name at a server that does not host it. nginx sends 112 from a default server with ssl_reject_handshake on, HAProxy from a bind with strict-sni; Apache and others send a warning 112 and go on with their default certificate. ${
        configuredNames(v).length
          ? `The server's default certificate covers ${configuredNames(v).join(', ')}: diagnose with --sni ${configuredNames(v)[0]} (curl: --connect-to) to confirm it serves the names it has.`
          : 'The server showed no certificate, so the names it serves are unknown here: if you know one, pass it to --sni (curl: --connect-to) to confirm.'
      }`,
    clientsSee: clientsPrint('tls-sni-unknown-name'),
    fixes: (v) => {
      const name = v.sniName ?? v.host;
      return [
        { side: 'server', applies: 'nginx', text: `Add ${name} to a server block whose certificate covers it (the default server with ssl_reject_handshake on refuses every name no other server block lists).`, snippet: `server {\n  ${nginxListen(v)}\n  server_name ${name};\n  ssl_certificate     /etc/ssl/${name}/fullchain.pem;\n  ssl_certificate_key /etc/ssl/${name}/privkey.pem;\n}` },
        { side: 'server', applies: 'haproxy', text: `With strict-sni, HAProxy refuses every name it has no certificate for: add one that covers ${name} to the crt directory or crt-list (or drop strict-sni to fall back to the first certificate).`, snippet: `bind :${v.port} ssl crt /etc/haproxy/certs/ strict-sni alpn h2,http/1.1\n# /etc/haproxy/certs/${name}.pem: certificate chain + key for ${name}` },
        { side: 'server', applies: 'apache', text: 'Add ServerName/ServerAlias for it (Apache warns unrecognized_name when no virtual host matches).', snippet: `<VirtualHost *:${v.port}>\n  ServerName ${name}\n  SSLEngine on\n  SSLCertificateFile    /etc/ssl/${name}/fullchain.pem\n  SSLCertificateKeyFile /etc/ssl/${name}/privkey.pem\n</VirtualHost>` },
        { side: 'server', applies: 'caddy', text: 'Add a site block for the name.', snippet: `${name} {\n  reverse_proxy localhost:8080\n}` },
        { side: 'server', applies: 'node', text: 'Return a context for the name from SNICallback.', snippet: `SNICallback: (name, cb) => cb(null, contexts[name]) // contexts['${name}'] = tls.createSecureContext({ key, cert })` },
        sniOther(v, name),
      ];
    },
    // -msg: a warning unrecognized_name (Apache-like servers that go on with their default certificate) shows only in the message trace.
    reproduce: (v) => [`openssl s_client -connect ${v.connect} -servername ${v.sniName ?? v.host}${v.cafileArg} -msg </dev/null 2>&1 | grep -iE 'alert|unrecognized|subject'`, curl(v)],
  },

  'cert-hostname-mismatch': {
    title: (v) => `The certificate does not cover ${v.host}`,
    explanation: (v) => `The certificate the server sends for ${v.host} lists other names in its subjectAltName. Every client rejects it (RFC 9110 §4.3.4 / RFC 6125); HTTP/2 connection coalescing also relies on it.`,
    clientsSee: clientsPrint('cert-hostname-mismatch'),
    fixes: (v) => [
      ...CERT_SERVER(`Issue a certificate whose subjectAltName includes ${v.host} (or a wildcard covering it).`).slice(0, 3),
      { side: 'server', applies: 'certbot', text: 'Add the name to the certificate.', snippet: `certbot certonly --expand -d ${v.host} -d other.names.example` },
      { side: 'client', applies: 'any', text: 'Use the name the certificate was issued for; connecting by IP needs an IP subjectAltName.' },
    ],
    reproduce: (v) => [show(v), curl(v)],
  },
  'cert-expired': {
    title: (v) => `The certificate expired${v.detail ? ` (notAfter ${v.detail})` : ''}`,
    explanation: () => 'The certificate\'s notAfter is in the past by the local clock. Every client refuses it. Renewal automation (certbot, acme.sh, Caddy, cert-manager) has stopped, or the server was not reloaded after a renewal.',
    clientsSee: clientsPrint('cert-expired'),
    fixes: () => [
      { side: 'server', applies: 'certbot', text: 'Renew and reload.', snippet: 'certbot renew && systemctl reload nginx' },
      ...CERT_SERVER('Install the renewed certificate and reload the server.'),
      { side: 'client', applies: 'any', text: 'Check the local clock first if only some machines complain (see clock-skew).' },
    ],
    reproduce: (v) => [show(v), curl(v)],
  },
  'cert-not-yet-valid': {
    title: (v) => `The certificate is not valid yet${v.detail ? ` (notBefore ${v.detail})` : ''}`,
    explanation: () => 'The certificate\'s notBefore is in the future by the local clock: either the local clock is behind (check clock-skew), or the certificate was issued with a start date ahead of time.',
    clientsSee: clientsPrint('cert-not-yet-valid'),
    fixes: () => [
      { side: 'client', applies: 'any', text: 'Fix the local clock (NTP: timedatectl set-ntp true; chronyc tracking).', snippet: 'timedatectl set-ntp true && timedatectl status' },
      ...CERT_SERVER('Issue the certificate with a notBefore in the past (CAs backdate by an hour).').slice(0, 2),
    ],
    reproduce: (v) => [show(v), 'date -u'],
  },
  'cert-untrusted': {
    title: (v) => `The certificate chain is not trusted: ${v.detail ?? 'unknown CA'}`,
    explanation: () => 'The chain does not lead to a root in the trust store (the system store, or the one given with --cacert): a self-signed certificate, a private CA the client does not know, or an inspection proxy\'s CA.',
    clientsSee: clientsPrint('cert-untrusted'),
    fixes: () => [...CERT_SERVER('Use a certificate from a public CA (e.g. Let\'s Encrypt) for public clients.').slice(0, 2), ...CLIENT_CA],
    reproduce: (v) => [`curl -sv -o /dev/null${v.resolve} ${v.url}`, show(v)],
  },
  'cert-chain-too-large': {
    title: (v) => `The server's certificate chain is too large for TLS clients: ${v.detail ?? 'over 102,400 bytes'}`,
    explanation: (v) =>
      `The server's Certificate message announces ${v.detail ?? 'more than 102,400 bytes'}. OpenSSL accepts at most 102,400 bytes for it by default (max_cert_list), so curl, Node, Python and every other client on OpenSSL abort the handshake ("excessive message size", alert illegal_parameter) before a byte of HTTP is sent. A real chain (leaf and one or two intermediates) is 2–6 KB: the server's certificate file holds far more than its chain (a whole CA bundle, the same certificates over and over, or a file that is not a chain).`,
    clientsSee: clientsPrint('cert-chain-too-large'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Serve the leaf and its intermediates only (fullchain.pem, a few KB), not a CA bundle; count what the file holds.', snippet: "grep -c 'BEGIN CERTIFICATE' /etc/ssl/fullchain.pem   # a chain holds 2 to 4\nls -l /etc/ssl/fullchain.pem" },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} </dev/null 2>&1 | grep -aiE 'excessive|error'`, curl(v)],
  },
  'cert-chain-incomplete': {
    title: () => 'The server does not send its intermediate certificate',
    explanation: (v) => `The server sends the leaf alone; its issuer (${v.detail ?? 'an intermediate CA'}) is neither sent nor in the trust store, so the chain cannot be built. Browsers often hide this (they cache intermediates or fetch them via AIA); curl, Node, Go, Python, Java and gRPC do not.`,
    clientsSee: clientsPrint('cert-chain-incomplete'),
    fixes: () => CERT_SERVER('Serve the full chain (fullchain.pem, not cert.pem).'),
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} -showcerts </dev/null 2>/dev/null | grep -E '^ *[0-9] s:|i:'`, curl(v)],
  },
  'clock-skew': {
    title: (v) => `The local clock and the server's disagree: ${v.detail ?? 'more than 5 minutes'}`,
    explanation: () => 'The server\'s Date header and the local clock differ by more than 5 minutes. A wrong clock makes valid certificates look expired or not yet valid, and breaks OCSP, tokens and caches. Which side is wrong: compare both with an NTP source.',
    clientsSee: clientsPrint('clock-skew'),
    fixes: () => [
      { side: 'client', applies: 'any', text: 'Sync the local clock.', snippet: 'timedatectl set-ntp true && chronyc tracking' },
      { side: 'server', applies: 'any', text: 'Sync the server clock (chrony / systemd-timesyncd), or fix a proxy that rewrites Date.', snippet: 'timedatectl set-ntp true' },
    ],
    reproduce: (v) => [`curl -sI${v.resolve} ${v.url} | grep -i '^date:'; date -u`],
  },
};
