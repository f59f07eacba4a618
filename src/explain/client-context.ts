/**
 * The client that printed a pasted text, read from the shape of its messages: which program, what it
 * offers in ALPN, the URL's scheme, the HTTP version spoken, what ALPN selected, whether TLS was used.
 * The signal rules read hints through it (an HTTP/1.1-only client refused by ALPN means the server
 * lacks http/1.1).
 */
import type { ClientContext } from './signal-types.js';

/** Guesses the client from the shape of its messages. First rule that matches wins. */
export function clientContext(text: string): ClientContext {
  const ctx: ClientContext = {};
  const url = /\b(https?|wss?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)/.exec(text);
  if (url) {
    ctx.scheme = url[1]!;
    ctx.ipHost = /^(\d{1,3}\.){3}\d{1,3}$|^\[/.test(url[2]!);
  } else {
    // Python (host='…'), aiohttp ("Cannot connect to host …:443"), s_client (-connect …:443).
    const named = /\bhost=['"]?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)|connect to (?:host )?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d|-connect (\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d/.exec(text);
    const host = named?.[1] ?? named?.[2] ?? named?.[3];
    if (host) ctx.ipHost = /^(\d{1,3}\.){3}\d{1,3}$|^\[/.test(host);
  }
  const rules: Array<[RegExp, string, ClientContext['offers']?]> = [
    [/grpc|StatusCode\.[A-Z_]+|failed to connect to all addresses|_InactiveRpcError|rpc error: code = [A-Za-z]+ desc = |^Error: \d{1,2} [A-Z_]{5,}: /m, 'grpc', 'h2'],
    [/\[ERROR\] |^\[\s*\d+\.\d{3}\]|Some requests were not processed/m, 'nghttp', 'h2'],
    [/net::ERR_|net_error -\d+|ssl_client_socket_impl/, 'chromium', 'both'],
    [/ERR_HTTP2_|node:internal\/http2|Http2Session/, 'node', 'h2'],
    [/\bhttp2: |x\/net\/http2/, 'go', 'h2'],
    [/\bcurl: \(\d+\)|^\* /m, 'curl'],
    [/okhttp3?\b|Unexpected response code for CONNECT|StreamResetException/, 'okhttp', 'both'],
    // HttpURLConnection (sun.net.www) speaks HTTP/1.1 only; "Unexpected end of file from server" is its message.
    [/Server returned HTTP response code|HttpsURLConnection|sun\.net\.www|Unexpected end of file from server/, 'java', 'h1'],
    [/java\.(?:net|io|lang|security)\.|javax\.net\.|jdk\.internal\.|Exception in thread "/, 'java', 'both'],
    [/\[SSL: [A-Z_]+\]|requests\.exceptions\.|urllib3\.|urllib\.error\.|http\.client\.|httpx\.|httpcore\.|aiohttp\.|websockets\.exceptions|Traceback \(most recent call last\)|\(_ssl\.c:\d+\)/, 'python', 'h1'],
    [/^\*\*\* |GnuTLS|gnutls/m, 'gnutls'],
    [/ERROR \d{3}: |awaiting response\.\.\.|Unable to establish SSL connection|‘[^’]*’/, 'wget', 'h1'],
    [/SSL routines:[a-z0-9_]*:|verify error:num=|Verify return code:|^CONNECTED\(/m, 'openssl'],
    [/\b(?:Get|Post|Head|Put|Delete|Patch) "[a-z]+:\/\/|x509: |remote error: tls: |\btls: [a-z]/, 'go', 'both'],
    // axios speaks HTTP/1.1 only (node:http/https underneath).
    [/\bERR_[A-Z0-9_]+|code: '|TypeError: fetch failed|\[cause\]|\bE[A-Z]{4,}\b.*\bcode\b|\bAxiosError\b/, 'node', 'h1'],
  ];
  for (const [re, client, offers] of rules) {
    if (re.test(text)) {
      ctx.client = client;
      if (offers) ctx.offers = offers;
      break;
    }
  }
  if (ctx.client === 'curl' && /--http1\.1|ALPN: offers http\/1\.1\b(?!,)/.test(text)) ctx.offers = 'h1';
  if (ctx.client === 'java' && /HTTP\/1\.1 header parser|parsing HTTP\/1\.1/.test(text)) ctx.offers = 'h1';
  if (/ALPN: offers h2\b(?!,)|ALPN, offering h2\b(?!,)/.test(text)) ctx.offers = 'h2';
  // Java sends no SNI for a name without a dot (JDK SNIHostName rules): such a name proves nothing.
  if (ctx.client === 'java' && ctx.ipHost === false && url && !url[2]!.includes('.')) delete ctx.ipHost;
  if (ctx.offers === 'h1') ctx.speaks = 'h1';
  if (ctx.client === 'grpc') ctx.speaks = 'h2';
  // OkHttp names the connection it failed on: "Connection{host:port, … cipherSuite=none protocol=http/1.1}".
  const okConn = /Connection\{[^}]{0,300}cipherSuite=(\S+) protocol=(h2|http\/1\.[01]|h2_prior_knowledge)\}/.exec(text);
  if (okConn) {
    if (okConn[1] === 'none') ctx.scheme ??= 'http';
    ctx.speaks = okConn[2]!.startsWith('h2') ? 'h2' : 'h1';
  }
  // curl: ALPN agreed on nothing, so HTTP/1.1 followed; "Using HTTP2" / "using HTTP/2" says h2.
  if (/ALPN: server did not agree|ALPN, server did not agree|No ALPN negotiated/.test(text)) {
    ctx.speaks = 'h1';
    ctx.alpn = 'none';
  } else if (/ALPN: server accepted http\/1|ALPN, server accepted to use http\/1/.test(text)) {
    ctx.speaks = 'h1';
    ctx.alpn = 'h1';
  } else if (/Using HTTP2|using HTTP\/2|ALPN: server accepted h2|ALPN, server accepted to use h2/.test(text)) {
    ctx.speaks = 'h2';
    ctx.alpn = 'h2';
  }
  ctx.tls = ctx.scheme === 'https' || ctx.scheme === 'wss' || ctx.alpn !== undefined || /\bSSL|\bTLS|x509|certificate|_ssl\.c|GnuTLS|handshake/i.test(text);
  return ctx;
}
