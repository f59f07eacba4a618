/**
 * TLS alerts in pasted text (RFC 8446 §6), by number or by the names OpenSSL, Go and Java print,
 * each with the finding codes the alert most often means for a client that failed to connect.
 *
 * @example
 * decodeAlerts('sslv3 alert handshake failure')[0].alert; // 40
 */
import type { Code } from '../model/codes.js';
import { ALERTS, alertByCode, type AlertName } from '../wire/tls/alerts.js';
import type { CodeHint, DecodedAlert } from './decoded.js';

/** What each alert most often means for a client that failed to connect, most likely first. */
const ALERT_HINTS: Partial<Record<AlertName, Array<[Code, string]>>> = {
  handshake_failure: [
    ['tls-no-shared-cipher', 'handshake_failure is what most servers send when no cipher suite is shared'],
    ['tls-no-shared-group', 'it is also sent when no key-exchange group is shared'],
    ['tls-client-cert-required', 'some servers send it when a required client certificate is missing'],
    ['tls-sni-required', 'some servers send it when the ClientHello has no SNI'],
    ['tls-handshake-alert', 'the alert alone does not prove which parameter was refused'],
  ],
  protocol_version: [['tls-version-too-old', 'protocol_version: the two sides share no TLS version']],
  inappropriate_fallback: [['tls-version-too-old', 'inappropriate_fallback: a version downgrade was refused']],
  insufficient_security: [['tls-no-shared-cipher', 'insufficient_security: the server wants stronger ciphers than were offered']],
  unrecognized_name: [['tls-sni-unknown-name', 'unrecognized_name: the server has no certificate for the SNI name sent']],
  missing_extension: [['tls-sni-required', 'missing_extension: a required extension (often SNI) was absent']],
  certificate_required: [['tls-client-cert-required', 'certificate_required: the server wants a client certificate (TLS 1.3)']],
  no_certificate: [['tls-client-cert-required', 'no_certificate: a client certificate was expected']],
  bad_certificate: [
    ['tls-client-cert-required', 'bad_certificate from the server usually rejects the client certificate'],
    ['cert-untrusted', 'sent by a client, it rejects the server certificate'],
  ],
  unknown_ca: [
    ['cert-untrusted', 'unknown_ca: the side that sent it does not trust the issuer of the certificate it got'],
    ['tls-client-cert-required', 'sent by a server, it rejects the client certificate chain'],
  ],
  certificate_unknown: [['cert-untrusted', 'certificate_unknown: the peer would not accept the certificate']],
  certificate_expired: [['cert-expired', 'certificate_expired: a certificate in the handshake is past its notAfter']],
  no_application_protocol: [['alpn-no-h2', 'no_application_protocol: the server supports none of the ALPN protocols offered']],
  decode_error: [['tls-handshake-alert', 'decode_error: the peer could not parse a handshake message']],
  illegal_parameter: [
    ['tls-no-shared-group', 'illegal_parameter often follows a key share the peer cannot use'],
    ['tls-handshake-alert', 'the alert alone does not prove which field was refused'],
  ],
  internal_error: [['tls-handshake-alert', 'internal_error: the server failed while handling the handshake']],
  unexpected_message: [['tls-handshake-alert', 'unexpected_message: the peer got a message it did not expect at that point']],
  access_denied: [['tls-handshake-alert', 'access_denied: the peer refused this client (policy, ACL)']],
};

/** One alert number as a record, with the codes it most often means. */
export function alertRecord(text: string, code: number): DecodedAlert {
  const name = alertByCode(code);
  const hints: CodeHint[] = (name ? (ALERT_HINTS[name] ?? []) : []).map(([c, why], i) => ({ code: c, weight: i === 0 ? 2 : 1, why }));
  if (!hints.some((h) => h.code === 'tls-handshake-alert')) hints.push({ code: 'tls-handshake-alert', weight: 1, why: `the handshake was aborted with alert ${code}` });
  return {
    kind: 'tls-alert',
    text,
    alert: code,
    name: name ?? `unknown_alert(${code})`,
    sentence: `TLS alert ${code} is ${name ?? 'not a registered alert'}${name ? ` (${ALERTS[name].openssl})` : ''}`,
    hints,
  };
}

/** Readable alert names as OpenSSL ("sslv3 alert handshake failure"), Go ("tls: handshake failure") and Java print them. */
function alertFromWords(words: string): number | undefined {
  const w = words.toLowerCase().replace(/[\s-]+/g, '_');
  const direct = (ALERTS as Record<string, { code: number }>)[w];
  if (direct) return direct.code;
  const go: Record<string, number> = {
    protocol_version_not_supported: 70,
    unknown_certificate_authority: 48,
    error_decoding_message: 50,
    error_decrypting_message: 51,
    no_renegotiation: 100,
    unsupported_certificate: 43,
    revoked_certificate: 44,
    expired_certificate: 45,
    unknown_certificate: 46,
    unknown_ca: 48,
    user_cancelled: 90,
  };
  return go[w];
}

/** TLS alerts however a client printed them: by number, OpenSSL's and Go's names, Java's words. */
export function decodeAlerts(text: string): DecodedAlert[] {
  const out: DecodedAlert[] = [];
  const seen = new Set<number>();
  const add = (t: string, code: number | undefined): void => {
    if (code === undefined || code < 0 || code > 255 || seen.has(code)) return;
    seen.add(code);
    out.push(alertRecord(t, code));
  };
  for (const m of text.matchAll(/alert (?:number|description|code)[ :=]*(\d{1,3})/gi)) add(m[0], Number(m[1]));
  for (const m of text.matchAll(/(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)/g)) add(m[0], alertFromWords(m[1]!.replace(/_CANCELLED$/, '_CANCELED')));
  for (const m of text.matchAll(/(?:sslv3|tlsv1|tlsv13|ssl\/tls|tls) alert ([a-z ]+?)(?=[:(),.'"\]]|$|\s*\n)/gim)) add(m[0], alertFromWords(m[1]!.trim().replace(/ cancelled$/, ' canceled')));
  for (const m of text.matchAll(/Received fatal alert: ([a-z_]+)/g)) add(m[0], alertFromWords(m[1]!));
  for (const m of text.matchAll(/remote error: tls: ([a-z ]+)/g)) add(m[0], alertFromWords(m[1]!.trim()));
  for (const m of text.matchAll(/TLSV1_UNRECOGNIZED_NAME|tlsv1 unrecognized name/gi)) add(m[0], 112);
  return out;
}
