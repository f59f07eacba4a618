/**
 * The finding codes: the public contract (`docs/codes.md`, mirrored from the shared contract).
 * A code is never renamed or given a new meaning; add a new one instead.
 * Generated once from the contract, then kept in step by hand; `codes.test.ts` checks both.
 */

export const FAMILIES = ['dns', 'transport', 'protocol', 'session', 'tls', 'certificate', 'upgrade', 'proxy'] as const;
export type Family = (typeof FAMILIES)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CODES = {
  'dns-no-address': { family: 'dns', severity: 'error', meaning: 'the name does not resolve (NXDOMAIN, no A/AAAA, resolver timeout)' },
  'dns-addresses-disagree': { family: 'dns', severity: 'warning', meaning: 'addresses of one name behave differently (e.g. h2 on one address, not on another: CDN edges, stale records), or resolvers return different addresses that behave differently' },
  'vantage-points-disagree': { family: 'dns', severity: 'warning', meaning: 'the same target behaves differently from different vantage points (workers with different labels in a distributed scan)' },
  'tcp-refused': { family: 'transport', severity: 'error', meaning: 'connection refused' },
  'tcp-timeout': { family: 'transport', severity: 'error', meaning: 'no answer to the TCP handshake in time' },
  'tcp-reset': { family: 'transport', severity: 'error', meaning: 'the peer reset the connection during a handshake' },
  'tls-handshake-timeout': { family: 'transport', severity: 'error', meaning: 'TCP was accepted but the ClientHello was never answered' },
  'alpn-no-h2': { family: 'protocol', severity: 'error', meaning: 'TLS server selects `http/1.1` when offered `h2`: HTTP/2 over TLS is off' },
  'alpn-ignored': { family: 'protocol', severity: 'error', meaning: 'TLS server sends no ALPN extension at all; clients that require ALPN `h2` abort' },
  'preface-http1-response': { family: 'protocol', severity: 'error', meaning: 'the HTTP/2 connection preface was answered with an HTTP/1.x response (server speaks only HTTP/1.1)' },
  'preface-closed': { family: 'protocol', severity: 'error', meaning: 'the server closed the connection after the preface without sending SETTINGS' },
  'preface-timeout': { family: 'protocol', severity: 'error', meaning: 'the server sent nothing within the time limit after the preface' },
  'preface-garbage': { family: 'protocol', severity: 'error', meaning: 'the server answered the preface with bytes that are not an HTTP/2 frame' },
  'preface-not-settings': { family: 'protocol', severity: 'error', meaning: 'the first frame is HTTP/2, but not SETTINGS (connection error)' },
  'goaway-on-connect': { family: 'protocol', severity: 'error', meaning: 'the server sent GOAWAY (code named in the finding) right after the preface' },
  'h2-inadequate-security': { family: 'protocol', severity: 'error', meaning: 'TLS 1.2 negotiated a cipher on the RFC 7540 Appendix A block list; HTTP/2 peers may refuse it with INADEQUATE_SECURITY' },
  'h2c-not-supported': { family: 'protocol', severity: 'error', meaning: 'cleartext server accepts neither prior-knowledge h2c nor `Upgrade: h2c`' },
  'h2c-upgrade-unsupported': { family: 'protocol', severity: 'warning', meaning: 'cleartext server speaks h2c by prior knowledge only: `Upgrade: h2c` (what `curl --http2 http://…` sends) is not honoured' },
  'h2-no-streams-allowed': { family: 'protocol', severity: 'error', meaning: 'the server\'s SETTINGS_MAX_CONCURRENT_STREAMS is 0: no request can be sent' },
  'http1-not-supported': { family: 'protocol', severity: 'warning', meaning: 'the server speaks only HTTP/2: HTTP/1.1-only clients fail' },
  'http1-malformed-response': { family: 'protocol', severity: 'error', meaning: 'the HTTP/1.1 response cannot be read as clients read it: a head that never ends or is larger than clients accept, a status line without CRLF, a field over the size limit (size and limit given)' },
  'scheme-http-on-tls-port': { family: 'protocol', severity: 'error', meaning: 'cleartext HTTP (or h2c) was sent to a port that speaks TLS' },
  'scheme-https-on-cleartext-port': { family: 'protocol', severity: 'error', meaning: 'a TLS ClientHello was sent to a port that speaks cleartext HTTP' },
  'h2-protocol-error': { family: 'session', severity: 'error', meaning: 'the server\'s HTTP/2 frames break RFC 9113 (frame over SETTINGS_MAX_FRAME_SIZE, out-of-range SETTINGS value, DATA before HEADERS, malformed `:status`, HPACK COMPRESSION_ERROR…): the frame and the rule are named' },
  'h2-flood': { family: 'session', severity: 'error', meaning: 'before answering, the server sends a flood of SETTINGS, PING, CONTINUATION, empty DATA or RST_STREAM frames (count and time given)' },
  'h2-no-response': { family: 'session', severity: 'error', meaning: 'HTTP/2 was negotiated and SETTINGS exchanged, but no response to the request arrived before the deadline' },
  'h2-connection-specific-header': { family: 'session', severity: 'error', meaning: 'an HTTP/2 response carries a connection-specific field (`connection`, `upgrade`, `keep-alive`, `proxy-connection`, `transfer-encoding`, `te` other than `trailers`; RFC 9113 §8.2.2): clients reset the stream with PROTOCOL_ERROR' },
  'tls-handshake-alert': { family: 'tls', severity: 'error', meaning: 'the server aborted the handshake with an alert (name and number given) and no more specific cause was proven' },
  'tls-no-shared-cipher': { family: 'tls', severity: 'error', meaning: 'no cipher suite in common with the client profile' },
  'tls-no-shared-group': { family: 'tls', severity: 'error', meaning: 'no key-exchange group / curve in common' },
  'tls-version-too-old': { family: 'tls', severity: 'error', meaning: 'the server\'s highest TLS version is below 1.2; HTTP/2 needs TLS 1.2+' },
  'tls12-not-supported': { family: 'tls', severity: 'warning', meaning: 'TLS 1.3-only server: clients limited to TLS 1.2 fail' },
  'tls13-not-supported': { family: 'tls', severity: 'warning', meaning: 'no TLS 1.3: clients that require TLS 1.3 fail' },
  'tls-legacy-version-enabled': { family: 'tls', severity: 'warning', meaning: 'TLS 1.0 or 1.1 still accepted (deprecated by RFC 8996)' },
  'tls-sni-required': { family: 'tls', severity: 'warning', meaning: 'the handshake fails, or serves another certificate, without SNI' },
  'tls-client-cert-required': { family: 'tls', severity: 'error', meaning: 'the server demands a client certificate (mutual TLS) and aborts without one' },
  'tls-sni-unknown-name': { family: 'tls', severity: 'error', meaning: 'the server has no certificate for the requested name (unrecognized_name alert or a default certificate)' },
  'tls-malformed-response': { family: 'tls', severity: 'error', meaning: 'the TLS port answers with bytes that are no valid TLS handshake (garbage, an illegal record length, a handshake that never ends)' },
  'tls-weak-dh-params': { family: 'tls', severity: 'warning', meaning: 'the server accepts DHE suites with Diffie-Hellman parameters below 2048 bits (Logjam; `openssl dhparam 2048`)' },
  'client-handshake-fails': { family: 'tls', severity: 'warning', meaning: 'at least one simulated client profile cannot complete the handshake (clients and the failing parameter named); an error when it is the client chosen with `--client`' },
  'client-falls-back-to-http1': { family: 'tls', severity: 'warning', meaning: 'at least one simulated client that offers `h2` ends on HTTP/1.1 (clients and reason named); an error when it is the client chosen with `--client`' },
  'cert-hostname-mismatch': { family: 'certificate', severity: 'error', meaning: 'the certificate does not cover the requested host name' },
  'cert-expired': { family: 'certificate', severity: 'error', meaning: 'the certificate\'s notAfter has passed' },
  'cert-not-yet-valid': { family: 'certificate', severity: 'error', meaning: 'the certificate\'s notBefore is in the future' },
  'cert-untrusted': { family: 'certificate', severity: 'error', meaning: 'the chain does not lead to a trusted root (self-signed, unknown CA)' },
  'cert-chain-too-large': { family: 'certificate', severity: 'error', meaning: "the server's certificate chain (its Certificate message) is larger than TLS clients accept (OpenSSL, and so curl, Node and Python: 102,400 bytes): the size is given" },
  'cert-chain-incomplete': { family: 'certificate', severity: 'error', meaning: 'an intermediate certificate is missing from the chain the server sends' },
  'clock-skew': { family: 'certificate', severity: 'warning', meaning: 'the local clock and the server\'s `Date` differ by more than 5 minutes' },
  'tls-interception-suspected': { family: 'certificate', severity: 'warning', meaning: 'the certificate seen differs by path (direct vs proxy) or comes from an inspection CA' },
  'upgrade-required-h2': { family: 'upgrade', severity: 'warning', meaning: 'an HTTP/1.1 request was answered `426` with `Upgrade` naming HTTP/2 (`h2`, `h2c`, `HTTP/2`, `HTTP/2.0`)' },
  'upgrade-required-tls': { family: 'upgrade', severity: 'warning', meaning: '`426` with `Upgrade` naming TLS (`TLS/1.2`, …)' },
  'upgrade-required-websocket': { family: 'upgrade', severity: 'info', meaning: 'a plain request to a WebSocket-only endpoint was answered `426 Upgrade: websocket`' },
  'upgrade-header-missing': { family: 'upgrade', severity: 'warning', meaning: 'a `426` response without an `Upgrade` header (RFC 9110 §15.5.22 requires one)' },
  'upgrade-problem-details-missing': { family: 'upgrade', severity: 'info', meaning: 'a `426` without a machine-readable Problem Details body (`application/problem+json`, RFC 9457)' },
  'upgrade-header-stripped': { family: 'upgrade', severity: 'error', meaning: 'a correct upgrade request was answered as if its `Upgrade`/`Connection` headers never arrived: an intermediary strips them' },
  'websocket-handshake-failed': { family: 'upgrade', severity: 'error', meaning: 'a WebSocket upgrade was not answered with a valid `101` (status, `Sec-WebSocket-Accept`)' },
  'websocket-subprotocol-rejected': { family: 'upgrade', severity: 'error', meaning: 'the server accepted none of the requested subprotocols' },
  'websocket-protocol-error': { family: 'upgrade', severity: 'error', meaning: 'after a valid `101`, the server does not speak valid WebSocket framing (garbage, illegal length, bad close frame, no pong)' },
  'websocket-over-h2-unsupported': { family: 'upgrade', severity: 'info', meaning: 'the HTTP/2 server does not enable extended CONNECT (RFC 8441)' },
  'h1-h2-behaviour-differs': { family: 'upgrade', severity: 'warning', meaning: 'the same request gets a different status over HTTP/1.1 and HTTP/2' },
  'deprecation-announced': { family: 'upgrade', severity: 'info', meaning: '`Deprecation` / `Sunset` headers announce an end of support' },
  'proxy-connect-failed': { family: 'proxy', severity: 'error', meaning: 'the proxy refused or failed the CONNECT tunnel (status given)' },
  'proxy-alters-alpn': { family: 'proxy', severity: 'error', meaning: 'ALPN through the proxy differs from ALPN on the direct path' },
} as const satisfies Record<string, { family: Family; severity: Severity; meaning: string }>;

export type Code = keyof typeof CODES;

/** Rank for sorting: error first. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
