/**
 * HTTP statuses in pasted text, by number or by reason phrase, read with their context: a proxy's
 * answer to CONNECT, a WebSocket handshake's, a plain request's; each with the codes it points at.
 */
import type { CodeHint } from './decoded.js';
import { h, type ClientContext } from './signal-types.js';

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
export function statusOf(line: string): { status: number; text: string } | undefined {
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

export const isWsContext = (line: string, ctx: ClientContext) => /websocket|Sec-WebSocket|Unexpected server response|wss?:\/\//i.test(line) || ctx.scheme === 'ws' || ctx.scheme === 'wss';
// Go's CONNECT error is the bare phrase after the URL; the others name the tunnel or the proxy.
export const isProxyContext = (line: string) => /proxy|tunnel|\bCONNECT\b/i.test(line) || /^(?:Get|Post|Head|Put|Delete|Patch) "[^"\s]{1,500}": [A-Z][A-Za-z ]{2,40}$/.test(line.trim());

export function statusHints(status: number, line: string, ctx: ClientContext, all: string): CodeHint[] {
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
