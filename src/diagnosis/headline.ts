/**
 * The report's headline: one sentence naming the layer that fails (DNS, TCP, TLS handshake, TLS
 * certificate, HTTP/2 negotiation, the HTTP/2 session, HTTP/1.1 and 426, WebSocket, the proxy), from
 * the most severe finding, and what still works underneath. "TLS certificate rejected by every
 * verifying client", not "HTTP/2 works for some clients", for an expired certificate.
 */
import type { Finding, Negotiated, Target } from '../model/index.js';
import type { Code } from '../model/codes.js';

interface Ctx {
  host: string;
  /** The title of the finding that makes the headline (a variant of its code). */
  title: string;
  /** An ordinary client ends up on HTTP/2 (h2 or h2c). */
  works: boolean;
}

type Phrase = string | ((c: Ctx) => string);

const CERT = (what: string): Phrase => (c) => `TLS certificate rejected by every verifying client: ${what}${c.works ? ' (HTTP/2 works underneath)' : ''}`;
const H2_AND = (what: string): Phrase => (c) => (c.works ? `HTTP/2 works; ${what}` : what.charAt(0).toUpperCase() + what.slice(1));

/** Every code's layer, in words (the type makes a new code add its line). */
const LAYER: Record<Code, Phrase> = {
  'dns-no-address': (c) => `DNS: ${c.host} does not resolve`,
  'dns-addresses-disagree': (c) => `DNS: the addresses of ${c.host} behave differently, so HTTP/2 depends on the address a client gets`,
  'vantage-points-disagree': 'The vantage points disagree: HTTP/2 works from some places only',
  'tcp-refused': 'TCP connection refused: nothing listens on the port',
  'tcp-timeout': 'TCP connection times out: no answer to the handshake',
  'tcp-reset': 'TCP connection reset during the handshake',
  'tls-handshake-timeout': 'TLS handshake never answered: the port accepts TCP but not TLS',
  'alpn-no-h2': 'HTTP/2 is off: TLS clients are given HTTP/1.1 (ALPN)',
  'alpn-ignored': 'HTTP/2 is off: the TLS server does no ALPN, so clients use HTTP/1.1',
  'preface-http1-response': 'HTTP/2 fails at the connection preface: the server answers in HTTP/1.x',
  'preface-closed': 'HTTP/2 fails at the connection preface: the server closes the connection',
  'preface-timeout': 'HTTP/2 fails at the connection preface: the server sends nothing',
  'preface-garbage': 'HTTP/2 fails at the connection preface: the answer is not HTTP/2',
  'preface-not-settings': 'HTTP/2 fails at the connection preface: the first frame is not SETTINGS',
  'goaway-on-connect': 'HTTP/2 refused: GOAWAY right after the connection preface',
  'h2-inadequate-security': 'HTTP/2 over a block-listed TLS 1.2 cipher: strict clients refuse the connection',
  'h2c-not-supported': 'No HTTP/2 in cleartext: the port speaks HTTP/1.1 only',
  'h2c-upgrade-unsupported': H2_AND('clients that ask with Upgrade: h2c stay on HTTP/1.1'),
  'h2-no-streams-allowed': 'HTTP/2 connects, but the server allows no streams',
  'http1-not-supported': H2_AND('HTTP/1.1 clients fail'),
  'http1-malformed-response': H2_AND('HTTP/1.1 fails: the response head cannot be read'),
  'scheme-http-on-tls-port': 'Wrong scheme: cleartext HTTP sent to a TLS port',
  'scheme-https-on-cleartext-port': 'Wrong scheme: TLS sent to a cleartext port',
  'h2-protocol-error': 'HTTP/2 connects, but the server breaks the protocol: requests fail',
  'h2-flood': 'HTTP/2 connects, but the server floods the connection',
  'h2-no-response': (c) => (/HTTP_1_1_REQUIRED/.test(c.title) ? 'HTTP/2 refuses the request: the server wants HTTP/1.1 for it' : 'HTTP/2 connects, but requests get no response'),
  'h2-connection-specific-header': 'HTTP/2 connects, but responses carry a connection-specific field: strict clients reset the stream',
  'tls-handshake-alert': 'TLS handshake fails: the server aborts it with an alert',
  'tls-no-shared-cipher': 'TLS handshake fails: no cipher suite in common',
  'tls-no-shared-group': 'TLS handshake fails: no key-exchange group in common',
  'tls-version-too-old': 'TLS handshake fails for current clients: the server speaks only TLS older than 1.2',
  'tls12-not-supported': H2_AND('TLS 1.2-only clients fail (the server speaks TLS 1.3 only)'),
  'tls13-not-supported': H2_AND('no TLS 1.3'),
  'tls-legacy-version-enabled': H2_AND('TLS 1.0/1.1 are still accepted'),
  'tls-sni-required': H2_AND('clients that send no SNI fail'),
  'tls-client-cert-required': 'TLS client certificate required: clients without one are refused',
  'tls-sni-unknown-name': (c) => `TLS handshake fails: the server has no certificate for ${c.host}`,
  'tls-malformed-response': 'TLS handshake fails: the answer is not usable TLS',
  'tls-weak-dh-params': H2_AND('weak Diffie-Hellman parameters fail strict clients'),
  'client-handshake-fails': H2_AND("some clients' TLS handshakes fail"),
  'client-falls-back-to-http1': H2_AND('some clients fall back to HTTP/1.1'),
  'cert-hostname-mismatch': CERT('it does not cover the name'),
  'cert-expired': CERT('it expired'),
  'cert-not-yet-valid': CERT('it is not valid yet'),
  'cert-untrusted': CERT('the chain is not trusted'),
  'cert-chain-incomplete': CERT('the intermediate certificate is missing'),
  'cert-chain-too-large': 'TLS handshake fails: the certificate chain is too large for clients',
  'clock-skew': 'Clocks disagree: valid certificates can look expired',
  'tls-interception-suspected': 'TLS is intercepted on the proxy path: the certificate is the proxy\'s',
  'upgrade-required-h2': H2_AND('HTTP/1.1 clients get 426'),
  'upgrade-required-tls': 'Cleartext refused with 426: clients must use TLS',
  'upgrade-required-websocket': 'WebSocket endpoint: plain HTTP requests get 426',
  'upgrade-header-missing': '426 without an Upgrade field: clients cannot tell what to switch to',
  'upgrade-problem-details-missing': H2_AND('the 426 has no machine-readable explanation'),
  'upgrade-header-stripped': 'WebSocket upgrade fails: a hop drops the upgrade request',
  'websocket-handshake-failed': 'WebSocket upgrade fails',
  'websocket-subprotocol-rejected': 'WebSocket upgrade fails: no offered subprotocol is accepted',
  'websocket-protocol-error': 'WebSocket upgrade succeeds, then the server breaks the WebSocket protocol',
  'websocket-over-h2-unsupported': H2_AND('WebSocket works over HTTP/1.1 only'),
  'h1-h2-behaviour-differs': 'HTTP/1.1 and HTTP/2 get different answers to the same request',
  'deprecation-announced': H2_AND('the server announces an end of support'),
  'proxy-connect-failed': 'The proxy refuses the CONNECT tunnel: nothing reaches the server',
  'proxy-alters-alpn': 'The proxy changes the protocol: HTTP/2 is lost through it',
};

const RANK = { error: 0, warning: 1, info: 2 } as const;
/**
 * Findings that follow from another one of the same severity and so do not make the headline while
 * it is there: a 426 answers the Upgrade: h2c too (HAProxy), and a 426 body is a detail of the 426.
 */
const SECONDARY: ReadonlySet<Code> = new Set(['h2c-upgrade-unsupported', 'upgrade-problem-details-missing']);

/**
 * The headline of a diagnosis: the failing layer of its most severe finding (the first one at that
 * severity, in the rules' order), or what works when nothing is wrong.
 * @example headlineOf([expiredFinding], { protocol: 'h2' }, target) // 'TLS certificate rejected by every verifying client: it expired (HTTP/2 works underneath)'
 */
export function headlineOf(findings: readonly Finding[], negotiated: Negotiated, target: Pick<Target, 'host' | 'sni'>): string {
  const works = negotiated.protocol === 'h2' || negotiated.protocol === 'h2c';
  const top = [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || Number(SECONDARY.has(a.code)) - Number(SECONDARY.has(b.code)))[0];
  if (!top) return works ? 'HTTP/2 works' : negotiated.protocol === 'http/1.1' ? 'HTTP/1.1 works; no problem found' : 'no problem found';
  const p = LAYER[top.code];
  return typeof p === 'string' ? p : p({ host: top.code === 'tls-sni-unknown-name' && target.sni ? target.sni : target.host, works, title: top.title });
}
