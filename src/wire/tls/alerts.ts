/**
 * TLS alert registry (RFC 8446 §6, RFC 5246 §7.2, IANA "TLS Alerts"), with the names OpenSSL and
 * BoringSSL print (`SSLV3_ALERT_HANDSHAKE_FAILURE`, `TLSV1_ALERT_PROTOCOL_VERSION`, …).
 */
export const ALERT_LEVELS = { warning: 1, fatal: 2 } as const;

export const ALERTS = {
  close_notify: { code: 0, openssl: 'SSLV3_ALERT_CLOSE_NOTIFY' },
  unexpected_message: { code: 10, openssl: 'SSLV3_ALERT_UNEXPECTED_MESSAGE' },
  bad_record_mac: { code: 20, openssl: 'SSLV3_ALERT_BAD_RECORD_MAC' },
  decryption_failed: { code: 21, openssl: 'TLSV1_ALERT_DECRYPTION_FAILED' },
  record_overflow: { code: 22, openssl: 'TLSV1_ALERT_RECORD_OVERFLOW' },
  decompression_failure: { code: 30, openssl: 'SSLV3_ALERT_DECOMPRESSION_FAILURE' },
  handshake_failure: { code: 40, openssl: 'SSLV3_ALERT_HANDSHAKE_FAILURE' },
  no_certificate: { code: 41, openssl: 'SSLV3_ALERT_NO_CERTIFICATE' },
  bad_certificate: { code: 42, openssl: 'SSLV3_ALERT_BAD_CERTIFICATE' },
  unsupported_certificate: { code: 43, openssl: 'SSLV3_ALERT_UNSUPPORTED_CERTIFICATE' },
  certificate_revoked: { code: 44, openssl: 'SSLV3_ALERT_CERTIFICATE_REVOKED' },
  certificate_expired: { code: 45, openssl: 'SSLV3_ALERT_CERTIFICATE_EXPIRED' },
  certificate_unknown: { code: 46, openssl: 'SSLV3_ALERT_CERTIFICATE_UNKNOWN' },
  illegal_parameter: { code: 47, openssl: 'SSLV3_ALERT_ILLEGAL_PARAMETER' },
  unknown_ca: { code: 48, openssl: 'TLSV1_ALERT_UNKNOWN_CA' },
  access_denied: { code: 49, openssl: 'TLSV1_ALERT_ACCESS_DENIED' },
  decode_error: { code: 50, openssl: 'TLSV1_ALERT_DECODE_ERROR' },
  decrypt_error: { code: 51, openssl: 'TLSV1_ALERT_DECRYPT_ERROR' },
  export_restriction: { code: 60, openssl: 'TLSV1_ALERT_EXPORT_RESTRICTION' },
  protocol_version: { code: 70, openssl: 'TLSV1_ALERT_PROTOCOL_VERSION' },
  insufficient_security: { code: 71, openssl: 'TLSV1_ALERT_INSUFFICIENT_SECURITY' },
  internal_error: { code: 80, openssl: 'TLSV1_ALERT_INTERNAL_ERROR' },
  inappropriate_fallback: { code: 86, openssl: 'TLSV1_ALERT_INAPPROPRIATE_FALLBACK' },
  user_canceled: { code: 90, openssl: 'TLSV1_ALERT_USER_CANCELLED' },
  no_renegotiation: { code: 100, openssl: 'TLSV1_ALERT_NO_RENEGOTIATION' },
  missing_extension: { code: 109, openssl: 'TLSV1_ALERT_MISSING_EXTENSION' },
  unsupported_extension: { code: 110, openssl: 'TLSV1_ALERT_UNSUPPORTED_EXTENSION' },
  certificate_unobtainable: { code: 111, openssl: 'TLSV1_ALERT_CERTIFICATE_UNOBTAINABLE' },
  unrecognized_name: { code: 112, openssl: 'TLSV1_ALERT_UNRECOGNIZED_NAME' },
  bad_certificate_status_response: { code: 113, openssl: 'TLSV1_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE' },
  bad_certificate_hash_value: { code: 114, openssl: 'TLSV1_ALERT_BAD_CERTIFICATE_HASH_VALUE' },
  unknown_psk_identity: { code: 115, openssl: 'TLSV1_ALERT_UNKNOWN_PSK_IDENTITY' },
  certificate_required: { code: 116, openssl: 'TLSV13_ALERT_CERTIFICATE_REQUIRED' },
  no_application_protocol: { code: 120, openssl: 'TLSV1_ALERT_NO_APPLICATION_PROTOCOL' },
  ech_required: { code: 121, openssl: 'TLSV1_ALERT_ECH_REQUIRED' },
} as const;
export type AlertName = keyof typeof ALERTS;

const BY_CODE = new Map<number, AlertName>(Object.entries(ALERTS).map(([k, v]) => [v.code, k as AlertName]));
const BY_OPENSSL = new Map<string, AlertName>(Object.entries(ALERTS).map(([k, v]) => [v.openssl, k as AlertName]));

export function alertName(code: number): string {
  return BY_CODE.get(code) ?? `unknown_alert(${code})`;
}
export function alertByCode(code: number): AlertName | undefined {
  return BY_CODE.get(code);
}
/**
 * Node reports a received alert as `err.code = 'ERR_SSL_<OPENSSL_REASON>'` (a typed code, not message text).
 * Returns the alert it names, if it names one.
 */
export function alertFromNodeErrorCode(code: string | undefined): { name: AlertName; code: number } | undefined {
  if (!code) return undefined;
  const reason = code.replace(/^ERR_SSL_/, '');
  const name = BY_OPENSSL.get(reason) ?? (reason === 'TLSV1_ALERT_USER_CANCELED' ? 'user_canceled' : undefined);
  return name ? { name, code: ALERTS[name].code } : undefined;
}
