import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { classifyUpgradeProtocol, hasConnectionOption, parseConnection, parseUpgrade, upgradeFamilies } from './upgrade.js';

describe('parseUpgrade', () => {
  test.each([
    ['h2c', [['h2c', undefined, 'h2']]],
    ['HTTP/2.0', [['http', '2.0', 'h2']]],
    ['HTTP/2', [['http', '2', 'h2']]],
    ['h2', [['h2', undefined, 'h2']]],
    ['HTTP/1.1', [['http', '1.1', 'http']]],
    ['HTTP/3.0', [['http', '3.0', 'http']]],
    ['TLS/1.2', [['tls', '1.2', 'tls']]],
    ['TLS/1.0, HTTP/1.1', [['tls', '1.0', 'tls'], ['http', '1.1', 'http']]],
    ['WebSocket', [['websocket', undefined, 'websocket']]],
    ['HTTP/2.0, SHTTP/1.3, IRC/6.9, RTA/x11', [['http', '2.0', 'h2'], ['shttp', '1.3', 'other'], ['irc', '6.9', 'other'], ['rta', 'x11', 'other']]],
    ['  websocket ,\t, h2c  ', [['websocket', undefined, 'websocket'], ['h2c', undefined, 'h2']]],
  ] as const)('%j', (value, expected) => {
    const r = parseUpgrade(value);
    expect(r.malformed).toBe(false);
    expect(r.protocols.map((p) => [p.name, p.version, p.family])).toEqual(expected);
  });

  it('keeps the raw element and joins several field lines', () => {
    const r = parseUpgrade(['TLS/1.3', 'HTTP/2.0']);
    expect(r).toEqual({
      malformed: false,
      protocols: [
        { name: 'tls', version: '1.3', raw: 'TLS/1.3', family: 'tls' },
        { name: 'http', version: '2.0', raw: 'HTTP/2.0', family: 'h2' },
      ],
    });
    expect(upgradeFamilies(r)).toEqual(['tls', 'h2']);
  });

  it('treats an absent field as an empty, well-formed list', () => {
    expect(parseUpgrade(undefined)).toEqual({ malformed: false, protocols: [] });
    expect(parseUpgrade([])).toEqual({ malformed: false, protocols: [] });
  });

  test.each(['', '   ', ',,', 'HTTP/', '/2.0', 'HTTP/2.0/x', 'h2 c', '"h2"', 'h2;q=1', 'websocket\u00e9'])('malformed %j', (v) => {
    const r = parseUpgrade(v);
    expect(r.malformed).toBe(true);
    if (r.malformed) expect(r.reason).toMatch(/\S/);
  });

  it('keeps the good elements of a partly malformed list', () => {
    const r = parseUpgrade('websocket, bad token, h2c');
    expect(r.malformed).toBe(true);
    expect(r.protocols.map((p) => p.name)).toEqual(['websocket', 'h2c']);
  });

  it('refuses oversized values without parsing them', () => {
    const r = parseUpgrade('h2c,'.repeat(10_000));
    expect(r).toMatchObject({ malformed: true, protocols: [] });
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 4 })), (v) => {
        const r = parseUpgrade(v);
        for (const p of r.protocols) expect(p.name).toBe(p.name.toLowerCase());
      }),
      { numRuns: 500 },
    );
  });

  it('does not trip over Object.prototype names', () => {
    expect(classifyUpgradeProtocol('constructor')).toBe('other');
    expect(classifyUpgradeProtocol('__proto__')).toBe('other');
  });
});

describe('parseConnection', () => {
  it('lower-cases and de-duplicates options', () => {
    const r = parseConnection(['keep-alive, Upgrade', 'upgrade']);
    expect(r).toEqual({ malformed: false, options: ['keep-alive', 'upgrade'] });
    expect(hasConnectionOption(r, 'UPGRADE')).toBe(true);
    expect(hasConnectionOption(r, 'close')).toBe(false);
  });
  it('flags non-tokens but keeps the rest', () => {
    const r = parseConnection('close, up grade');
    expect(r).toMatchObject({ malformed: true, options: ['close'] });
  });
  it('flags an empty value; absent is fine', () => {
    expect(parseConnection('').malformed).toBe(true);
    expect(parseConnection(undefined)).toEqual({ malformed: false, options: [] });
  });
});
