/**
 * The alert protocol (RFC 8446 §6, RFC 5246 §7.2): a two-byte message, level then description. Names come from the
 * registry in `alerts.ts`, including the OpenSSL reason a server's log would print.
 *
 * @example
 * parseAlertRecord(fromHex('15030300020228')); // { level: 2, levelName: 'fatal', description: 40, name: 'handshake_failure', … }
 */
import { ParseError, Reader, Writer } from '../bytes.js';
import { ALERTS, ALERT_LEVELS, alertByCode, alertName, type AlertName } from './alerts.js';
import { encodeRecord, parseRecordHeader, RECORD_HEADER_LENGTH } from './record.js';
import { CONTENT_TYPES, TLS_VERSIONS } from './registry.js';

/**
 * One decoded alert.
 *
 * @example
 * const a: TlsAlert = parseAlert(Uint8Array.of(2, 40));
 */
export interface TlsAlert {
  readonly level: number;
  /** 'warning', 'fatal', or `unknown_level(n)`. */
  readonly levelName: string;
  readonly description: number;
  /** Registry name, or `unknown_alert(n)`. */
  readonly name: string;
  /** Set when the description is registered. */
  readonly alert?: AlertName;
  /** The reason OpenSSL logs for it (e.g. SSLV3_ALERT_HANDSHAKE_FAILURE). */
  readonly openssl?: string;
  /** RFC 8446 §6: every alert but close_notify and user_canceled is an error, whatever its level says. */
  readonly isError: boolean;
}

const LEVEL_NAMES = new Map<number, string>(Object.entries(ALERT_LEVELS).map(([k, v]) => [v, k]));

function describe(level: number, description: number): TlsAlert {
  const known = alertByCode(description);
  return {
    level,
    levelName: LEVEL_NAMES.get(level) ?? `unknown_level(${level})`,
    description,
    name: alertName(description),
    ...(known ? { alert: known, openssl: ALERTS[known].openssl } : {}),
    // RFC 8446 §6: close_notify and user_canceled are closure alerts; all others are error alerts
    isError: description !== ALERTS.close_notify.code && description !== ALERTS.user_canceled.code,
  };
}

/**
 * Parse one alert message: exactly two bytes (RFC 8446 §5.1: alerts are neither fragmented nor coalesced).
 * Throws ParseError.
 *
 * @example
 * parseAlert(Uint8Array.of(2, 70)).name; // 'protocol_version'
 */
export function parseAlert(body: Uint8Array): TlsAlert {
  const r = new Reader(body);
  const level = r.u8('alert.level');
  const description = r.u8('alert.description');
  r.expectEnd('alert');
  return describe(level, description);
}

/**
 * Parse an alert record body that may hold several alerts (TLS ≤ 1.2 peers sometimes coalesce them).
 * Throws ParseError on an odd length.
 *
 * @example
 * parseAlerts(Uint8Array.of(1, 0, 2, 40)).map((a) => a.name); // ['close_notify', 'handshake_failure']
 */
export function parseAlerts(body: Uint8Array): TlsAlert[] {
  const r = new Reader(body);
  const out: TlsAlert[] = [];
  while (!r.done) out.push(describe(r.u8('alert.level'), r.u8('alert.description')));
  return out;
}

/**
 * Parse a whole alert record (header and two-byte body, nothing after). Throws ParseError.
 *
 * @example
 * parseAlertRecord(fromHex('15030300020228')).alert; // 'handshake_failure'
 */
export function parseAlertRecord(bytes: Uint8Array): TlsAlert {
  const h = parseRecordHeader(bytes);
  // RFC 8446 §5.1: ContentType alert(21)
  if (h.type !== CONTENT_TYPES.alert) {
    throw new ParseError('unexpected-value', `record.type: expected alert(21), got ${h.type}`, 0, 'record.type');
  }
  const r = new Reader(bytes, RECORD_HEADER_LENGTH);
  const body = r.bytes(h.length, 'alert.fragment');
  r.expectEnd('alert record');
  return parseAlert(body);
}

/**
 * Encode an alert body. `description` may be a registry name.
 *
 * @example
 * encodeAlert('fatal', 'handshake_failure'); // 02 28
 */
export function encodeAlert(level: keyof typeof ALERT_LEVELS | number, description: AlertName | number): Uint8Array {
  const w = new Writer(2);
  w.u8(typeof level === 'number' ? level : ALERT_LEVELS[level]);
  w.u8(typeof description === 'number' ? description : ALERTS[description].code);
  return w.finish();
}

/**
 * Encode a whole alert record.
 *
 * @example
 * encodeAlertRecord('fatal', 'protocol_version'); // 15 03 03 00 02 02 46
 */
export function encodeAlertRecord(
  level: keyof typeof ALERT_LEVELS | number,
  description: AlertName | number,
  version: number = TLS_VERSIONS.TLS1_2,
): Uint8Array {
  return encodeRecord(CONTENT_TYPES.alert, version, encodeAlert(level, description));
}
