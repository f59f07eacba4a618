/**
 * Signal rules for the TLS handshake: ALPN refusals, versions, alerts, ciphers, groups, SNI, client
 * certificates; each read with the direction the text gives (who refused whom).
 */
import type { CodeHint } from './decoded.js';
import { CERT_GENERIC } from './signals-certificate.js';
import { h, type ClientContext, type Rule } from './signal-types.js';
import { HANDSHAKE_TOO_LARGE } from './catalogue/tls-libs.js';

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

/** The TLS handshake rules, most specific first. */
export const TLS_RULES: Rule[] = [
  {
    // OpenSSL SSL_R_EXCESSIVE_MESSAGE_SIZE, Go crypto/tls maxHandshake, JSSE maxHandshakeMessageSize,
    // GnuTLS GNUTLS_E_HANDSHAKE_TOO_LARGE: the client's own limit on one handshake message.
    id: 'tls-handshake-message-too-large',
    layer: 'tls',
    re: HANDSHAKE_TOO_LARGE,
    sentence: 'a handshake message from the server was larger than the client accepts (the client gave up, no alert from the server)',
    hints: () => [h('cert-chain-too-large', 8, 'the message that outgrows a client\'s limit is the server\'s certificate chain')],
  },
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
    // OpenSSL's SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM (0A000076) is raised where a side must sign and finds no
    // scheme both allowed and fit for its key: in a server's log (nginx "SSL_do_handshake() failed … while SSL
    // handshaking"), a SignatureAlgorithms setting that leaves out its certificate's key, which refuses every
    // hello as a key type that fits no suite does (test/real-nginx-sigalgs.test.ts: real nginx logs it for TLS
    // 1.3 hellos and "no shared cipher" for TLS 1.2 ones). Not a legacy server's signature (the client's
    // "legacy sigalg disallowed" below).
    id: 'tls-no-suitable-sigalg',
    layer: 'tls',
    re: /no suitable signature algorithm|NO_SUITABLE_SIGNATURE_ALGORITHM/i,
    sentence: 'the signing side found no signature algorithm that is both allowed and fits its key (a SignatureAlgorithms setting that leaves out the certificate\'s key type)',
    hints: () => [h('tls-no-shared-cipher', 7, 'the server\'s TLS settings leave nothing its certificate can serve: a signature algorithm list without its key\'s scheme'), h('tls-handshake-alert', 3, 'or a client whose signature algorithms fit none of the server\'s key types'), h('tls-client-cert-required', 1, 'or, on the client, a client certificate whose key fits none of the schemes the server asks for')],
  },
  {
    id: 'tls-legacy-sigalg',
    layer: 'tls',
    re: /legacy sigalg|sigalg disallowed|signature algorithm .{0,40}(?:not supported|disallowed)|no common signature algorithm/i,
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
];
