/**
 * What we know about each code: title, plain explanation, what clients print, fixes, and the
 * commands that reproduce it. Rules supply the evidence and the facts (`Vars`); this file supplies words.
 */
import type { Code } from '../model/codes.js';
import { TLS_KNOWLEDGE } from './knowledge/tls.js';
import { UPGRADE_KNOWLEDGE } from './knowledge/upgrade.js';
import { H2_FIELDS_KNOWLEDGE } from './knowledge/h2-fields.js';
import { lighttpdH2, nginxHttp2, setting } from './knowledge/server.js';
import { SESSION_KNOWLEDGE } from './knowledge/session.js';
import { HTTP1_KNOWLEDGE } from './knowledge/http1.js';
import { VANTAGE_KNOWLEDGE } from './knowledge/vantage.js';
import { CLIENTS_KNOWLEDGE } from './knowledge/clients.js';

import type { Knowledge, Vars } from './knowledge/types.js';
import { clientsPrint } from './knowledge/printed.js';

const APACHE_H2 = `LoadModule http2_module modules/mod_http2.so\nProtocols h2 http/1.1`;
/** HAProxy's TLS bind line on the target's port with ALPN h2 (the machine form: the alpn option). */
const haproxyH2 = (v: Vars) => ({ snippet: `bind :${v.port} ssl crt /etc/haproxy/site.pem alpn h2,http/1.1`, config: { block: 'bind' as const, set: ['alpn h2,http/1.1'] } });
const NODE_H2 = `const server = http2.createSecureServer({ key, cert, allowHTTP1: true });`;

const curlH2 = (v: Vars) => `curl -sv --http2 -o /dev/null${v.resolve} ${v.url}`;
const curlPK = (v: Vars) => `curl -sv --http2-prior-knowledge -o /dev/null${v.resolve} ${v.url}`;
const osslAlpn = (v: Vars, alpn: string) => `openssl s_client -connect ${v.connect}${v.servername} -alpn ${alpn} </dev/null 2>&1 | grep -E 'ALPN|Protocol|Cipher|alert'`;

const CORE_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'dns-no-address': {
    title: (v) => `${v.host} does not resolve`,
    explanation: (v) => `No A or AAAA address was found for ${v.host}${v.detail ? ` (${v.detail})` : ''}. Nothing can connect, over any protocol.`,
    clientsSee: clientsPrint('dns-no-address'),
    fixes: (v) => [
      { side: 'server', applies: 'dns', text: `Publish an A and/or AAAA record for ${v.host}, or fix the typo in the name.` },
      { side: 'client', applies: 'any', text: 'Check the resolver in use (/etc/resolv.conf, VPN split DNS, a corporate resolver that filters the name).' },
    ],
    reproduce: (v) => [`curl -sv -o /dev/null ${v.url}`, `getent ahosts ${v.host}`, `dig +short A ${v.host}; dig +short AAAA ${v.host}`],
  },
  'dns-addresses-disagree': {
    title: (v) => `The addresses of ${v.host} behave differently`,
    explanation: (v) =>
      `${v.host} resolves to several addresses and they do not answer alike: ${v.detail ?? ''}. Clients get one address or another (round-robin DNS, CDN edges, a stale record, IPv6 vs IPv4), so the failure looks intermittent.`,
    clientsSee: clientsPrint('dns-addresses-disagree'),
    fixes: (v) => {
      // The addresses the diagnosis compared (detail: "addr → outcome; …"): each one pinned in turn.
      const addrs = [...(v.detail ?? '').matchAll(/(?:^|; )(\S+) →/g)].map((m) => m[1]!);
      return [
        { side: 'server', applies: 'dns', text: 'Make every address serve the same configuration, or remove the records of the addresses that misbehave (often a forgotten AAAA record or an old edge).' },
        { side: 'client', applies: 'curl', text: 'Pin one address at a time while investigating.', snippet: (addrs.length ? addrs : [v.connect.replace(/:\d+$/, '')]).map((a) => `curl -v --resolve ${v.host}:${v.port}:${a} ${v.url}`).join('\n') },
      ];
    },
    // One curl per address the diagnosis compared (from the detail: "addr → protocol; …").
    reproduce: (v) => [`getent ahosts ${v.host}`, ...[...(v.detail ?? '').matchAll(/(?:^|; )(\S+) →/g)].map((m) => `curl -sv --http2 -o /dev/null --resolve ${v.host}:${v.port}:${m[1]} ${v.url}`)],
  },
  'tcp-refused': {
    title: (v) => `Connection refused on ${v.connect}`,
    explanation: () => 'The host answered the TCP handshake with a reset: nothing listens on that port (or a firewall rejects actively).',
    clientsSee: clientsPrint('tcp-refused'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Start the service or make it listen on this address and port (check `ss -ltnp`): a server bound to 127.0.0.1 only refuses connections to its public address, and one bound to IPv4 only refuses ::1.' },
      { side: 'client', applies: 'any', text: 'Check the port in the URL: 443 for https, 80 for http, or the service\'s own port.' },
    ],
    reproduce: (v) => [`curl -sv -o /dev/null${v.resolve} ${v.url}`],
  },
  'tcp-timeout': {
    title: (v) => `No answer to the TCP handshake from ${v.connect}`,
    explanation: () => 'The SYN went unanswered within the time limit: a firewall drops the packets, the host is down, or the route is broken.',
    clientsSee: clientsPrint('tcp-timeout'),
    fixes: () => [
      { side: 'network', applies: 'firewall', text: 'Allow the port in the firewall / security group between the client and the server.' },
      { side: 'server', applies: 'any', text: 'Check the host is up and the service listens on a reachable address.' },
    ],
    reproduce: (v) => [`curl -sv --connect-timeout 5 -o /dev/null${v.resolve} ${v.url}`],
  },
  'tcp-reset': {
    title: (v) => `The peer reset the connection during the handshake (${v.connect})`,
    explanation: (v) => `The TCP connection was accepted, then reset before the ${v.detail ?? 'handshake'} completed: often a load balancer or middlebox that rejects the traffic, a server that crashes on accept, or a filter that resets TLS connections by SNI.`,
    clientsSee: clientsPrint('tcp-reset'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Check the server and load balancer logs for the connection; a listener with no backend or a crashed worker resets.' },
      { side: 'network', applies: 'middlebox', text: 'Try from another network: DPI and firewalls that filter by SNI reset the connection right after the ClientHello.' },
    ],
    reproduce: (v) => [`curl -sv -o /dev/null${v.resolve} ${v.url}`, `openssl s_client -connect ${v.connect}${v.servername} </dev/null`],
  },
  'tls-handshake-timeout': {
    title: (v) => `${v.connect} accepts TCP but never answers the ClientHello`,
    explanation: () =>
      'The TCP connection opened, our TLS ClientHello went out, and nothing came back within the time limit. The port is open but does not speak TLS to us: a cleartext service that waits for the client to talk first, a stuck server, or a middlebox that silently drops the handshake.',
    clientsSee: clientsPrint('tls-handshake-timeout'),
    fixes: (v) => [
      { side: 'client', applies: 'any', text: `If the service is cleartext, use ${v.otherUrl ?? 'http://'} instead.` },
      { side: 'server', applies: 'any', text: 'Check that the port is the TLS listener and that the server is not overloaded (accept queue full).' },
    ],
    reproduce: (v) => [`timeout 10 openssl s_client -connect ${v.connect}${v.servername} </dev/null; echo "openssl exit $? (124: no ServerHello within 10 s)"`, `curl -sv --max-time 10 -o /dev/null${v.resolve} ${v.url}`],
  },
  'alpn-no-h2': {
    title: () => 'HTTP/2 is off: the server picks http/1.1 when offered h2',
    explanation: (v) =>
      `Offered ALPN "h2, http/1.1", the server chose ${v.detail ?? 'http/1.1'}. Browsers and curl then quietly use HTTP/1.1, but clients that require HTTP/2 (gRPC, Go's http2.Transport, curl --http2-prior-knowledge, Node http2.connect) abort or send the HTTP/2 preface to an HTTP/1.1 server, which answers with an HTTP/1.1 error.`,
    clientsSee: clientsPrint('alpn-no-h2'),
    fixes: (v) => [
      { side: 'server', applies: 'nginx', text: 'Enable HTTP/2 on the TLS listener.', ...nginxHttp2(v) },
      { side: 'server', applies: 'apache', text: 'Load mod_http2 and list h2 first in Protocols (and use the event MPM, not prefork).', snippet: APACHE_H2, config: { block: 'virtualhost', set: ['Protocols h2 http/1.1'] } },
      { side: 'server', applies: 'haproxy', text: 'Advertise h2 in ALPN on the bind line.', ...haproxyH2(v) },
      { side: 'server', applies: 'caddy', text: 'Caddy enables h2 by default: the protocols of the global servers options must not drop it.', ...setting('servers', ['protocols h1 h2 h3']) },
      { side: 'server', applies: 'lighttpd', ...lighttpdH2(v) },
      { side: 'server', applies: 'node', text: 'Serve with http2.createSecureServer (allowHTTP1 keeps HTTP/1.1 clients working) instead of https.createServer.', snippet: NODE_H2 },
      { side: 'server', applies: 'load balancer', text: 'If a TLS-terminating proxy or load balancer sits in front, HTTP/2 must be enabled on it (e.g. AWS ALB/NLB TLS listener ALPN policy "HTTP2Preferred").' },
      { side: 'client', applies: 'any', text: 'Until the server is fixed: use HTTP/1.1 (curl --http1.1; gRPC needs HTTP/2 and cannot fall back).' },
    ],
    reproduce: (v) => [osslAlpn(v, 'h2'), curlH2(v)],
  },
  'alpn-ignored': {
    title: () => 'The TLS server sends no ALPN at all',
    explanation: () =>
      'Offered ALPN "h2, http/1.1", the server answered without an ALPN extension. Without ALPN there is no HTTP/2 over TLS (RFC 9113 §3.2): browsers and curl fall back to HTTP/1.1, and clients that require ALPN h2 (gRPC since grpc-go 1.67, Go http2.Transport) abort. Usually an old TLS stack, a TLS-terminating proxy that does not do ALPN, or a server built without ALPN support.',
    clientsSee: clientsPrint('alpn-ignored'),
    fixes: (v) => [
      { side: 'server', applies: 'any', text: 'Upgrade the TLS stack or proxy to one that supports ALPN (OpenSSL ≥ 1.0.2) and enable HTTP/2 on it.' },
      { side: 'server', applies: 'nginx', text: 'nginx built against OpenSSL < 1.0.2 cannot do ALPN: rebuild or upgrade, then enable http2.', ...nginxHttp2(v) },
      { side: 'server', applies: 'node', text: 'Pass ALPNProtocols (tls.createServer) or use http2.createSecureServer, which sets it.', snippet: NODE_H2 },
      { side: 'server', applies: 'haproxy', text: 'Add alpn to the bind line.', ...haproxyH2(v) },
    ],
    reproduce: (v) => [osslAlpn(v, 'h2,http/1.1') + '   # no "ALPN protocol" line', curlH2(v)],
  },
  'preface-http1-response': {
    title: () => 'The HTTP/2 preface was answered in HTTP/1.x',
    explanation: (v) =>
      `We sent the HTTP/2 connection preface ("PRI * HTTP/2.0…"); the server answered ${v.detail ?? 'with an HTTP/1.x response'}. It speaks only HTTP/1.x on this connection. A client that forces HTTP/2 reads "HTTP/1.1 400" as an HTTP/2 frame header: its first bytes "HTT" make a length of 4740180, hence "frame too large".`,
    clientsSee: clientsPrint('preface-http1-response'),
    fixes: (v) => [
      v.url.startsWith('https')
        ? { side: 'server' as const, applies: 'nginx', text: 'Enable HTTP/2 on this TLS listener.', ...nginxHttp2(v) }
        : { side: 'server' as const, applies: 'nginx', text: 'Serve h2c on this cleartext listener (gRPC backends: grpc_pass).', ...nginxHttp2(v, false) },
      { side: 'server', applies: 'apache', text: 'Enable mod_http2; for cleartext add h2c.', ...setting('virtualhost', ['Protocols h2 h2c http/1.1']) },
      { side: 'server', applies: 'node', text: 'Use http2.createServer / createSecureServer for HTTP/2 endpoints.' },
      { side: 'client', applies: 'any', text: 'Do not force HTTP/2 (prior knowledge) against an HTTP/1.1 server: let ALPN negotiate, or point the client at the HTTP/2 port.' },
    ],
    reproduce: (v) => [curlPK(v), ...(v.url.startsWith('https') ? [`printf 'PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n' | openssl s_client -quiet -connect ${v.connect}${v.servername} -alpn h2 2>&1 | head -c 200`] : [`curl -sv --http1.1 -o /dev/null${v.resolve} ${v.url}   # what the port really speaks`])],
  },
  'preface-closed': {
    title: () => 'The server closed the connection after the HTTP/2 preface',
    explanation: () =>
      'We sent the HTTP/2 connection preface and SETTINGS; the server closed the connection without sending its SETTINGS frame (RFC 9113 §3.4 requires one first). Typical of a backend that does not speak HTTP/2 behind a proxy that negotiated h2, of a server that rejects the client (IP filter, limit reached), or of a crash on the first bytes.',
    clientsSee: clientsPrint('preface-closed'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Check the server logs at the time of the probe: the connection was accepted and then dropped.' },
      { side: 'server', applies: 'proxy', text: 'If a proxy forwards h2 to a backend, make sure the backend speaks HTTP/2 (grpc_pass / h2 backends), or let the proxy translate to HTTP/1.1.' },
    ],
    reproduce: (v) => [curlPK(v)],
  },
  'preface-timeout': {
    title: () => 'The server sent nothing after the HTTP/2 preface',
    explanation: (v) =>
      `We sent the HTTP/2 connection preface and SETTINGS; nothing came back within ${v.detail ?? 'the time limit'}. The server waits for something else: an HTTP/1.x server that needs more bytes to finish parsing "PRI * HTTP/2.0", a TLS port spoken to in cleartext, or a stuck backend.`,
    clientsSee: clientsPrint('preface-timeout'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Check that the port serves HTTP/2 and that the server is not stuck (thread pool exhausted, backend down).' },
      { side: 'client', applies: 'any', text: 'Check the scheme and port: a cleartext client talking to a TLS port, or the reverse, often hangs like this.' },
    ],
    reproduce: (v) => [`curl -sv --max-time 5 --http2-prior-knowledge -o /dev/null${v.resolve} ${v.url}`],
  },
  'preface-garbage': {
    title: () => 'The server answered the HTTP/2 preface with bytes that are not HTTP/2',
    explanation: (v) =>
      `The server's first bytes after our preface are not an HTTP/2 frame${v.detail ? `: ${v.detail}` : ''}. The port speaks another protocol.`,
    clientsSee: clientsPrint('preface-garbage'),
    fixes: () => [
      { side: 'client', applies: 'any', text: 'Check the host and port: the service behind it is not an HTTP/2 server.' },
      { side: 'server', applies: 'any', text: 'If a proxy fronts the service, make sure it forwards HTTP/2 and not the raw stream of another service.' },
    ],
    reproduce: (v) => [curlPK(v)],
  },
  'preface-not-settings': {
    title: () => 'The server\'s first HTTP/2 frame is not SETTINGS',
    explanation: (v) =>
      `RFC 9113 §3.4: the server connection preface must be a SETTINGS frame, first. This server's first frame was ${v.detail ?? 'another frame'}; clients treat that as a connection error (PROTOCOL_ERROR).`,
    clientsSee: clientsPrint('preface-not-settings'),
    fixes: () => [{ side: 'server', applies: 'any', text: 'A server bug: the HTTP/2 implementation must send SETTINGS before any other frame. Upgrade it or report it to its vendor.' }],
    reproduce: (v) => [`nghttp -nv ${v.url}`, curlPK(v)],
  },
  'goaway-on-connect': {
    title: (v) => `The server sent GOAWAY ${v.detail ?? ''} right after the preface`.trim(),
    explanation: (v) =>
      `Right after the connection preface, before answering any request, the server sent GOAWAY (${v.detail ?? 'see the code'}). It refuses HTTP/2 on this connection: the error code says why (HTTP_1_1_REQUIRED: use HTTP/1.1; INADEQUATE_SECURITY: TLS version or cipher below HTTP/2's minimum; ENHANCE_YOUR_CALM: rate limit; PROTOCOL_ERROR: it did not like what we sent).`,
    clientsSee: clientsPrint('goaway-on-connect'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Read the GOAWAY code and debug data in the evidence: it names the reason. Check the server log at the probe time.' },
      { side: 'client', applies: 'any', text: 'For HTTP_1_1_REQUIRED, the client must retry over HTTP/1.1 (RFC 9113 §8.7 says it may).' },
    ],
    reproduce: (v) => [`nghttp -nv ${v.url}`, `curl -sv --http2 -o /dev/null${v.resolve} ${v.url}`],
  },
  'h2-inadequate-security': {
    title: (v) => `TLS 1.2 cipher ${v.detail ?? ''} is on HTTP/2's block list`.replace('  ', ' '),
    explanation: (v) =>
      `HTTP/2 negotiated over TLS 1.2 with ${v.detail ?? 'a cipher'}, which RFC 9113 Appendix A (RFC 7540 §9.2.2) lists as unacceptable for HTTP/2: it is not an ephemeral-key AEAD suite. Chromium refuses it: it fails the page with ERR_HTTP2_INADEQUATE_TRANSPORT_SECURITY and does not retry over HTTP/1.1. Apache mod_http2 refuses it itself: GOAWAY right after the preface (on a resumed TLS session it chooses http/1.1 in ALPN instead, so a browser's second connection may still load the page over HTTP/1.1). curl, Go net/http, Java HttpClient, node:http2, grpc-js and grpc-go take it; grpcio (gRPC C-core) offers only ECDHE AEAD suites for TLS 1.2, so on a server with nothing else its handshake fails.`,
    clientsSee: clientsPrint('h2-inadequate-security'),
    fixes: () => [
      { side: 'server', applies: 'nginx', text: 'Prefer ECDHE AEAD suites for TLS 1.2 and enable TLS 1.3.', ...setting('server', ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384;', 'ssl_prefer_server_ciphers off;']) },
      { side: 'server', applies: 'apache', text: 'Same suites in SSLCipherSuite, with SSLProtocol -all +TLSv1.2 +TLSv1.3.' },
      { side: 'server', applies: 'haproxy', text: 'ssl-default-bind-ciphers with ECDHE+AEAD suites; ssl-default-bind-options ssl-min-ver TLSv1.2.' },
      { side: 'server', applies: 'node', text: 'Leave `ciphers` at Node\'s default, or list only ECDHE-*-GCM / CHACHA20 suites.' },
      { side: 'client', applies: 'any', text: 'A client that offers only block-listed suites must add ECDHE AEAD suites (Java: jdk.tls.disabledAlgorithms; OpenSSL: CipherString).' },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} -alpn h2 -tls1_2 </dev/null 2>&1 | grep -aE 'Cipher|ALPN'`],
  },
  'h2c-not-supported': {
    title: () => 'No HTTP/2 in cleartext: neither prior-knowledge h2c nor Upgrade: h2c',
    explanation: () =>
      'This cleartext port answers HTTP/1.1 only. Neither HTTP/2 with prior knowledge (RFC 9113 §3.3, what gRPC and `curl --http2-prior-knowledge` do) nor `Upgrade: h2c` (what `curl --http2 http://` does) leads to HTTP/2. gRPC clients pointed at it fail with "error reading server preface".',
    clientsSee: clientsPrint('h2c-not-supported'),
    fixes: (v) => [
      { side: 'server', applies: 'nginx', text: 'Serve h2c on the cleartext listener (nginx then answers only HTTP/2 there: keep HTTP/1.1 clients on another port).', ...nginxHttp2(v, false) },
      { side: 'server', applies: 'apache', text: 'Allow h2c (mod_http2).', ...setting('virtualhost', ['Protocols h2c http/1.1', 'H2Upgrade on']) },
      { side: 'server', applies: 'haproxy', text: 'Accept h2c on the frontend.', snippet: `bind :${v.port} proto h2`, config: { block: 'bind', set: ['proto h2'] } },
      { side: 'server', applies: 'caddy', text: 'Add h2c to the protocols of the global servers options (Caddy serves h2c by prior knowledge only then).', ...setting('servers', ['protocols h1 h2 h2c']) },
      { side: 'server', applies: 'lighttpd', ...lighttpdH2(v) },
      { side: 'server', applies: 'h2o', text: 'h2o serves h2c (by prior knowledge and by Upgrade) on a cleartext listener unless http1-upgrade-to-http2 is OFF, which switches off both: set it back to ON (a global setting).', ...setting('global', ['http1-upgrade-to-http2: ON']) },
      { side: 'server', applies: 'node', text: 'Use http2.createServer() for cleartext HTTP/2 (prior knowledge only).' },
      { side: 'server', applies: 'go', text: 'Wrap the handler with golang.org/x/net/http2/h2c.NewHandler(handler, &http2.Server{}).' },
      { side: 'client', applies: 'any', text: 'Use TLS (https://) where the server offers h2 via ALPN, or talk HTTP/1.1 to this port.' },
    ],
    reproduce: (v) => [curlPK(v), `curl -sv --http2 -o /dev/null${v.resolve} ${v.url}   # look for "101 Switching Protocols"`],
  },
  'h2c-upgrade-unsupported': {
    title: () => 'h2c by prior knowledge works, but Upgrade: h2c is not honoured',
    explanation: (v) =>
      `HTTP/2 with prior knowledge works on this cleartext port, but an HTTP/1.1 request with \`Upgrade: h2c\` ${v.detail ?? 'was not switched to HTTP/2'}. RFC 9113 deprecated the Upgrade path, and many servers (Node's http2, Envoy by default, gRPC servers) never implemented it; clients that rely on it (\`curl --http2 http://…\`, Java HttpClient, older OkHttp) stay on HTTP/1.1 or fail.`,
    clientsSee: clientsPrint('h2c-upgrade-unsupported'),
    fixes: (v) => [
      { side: 'client', applies: 'curl', text: 'Use prior knowledge: curl --http2-prior-knowledge http://…' },
      { side: 'client', applies: 'any', text: 'Use prior-knowledge h2c (gRPC, Go h2c, OkHttp Protocol.H2_PRIOR_KNOWLEDGE) or TLS with ALPN.' },
      { side: 'server', applies: 'apache', text: 'mod_http2 honours Upgrade: h2c with H2Upgrade on.', ...setting('virtualhost', ['Protocols h2c http/1.1', 'H2Upgrade on']) },
      { side: 'server', applies: 'lighttpd', ...lighttpdH2(v) },
      { side: 'server', applies: 'go', text: 'golang.org/x/net/http2/h2c handles both prior knowledge and Upgrade.' },
    ],
    reproduce: (v) => [`curl -sv --http2 -o /dev/null${v.resolve} ${v.url}`, curlPK(v)],
  },
  'h2-no-streams-allowed': {
    title: () => 'The server allows no streams: SETTINGS_MAX_CONCURRENT_STREAMS = 0',
    explanation: () =>
      'The server\'s SETTINGS say MAX_CONCURRENT_STREAMS = 0, so a client may not open a single stream (RFC 9113 §5.1.2). Every request waits or fails. Often a server draining for shutdown, an overload protection, or a misconfigured limit.',
    clientsSee: clientsPrint('h2-no-streams-allowed'),
    fixes: () => [
      { side: 'server', applies: 'nginx', text: 'Set a positive limit.', ...setting('server', ['http2_max_concurrent_streams 128;']) },
      { side: 'server', applies: 'node', text: 'Set settings.maxConcurrentStreams above 0 in http2.createServer options.' },
      { side: 'server', applies: 'apache', text: 'H2MaxSessionStreams 100' },
    ],
    reproduce: (v) => [`nghttp -nv ${v.url} 2>&1 | grep -i concurrent`],
  },
  'http1-not-supported': {
    title: () => 'The server speaks only HTTP/2: HTTP/1.1 clients fail',
    explanation: (v) =>
      `HTTP/2 works, but an HTTP/1.1 request ${v.detail ?? 'fails'}. Clients without HTTP/2 (older libraries, Python requests, health checkers, some proxies and load balancers) cannot use this endpoint.`,
    clientsSee: clientsPrint('http1-not-supported'),
    fixes: (v) => [
      { side: 'server', applies: 'node', text: 'Accept HTTP/1.1 too.', snippet: NODE_H2 },
      { side: 'server', applies: 'nghttpd', text: 'nghttpd (the nghttp2 project\'s test server) speaks HTTP/2 only and has no option for HTTP/1.1: put a server that speaks both in front of it, or send HTTP/1.1 clients elsewhere.' },
      // What the server does now is the evidence's (nghttpd completes the handshake, then closes; Node's http2 fails the handshake).
      { side: 'server', applies: 'any', text: `If HTTP/1.1 is refused on purpose, answer it with a clear 426 Upgrade Required naming HTTP/2 rather than what it does now (an HTTP/1.1 request ${v.detail ?? 'fails'}).` },
    ],
    reproduce: (v) => [`curl -sv --http1.1 -o /dev/null${v.resolve} ${v.url}`],
  },
  'scheme-http-on-tls-port': {
    title: (v) => `Cleartext HTTP was sent to a TLS port (${v.connect})`,
    explanation: (v) =>
      `This port speaks TLS: ${v.detail ?? 'it answered our ClientHello'}. A cleartext request (http://, h2c) gets a TLS alert, an HTTP 400 "plain HTTP request was sent to HTTPS port", or a closed connection. Use ${v.otherUrl ?? 'https://'}.`,
    clientsSee: clientsPrint('scheme-http-on-tls-port'),
    fixes: (v) => [
      { side: 'client', applies: 'any', text: `Use ${v.otherUrl ?? 'https://'} (gRPC: transport credentials instead of insecure).` },
      { side: 'server', applies: 'any', text: 'If clients must use cleartext, expose a separate cleartext listener.' },
    ],
    reproduce: (v) => [`curl -sv -o /dev/null${v.resolve} ${v.url}`, `openssl s_client -connect ${v.connect}${v.servername} </dev/null 2>&1 | head -5`],
  },
  'scheme-https-on-cleartext-port': {
    title: (v) => `A TLS ClientHello was sent to a cleartext port (${v.connect})`,
    explanation: (v) =>
      `This port speaks cleartext HTTP: ${v.detail ?? 'it answered our ClientHello with HTTP'}. TLS clients then fail with "wrong version number" because the server's answer is not a TLS record. Use ${v.otherUrl ?? 'http://'}, or enable TLS on the server.`,
    clientsSee: clientsPrint('scheme-https-on-cleartext-port'),
    fixes: (v) => [
      { side: 'client', applies: 'any', text: `Use ${v.otherUrl ?? 'http://'} for this port, or the server's TLS port (usually 443).` },
      { side: 'server', applies: 'nginx', text: 'Make the listener TLS.', snippet: 'listen 443 ssl;\nssl_certificate /etc/ssl/site.crt;\nssl_certificate_key /etc/ssl/site.key;' },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} </dev/null 2>&1 | grep -i -E 'wrong version|error'`, `curl -sv -o /dev/null${v.resolve} ${v.otherUrl ?? v.url}`],
  },
};

/**
 * Every code's words: core (dns, transport, protocol mismatch), then each family's own file.
 * @example KNOWLEDGE['alpn-no-h2']?.title(vars) // 'HTTP/2 is off: the server picks http/1.1 when offered h2' (knowledgeOf() is the total lookup)
 */
export const KNOWLEDGE: Partial<Record<Code, Knowledge>> = { ...CORE_KNOWLEDGE, ...TLS_KNOWLEDGE, ...UPGRADE_KNOWLEDGE, ...H2_FIELDS_KNOWLEDGE, ...SESSION_KNOWLEDGE, ...HTTP1_KNOWLEDGE, ...VANTAGE_KNOWLEDGE, ...CLIENTS_KNOWLEDGE };
