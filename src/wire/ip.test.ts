import net from 'node:net';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bracketHost, hostPort, ipVersion } from './ip.js';

describe('ipVersion', () => {
  it('knows the literals node:net knows (examples)', () => {
    for (const s of ['127.0.0.1', '0.0.0.0', '255.255.255.255', '::1', '::', 'fe80::1%eth0', '::ffff:127.0.0.1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '2001:db8::']) {
      expect(ipVersion(s), s).toBe(net.isIP(s));
    }
    for (const s of ['', 'localhost', '256.1.1.1', '01.2.3.4', '1.2.3', '1:2:3:4:5:6:7:8:9', ':::', '1::2::3', '::1.2.3', 'gggg::1', '[::1]', '1:2:3:4:5:6:7:8::', '::1.2.3.4:5']) {
      expect(ipVersion(s), s).toBe(net.isIP(s));
    }
  });
  it('agrees with node:net isIP on random strings of address characters', () => {
    const ch = fc.constantFrom(...'0123456789abcdefABG:.%'.split(''));
    fc.assert(fc.property(fc.string({ unit: ch, maxLength: 24 }), (s) => ipVersion(s) === net.isIP(s)), { numRuns: 3000 });
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const v6 = fc.array(group, { minLength: 1, maxLength: 9 }).chain((gs) => fc.integer({ min: 0, max: gs.length }).map((i) => [...gs.slice(0, i), ...(i % 2 ? [''] : []), ...gs.slice(i)].join(':')));
    fc.assert(fc.property(v6, (s) => ipVersion(s) === net.isIP(s)), { numRuns: 3000 });
  });
});

describe('bracketHost / hostPort', () => {
  it('brackets IPv6 literals only, once', () => {
    expect(bracketHost('::1')).toBe('[::1]');
    expect(bracketHost('[::1]')).toBe('[::1]');
    expect(bracketHost('example.com')).toBe('example.com');
    expect(hostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(hostPort('2001:db8::1', 443)).toBe('[2001:db8::1]:443');
  });
});
