/**
 * Signal rules for the connection around TLS: HTTP/2 (GOAWAY, RST_STREAM, preface, frames), upgrade
 * and WebSocket, transport (resets, refusals, closes, time-outs, DNS, proxies), and the messages that
 * say only which layer failed.
 */
import type { CodeHint } from './decoded.js';
import { h, type ClientContext, type Rule } from './signal-types.js';

/** A time-out with no layer named: the usual causes, most likely first. */
export const TIMEOUT_GENERIC: CodeHint[] = [
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

/** HTTP/2, upgrade, transport and layer-only rules, most specific first. */
export const CONNECTION_RULES: Rule[] = [
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
    // One request reset with HTTP_1_1_REQUIRED (RST_STREAM, not GOAWAY): the server serves it over HTTP/1.1 only
    // (RFC 9113 §8.7). Real Apache + mod_http2 does it for a path with its own SSLVerifyClient; real curl, Go and
    // node:http2 print these lines (test/real-apache-location-cert.test.ts), and diagnose says h2-no-response.
    // Chromium's ERR_HTTP_1_1_REQUIRED is left to its catalogue entry: it stands for the GOAWAY as well.
    id: 'h2-stream-http11-required',
    layer: 'http2',
    re: /(?:stream [1-9]\d* was not closed cleanly|stream error: stream ID [1-9]\d*|Stream closed with error code|RST_STREAM)[^\n]{0,40}HTTP_1_1_REQUIRED/i,
    sentence: 'the server reset the request with HTTP_1_1_REQUIRED: it serves this request over HTTP/1.1 only',
    hints: () => [
      h('h2-no-response', 8, 'RST_STREAM HTTP_1_1_REQUIRED: the server wants this request over HTTP/1.1 (Apache: a client certificate or TLS settings of this path alone)'),
      h('h1-h2-behaviour-differs', 3, 'the same request works over HTTP/1.1'),
    ],
  },
  {
    id: 'h2-goaway',
    layer: 'http2',
    // grpc-go: "the connection is draining" once a GOAWAY was read. HTTP_1_1_REQUIRED alone is a stream's (above).
    re: /GOAWAY|go ?away|ERR_HTTP2_GOAWAY_SESSION|the connection is draining/i,
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
