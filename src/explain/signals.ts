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
import { alertByCode } from '../wire/tls/alerts.js';
import { clientContext } from './client-context.js';
import type { CodeHint } from './decoded.js';
import { MAX_LINE } from './decoders.js';
import { CERT_GENERIC, CERTIFICATE_RULES } from './signals-certificate.js';
import { CONNECTION_RULES, TIMEOUT_GENERIC } from './signals-connection.js';
import { isProxyContext, isWsContext, statusHints, statusOf } from './signals-status.js';
import { TLS_RULES } from './signals-tls.js';
import { h, type ClientContext, type Layer, type Rule, type Signal } from './signal-types.js';

/** The rules, most specific first. Each is a kind of evidence, read the same across clients. */
const RULES: Rule[] = [...CERTIFICATE_RULES, ...TLS_RULES, ...CONNECTION_RULES];

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
