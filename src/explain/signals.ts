/**
 * Evidence a pasted error line carries, read the same way whichever client printed it: HTTP
 * statuses (with their context: a CONNECT, a WebSocket handshake, a plain request), TLS alerts and
 * reason names, X509 verify results, errno names, exception classes, gRPC status codes, timeouts
 * (and at which layer), ALPN outcomes, WebSocket handshake faults.
 *
 * A signal is one kind of evidence, not one client's message: "the certificate is expired" is one
 * signal whether OpenSSL (`num=10`), Node (`CERT_HAS_EXPIRED`), Java (`CertificateExpiredException`),
 * Go (`current time … is after …`), GnuTLS (`uses expired certificate`) or Chromium
 * (`ERR_CERT_DATE_INVALID`) says it. Each signal points at finding codes with a weight; the client
 * context (which side lacks what: an HTTP/1.1-only client refused by ALPN means the server lacks
 * http/1.1) is applied by {@link clientContext} and the alert direction rules below.
 *
 * Wrappers ("fetch failed", grpc's "failed to connect to all addresses", Java's outer exception,
 * urllib3's MaxRetryError) carry no signal of their own, so the innermost specific error decides.
 *
 * Pure, line by line, bounded: every regular expression is linear on one line, and a line is cut at
 * {@link MAX_LINE} characters.
 *
 * @example
 * readSignals('Error: certificate has expired')[0].hints[0].code // 'cert-expired'
 */
import type { Code } from '../model/codes.js';
import { alertByCode } from '../wire/tls/alerts.js';
import { MAX_LINE } from './decoders.js';
import { type CodeHint } from './decoded.js';

/** Which side of the conversation failed, as far as the words tell. */
export type Layer = 'dns' | 'tcp' | 'tls' | 'certificate' | 'http2' | 'http' | 'websocket' | 'proxy' | 'grpc' | 'timeout';

export interface Signal {
  /** Stable id of the kind of evidence (`cert-expired`, `status-426`, `alert-120`…). */
  id: string;
  layer: Layer;
  /** The words that carried it (a slice of the line). */
  text: string;
  /** 0-based line of the input it was read on. */
  line: number;
  /** One sentence: what was recognised. */
  sentence: string;
  hints: CodeHint[];
}

/** What is known about the program that printed the text. */
export interface ClientContext {
  /** `curl`, `openssl`, `gnutls`, `wget`, `nghttp`, `node`, `python`, `grpc`, `go`, `java`, `okhttp`, `chromium`. */
  client?: string;
  /** Application protocols the client offers in ALPN: what the server must support. */
  offers?: 'h1' | 'h2' | 'both';
  /**
   * The URL in the text: scheme and whether the host is an IP literal (no SNI is sent then). False
   * when the text names the host by a DNS name: the client sent that name in SNI.
   */
  scheme?: string;
  ipHost?: boolean;
  /**
   * The HTTP version the client spoke on the connection, when the text says so: `h1` after ALPN
   * agreed on nothing (curl "Uses default") or from an HTTP/1.1-only client. An HTTP/1.1 client
   * never sent the HTTP/2 preface, so a close it meets is no preface-* finding.
   */
  speaks?: 'h1' | 'h2';
  /** What ALPN selected, when the text says: `none` when the server agreed on no protocol. */
  alpn?: 'none' | 'h1' | 'h2';
  /** True when the text shows the connection used TLS (an https/wss URL, a TLS or certificate error). */
  tls?: boolean;
}

const h = (code: Code, weight: number, why: string): CodeHint => ({ code, weight, why });

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

interface Rule {
  id: string;
  layer: Layer;
  re: RegExp;
  sentence: string;
  hints: (m: RegExpExecArray, ctx: ClientContext, line: string) => CodeHint[];
}

const STATUS_PHRASES: Record<string, number> = {
  'Upgrade Required': 426,
  Forbidden: 403,
  'Proxy Authentication Required': 407,
  'Not Found': 404,
  'Bad Gateway': 502,
  'Service Unavailable': 503,
  'Bad Request': 400,
  'Misdirected Request': 421,
};

/** HTTP status in a line, by number in its usual frames or by reason phrase. */
function statusOf(line: string): { status: number; text: string } | undefined {
  const forms = [
    /\b(?:HTTP\/[\d.]+|HTTP|Error|ERROR|error|code|response code|status(?: code)?|returned error|Unexpected server response|response|got|HTTP error|Tunnel connection failed|CONNECT|ClientResponseError|ClientHttpProxyError|ProxyError|Client Error|Server Error|status=|HTTP code)[:=]?\s*\(?'?(\d{3})\b/,
    /\b(\d{3}) (?:Client|Server) Error\b/,
    /\bProxy response \((\d{3})\)/,
    /^(?:h2|http\/1\.[01]|HTTP\/[\d.]+) (\d{3})\b/,
  ];
  for (const re of forms) {
    const m = re.exec(line);
    if (m) {
      const n = Number(m[1]);
      if (n >= 100 && n <= 599) return { status: n, text: m[0] };
    }
  }
  // Java's HttpURLConnection turns a 404 into FileNotFoundException naming the URL.
  const fnf = /FileNotFoundException: https?:\/\/\S{1,500}/.exec(line);
  if (fnf) return { status: 404, text: fnf[0] };
  // A proxy's refusal by reason phrase: wget "Proxy tunneling failed: Forbidden".
  if (/Proxy tunneling failed|Tunnel connection failed|authenticate with proxy/i.test(line)) {
    if (/authenticate with proxy/i.test(line)) return { status: 407, text: 'Failed to authenticate with proxy' };
    for (const [phrase, n] of Object.entries(STATUS_PHRASES)) if (line.includes(phrase)) return { status: n, text: phrase };
    return { status: 0, text: /(?:Proxy tunneling failed|Tunnel connection failed)[^.]{0,60}/.exec(line)?.[0] ?? 'Proxy tunneling failed' };
  }
  // Go's CONNECT failure is the reason phrase alone after the URL: `Get "https://h/": Forbidden`.
  const go = /^(?:Get|Post|Head|Put|Delete|Patch) "[^"\s]{1,500}": ([A-Z][A-Za-z ]{2,40})$/.exec(line.trim());
  if (go && STATUS_PHRASES[go[1]!]) return { status: STATUS_PHRASES[go[1]!]!, text: go[0] };
  // Any other phrase there is still the proxy's refusal (Go prints the status text of the CONNECT answer).
  if (go && !/^(?:EOF|Forbidden)$/.test(go[1]!)) return { status: 0, text: go[0] };
  for (const [phrase, n] of Object.entries(STATUS_PHRASES)) {
    if (line.includes(` ${n} ${phrase}`) || line.includes(`${n}: ${phrase}`) || line.includes(`'${n} ${phrase}'`)) return { status: n, text: `${n} ${phrase}` };
  }
  return undefined;
}

const isWsContext = (line: string, ctx: ClientContext) => /websocket|Sec-WebSocket|Unexpected server response|wss?:\/\//i.test(line) || ctx.scheme === 'ws' || ctx.scheme === 'wss';
// Go's CONNECT error is the bare phrase after the URL; the others name the tunnel or the proxy.
const isProxyContext = (line: string) => /proxy|tunnel|\bCONNECT\b/i.test(line) || /^(?:Get|Post|Head|Put|Delete|Patch) "[^"\s]{1,500}": [A-Z][A-Za-z ]{2,40}$/.test(line.trim());

function statusHints(status: number, line: string, ctx: ClientContext, all: string): CodeHint[] {
  if (isProxyContext(line) && status !== 426) {
    return [h('proxy-connect-failed', 7, status ? `the proxy answered the CONNECT with ${status}` : 'the proxy refused the CONNECT (Go prints the reason phrase of its answer)')];
  }
  if (isWsContext(line, ctx)) {
    if (status === 101) return [];
    if (status === 426) {
      return [
        h('upgrade-header-stripped', 6, 'a WebSocket client sent Upgrade and still got 426 "Upgrade Required": a hop removed its Upgrade/Connection fields'),
        h('websocket-handshake-failed', 3, 'the handshake was not answered with 101'),
        h('upgrade-required-websocket', 2, 'a 426 naming websocket is what the endpoint sends to plain requests'),
      ];
    }
    return [
      h('upgrade-header-stripped', 5, `a WebSocket handshake answered ${status} instead of 101: the upgrade never reached the WebSocket server (a hop strips Upgrade) or the path is no WebSocket endpoint`),
      h('websocket-handshake-failed', 4, `the handshake was answered ${status}, not 101`),
    ];
  }
  if (status === 426) {
    const up = /Upgrade:\s*([^\r\n]{1,60})/i.exec(all)?.[1] ?? '';
    if (/websocket/i.test(up)) return [h('upgrade-required-websocket', 7, '426 with Upgrade: websocket')];
    if (/TLS\//i.test(up)) return [h('upgrade-required-tls', 7, '426 with Upgrade: TLS')];
    if (/h2c?\b|HTTP\/2/i.test(up)) return [h('upgrade-required-h2', 7, '426 with Upgrade naming HTTP/2')];
    const tlsFirst = ctx.scheme === 'http';
    return [
      h('upgrade-required-h2', tlsFirst ? 4 : 5, '426 "Upgrade Required" to an HTTP/1.1 request most often asks for HTTP/2'),
      h('upgrade-required-tls', tlsFirst ? 5 : 2, tlsFirst ? '426 on a cleartext http:// URL: the server may want TLS (Upgrade: TLS/1.x)' : 'a 426 can ask for TLS (Upgrade: TLS/1.x)'),
      h('upgrade-required-websocket', 4, 'a WebSocket endpoint answers plain requests with 426 Upgrade: websocket'),
      h('upgrade-header-missing', 3, 'a 426 without an Upgrade field leaves the client no protocol to switch to'),
    ];
  }
  if (status === 403 || status === 407) {
    const h10 = /HTTP\/1\.0 403/.test(line);
    return [
      h('proxy-connect-failed', status === 407 ? 5 : 3, `${status} is what a proxy answers to a refused (or unauthenticated) CONNECT`),
      ...(status === 403 ? [h('http1-not-supported', h10 ? 5 : 2.5, 'an HTTP/2-only server (node:http2 without allowHTTP1) answers every HTTP/1.x request with "HTTP/1.0 403 Forbidden"')] : []),
      h('h1-h2-behaviour-differs', 2, `the server answered ${status}; compare the same request over HTTP/1.1 and HTTP/2`),
    ];
  }
  if (status === 400) {
    return [
      h('scheme-http-on-tls-port', ctx.scheme === 'http' ? 4 : 2.5, 'nginx (and others) answer a cleartext request on their TLS port with 400 "The plain HTTP request was sent to HTTPS port"'),
      h('h1-h2-behaviour-differs', 3, 'the server answered 400; if the same request works over the other HTTP version, the two paths disagree'),
      h('preface-http1-response', 1.5, 'an HTTP/1.1 server answers the HTTP/2 preface with 400'),
    ];
  }
  if (status >= 400) {
    return [
      h('h1-h2-behaviour-differs', 3, `the server answered ${status}; if the same request works over the other HTTP version, the two paths disagree`),
      h('proxy-connect-failed', 1, `a proxy can answer ${status} to a CONNECT`),
    ];
  }
  return [];
}

/** Alert 120 read with the client context: the side that lacks a protocol is the one the client did not offer. */
function alpnRefusedHints(ctx: ClientContext): CodeHint[] {
  if (ctx.offers === 'h1') {
    return [
      h('http1-not-supported', 7, 'an HTTP/1.1-only client was refused with no_application_protocol: the server has no http/1.1 (it speaks only HTTP/2)'),
      h('alpn-no-h2', 1, 'no_application_protocol means the server supports none of the offered protocols'),
    ];
  }
  if (ctx.offers === 'h2') {
    return [
      h('alpn-no-h2', 7, 'an HTTP/2-only client was refused with no_application_protocol: the server does not offer h2'),
      h('http1-not-supported', 1, 'no_application_protocol means the server supports none of the offered protocols'),
    ];
  }
  return [
    h('alpn-no-h2', 5, 'no_application_protocol: if the client offered only h2, the server lacks h2'),
    h('http1-not-supported', 5, 'no_application_protocol: if the client offered only http/1.1, the server speaks only HTTP/2'),
  ];
}

function versionHints(local: boolean, line: string): CodeHint[] {
  // A client that refuses the server's version (local) says the server is below what the client
  // requires; a server that refuses the client's hello (alert 70 received) says the client offered
  // versions the server does not have.
  const wants13 = /TLS ?1\.?3|TLSv1\.3|\[TLS13\]|TLS13/.test(line);
  const server = /protocol version (30[0-4])|selected (?:protocol version )?(TLS1[0-3]|TLSv1(?:\.\d)?)/.exec(line);
  const serverOld = server ? /30[0-2]|TLS1[01]\b|TLSv1(?:\.[01])?\b/.test(server[1] ?? server[2] ?? '') : false;
  if (local) {
    return serverOld
      ? [h('tls-version-too-old', 6, 'the server offered TLS 1.1 or older'), h('tls13-not-supported', 2, 'or the client required a newer version than the server has')]
      : [
          h('tls13-not-supported', server ? 8 : wants13 ? 6 : 4, 'the client refused the version the server chose: the client requires a newer version (TLS 1.3) than the server has'),
          h('tls-version-too-old', 4, 'the server offers only old TLS versions'),
          h('tls12-not-supported', 2, 'or a TLS 1.3-only server met a client capped at TLS 1.2'),
        ];
  }
  return [
    h('tls-version-too-old', 5, 'protocol_version from the server: it supports none of the offered versions (old server)'),
    h('tls12-not-supported', 4, 'or a TLS 1.3-only server refused a client capped at TLS 1.2'),
    h('tls13-not-supported', 3, 'or the client required TLS 1.3 from a server without it'),
  ];
}

const CERT_GENERIC: CodeHint[] = [
  h('cert-untrusted', 3, 'certificate verification failed: most often an unknown or self-signed issuer'),
  h('cert-expired', 2.5, 'or the certificate is outside its validity period'),
  h('cert-chain-incomplete', 2.5, 'or the server does not send its intermediate certificate'),
  h('cert-hostname-mismatch', 1.5, 'or the certificate does not name the host'),
  h('cert-not-yet-valid', 1, 'or its notBefore is in the future'),
];

const TIMEOUT_GENERIC: CodeHint[] = [
  h('tls-handshake-timeout', 3, 'the connection opened but an answer never came: a TLS handshake that is never answered'),
  h('preface-timeout', 3, 'or the server never answers the HTTP/2 preface'),
  h('h2-no-response', 2, 'or no response to the request arrived'),
  h('tcp-timeout', 2, 'or the TCP connection itself was never answered'),
];

const CLOSED_GENERIC: CodeHint[] = [
  h('preface-closed', 3, 'the server closed the connection without an answer'),
  h('scheme-http-on-tls-port', 2.5, 'a TLS port closes on cleartext it cannot read'),
  h('tcp-reset', 2, 'the peer ended the connection during the handshake'),
  h('tls-malformed-response', 1, 'or the bytes that came back were not TLS'),
];

/**
 * A close without an answer, read with the direction the text gives: over TLS (an https URL, a TLS
 * error) the client sent no cleartext, so the port is no TLS port meeting cleartext; a client that
 * spoke HTTP/1.1 sent no HTTP/2 preface, so the close is no preface-* finding but an HTTP/2-only
 * server dropping HTTP/1.1.
 */
function closedHints(said: string, ctx: ClientContext): CodeHint[] {
  const h1 = ctx.speaks === 'h1';
  const out: CodeHint[] = [];
  for (const x of CLOSED_GENERIC) {
    if (x.code === 'scheme-http-on-tls-port') {
      if (ctx.tls) continue;
      out.push(ctx.scheme === 'http' ? h('scheme-http-on-tls-port', 4, 'an http:// URL whose port closes at once: the port speaks TLS and drops cleartext') : /underlying stream|Empty reply|other side closed|socket hang up/i.test(said) ? { ...x, weight: 4 } : x);
    } else if (x.code === 'preface-closed' && h1) out.push({ ...x, weight: 1 });
    else out.push(x);
  }
  if (!ctx.tls && (ctx.scheme === 'http' || /Empty reply/.test(said) || ctx.speaks === 'h2')) out.push(h('h2c-not-supported', 3.2, 'a cleartext server that does not speak h2c drops the HTTP/2 preface'));
  // A client that spoke HTTP/1.1 over TLS and met a close: an HTTP/2-only server (nghttpd, an
  // h2-only front) accepts the handshake without ALPN agreement, then drops HTTP/1.1. A client that
  // may have offered both: the same close is either side's failure.
  // Outranks "the server ignores ALPN": a server without ALPN that spoke HTTP/1.1 would have answered.
  // An EOF is no reset: when the version spoken is unknown, an HTTP/2-only server (over TLS, or h2c
  // by prior knowledge only on a cleartext port) dropping an HTTP/1.1 request is as likely.
  if (h1 && ctx.alpn === 'none') out.push(h('http1-not-supported', 9, 'ALPN agreed on no protocol, the client went on in HTTP/1.1 and the server dropped it without an answer: it speaks only HTTP/2'));
  else if (h1) out.push(h('http1-not-supported', ctx.tls ? 5 : 3.5, 'the client spoke HTTP/1.1 and was dropped without an answer: a server that speaks only HTTP/2 does this'));
  // (curl's "Empty reply" entry in the catalogue names this cause already: not counted twice.)
  else if (ctx.speaks !== 'h2' && !/Empty reply/.test(said)) out.push(h('http1-not-supported', 2.2, 'if HTTP/1.1 was spoken on the connection, a server that speaks only HTTP/2 drops it like this'));
  return out;
}

/** The rules, most specific first. Each is a kind of evidence, read the same across clients. */
const RULES: Rule[] = [
  // ---- certificates ----
  {
    id: 'cert-go-validity',
    layer: 'certificate',
    re: /certificate has expired or is not yet valid(?:: current time \S+ is (after|before) )?/,
    sentence: 'Go: the certificate is outside its validity period (the time says which end)',
    hints: (m) =>
      m[1] === 'before'
        ? [h('cert-not-yet-valid', 8, 'the current time is before the certificate\'s notBefore'), h('clock-skew', 2, 'or the local clock is behind')]
        : m[1] === 'after'
          ? [h('cert-expired', 8, 'the current time is after the certificate\'s notAfter'), h('clock-skew', 1, 'or the local clock is ahead')]
          : [h('cert-expired', 5, 'expired…'), h('cert-not-yet-valid', 5, '…or not yet valid'), h('clock-skew', 2, 'or the local clock is off')],
  },
  {
    id: 'cert-date-invalid',
    layer: 'certificate',
    re: /ERR_CERT_DATE_INVALID|net_error -201\b|CERT_DATE_INVALID|validity check failed/,
    sentence: 'the certificate is outside its validity period (expired or not yet valid)',
    hints: () => [h('cert-expired', 5, 'past its notAfter'), h('cert-not-yet-valid', 4.5, 'or before its notBefore'), h('clock-skew', 2, 'or the local clock is off')],
  },
  {
    id: 'cert-not-yet-valid',
    layer: 'certificate',
    re: /not yet valid|CERT_NOT_YET_VALID|CertificateNotYetValidException|\bnum=9:|Verify return code: 9 |not (?:yet )?activated|NotBefore:/i,
    sentence: 'the certificate is not yet valid (its notBefore is in the future)',
    hints: () => [h('cert-not-yet-valid', 8, 'the certificate is not valid yet'), h('clock-skew', 2, 'or the local clock is behind')],
  },
  {
    id: 'cert-expired',
    layer: 'certificate',
    re: /certificate has expired|expired certificate|CERT_HAS_EXPIRED|CertificateExpiredException|certificate[_ ]expired|has expired|\bnum=10:|Verify return code: 10 |NotAfter:/i,
    sentence: 'the certificate has expired',
    hints: () => [h('cert-expired', 8, 'the certificate is past its notAfter'), h('clock-skew', 1, 'or the local clock is ahead')],
  },
  {
    id: 'cert-hostname',
    layer: 'certificate',
    re: /Hostname\/IP does not match|ALTNAME_INVALID|[Hh]ostname mismatch|\bnum=62:|Verify return code: 62 |certificate is (?:only )?valid for|certificate is not valid for any names|No subject alternative (?:DNS )?names?|No name matching|doesn'?t match (?:any of )?the (?:target )?host|does not match (?:the )?(?:target )?host ?name|no alternative certificate subject name|COMMON_NAME_INVALID|net_error -200\b|owner does not match|name in the certificate does not match|IP address mismatch|subject alternative name|not match the expected hostname|hostname .{0,80} doesn't match|Hostname .{0,80} not verified/i,
    sentence: 'the certificate does not name the host that was asked for',
    hints: () => [h('cert-hostname-mismatch', 8, 'the certificate does not cover the requested name'), h('tls-sni-unknown-name', 3, 'a server that has no certificate for the name sent serves its default one')],
  },
  {
    id: 'cert-chain-incomplete',
    layer: 'certificate',
    re: /unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|\bnum=21:|Verify return code: 21 |unable to get local issuer certificate|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|\bnum=20:|Verify return code: 20 |PKIX path building failed|unable to find valid certification path|signed by unknown authority|issuer is unknown|signer not found|Issuer certificate is invalid/i,
    sentence: 'no chain from the certificate to a trusted root could be built (a missing intermediate or an unknown issuer)',
    hints: (m) => {
      const leaf = /first certificate|LEAF_SIGNATURE|num=21|code: 21/i.test(m[0]);
      return [
        h('cert-chain-incomplete', leaf ? 7 : 6, 'the server does not send the intermediate certificate, so the chain stops short of a trusted root'),
        h('cert-untrusted', leaf ? 5 : 6, 'or the issuer is a private or unknown CA'),
      ];
    },
  },
  {
    id: 'cert-self-signed',
    layer: 'certificate',
    re: /self[- ]signed|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT_IN_CHAIN|\bnum=1[89]:|Verify return code: 1[89] |unknown (?:certificate )?authority|ERR_CERT_AUTHORITY_INVALID|net_error -202\b|CA signer not|certificate_unknown|unknown[_ ]ca\b/i,
    sentence: 'the certificate (or its root) is self-signed or from an unknown authority',
    hints: () => [h('cert-untrusted', 8, 'the chain does not lead to a trusted root'), h('cert-chain-incomplete', 2, 'or an intermediate is missing'), h('tls-interception-suspected', 1, 'or an inspecting proxy re-signs')],
  },
  {
    id: 'cert-not-trusted-generic',
    layer: 'certificate',
    re: /certificate verify failed|CERTIFICATE_VERIFY_FAILED|certificate verification failed|Error in the certificate|PKI verification of server certificate failed|is NOT trusted|is not trusted|SSL certificate problem|CertPathValidatorException|bad[_ ]certificate|ERR_CERT_[A-Z_]+|tls_post_process_server_certificate|unable to get issuer certificate|Cannot connect to host .{0,200} ssl:True \[SSLCertVerificationError/i,
    sentence: 'the server certificate was rejected',
    hints: () => CERT_GENERIC,
  },
  // ---- TLS handshake parameters ----
  {
    id: 'tls-alpn-refused',
    layer: 'tls',
    re: /no[_ ]application[_ ]protocol|NO_APPLICATION_PROTOCOL|alert \[?120\]?|alert number 120|No supported application protocol/i,
    sentence: 'the server refused every protocol the client offered in ALPN (alert 120 no_application_protocol)',
    hints: (_m, ctx) => alpnRefusedHints(ctx),
  },
  {
    id: 'tls-alpn-unexpected',
    layer: 'http2',
    re: /unexpected ALPN protocol "([^"]{0,40})"|ALPN.{0,40}(?:did not agree|didn't agree|not negotiated)|No ALPN negotiated|(?:server|peer) (?:did not|didn't) (?:select|negotiate|agree on) (?:a |an )?(?:application )?protocol|h2 is not supported|protocol negotiation failed|HTTP\/2 protocol was not selected/i,
    sentence: 'TLS worked, but ALPN did not select h2',
    hints: (m, ctx) => {
      const selected = m[1];
      if (selected === 'http/1.1') return [h('alpn-no-h2', 8, 'the server selected http/1.1 in ALPN, not h2')];
      if (selected === '') return [h('alpn-ignored', 8, 'the server sent no ALPN answer at all'), h('preface-http1-response', 2, 'a server without ALPN then answers HTTP/2 with HTTP/1.1')];
      return [
        h('alpn-ignored', 6, 'the server did not answer ALPN (no protocol selected)'),
        h('alpn-no-h2', 5, 'or it has no h2 (some servers then select nothing rather than http/1.1)'),
        ...(ctx.offers === 'h2' ? [] : [h('http1-not-supported', 4, 'or the client offered only http/1.1 to a server that speaks only HTTP/2: nothing to select')]),
        h('preface-http1-response', 2, 'a server without ALPN then answers HTTP/2 with HTTP/1.1'),
      ];
    },
  },
  {
    // Go "tls: server selected unadvertised ALPN protocol", OpenSSL "tls_parse_stoc_alpn:bad extension":
    // the server answered ALPN with a protocol the client did not offer (an h2-only client got http/1.1).
    id: 'tls-alpn-unoffered',
    layer: 'tls',
    re: /server selected unadvertised ALPN protocol|tls_parse_stoc_alpn|stoc_alpn:bad extension|SSL routines::bad extension|BAD_EXTENSION/,
    sentence: 'the server selected an ALPN protocol the client did not offer',
    // OpenSSL's bare "bad extension" (grpc-core prints no function name) is a ServerHello extension
    // the client refused: from an h2-only client (gRPC), most often the ALPN answer http/1.1.
    hints: (m, ctx) =>
      /bad extension|BAD_EXTENSION/.test(m[0]) && ctx.offers !== 'h2'
        ? [h('alpn-no-h2', 3, 'a ServerHello extension the client refused: often an ALPN answer it did not offer'), h('tls-malformed-response', 2.5, 'or a broken TLS stack')]
        : [h('alpn-no-h2', 8, 'the server picked http/1.1 for a client that offered only h2: the server does not offer h2'), h('proxy-alters-alpn', 1, 'or a hop rewrote the ALPN answer')],
  },
  {
    // @grpc/grpc-js (transport.ts) reports "Failed to connect" when the HTTP/2 session closes before
    // the server's SETTINGS arrived, with no socket error: connected, then dropped without a preface answer.
    id: 'grpc-closed-before-settings',
    layer: 'http2',
    re: /Last error: Failed to connect \(/,
    sentence: 'the connection opened, then closed before the server sent its HTTP/2 SETTINGS',
    hints: (_m, ctx) => [
      h('preface-closed', 6, 'the server closed the connection without answering the HTTP/2 preface'),
      ...(ctx.tls ? [] : [h('h2c-not-supported', 3.5, 'a cleartext server without h2c drops the preface'), h('scheme-http-on-tls-port', 3.5, 'a TLS port drops a cleartext HTTP/2 preface')]),
      h('tcp-reset', 1, 'or the connection was reset'),
    ],
  },
  {
    // grpc-go "received the unexpected content-type", grpc-js "Received message larger than max"
    // (an HTTP body read as a length-prefixed gRPC message): an HTTP/2 answer that is not gRPC.
    id: 'grpc-not-grpc-answer',
    layer: 'grpc',
    re: /unexpected content-type "[^"]{0,60}"|Received message larger than max \(\d+ vs \d+\)|Call ended without gRPC status/,
    sentence: 'HTTP/2 worked, but what answered the call is no gRPC service (a plain HTTP answer)',
    hints: () => [h('h1-h2-behaviour-differs', 2, 'the server (or a proxy in front) answers the path with a plain HTTP response, not gRPC'), h('proxy-alters-alpn', 1, 'or a hop in between answered instead of the gRPC server')],
  },
  {
    // @grpc/grpc-js names the remote address once a connection was picked: the deadline passed after
    // the HTTP/2 connection was ready (SETTINGS exchanged), waiting for the stream or its answer.
    id: 'grpc-deadline-after-connect',
    layer: 'grpc',
    re: /DEADLINE_EXCEEDED: Deadline exceeded after [^\n]{0,200}remote_addr=/,
    sentence: 'the gRPC deadline passed on a ready HTTP/2 connection (the call had a remote address)',
    hints: () => [h('h2-no-response', 5, 'the server never answered the stream'), h('h2-no-streams-allowed', 4.5, 'or it allows no stream (SETTINGS_MAX_CONCURRENT_STREAMS 0), so the call waits'), h('preface-timeout', 1, 'a connection that never became ready has no remote address')],
  },
  {
    id: 'tls-unrecognized-name',
    layer: 'tls',
    re: /unrecognized[_ ]name|UNRECOGNIZED_NAME|alert \[?112\]?|alert number 112|server name .{0,40}not recogni[sz]ed/i,
    sentence: 'the server has no site for the name sent in SNI (alert 112 unrecognized_name)',
    hints: () => [h('tls-sni-unknown-name', 8, 'unrecognized_name: no certificate for the SNI name'), h('tls-sni-required', 2, 'or the name is missing altogether')],
  },
  {
    id: 'tls-client-cert',
    layer: 'tls',
    re: /certificate[_ ]required|CERTIFICATE_REQUIRED|alert \[?116\]?|alert number 116|peer did not return a certificate|No required SSL certificate|client certificate|bad_certificate|alert bad certificate|BAD_CERTIFICATE|Received alert \[42\]|alert number 42/i,
    sentence: 'the server wants a client certificate (mutual TLS) and got none',
    // curl -v "(OUT), TLS alert, bad certificate": the client sent it, rejecting the server's certificate.
    hints: (_m, _c, line) => (/\(OUT\), TLS alert/.test(line) ? CERT_GENERIC : [h('tls-client-cert-required', 8, 'a client certificate is required'), h('cert-untrusted', 1, 'or a certificate was rejected')]),
  },
  {
    id: 'tls-version-local',
    layer: 'tls',
    re: /unsupported protocol|UNSUPPORTED_PROTOCOL|no protocols available|NO_PROTOCOLS_AVAILABLE|not accepted by client preferences|server selected unsupported protocol version|No appropriate protocol|tls: server selected (?!unadvertised)|SSL_ERROR_UNSUPPORTED_VERSION|protocol is disabled or cipher suites are inappropriate/i,
    sentence: 'the client refused the TLS version (the two sides share no version)',
    hints: (_m, _c, line) => versionHints(true, line),
  },
  {
    id: 'tls-version-alert',
    layer: 'tls',
    re: /protocol[_ ]version|PROTOCOL_VERSION|alert \[?70\]?|alert number 70|version not supported|inappropriate[_ ]fallback|Unsupported version|ERR_SSL_VERSION_OR_CIPHER_MISMATCH/i,
    sentence: 'the two sides share no TLS version (alert 70 protocol_version)',
    // Chromium folds handshake_failure (40) and protocol_version (70) into one error.
    hints: (m, _c, line) =>
      /VERSION_OR_CIPHER/.test(m[0])
        ? [h('tls-no-shared-cipher', 5, 'no cipher suite in common (Chromium reports alert 40 this way)'), h('tls-version-too-old', 4.5, 'or no TLS version in common (alert 70)'), h('tls-no-shared-group', 4, 'or no key-exchange group in common'), h('tls-sni-required', 3, 'or a front that refuses hellos without SNI')]
        : versionHints(false, line),
  },
  {
    id: 'tls-legacy-sigalg',
    layer: 'tls',
    re: /legacy sigalg|sigalg disallowed|signature algorithm .{0,40}(?:not supported|disallowed)|no (?:suitable|common) signature algorithm/i,
    sentence: 'the server signed the handshake with a legacy algorithm (MD5/SHA-1, TLS 1.0/1.1 era) the client refuses',
    hints: () => [h('tls-version-too-old', 6, 'a TLS 1.0/1.1 server signs its key exchange with MD5/SHA-1, which modern clients refuse'), h('tls-handshake-alert', 2, 'the handshake failed on the signature algorithm')],
  },
  {
    id: 'tls-no-cipher',
    layer: 'tls',
    re: /no shared cipher|NO_SHARED_CIPHER|no cipher suites? in common|no ciphers available|NO_CIPHERS_AVAILABLE|insufficient[_ ]security|INSUFFICIENT_SECURITY|no cipher match|cipher suite mismatch|No appropriate cipher/i,
    sentence: 'no cipher suite in common',
    hints: () => [h('tls-no-shared-cipher', 8, 'no cipher suite in common'), h('tls-no-shared-group', 2, 'or no key-exchange group in common')],
  },
  {
    id: 'tls-no-group',
    layer: 'tls',
    re: /no suitable key share|no shared (?:groups|curve)|NO_SHARED_GROUP|no supported (?:elliptic )?(?:curves|groups)|unsupported (?:elliptic )?curve|illegal[_ ]parameter|ILLEGAL_PARAMETER/i,
    sentence: 'no key-exchange group in common',
    hints: () => [h('tls-no-shared-group', 7, 'no key-exchange group in common'), h('tls-no-shared-cipher', 2, 'or no cipher suite')],
  },
  {
    id: 'tls-handshake-failure',
    layer: 'tls',
    re: /handshake[_ ]failure|HANDSHAKE_FAILURE|alert \[?40\]?|alert number 40\b|Received alert \[40\]|Handshake failed(?! with fatal error SSL_ERROR_SSL: error:0A000086)|SSLHandshakeException: Received fatal alert/i,
    sentence: 'the server aborted the handshake (alert 40 handshake_failure): it refused a parameter of the ClientHello',
    hints: (_m, ctx, line) => {
      if (!/handshake[_ ]failure|alert[^0-9\n]{0,16}\b40\b|\[40\]/i.test(line)) return [h('tls-handshake-alert', 2, 'the handshake failed')];
      return [
        ctx.ipHost
          ? h('tls-sni-required', 7, 'the client connected to an IP address, so it sent no SNI, and the server refuses hellos without SNI')
          : ctx.ipHost === false
            ? h('tls-sni-required', 1, 'the client named the host, so it sent SNI: a front that refuses hellos without SNI is unlikely')
            : h('tls-sni-required', 4.5, 'CDN and multi-tenant fronts refuse hellos without SNI (a client connecting to an IP address sends none)'),
        h('tls-no-shared-cipher', 5, 'handshake_failure is what most servers send when no cipher suite is shared'),
        h('tls-client-cert-required', 4, 'or when a required client certificate is missing (TLS 1.2)'),
        h('tls-no-shared-group', 3.5, 'or when no key-exchange group is shared (rare: nearly every stack has X25519 or P-256)'),
        h('tls-handshake-alert', 1, 'the alert alone does not prove which parameter was refused'),
      ];
    },
  },
  {
    // OpenSSL's reason SSL_R_HTTP_REQUEST ("…:http request", "[SSL: HTTP_REQUEST] http request"),
    // case-sensitive: wget's "HTTP request sent, awaiting response..." is no TLS error.
    id: 'tls-got-http-request',
    layer: 'tls',
    re: /(?:routines:[a-z0-9_]*:|\] )http request\b|\bHTTP_REQUEST\b/,
    sentence: 'the TLS server received a cleartext HTTP request',
    hints: () => [h('scheme-http-on-tls-port', 8, 'a TLS server received an HTTP request: cleartext was sent to the TLS port')],
  },
  {
    id: 'tls-not-tls',
    layer: 'tls',
    re: /wrong version number|WRONG_VERSION_NUMBER|packet length too long|PACKET_LENGTH_TOO_LONG|record layer failure|RECORD_LAYER_FAILURE|first record does not look like a TLS handshake|Unsupported or unrecognized SSL message|not an SSL\/TLS record|unknown protocol|ERR_SSL_PROTOCOL_ERROR|net_error -107\b|unexpected TLS packet|Error decoding the received TLS packet|record overflow|oversized record received|bad record mac|tls: received record with version|An unexpected TLS packet|decode error|illegal TLS record|Invalid TLS record/i,
    sentence: 'what came back on the TLS connection is not TLS',
    hints: () => {
      return [
        h('scheme-https-on-cleartext-port', 6, 'the port answers in cleartext (an HTTP/1.1 reply read as a TLS record)'),
        h('tls-malformed-response', 5.5, 'or the port speaks something else (another protocol, garbage, a broken TLS stack)'),
        h('tls-version-too-old', 1, 'a very old server can also fail this way'),
      ];
    },
  },
  // ---- HTTP/2 ----
  {
    id: 'h2-frame-looks-http1',
    layer: 'http2',
    re: /frame header looked like an HTTP\/1\.1 header|frame too large|Received HTTP\/0\.9 when not allowed|HTTP\/1\.[01] (?:[1-5]\d\d)[^\r\n]{0,60}when expecting HTTP\/2|Invalid HTTP\/2 preface|malformed HTTP response|Bad status line|BadStatusLine|Unsupported HTTP version|unknown protocol: HTTP\/1|parsing HTTP\/1\.1 status line|Invalid Http response|Expected HTTP\/|illegal (?:request|status) line|invalid HTTP version|Invalid HTTP status line|Unexpected status line|ERR_INVALID_HTTP_RESPONSE/i,
    sentence: 'the two sides did not speak the same HTTP version',
    hints: (m, ctx) => {
      if (/HTTP\/0\.9|malformed HTTP response|Bad status line|BadStatusLine|status line|Invalid Http response|INVALID_HTTP_RESPONSE|Expected HTTP\/|illegal (?:request|status) line|invalid HTTP version/i.test(m[0])) {
        return [
          h('http1-not-supported', 7, 'an HTTP/1.1 client read binary HTTP/2 frames: the server speaks only HTTP/2 there'),
          h('h2c-upgrade-unsupported', 3, 'a prior-knowledge-only h2c server answers HTTP/1.1 with HTTP/2 frames'),
          h('preface-garbage', 2, 'or another protocol answered'),
        ];
      }
      return [
        h('preface-http1-response', 7, 'an HTTP/2 client read an HTTP/1.1 reply as a frame header ("HTT" = 4740180 bytes)'),
        h('h2c-not-supported', ctx.scheme === 'http' || /h2c|prior/i.test(m.input) ? 6 : 4, 'on a cleartext port: the server does not speak h2c'),
        h('alpn-ignored', 2, 'over TLS: a server without ALPN answers in HTTP/1.1'),
      ];
    },
  },
  {
    id: 'h2-settings-expected',
    layer: 'http2',
    re: /expected SETTINGS|SETTINGS expected|SETTINGS_EXPECTED|first (?:received )?frame (?:was|is) not SETTINGS|non-SETTINGS frame|expected a SETTINGS frame|peer does not support HTTP\/2 properly|Remote peer returned unexpected data|Failed parsing HTTP\/2/i,
    sentence: 'the first thing the server sent after the HTTP/2 preface was not a SETTINGS frame',
    hints: () => [
      h('preface-not-settings', 6, 'the first frame was HTTP/2, but not SETTINGS'),
      h('preface-http1-response', 5, 'or the server answered in HTTP/1.1'),
      h('preface-garbage', 4, 'or it answered with bytes that are not HTTP/2'),
    ],
  },
  {
    // OkHttp: the HTTP/2 connection was shut down (a GOAWAY read, or the connection failed) before the call got a stream.
    id: 'h2-connection-shutdown',
    layer: 'http2',
    re: /ConnectionShutdownException/,
    sentence: 'the HTTP/2 connection was shut down before the request got a stream (a GOAWAY, or the connection failed)',
    hints: () => [
      h('goaway-on-connect', 6, 'the server sent GOAWAY right after the preface'),
      h('preface-closed', 5, 'or it closed the connection without SETTINGS'),
      h('preface-not-settings', 3.5, 'or its first frame broke the connection'),
      h('preface-garbage', 3, 'or it answered with bytes that are not HTTP/2'),
    ],
  },
  {
    id: 'h2-goaway',
    layer: 'http2',
    // grpc-go: "the connection is draining" once a GOAWAY was read.
    re: /GOAWAY|go ?away|ERR_HTTP2_GOAWAY_SESSION|HTTP_1_1_REQUIRED|the connection is draining/i,
    sentence: 'the server closed the HTTP/2 connection with GOAWAY',
    hints: (_m, _c, line) => [
      h('goaway-on-connect', 7, 'the server sent GOAWAY before answering'),
      ...(/HTTP_1_1_REQUIRED/.test(line) ? [h('h1-h2-behaviour-differs', 3, 'HTTP_1_1_REQUIRED: the server wants this request over HTTP/1.1')] : []),
      ...(/INADEQUATE_SECURITY/.test(line) ? [h('h2-inadequate-security', 8, 'GOAWAY INADEQUATE_SECURITY: the TLS cipher is on the HTTP/2 block list')] : []),
    ],
  },
  {
    id: 'h2-inadequate-security',
    layer: 'http2',
    re: /INADEQUATE_SECURITY|inadequate security|TLSConfig\.CipherSuites is missing|prohibited cipher|black-?listed cipher|block-?listed cipher|cipher .{0,40}not allowed .{0,20}HTTP\/2/i,
    sentence: 'HTTP/2 refused the negotiated TLS parameters (INADEQUATE_SECURITY)',
    hints: () => [h('h2-inadequate-security', 8, 'the cipher is on the HTTP/2 block list (RFC 9113 Appendix A)'), h('tls13-not-supported', 2, 'a TLS 1.2-only server with only CBC suites')],
  },
  {
    id: 'h2-refused-stream',
    layer: 'http2',
    re: /REFUSED_STREAM|MAX_CONCURRENT_STREAMS|max(?:imum)? concurrent streams|ERR_HTTP2_OUT_OF_STREAMS|no more streams|stream limit|concurrent stream|HEADERS is not allowed/i,
    sentence: 'the server takes no new streams',
    hints: () => [h('h2-no-streams-allowed', 8, 'SETTINGS_MAX_CONCURRENT_STREAMS is 0 or the stream was refused')],
  },
  {
    id: 'h2-protocol-error',
    layer: 'http2',
    re: /PROTOCOL_ERROR|Protocol error|FRAME_SIZE_ERROR|Error in the HTTP2 framing layer|ERR_HTTP2_(?:SESSION|STREAM)_ERROR|ERR_HTTP2_INVALID|http2: invalid|connection error: PROTOCOL_ERROR|ERR_HTTP2_STREAM_CANCEL|stream was reset|RST_STREAM/i,
    sentence: 'the HTTP/2 exchange broke off with a protocol error',
    hints: (_m, ctx) => [
      h('preface-not-settings', 3, 'the first frame was not SETTINGS'),
      h('goaway-on-connect', 3, 'the server ended the connection with GOAWAY at once'),
      h('preface-http1-response', ctx.scheme === 'http' ? 4 : 2.5, 'the server answered the preface in HTTP/1.1'),
      h('preface-garbage', 2, 'or with bytes that are not HTTP/2'),
      h('preface-closed', 2, 'or closed without SETTINGS'),
      h('h2-protocol-error', 1.5, 'or its frames break RFC 9113'),
    ],
  },
  {
    id: 'h2c-upgrade-failed',
    layer: 'http2',
    re: /HTTP Upgrade failed|Upgrade: h2c .{0,40}(?:ignored|not honou?red)|h2c upgrade/i,
    sentence: 'the server did not switch to HTTP/2 on "Upgrade: h2c"',
    hints: () => [h('h2c-not-supported', 6, 'the cleartext server accepts no h2c'), h('h2c-upgrade-unsupported', 5, 'or it speaks h2c by prior knowledge only and ignores Upgrade: h2c')],
  },
  // ---- upgrade and WebSocket ----
  {
    id: 'ws-accept',
    layer: 'websocket',
    re: /Sec-WebSocket-Accept|invalid accept|accept key|Incorrect 'Sec-WebSocket-Accept'|InvalidHeaderValue/i,
    sentence: 'the 101 answer to the WebSocket handshake has a wrong Sec-WebSocket-Accept',
    hints: () => [h('websocket-handshake-failed', 8, 'the server answered 101 with an invalid Sec-WebSocket-Accept')],
  },
  {
    id: 'ws-subprotocol',
    layer: 'websocket',
    re: /subprotocol|Sec-WebSocket-Protocol/i,
    sentence: 'the server chose none of the WebSocket subprotocols offered',
    hints: () => [h('websocket-subprotocol-rejected', 8, 'no offered subprotocol was accepted')],
  },
  {
    id: 'ws-no-upgrade',
    layer: 'websocket',
    re: /missing (?:Connection|Upgrade) header|InvalidUpgrade|invalid (?:Connection|Upgrade) header|Connection: upgrade|'Upgrade' header|upgrade header|No 'Upgrade'|server rejected WebSocket connection|Unexpected server response|InvalidStatus(?:Code)?|Error during WebSocket handshake|WSServerHandshakeError|Invalid response status/i,
    sentence: 'the WebSocket handshake was not answered with a valid 101',
    hints: () => [h('upgrade-header-stripped', 5, 'the upgrade never reached the WebSocket server: a hop strips Upgrade/Connection'), h('websocket-handshake-failed', 4, 'the handshake was not answered with a valid 101')],
  },
  // ---- transport ----
  {
    id: 'dns',
    layer: 'dns',
    re: /ENOTFOUND|EAI_AGAIN|EAI_NONAME|Could not resolve host|Name or service not known|no such host|UnknownHostException|Temporary failure in name resolution|nodename nor servname|ERR_NAME_NOT_RESOLVED|getaddrinfo|Resolving timed out|Host not found|unable to resolve host address|gaierror|Name does not resolve|DNS resolution failed|dns_resolver|UnresolvedAddressException|BIO_lookup|lookup .{1,200}: no such host/i,
    sentence: 'the host name does not resolve',
    hints: () => [h('dns-no-address', 8, 'the name does not resolve')],
  },
  {
    id: 'tcp-refused',
    layer: 'tcp',
    re: /ECONNREFUSED|Connection refused|connection refused|ConnectException: Connection refused|ConnectionRefusedError|errno[= ]111\b|\[Errno 111\]|ERR_CONNECTION_REFUSED|Couldn't connect to server|Failed to connect to .{1,200} port \d+|actively refused|connect: connection refused|Connect call failed/,
    sentence: 'the connection was refused (nothing listens on that port)',
    hints: () => [h('tcp-refused', 8, 'nothing listens on the port (RST to SYN)')],
  },
  {
    id: 'tcp-reset',
    layer: 'tcp',
    re: /ECONNRESET|Connection reset|connection reset|errno[= ]104\b|\[Errno 104\]|ERR_CONNECTION_RESET|Recv failure|SSL_ERROR_SYSCALL|reset by peer|non-properly terminated|ConnectionResetError|net_error -10[01]\b|write:errno=104|read:errno=104|Error in the pull function|Error in the push function|terminated the connection abnormally/,
    sentence: 'the peer reset the connection',
    hints: (_m, ctx, line) => [
      h('tcp-reset', 6, 'the peer reset the connection during the handshake'),
      // TLS 1.3 finishes the handshake before the server judges the client certificate: the reset then hits the first write.
      ...(/Send failure|SSL_write|write:errno|push function/.test(line) ? [h('tls-client-cert-required', 4, 'reset on the first write after a TLS 1.3 handshake: the server rejected the (missing) client certificate and closed')] : []),
      ctx.speaks === 'h1' ? h('http1-not-supported', 2.5, 'the client spoke HTTP/1.1 and was reset: a server that speaks only HTTP/2 drops HTTP/1.1') : h('preface-closed', 2, 'or the server dropped the connection after the HTTP/2 preface'),
      h('tls-handshake-alert', 1, 'some TLS stacks reset instead of sending an alert'),
    ],
  },
  {
    id: 'timeout-handshake',
    layer: 'timeout',
    re: /handshake (?:operation )?timed out|TLS handshake timeout|handshake timeout|SSL connection timeout|timed out during (?:the )?(?:TLS|SSL) handshake|Timeout during handshake|ERR_TIMED_OUT/i,
    sentence: 'the TLS handshake never completed: the port accepted TCP but never answered the ClientHello',
    hints: () => [h('tls-handshake-timeout', 8, 'the ClientHello was never answered'), h('tcp-timeout', 2, 'or TCP itself never completed')],
  },
  {
    id: 'timeout-connect',
    layer: 'timeout',
    re: /connect(?:ion)? timed out|Connection timed out|connect timeout|ConnectTimeout|HttpConnectTimeoutException|ETIMEDOUT|dial tcp [^ ]{1,200}: i\/o timeout|errno[= ]110\b|\[Errno 110\]|Failed to connect .{0,200} after \d+ ms|Connection timeout|timeout while connecting/i,
    sentence: 'connecting timed out (for many clients, "connect" includes the TLS handshake)',
    hints: () => [h('tls-handshake-timeout', 5, 'the TCP connection opened but the TLS handshake was never answered (clients count it as connecting)'), h('tcp-timeout', 5, 'the TCP handshake was never answered'), h('preface-timeout', 1, 'or the server never answers after the handshake')],
  },
  {
    id: 'timeout-response',
    layer: 'timeout',
    re: /awaiting (?:response )?headers|with 0 bytes received|0 out of \d+ bytes received|Read timed out|read timeout|ReadTimeout|request timed out|HttpTimeoutException|timeout awaiting response|waiting for (?:response|headers)|no response|ResponseTimeout/i,
    sentence: 'the connection opened but no response came back in time',
    hints: () => [h('preface-timeout', 5, 'the server never answers the HTTP/2 preface'), h('h2-no-response', 4, 'or never answers the request'), h('tls-handshake-timeout', 4, 'or never answers the TLS handshake')],
  },
  {
    id: 'timeout',
    layer: 'timeout',
    re: /timed? ?out|timeout|deadline exceeded|DEADLINE_EXCEEDED|TimeoutError|TimeoutException|aborted due to timeout|\bTimeout\b/i,
    sentence: 'something timed out',
    hints: () => TIMEOUT_GENERIC,
  },
  {
    id: 'closed',
    layer: 'tcp',
    re: /unexpected eof|UNEXPECTED_EOF|EOF occurred in violation of protocol|SSLEOFError|Connection closed|connection closed|Empty reply from server|closed the connection|RemoteDisconnected|Remote end closed connection|Server disconnected|ServerDisconnectedError|peer closed connection|Unexpected end of file|EOFException|prematurely closed|unexpected end of stream|Remote host terminated the handshake|Connection terminated|\bEOF\b|ERR_EMPTY_RESPONSE|net_error -324\b|stream ended|session closed|ERR_HTTP2_SESSION_ERROR|closed by peer|No data received|Stream closed|other side closed|socket hang up|Endpoint read failed|header parser received no bytes|Unexpected end of file from server|before end of the underlying stream|Transport endpoint is not connected|ERR_CONNECTION_CLOSED|has been invalidated|Read error \(/i,
    sentence: 'the server closed the connection without an answer',
    hints: (m, ctx) => closedHints(m[0], ctx),
  },
  {
    id: 'broken-pipe',
    layer: 'tcp',
    // A write that failed because the server had closed: curl's (55) send error, wget's failed
    // request write, Go's write on a closed connection.
    re: /Broken pipe|EPIPE|errno[= ]32\b|Remote host terminated the handshake|Error writing to server|Failed writing HTTP request|curl: \(55\)|use of closed network connection/,
    sentence: 'the server closed the connection while the client was still writing',
    hints: (_m, ctx) => [
      h('tcp-reset', 4.5, 'the server ended the connection mid-handshake'),
      h('tls-client-cert-required', 4, 'a server that requires a client certificate closes as soon as it sees none'),
      ctx.speaks === 'h1' ? h('http1-not-supported', 3.5, 'the client spoke HTTP/1.1 and the server closed on it: a server that speaks only HTTP/2 does this') : h('preface-closed', 2, 'or the server dropped the connection after the preface'),
    ],
  },
  // ---- recognised, but saying only which layer failed ----
  {
    id: 'cert-issuer-unknown',
    layer: 'certificate',
    re: /doesn'?t have a known issuer|issuer certificate|unknown issuer/i,
    sentence: 'the certificate\'s issuer is not known to the client',
    hints: () => [h('cert-untrusted', 6, 'the issuer is not a trusted CA'), h('cert-chain-incomplete', 5.5, 'or the server does not send the intermediate that links to one')],
  },
  {
    id: 'tls-alert-unnamed',
    layer: 'tls',
    re: /A TLS (?:fatal|warning) alert has been received|fatal alert|TLS alert/i,
    sentence: 'the server sent a TLS alert (its number is on another line of the output)',
    hints: (m) =>
      /warning/i.test(m[0])
        ? [h('tls-sni-unknown-name', 4, 'the usual warning alert in a handshake is unrecognized_name (112): the server has no site for the name sent'), h('tls-handshake-alert', 2, 'the handshake got an alert')]
        : [h('tls-handshake-alert', 3, 'the server aborted the handshake with an alert'), h('tls-no-shared-cipher', 2.5, 'most often no shared cipher suite'), h('tls-version-too-old', 2, 'or no shared TLS version')],
  },
  {
    id: 'tls-failed',
    layer: 'tls',
    re: /Unable to establish SSL connection|SSL handshake failed|Ssl handshake failed|TLS handshake failed|SSLHandshakeException|ssl\.SSLError|SSL_ERROR_SSL|SSLException/,
    sentence: 'the TLS handshake failed (the line does not say why)',
    hints: () => [h('tls-handshake-alert', 3, 'the TLS handshake failed'), h('scheme-https-on-cleartext-port', 2.5, 'TLS sent to a cleartext port fails the same way'), h('tls-malformed-response', 2, 'or the port answers with something that is not TLS'), h('tls-version-too-old', 1.5, 'or no shared version')],
  },
  {
    id: 'tcp-failed',
    layer: 'tcp',
    re: /ConnectException|connect error|BIO_connect|ClosedChannelException|Could not connect|Cannot connect to host|unreachable/i,
    sentence: 'the TCP connection could not be made (the line does not say why)',
    hints: () => [h('tcp-refused', 4, 'nothing listens on the port'), h('dns-no-address', 3, 'or the name does not resolve'), h('tcp-timeout', 2, 'or the connection attempt timed out')],
  },
  {
    id: 'canceled',
    layer: 'timeout',
    re: /\bCancell?ed\b|CANCELLED|aborted|AbortError|ERR_ABORTED/,
    sentence: 'the request was cancelled (usually by the client\'s own deadline)',
    hints: () => TIMEOUT_GENERIC,
  },
];

/** Clip one line (bounded work per line). */
function clip(line: string): string {
  return line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
}

/**
 * Every signal in the text, line by line. The whole text is read (no head/tail cut), but at most
 * `maxLines` lines and {@link MAX_LINE} characters of each.
 */
export function readSignals(text: string, ctx: ClientContext = clientContext(text), maxLines = 50_000): Signal[] {
  const out: Signal[] = [];
  const lines = text.split('\n');
  const n = Math.min(lines.length, maxLines);
  for (let i = 0; i < n; i++) {
    const line = clip(lines[i]!);
    if (!line.trim()) continue;
    const st = statusOf(line);
    if (st) {
      const hints = statusHints(st.status, line, ctx, text);
      if (hints.length) out.push({ id: `status-${st.status}`, layer: isProxyContext(line) ? 'proxy' : isWsContext(line, ctx) ? 'websocket' : 'http', text: st.text, line: i, sentence: `${st.status ? `HTTP status ${st.status}` : "a refusal"}${isProxyContext(line) ? ' from the proxy (CONNECT)' : isWsContext(line, ctx) ? ' to a WebSocket handshake' : ''}`, hints });
    }
    // The specific certificate rules shadow the generic one on the same line; Go's "expired or not
    // yet valid" shadows the two single-ended ones.
    const fired = new Set<string>();
    for (const rule of RULES) {
      if (rule.id === 'cert-not-trusted-generic' && [...fired].some((f) => f.startsWith('cert-'))) continue;
      if ((rule.id === 'cert-expired' || rule.id === 'cert-not-yet-valid') && fired.has('cert-go-validity')) continue;
      if (rule.id === 'cert-expired' && fired.has('cert-not-yet-valid') && !/expired/i.test(line.replace(/not yet valid/gi, ''))) continue;
      if (rule.id.startsWith('timeout') && rule.id !== 'timeout-handshake' && [...fired].some((f) => f.startsWith('timeout'))) continue;
      // A gRPC deadline on a connection that was ready says which stage timed out: not the handshakes.
      if (rule.id.startsWith('timeout') && fired.has('grpc-deadline-after-connect')) continue;
      if (rule.id === 'h2-protocol-error' && (fired.has('h2-goaway') || fired.has('h2-refused-stream') || fired.has('h2-inadequate-security'))) continue;
      if ((rule.id === 'closed' || rule.id === 'broken-pipe') && (fired.has('tcp-reset') || [...fired].some((f) => f.startsWith('timeout')))) continue;
      if (['tls-alert-unnamed', 'tls-failed', 'tcp-failed', 'canceled', 'cert-issuer-unknown'].includes(rule.id) && fired.size > 0 && !(rule.id === 'cert-issuer-unknown' && !fired.has('cert-self-signed') && !fired.has('cert-chain-incomplete'))) continue;
      if (rule.id === 'tls-version-alert' && fired.has('tls-version-local') && !/alert/i.test(line)) continue;
      if (rule.id === 'tls-handshake-failure' && fired.size > 0 && !/40|handshake[_ ]failure/i.test(line)) continue;
      const m = rule.re.exec(line);
      if (!m) continue;
      fired.add(rule.id);
      out.push({ id: rule.id, layer: rule.layer, text: m[0], line: i, sentence: rule.sentence, hints: rule.hints(m, ctx, line) });
    }
    // Alerts by number that no rule above names (GnuTLS "Received alert [N]", "alert number N").
    const alert = /alert(?: number| \[| description)?[ :=]*(\d{1,3})\]?/i.exec(line);
    if (alert) {
      const code = Number(alert[1]);
      const known = [40, 42, 70, 112, 116, 120];
      if (!known.includes(code) && code < 256) {
        const name = alertByCode(code);
        out.push({ id: `alert-${code}`, layer: 'tls', text: alert[0], line: i, sentence: `TLS alert ${code} (${name ?? 'unregistered'})`, hints: [h('tls-handshake-alert', 4, `the handshake was aborted with alert ${code}${name ? ` ${name}` : ''}`)] });
      }
    }
  }
  // A signal that only names the layer ("a TLS alert was received", "the handshake failed") is
  // dropped when another line of the same text says which alert or why.
  const generic = new Set(['tls-alert-unnamed', 'tls-failed', 'tcp-failed', 'canceled']);
  return out.some((x) => !generic.has(x.id)) ? out.filter((x) => !generic.has(x.id)) : out;
}

/** The layer the text talks about when no signal was read, for the generic candidates. */
export function guessLayer(text: string): Layer | undefined {
  if (/certificate|x509|X509|PKIX|verify/i.test(text)) return 'certificate';
  if (/\bTLS\b|\bSSL\b|handshake|tls:|ssl/i.test(text)) return 'tls';
  if (/http2|HTTP\/2|h2c?\b|frame|stream|preface|nghttp2/i.test(text)) return 'http2';
  if (/websocket|\bws:|\bwss:/i.test(text)) return 'websocket';
  if (/proxy|tunnel|CONNECT/.test(text)) return 'proxy';
  if (/grpc|rpc/i.test(text)) return 'grpc';
  if (/socket|connect|errno|ECONN/i.test(text)) return 'tcp';
  return undefined;
}

/** Candidates when nothing specific was recognised, by layer (never an empty answer). */
export const GENERIC_CANDIDATES: Record<Layer | 'unknown', CodeHint[]> = {
  certificate: CERT_GENERIC,
  tls: [h('tls-handshake-alert', 2, 'the TLS handshake failed'), h('scheme-https-on-cleartext-port', 1.5, 'TLS sent to a cleartext port'), h('tls-version-too-old', 1, 'a TLS version mismatch'), h('cert-untrusted', 1, 'a certificate the client does not trust')],
  http2: [h('preface-http1-response', 2, 'the server answered HTTP/2 in HTTP/1.1'), h('goaway-on-connect', 1, 'GOAWAY at once'), h('preface-closed', 1, 'closed without SETTINGS'), h('alpn-no-h2', 1, 'no h2 in ALPN')],
  http: [h('h1-h2-behaviour-differs', 1, 'the server answers differently per HTTP version'), h('upgrade-required-h2', 1, 'a 426 asking for HTTP/2')],
  websocket: [h('websocket-handshake-failed', 2, 'the WebSocket handshake failed'), h('upgrade-header-stripped', 2, 'a hop strips Upgrade')],
  proxy: [h('proxy-connect-failed', 2, 'the proxy refused the tunnel'), h('proxy-alters-alpn', 1, 'the proxy changes ALPN')],
  grpc: [h('preface-http1-response', 2, 'gRPC needs HTTP/2 end to end'), h('alpn-no-h2', 2, 'no h2 in ALPN'), h('h2c-not-supported', 1, 'no h2c on a cleartext port')],
  dns: [h('dns-no-address', 2, 'the name does not resolve')],
  tcp: [h('tcp-refused', 1, 'refused'), h('tcp-reset', 1, 'reset'), h('tcp-timeout', 1, 'timed out')],
  timeout: TIMEOUT_GENERIC,
  unknown: [h('tcp-reset', 1, 'the connection failed'), h('tls-handshake-alert', 1, 'the TLS handshake failed'), h('preface-http1-response', 1, 'HTTP/2 was answered in HTTP/1.1')],
};
