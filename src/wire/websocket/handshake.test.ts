import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeAccept,
  getField,
  handshakeRequestHeaders,
  isValidWebSocketKey,
  makeWebSocketKey,
  parseExtensions,
  validateHandshakeResponse,
  verifyAccept,
} from './handshake.js';

// RFC 6455 §1.3: the sample nonce and its accept value.
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

const good = (extra: Record<string, string | string[]> = {}) => ({
  status: 101,
  headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': ACCEPT, ...extra },
});

describe('key and accept', () => {
  it('RFC 6455 §1.3 vector', () => {
    expect(makeWebSocketKey(new TextEncoder().encode('the sample nonce'))).toBe(KEY);
    expect(computeAccept(KEY)).toBe(ACCEPT);
    expect(computeAccept(` ${KEY}\t`)).toBe(ACCEPT);
    expect(verifyAccept(KEY, ACCEPT)).toBe(true);
    expect(verifyAccept(KEY, ACCEPT.toLowerCase())).toBe(false);
    expect(verifyAccept(KEY, [ACCEPT, ACCEPT])).toBe(false);
    expect(verifyAccept(KEY, undefined)).toBe(false);
  });
  it('keys are 16 bytes, base64', () => {
    expect(() => makeWebSocketKey(new Uint8Array(15))).toThrow(RangeError);
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      expect(isValidWebSocketKey(makeWebSocketKey(b))).toBe(true);
    }), { numRuns: 100 });
    expect(isValidWebSocketKey('dGhlIHNhbXBsZSBub25jZQ')).toBe(false);
    expect(isValidWebSocketKey('dGhlIHNhbXBsZSBub25jZR==')).toBe(false);
  });
  it('builds a request', () => {
    expect(handshakeRequestHeaders({ host: 'server.example.com', key: KEY, protocols: ['chat', 'superchat'], origin: 'http://example.com' })).toEqual([
      ['host', 'server.example.com'],
      ['upgrade', 'websocket'],
      ['connection', 'Upgrade'],
      ['sec-websocket-key', KEY],
      ['sec-websocket-version', '13'],
      ['origin', 'http://example.com'],
      ['sec-websocket-protocol', 'chat, superchat'],
    ]);
  });
});

describe('validateHandshakeResponse (RFC 6455 §4.1)', () => {
  it('accepts the RFC 6455 §1.3 response, case-insensitively', () => {
    const r = validateHandshakeResponse({ status: 101, headers: { Upgrade: 'WebSocket', Connection: 'keep-alive, upgrade', 'Sec-WebSocket-Accept': ACCEPT, 'Sec-WebSocket-Protocol': 'chat' } }, { key: KEY, protocols: ['superchat', 'chat'] });
    expect(r).toEqual({ ok: true, problems: [], protocol: 'chat', extensions: [] });
  });

  it('stops at a non-101 status', () => {
    const r = validateHandshakeResponse({ status: 426, headers: { upgrade: 'websocket' } }, { key: KEY });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['status-not-101']);
  });

  it.each([
    [{ upgrade: 'h2c' }, 'upgrade-not-websocket'],
    [{ upgrade: 'websocket, h2c' }, 'upgrade-not-websocket'],
    [{ connection: 'keep-alive' }, 'connection-missing-upgrade'],
    [{ 'sec-websocket-accept': 'x' }, 'accept-mismatch'],
    [{ 'sec-websocket-protocol': 'mqtt' }, 'protocol-not-offered'],
    [{ 'sec-websocket-protocol': 'chat, superchat' }, 'protocol-multiple'],
    [{ 'sec-websocket-extensions': 'permessage-deflate' }, 'extension-not-offered'],
    [{ 'sec-websocket-extensions': 'x-foo; bar="open' }, 'extensions-malformed'],
  ])('%j → %s', (extra, code) => {
    const r = validateHandshakeResponse(good(extra), { key: KEY, protocols: ['chat', 'superchat'] });
    expect(r.problems.map((p) => p.code)).toContain(code);
    expect(r.ok).toBe(false);
    expect(r.problems.find((p) => p.code === code)?.section).toMatch(/RFC 6455/);
  });

  it('reports a missing accept, upgrade and connection together', () => {
    const r = validateHandshakeResponse({ status: 101, headers: {} }, { key: KEY });
    expect(r.problems.map((p) => p.code)).toEqual(['upgrade-not-websocket', 'connection-missing-upgrade', 'accept-missing']);
  });

  it('no subprotocol selected is a non-fatal problem', () => {
    const r = validateHandshakeResponse(good(), { key: KEY, protocols: ['chat'] });
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'protocol-none-selected', fatal: false })]);
  });

  it('extensions match by name; parameters may be negotiated', () => {
    const r = validateHandshakeResponse(good({ 'sec-websocket-extensions': 'permessage-deflate; server_no_context_takeover; client_max_window_bits=10' }), {
      key: KEY,
      extensions: ['permessage-deflate; client_max_window_bits'],
    });
    expect(r.ok).toBe(true);
    expect(r.extensions).toEqual([{ name: 'permessage-deflate', params: [['server_no_context_takeover', undefined], ['client_max_window_bits', '10']] }]);
  });

  it('a subprotocol the client never offered fails', () => {
    expect(validateHandshakeResponse(good({ 'sec-websocket-protocol': 'chat' }), { key: KEY }).problems[0]?.code).toBe('protocol-not-offered');
  });
});

describe('helpers', () => {
  it('getField is case-insensitive', () => {
    expect(getField({ 'X-A': '1' }, 'x-a')).toBe('1');
    expect(getField({ 'x-a': '1' }, 'X-A')).toBe('1');
    expect(getField({}, 'constructor')).toBeUndefined();
  });
  it('parseExtensions', () => {
    expect(parseExtensions('foo, bar; baz=2').extensions.map((e) => e.name)).toEqual(['foo', 'bar']);
    expect(parseExtensions('f o o').error).toBeDefined();
    fc.assert(fc.property(fc.string(), (s) => void parseExtensions(s)), { numRuns: 200 });
  });
});
