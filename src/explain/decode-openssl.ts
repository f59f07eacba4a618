/**
 * OpenSSL and BoringSSL packed error codes in pasted text: library and reason unpacked, the reasons
 * that matter for HTTP/2 failures named, a received alert read back.
 *
 * @example
 * decodeOpenSslCodes('error:0A000410:SSL routines::sslv3 alert handshake failure')[0].alert; // 40
 */
import type { Code } from '../model/codes.js';
import { hex } from '../wire/bytes.js';
import { alertByCode } from '../wire/tls/alerts.js';
import { alertRecord } from './decode-alerts.js';
import type { CodeHint, DecodedOpenSsl, OpenSslFlavour } from './decoded.js';

/** Reason numbers of the SSL library (OpenSSL `sslerr.h`, BoringSSL `ssl.h`) that matter for HTTP/2 failures. */
const OPENSSL_SSL_REASONS: Record<number, [string, Code[]]> = {
  101: ['no suitable key share', ['tls-no-shared-group']],
  108: ['bad key share', ['tls-no-shared-group']],
  118: ['no suitable signature algorithm', ['tls-no-shared-cipher', 'tls-handshake-alert']],
  134: ['certificate verify failed', ['cert-untrusted', 'cert-expired', 'cert-chain-incomplete']],
  155: ['https proxy request', ['scheme-http-on-tls-port']],
  156: ['http request', ['scheme-http-on-tls-port']],
  191: ['no protocols available', ['tls-version-too-old']],
  193: ['no shared cipher', ['tls-no-shared-cipher']],
  198: ['packet length too long', ['scheme-https-on-cleartext-port']],
  199: ['peer did not return a certificate', ['tls-client-cert-required']],
  235: ['no application protocol', ['alpn-no-h2']],
  252: ['unknown protocol', ['scheme-https-on-cleartext-port']],
  258: ['unsupported protocol', ['tls-version-too-old']],
  267: ['wrong version number', ['scheme-https-on-cleartext-port', 'tls-version-too-old']],
  294: ['unexpected eof while reading', ['tcp-reset', 'tls-handshake-alert']],
  410: ['no shared groups', ['tls-no-shared-group']],
};
const BORINGSSL_SSL_REASONS: Record<number, [string, Code[]]> = {
  125: ['CERTIFICATE_VERIFY_FAILED', ['cert-untrusted', 'cert-expired', 'cert-chain-incomplete']],
  184: ['NO_SHARED_CIPHER', ['tls-no-shared-cipher']],
  240: ['UNSUPPORTED_PROTOCOL', ['tls-version-too-old']],
  247: ['WRONG_VERSION_NUMBER', ['scheme-https-on-cleartext-port', 'tls-version-too-old']],
};

const LIBS_OPENSSL: Record<number, string> = { 2: 'system', 11: 'X509', 16: 'EC', 20: 'SSL', 32: 'BIO', 38: 'RSA' };
const LIBS_BORING: Record<number, string> = { 2: 'system', 11: 'X509', 16: 'SSL' };

/**
 * Unpack one error code. OpenSSL 3 packs `lib << 23 | reason` (`0A000410`); OpenSSL 1.x packs
 * `lib << 24 | func << 12 | reason` (`14094410`); BoringSSL packs `lib << 24 | reason` with SSL = 16
 * (`10000410`). In all three an SSL reason of 1000 + N means "received TLS alert N".
 */
export function unpackOpenSslCode(packed: number, hint: 'boringssl' | null = null): Omit<DecodedOpenSsl, 'kind' | 'text' | 'sentence' | 'hints'> {
  const top = packed >>> 24;
  let flavour: OpenSslFlavour;
  if (hint === 'boringssl' || (top === 0x10 && (packed & 0xfff000) === 0)) flavour = 'boringssl';
  else if ((packed >>> 23) === 20 || (packed & 0x80000000) !== 0 || (top < 0x10 && (packed & 0x7ff000) === 0)) flavour = 'openssl3';
  else flavour = 'openssl1';
  let library: number;
  let reason: number;
  if (flavour === 'openssl3') {
    library = (packed & 0x80000000) !== 0 ? 2 : (packed >>> 23) & 0xff;
    reason = (packed & 0x80000000) !== 0 ? packed & 0x7fffffff : packed & 0x7fffff;
  } else {
    library = top;
    reason = packed & 0xfff;
  }
  const libraryName = (flavour === 'boringssl' ? LIBS_BORING : LIBS_OPENSSL)[library] ?? `lib ${library}`;
  const isSsl = libraryName === 'SSL';
  let reasonName: string | null = null;
  let alert: number | undefined;
  if (isSsl && reason >= 1000 && reason < 1256) {
    alert = reason - 1000;
    reasonName = `received alert ${alert} (${alertByCode(alert) ?? 'unknown'})`;
  } else if (isSsl) {
    const table = flavour === 'boringssl' ? BORINGSSL_SSL_REASONS : OPENSSL_SSL_REASONS;
    reasonName = table[reason]?.[0] ?? null;
  }
  return alert === undefined
    ? { packed, flavour, library, libraryName, reason, reasonName }
    : { packed, flavour, library, libraryName, reason, reasonName, alert };
}

/** Packed OpenSSL/BoringSSL error codes (hex `error:0A000410:` or decimal), unpacked and explained. */
export function decodeOpenSslCodes(text: string): DecodedOpenSsl[] {
  const out: DecodedOpenSsl[] = [];
  const seen = new Set<number>();
  const boring = /OPENSSL_internal|BoringSSL/i.test(text) ? 'boringssl' : null;
  const add = (t: string, packed: number): void => {
    if (seen.has(packed)) return;
    seen.add(packed);
    const u = unpackOpenSslCode(packed, boring);
    const flavourName = { openssl3: 'OpenSSL 3', openssl1: 'OpenSSL 1.x', boringssl: 'BoringSSL' }[u.flavour];
    const hints: CodeHint[] = [];
    let what: string;
    if (u.alert !== undefined) {
      const a = alertRecord(t, u.alert);
      hints.push(...a.hints);
      what = `the peer sent TLS alert ${u.alert} (${a.name})`;
    } else {
      const table = u.flavour === 'boringssl' ? BORINGSSL_SSL_REASONS : OPENSSL_SSL_REASONS;
      const codes = u.libraryName === 'SSL' ? (table[u.reason]?.[1] ?? []) : [];
      codes.forEach((c, i) => hints.push({ code: c, weight: i === 0 ? 2 : 1, why: `${flavourName} reason "${u.reasonName}"` }));
      what = u.reasonName ? `reason ${u.reason} = "${u.reasonName}"` : `reason ${u.reason}`;
    }
    const sentence = `${flavourName} error ${hex(packed, 8).toUpperCase()}: library ${u.library} (${u.libraryName}), ${what}`;
    out.push({ kind: 'openssl-error', text: t, ...u, sentence, hints });
  };
  for (const m of text.matchAll(/error:([0-9A-Fa-f]{8}):/g)) add(m[0], parseInt(m[1]!, 16));
  // Envoy and some bindings print the packed code in decimal: "TLS error: 268435703:SSL routines:…".
  for (const m of text.matchAll(/(?<![\d.])(\d{9,10}):SSL routines/g)) {
    const n = Number(m[1]);
    if (n <= 0xffffffff) add(m[0], n);
  }
  return out;
}
