import { describe, expect, it } from 'vitest';
import { extendedConnectHeaders, supportsExtendedConnect, validateExtendedConnectResponse } from './extended-connect.js';

describe('RFC 8441 extended CONNECT', () => {
  it('builds the request header list (RFC 8441 §5.1 example)', () => {
    expect(extendedConnectHeaders({ authority: 'server.example.com', path: '/chat', protocols: ['chat', 'superchat'], origin: 'http://www.example.com' })).toEqual([
      [':method', 'CONNECT'],
      [':protocol', 'websocket'],
      [':scheme', 'https'],
      [':path', '/chat'],
      [':authority', 'server.example.com'],
      ['sec-websocket-version', '13'],
      ['origin', 'http://www.example.com'],
      ['sec-websocket-protocol', 'chat, superchat'],
    ]);
    const h = extendedConnectHeaders({ authority: 'a', path: '/', scheme: 'http', extensions: ['permessage-deflate'] });
    expect(h.find(([k]) => k === ':scheme')?.[1]).toBe('http');
    expect(h.map(([k]) => k)).not.toContain('sec-websocket-key');
    expect(h.map(([k]) => k)).not.toContain('upgrade');
  });

  it('reads SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8), last value wins', () => {
    expect(supportsExtendedConnect([[0x8, 1]])).toBe(true);
    expect(supportsExtendedConnect(new Map([[0x3, 100]]))).toBe(false);
    expect(supportsExtendedConnect([[0x8, 1], [0x8, 0]])).toBe(false);
  });

  it('validates the response', () => {
    expect(validateExtendedConnectResponse({ status: 200, headers: { 'sec-websocket-protocol': 'chat' } }, { protocols: ['chat'] })).toEqual({
      ok: true,
      problems: [],
      protocol: 'chat',
      extensions: [],
    });
    expect(validateExtendedConnectResponse({ status: 501, headers: {} }, {}).problems.map((p) => p.code)).toEqual(['status-not-2xx']);
    expect(validateExtendedConnectResponse({ status: 200, headers: { 'sec-websocket-extensions': 'x' } }, {}).ok).toBe(false);
  });
});
