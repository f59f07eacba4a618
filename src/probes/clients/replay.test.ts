import { describe, expect, it } from 'vitest';
import { shippedProfiles } from '../../clients/load.js';
import { parseClientHello } from '../../wire/tls/client-hello.js';
import { ja4 } from '../../wire/tls/ja4.js';
import { helloFromProfile, specFromProfile } from './replay.js';

describe('helloFromProfile', () => {
  for (const p of shippedProfiles().filter((x) => x.tls)) {
    it(`${p.id}: the replayed hello has the captured JA4, length and order, with fresh key shares`, () => {
      const a = helloFromProfile(p, p.tls!.sni === 'sent' ? 'localhost' : null);
      const b = helloFromProfile(p, p.tls!.sni === 'sent' ? 'localhost' : null);
      const h = parseClientHello(a.message);
      expect(ja4(h)).toBe(p.ja4);
      expect(h.extensions.map((e) => e.type)).toEqual(p.tls!.extensions.map((e) => e.type).filter((t) => t !== 41 && t !== 42));
      // captured against "localhost": same SNI, so the padded hello comes out at the captured length
      expect(a.message.length).toBe(p.tls!.helloLength);
      expect(h.keyShares?.map((k) => k.group) ?? []).toEqual(p.tls!.keyShareGroups);
      const shareA = h.keyShares?.find((k) => a.keys.has(k.group));
      if (shareA) expect(Buffer.from(shareA.keyExchange).equals(Buffer.from(parseClientHello(b.message).keyShares!.find((k) => k.group === shareA.group)!.keyExchange))).toBe(false);
    });
  }
  it('leaves SNI out for an IP literal target and keeps the spec GREASE-free', () => {
    const p = shippedProfiles().find((x) => x.id === 'chromium')!;
    expect(parseClientHello(helloFromProfile(p, null).message).serverName).toBeUndefined();
    const s = specFromProfile(p);
    expect(s.ciphers.every((c) => (c & 0x0f0f) !== 0x0a0a)).toBe(true);
    expect(s.alpn).toEqual(['h2', 'http/1.1']);
  });
});
