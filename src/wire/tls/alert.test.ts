import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, fromHex, toHex } from '../bytes.js';
import { encodeAlert, encodeAlertRecord, parseAlert, parseAlertRecord, parseAlerts } from './alert.js';
import { ALERTS } from './alerts.js';

describe('alerts', () => {
  it('parses a fatal handshake_failure record (what OpenSSL sends when no cipher is shared)', () => {
    const a = parseAlertRecord(fromHex('15030300020228'));
    expect(a).toEqual({
      level: 2,
      levelName: 'fatal',
      description: 40,
      name: 'handshake_failure',
      alert: 'handshake_failure',
      openssl: 'SSLV3_ALERT_HANDSHAKE_FAILURE',
      isError: true,
    });
  });

  it('names every registered alert and flags the closure ones', () => {
    for (const [name, { code }] of Object.entries(ALERTS)) {
      const a = parseAlert(encodeAlert('warning', code));
      expect(a.name).toBe(name);
      expect(a.levelName).toBe('warning');
      expect(a.isError).toBe(name !== 'close_notify' && name !== 'user_canceled');
    }
    expect(parseAlert(Uint8Array.of(9, 250))).toMatchObject({ levelName: 'unknown_level(9)', name: 'unknown_alert(250)', isError: true });
  });

  it('encodes records and by name', () => {
    expect(toHex(encodeAlertRecord('fatal', 'protocol_version'))).toBe('15030300020246');
    expect(toHex(encodeAlertRecord(1, 0, 0x0301))).toBe('15030100020100');
    expect(toHex(encodeAlert('fatal', 'no_application_protocol'))).toBe('0278');
  });

  it('rejects wrong sizes and record types', () => {
    expect(() => parseAlert(Uint8Array.of(2))).toThrow(expect.objectContaining({ code: 'truncated' }));
    expect(() => parseAlert(Uint8Array.of(2, 40, 0))).toThrow(expect.objectContaining({ code: 'length-mismatch' }));
    expect(() => parseAlertRecord(fromHex('16030300020228'))).toThrow(expect.objectContaining({ code: 'unexpected-value' }));
    expect(() => parseAlertRecord(fromHex('150303000202'))).toThrow(expect.objectContaining({ code: 'truncated' }));
    expect(parseAlerts(Uint8Array.of(1, 0, 2, 40)).map((a) => a.name)).toEqual(['close_notify', 'handshake_failure']);
    expect(() => parseAlerts(Uint8Array.of(1, 0, 2))).toThrow(ParseError);
  });

  it('property: random bytes give an alert or a ParseError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (b) => {
        for (const f of [parseAlert, parseAlerts, parseAlertRecord]) {
          try {
            f(b);
          } catch (e) {
            if (!(e instanceof ParseError)) throw e;
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
