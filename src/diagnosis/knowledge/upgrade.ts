/**
 * Words for the upgrade/426, WebSocket and proxy codes (and tls-interception-suspected, which the
 * proxy comparison raises).
 */
import type { Code } from '../../model/codes.js';
import type { Fix } from '../../model/index.js';
import type { Knowledge, Vars } from './types.js';
import { setting, versionAtLeast } from './server.js';
import { clientsPrint } from './printed.js';

const wsUrl = (v: Vars) => v.url.replace(/^http/, 'ws');
/** The opening handshake with RFC 6455's sample key (a server that upgrades holds the connection: 5 s). */
const curlWs = (v: Vars) =>
  `curl -si --max-time 5 --http1.1${v.resolve} -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' ${v.url.replace(/^ws/, 'http')} | head -20`;

const NGINX_WS = `location /ws/ {
    proxy_pass http://backend;
    proxy_http_version 1.1;                  # the default, 1.0, cannot carry an upgrade
    proxy_set_header Upgrade $http_upgrade;  # hop-by-hop: nginx drops it unless told
    proxy_set_header Connection "upgrade";
    proxy_read_timeout 1h;                   # WebSockets idle longer than 60 s
}`;
const HAPROXY_WS = `# HAProxy forwards Upgrade by itself (HTX mode); only the idle timeout needs care:
timeout tunnel 1h`;
const APACHE_WS = `ProxyPass        /ws/ ws://backend/ws/    # mod_proxy_wstunnel (Apache ≥ 2.4.47: upgrade=websocket on http://)
ProxyPassReverse /ws/ ws://backend/ws/`;
/** Apache ≥ 2.4.47 (mod_proxy_http): the upgrade on the ProxyPass line itself. */
const apacheWsUpgrade = (path: string) => `ProxyPass "${path}" "http://backend:8080${path}" upgrade=websocket`;
const NODE_426 = `import { requireProtocol } from 'h2doctor/server';
const guard = requireProtocol({ minHttpVersion: '2.0', problem: { migrationGuide: 'https://docs.example.com/http2' } });
server.on('request', (req, res) => { if (!guard(req, res)) return; /* … */ });`;
const PROBLEM_BODY = `HTTP/1.1 426 Upgrade Required
Upgrade: HTTP/2.0
Connection: Upgrade
Content-Type: application/problem+json

{"type":"https://api.example.com/problems/http2-required","title":"Upgrade Required","status":426,
 "detail":"This API requires HTTP/2.","migration_guide":"https://docs.example.com/http2","deadline":"2027-06-30T00:00:00Z"}`;

/**
 * Squid forwards no Upgrade unless http_upgrade_request_protocols allows it (Squid ≥ 5.1); older
 * Squid cannot relay a WebSocket upgrade in plain HTTP at all.
 */
function squidUpgrade(v: Vars): Fix {
  const line = 'http_upgrade_request_protocols websocket allow all';
  if (v.server?.kind === 'squid' && v.server.version && !versionAtLeast(v.server.version, '5.1')) {
    return { side: 'network', applies: 'squid', text: `Squid ${v.server.version} drops every Upgrade: Squid 5.1 and later relay WebSocket upgrades when told to (${line}); until then use wss://, which Squid passes as a CONNECT tunnel.` };
  }
  return { side: 'network', applies: 'squid', text: 'Squid drops Upgrade (hop-by-hop) unless http_upgrade_request_protocols allows the protocol (Squid ≥ 5.1): allow websocket, then reload squid.', snippet: line, config: { block: 'global', set: [line] } };
}

/**
 * The words of the upgrade family's codes (426, Upgrade stripped, WebSocket, CONNECT, HTTP/1.1 deprecation).
 * @example UPGRADE_KNOWLEDGE['upgrade-required-h2']?.reproduce(vars)[0] // 'curl -si --http1.1 https://example.com/ | head -20'
 */
export const UPGRADE_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'upgrade-required-h2': {
    title: (v) => `HTTP/1.1 requests to ${v.host} are refused with 426: the server requires HTTP/2${v.detail ? ` (${v.detail})` : ''}`,
    explanation: () =>
      'The server answers HTTP/1.1 with 426 Upgrade Required, naming HTTP/2 in its Upgrade field. Clients that negotiate HTTP/2 (browsers, curl over https, Go, gRPC) are fine; HTTP/1.1-only clients fail: old SDKs, Python requests, Java HttpURLConnection, some proxies and load balancers that speak HTTP/1.1 to the origin. Over TLS the switch happens by reconnecting with ALPN h2, not inside the same connection.',
    clientsSee: clientsPrint('upgrade-required-h2'),
    fixes: () => [
      { side: 'client', applies: 'python', text: 'Use an HTTP/2 client: httpx with http2=True (pip install "httpx[http2]").', snippet: `httpx.Client(http2=True).get(url)` },
      { side: 'client', applies: 'java', text: 'Use java.net.http.HttpClient (HTTP/2 by default) instead of HttpURLConnection.', snippet: 'HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()' },
      { side: 'client', applies: 'any', text: 'Check proxies between you and the server: one that speaks HTTP/1.1 upstream turns every request into HTTP/1.1.' },
      { side: 'server', applies: 'any', text: 'If old clients must keep working for a while, serve HTTP/1.1 until the announced Sunset date and send Deprecation/Sunset meanwhile; answer the 426 with Problem Details and a migration link.', snippet: NODE_426 },
    ],
    reproduce: (v) => [`curl -si --http1.1${v.resolve} ${v.url} | head -20`, `curl -sI --http2${v.resolve} ${v.url}`],
  },
  'upgrade-required-tls': {
    title: (v) => `The server refuses cleartext with 426 and asks for TLS (${v.detail ?? 'Upgrade: TLS'})`,
    explanation: () =>
      'The request was answered 426 Upgrade Required with Upgrade naming TLS (RFC 2817): the server serves only encrypted connections, or only a minimum TLS version. Almost no client implements the in-band upgrade to TLS; in practice the fix is to use https:// (and TLS 1.2 or newer: TLS 1.0/1.1 are deprecated by RFC 8996).',
    clientsSee: clientsPrint('upgrade-required-tls'),
    fixes: (v) => [
      { side: 'client', applies: 'any', text: `Use ${v.otherUrl ?? 'https://'} instead of the cleartext URL.` },
      { side: 'client', applies: 'python', text: 'Require TLS 1.2 or newer in the client.', snippet: 'ctx = ssl.create_default_context(); ctx.minimum_version = ssl.TLSVersion.TLSv1_2' },
      { side: 'server', applies: 'nginx', text: 'Redirect cleartext to https instead of a 426 when browsers are among the clients (they follow 301/308, not Upgrade: TLS).', snippet: 'server { listen 80; return 308 https://$host$request_uri; }' },
    ],
    reproduce: (v) => [`curl -si${v.resolve} ${v.url} | head -20`, `curl -sv --tlsv1.2${v.resolve} ${v.otherUrl ?? v.url} -o /dev/null`],
  },
  'upgrade-required-websocket': {
    title: (v) => `${v.url} is a WebSocket endpoint: plain requests get 426`,
    explanation: () =>
      'A plain GET was answered 426 Upgrade Required with Upgrade: websocket. The endpoint only speaks WebSocket (RFC 6455): a client must send an opening handshake (Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Key, Sec-WebSocket-Version: 13). h2doctor tried that handshake itself; its result is in the evidence. If your client sends the handshake and still gets 426, something on the way strips the upgrade.',
    clientsSee: clientsPrint('upgrade-required-websocket'),
    fixes: (v) => [
      { side: 'client', applies: 'any', text: `Connect with a WebSocket client to ${wsUrl(v)} instead of an HTTP client.`, snippet: `const ws = new WebSocket('${wsUrl(v)}');` },
      { side: 'server', applies: 'any', text: 'Answer the 426 with a short Problem Details body naming the WebSocket URL, so HTTP clients learn what to do.' },
    ],
    reproduce: (v) => [`curl -si${v.resolve} ${v.url.replace(/^ws/, 'http')} | head -10`, curlWs(v)],
  },
  'upgrade-header-missing': {
    title: () => '426 Upgrade Required without an Upgrade field',
    explanation: () =>
      'The server answered 426 but did not say what to upgrade to. RFC 9110 §15.5.22 requires a 426 to carry an Upgrade field naming the acceptable protocols (HTTP/2.0, TLS/1.2, websocket…), and §7.8 requires Connection: Upgrade with it. Without it, clients and people cannot tell whether to switch to HTTP/2, TLS or WebSocket. (Over HTTP/2 a 426 cannot carry Upgrade, RFC 9113 §8.2.2; h2doctor does not report those.)',
    clientsSee: clientsPrint('upgrade-header-missing'),
    fixes: () => [
      { side: 'server', applies: 'node', text: 'Send a complete 426 (Upgrade, Connection: Upgrade, Problem Details): h2doctor/server does it.', snippet: NODE_426 },
      { side: 'server', applies: 'nginx', text: 'In nginx, add the field to the 426 yourself.', snippet: 'add_header Upgrade "HTTP/2.0" always;\nadd_header Connection "Upgrade" always;\nreturn 426;' },
    ],
    reproduce: (v) => [`curl -si --http1.1${v.resolve} ${v.url} | head -20`],
  },
  'upgrade-problem-details-missing': {
    title: (v) => `The 426 has no machine-readable explanation${v.detail ? ` (${v.detail})` : ''}`,
    explanation: () =>
      'The 426 body is not RFC 9457 Problem Details (Content-Type: application/problem+json). A Problem Details body lets SDKs and people see what is required, until when, and where the migration guide is: type, title, status, detail, instance, plus members such as migration_guide and deadline.',
    clientsSee: clientsPrint('upgrade-problem-details-missing'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Answer 426 with an application/problem+json body carrying a migration link and the deadline.', snippet: PROBLEM_BODY },
      { side: 'server', applies: 'node', text: 'h2doctor/server builds this response.', snippet: NODE_426 },
    ],
    reproduce: (v) => [`curl -si --http1.1${v.resolve} ${v.url}`],
  },
  'upgrade-header-stripped': {
    title: (v) => `An intermediary drops the upgrade request${v.detail ? ` (${v.detail})` : ''}`,
    explanation: () =>
      'A correct upgrade request (Upgrade and Connection: Upgrade) was answered as if it had never asked: a 426 naming the very protocol we asked for, or a plain 200. Upgrade and Connection are hop-by-hop fields (RFC 9110 §7.6.1): every proxy must forward them explicitly, and one that does not (nginx by default, or one that speaks HTTP/1.0 upstream, where Upgrade is ignored) turns the handshake into a plain GET. The Via or Server field of the answer names the hop; the variant requests in the evidence show how the request loses its upgrade.',
    clientsSee: clientsPrint('upgrade-header-stripped'),
    fixes: (v) => [
      { side: 'server', applies: 'nginx', text: 'Forward the upgrade explicitly, over HTTP/1.1.', snippet: NGINX_WS },
      {
        side: 'server',
        applies: 'apache',
        text: 'Apache ≥ 2.4.47: add upgrade=websocket to the ProxyPass that serves this path (without it mod_proxy_http drops Upgrade both ways, so the backend\'s 426 even loses its own Upgrade field); older Apache: mod_proxy_wstunnel with a ws:// ProxyPass.',
        snippet: `${apacheWsUpgrade(new URL(v.url).pathname)}\n# Apache < 2.4.47:\n${APACHE_WS}`,
        config: { block: 'virtualhost', append: [{ to: 'ProxyPass', add: 'upgrade=websocket' }] },
      },
      { side: 'server', applies: 'haproxy', text: 'HAProxy passes upgrades; set a tunnel timeout.', snippet: HAPROXY_WS },
      squidUpgrade(v),
      {
        side: 'server',
        applies: 'lighttpd',
        text: 'lighttpd\'s mod_proxy forwards Upgrade only when told to (proxy.header, lighttpd ≥ 1.4.46): enable upgrade for the proxy that serves this path.',
        ...setting('global', ['proxy.header = ("upgrade" => "enable")']),
      },
      { side: 'network', applies: 'proxy', text: 'Corporate proxies and some CDNs/WAFs drop WebSocket upgrades on cleartext: use wss:// (the proxy then only sees a CONNECT tunnel), or enable WebSocket support in the CDN.' },
    ],
    reproduce: (v) => [curlWs(v)],
  },
  'websocket-handshake-failed': {
    title: (v) => `The WebSocket handshake fails${v.detail ? `: ${v.detail}` : ''}`,
    explanation: (v) =>
      'A correct RFC 6455 opening handshake (Upgrade: websocket, Connection: Upgrade, a fresh Sec-WebSocket-Key, version 13) was not answered with a valid 101 Switching Protocols: a different status, or a 101 whose Upgrade, Connection or Sec-WebSocket-Accept is wrong (the accept must be base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11))). Every WebSocket client aborts on this.' +
      (v.detail?.startsWith('no WebSocket endpoint')
        ? ' Here the upgrade got the same 2xx a plain GET gets: most likely nothing at this path speaks WebSocket (a wrong path, or the WebSocket server is not routed there); less likely a proxy that does not name itself (no Via) drops Upgrade. To tell them apart: send the same handshake to the backend directly (or over wss://, which a plain proxy cannot read); a 101 there means a hop strips the upgrade, the same 200 means there is no WebSocket endpoint at the path.'
        : ''),
    clientsSee: clientsPrint('websocket-handshake-failed'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Use a maintained WebSocket library rather than a hand-written handshake; check the path, the Origin policy and authentication of the endpoint (403/401 answers).' },
      { side: 'server', applies: 'nginx', text: 'Behind nginx, forward the upgrade.', snippet: NGINX_WS },
    ],
    // RFC 6455 §1.3: the sample key's accept value, to compare with what the server sent.
    reproduce: (v) => [`${curlWs(v)}   # a correct 101 carries Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`],
  },
  'websocket-subprotocol-rejected': {
    title: (v) => `The server accepts none of the offered WebSocket subprotocols${v.detail ? ` (${v.detail})` : ''}`,
    explanation: () =>
      'The handshake offered subprotocols in Sec-WebSocket-Protocol and the server selected none (or one that was not offered). Browsers fail the connection when a subprotocol was requested and none is returned; other clients go on speaking a protocol the server does not expect.',
    clientsSee: clientsPrint('websocket-subprotocol-rejected'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Register the subprotocol on the server (e.g. ws: handleProtocols; Spring: setSupportedProtocols) and echo the chosen one in Sec-WebSocket-Protocol.' },
      { side: 'client', applies: 'any', text: 'Offer the subprotocol names the server supports (they compare exactly, case included).' },
    ],
    reproduce: (v) => [`${curlWs(v).replace(' | head -20', '')} -H 'Sec-WebSocket-Protocol: chat' | head -20`],
  },
  'websocket-over-h2-unsupported': {
    title: () => 'WebSocket works over HTTP/1.1 only: the HTTP/2 server does not enable extended CONNECT',
    explanation: () =>
      'The server speaks HTTP/2 but its SETTINGS do not carry SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441), so WebSockets cannot run over the HTTP/2 connection. Browsers fall back to a separate HTTP/1.1 connection, which works; clients or proxies that only speak HTTP/2 to this server cannot open WebSockets.',
    clientsSee: clientsPrint('websocket-over-h2-unsupported'),
    fixes: () => [
      { side: 'server', applies: 'node', text: 'node:http2 supports RFC 8441 when asked.', snippet: "http2.createSecureServer({ key, cert, allowHTTP1: true, settings: { enableConnectProtocol: true } })" },
      { side: 'server', applies: 'envoy', text: 'Envoy: allow_connect with upgrade_configs websocket on the HTTP/2 listener.' },
      { side: 'server', applies: 'any', text: 'Nothing to do if every client may use HTTP/1.1 for WebSockets.' },
    ],
    reproduce: (v) => [`nghttp -nv ${v.url.replace(/^wss/, 'https')} 2>&1 | grep -i -A8 'recv SETTINGS'`],
  },
  'h1-h2-behaviour-differs': {
    title: (v) => `The same request gets different answers over HTTP/1.1 and HTTP/2${v.detail ? ` (${v.detail})` : ''}`,
    explanation: () =>
      'One request, same method, path and headers, answered with a different status depending on the protocol. Usually two different back ends or virtual hosts answer (a CDN or load balancer routes HTTP/2 elsewhere), or a rule matches only one protocol (Host vs :authority, a WAF rule, a route configured on one listener). Clients see different behaviour depending on what they negotiate.',
    clientsSee: clientsPrint('h1-h2-behaviour-differs'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Compare the HTTP/1.1 and HTTP/2 listeners or virtual hosts: routes, rewrites, WAF rules and the back end each one proxies to.' },
      { side: 'server', applies: 'nginx', text: 'In nginx, one server block should serve both: listen 443 ssl; http2 on; rather than separate blocks per protocol.' },
    ],
    reproduce: (v) => [`curl -s -o /dev/null -w '%{http_version} %{http_code}\\n' --http1.1${v.resolve} ${v.url}`, `curl -s -o /dev/null -w '%{http_version} %{http_code}\\n' --http2${v.resolve} ${v.url}`],
  },
  'deprecation-announced': {
    title: (v) => `The server announces an end of support${v.detail ? `: ${v.detail}` : ''}`,
    explanation: () =>
      'The responses carry Deprecation (RFC 9745), Sunset (RFC 8594) or a Link with rel="deprecation"/"sunset": what you are using is deprecated and will stop working at the sunset date. The dates and links are in the evidence.',
    clientsSee: clientsPrint('deprecation-announced'),
    fixes: () => [
      { side: 'client', applies: 'any', text: 'Read the linked deprecation notice and migrate before the Sunset date; log Deprecation/Sunset headers in your client so the next one is noticed.' },
    ],
    reproduce: (v) => [`curl -sI --http1.1${v.resolve} ${v.url} | grep -iE '^(deprecation|sunset|link):'`],
  },
  'proxy-connect-failed': {
    title: (v) => `The proxy ${v.detail?.startsWith('the tunnel opened') ? 'fails' : 'refuses'} the CONNECT tunnel${v.detail ? ` (${v.detail})` : ''}`,
    explanation: () =>
      'h2doctor asked the HTTP proxy for a tunnel to the target (CONNECT host:port, RFC 9110 §9.3.6) and did not get a working one: the proxy answered with an error status or a head that never ends, closed, could not be reached, or answered 200 and then relayed nothing. Nothing reaches the server on this path. 407 means the proxy wants credentials; 403 a policy (ports other than 443 are often refused); 502/503/504 that the proxy could not reach the target itself.',
    clientsSee: clientsPrint('proxy-connect-failed'),
    fixes: (v) => [
      { side: 'client', applies: 'any', text: 'Give credentials in the proxy URL (http://user:password@proxy:3128), or check NO_PROXY if the target should not go through the proxy at all.' },
      {
        side: 'network',
        applies: 'squid',
        text: `Squid refuses CONNECT to ports outside its SSL_ports list (http_access deny CONNECT !SSL_ports, in the default squid.conf): add ${v.port} to the list (acl lines add up), then reload squid.`,
        snippet: `acl SSL_ports port ${v.port}`,
        config: { block: 'global', set: [`acl SSL_ports port ${v.port}`] },
      },
      { side: 'network', applies: 'tinyproxy', text: 'List the port in ConnectPort (no ConnectPort line allows all).', snippet: 'ConnectPort 443\nConnectPort 8443' },
    ],
    // The run's --proxy is added to the curl (withUserOptions).
    reproduce: (v) => [`curl -sv -o /dev/null${v.resolve} ${v.url} 2>&1 | grep -aiE 'CONNECT|HTTP/|timed out|too large|recv failure'`],
  },
  'proxy-alters-alpn': {
    title: (v) => `The proxy path negotiates a different protocol${v.detail ? `: ${v.detail}` : ''}`,
    explanation: () =>
      'ALPN through the proxy differs from ALPN on the direct path. A CONNECT tunnel is transparent to TLS, so a different ALPN means the proxy terminates TLS itself (a TLS-inspecting proxy) and speaks its own protocol choice, usually HTTP/1.1 only: clients behind it lose HTTP/2, and clients that require h2 (gRPC) fail.',
    clientsSee: clientsPrint('proxy-alters-alpn'),
    fixes: () => [
      { side: 'network', applies: 'proxy', text: 'Exempt the host from TLS inspection (bypass list), or enable HTTP/2 on the inspecting proxy.' },
      { side: 'client', applies: 'any', text: 'Put the host in NO_PROXY if it is reachable directly.' },
    ],
    // Through the run's --proxy (added by withUserOptions), then around it.
    reproduce: (v) => [`curl -sv -o /dev/null --http2${v.resolve} ${v.url} 2>&1 | grep -i alpn`, `curl -sv -o /dev/null --noproxy '*' --http2${v.resolve} ${v.url} 2>&1 | grep -i alpn`],
  },
  'tls-interception-suspected': {
    title: (v) => `The proxy presents a different certificate: TLS is intercepted${v.detail ? ` (${v.detail})` : ''}`,
    explanation: () =>
      'The certificate seen through the proxy is not the one the server presents directly. A CONNECT tunnel does not change TLS, so the proxy (or security software) decrypts and re-signs the connection with its own CA. Clients that do not trust that CA fail verification; clients that pin certificates fail always; and the proxy may change the negotiated protocol.',
    clientsSee: clientsPrint('tls-interception-suspected'),
    fixes: () => [
      { side: 'network', applies: 'proxy', text: 'Exempt the host from TLS inspection, or install the inspection CA in the clients that must go through it (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, the Java truststore).' },
      { side: 'client', applies: 'any', text: 'Compare the issuer with the server\'s real one: openssl s_client through and around the proxy.' },
    ],
    // The first openssl goes through the run's proxy (-proxy, added by withUserOptions); the second, -noproxy, around it.
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} </dev/null 2>/dev/null | openssl x509 -noout -issuer -fingerprint -sha256`, `openssl s_client -noproxy -connect ${v.connect}${v.servername} </dev/null 2>/dev/null | openssl x509 -noout -issuer -fingerprint -sha256`],
  },
};
