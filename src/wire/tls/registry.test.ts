import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  H2_BLOCKLIST_NAMES,
  NAMED_GROUPS,
  cipherByName,
  cipherSuite,
  cipherSuiteName,
  compressionName,
  contentTypeName,
  extensionName,
  groupName,
  h2Blocklisted,
  handshakeTypeName,
  isGrease,
  sigSchemeName,
  versionName,
} from './registry.js';

describe('cipher suite registry', () => {
  it('has one entry per code and per IANA name', () => {
    expect(new Set(CIPHER_SUITES.map((c) => c.code)).size).toBe(CIPHER_SUITES.length);
    expect(new Set(CIPHER_SUITES.map((c) => c.name)).size).toBe(CIPHER_SUITES.length);
    const openssl = CIPHER_SUITES.flatMap((c) => (c.openssl ? [c.openssl] : []));
    expect(new Set(openssl).size).toBe(openssl.length);
    // every IANA-assigned value (RFC 8447 registry), including the SCSVs and TLS 1.3 suites
    expect(CIPHER_SUITES.length).toBe(352);
  });

  it.each([
    [0x0000, 'TLS_NULL_WITH_NULL_NULL', null],
    [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'EXP-RC4-MD5'],
    [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA'],
    [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA'],
    [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256'],
    [0x00ff, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', null],
    [0x1301, 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'],
    [0x1302, 'TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384'],
    [0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'],
    [0x5600, 'TLS_FALLBACK_SCSV', null],
    [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
    [0xc061, 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384', 'ECDHE-ARIA256-GCM-SHA384'],
    [0xc0ac, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', 'ECDHE-ECDSA-AES128-CCM'],
    [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305'],
    [0xd005, 'TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256', null],
  ])('code %i is %s (%s)', (code, name, openssl) => {
    const c = cipherSuite(code);
    expect(c?.name).toBe(name);
    expect(c?.openssl).toBe(openssl);
    expect(cipherByName(name)?.code).toBe(code);
    if (openssl) expect(cipherByName(openssl.toLowerCase())?.code).toBe(code);
  });

  it('classifies key exchange, cipher and flags', () => {
    expect(cipherSuite(0xc02f)).toMatchObject({ kx: 'ECDHE', auth: 'RSA', enc: 'AES_128_GCM', mac: 'AEAD', minVersion: 0x0303, tls13: false, aead: true, ephemeral: true, insecure: false });
    expect(cipherSuite(0x1301)).toMatchObject({ kx: 'ANY', auth: 'ANY', tls13: true, aead: true, minVersion: 0x0304 });
    expect(cipherSuite(0x0035)).toMatchObject({ kx: 'RSA', enc: 'AES_256_CBC', mac: 'SHA1', aead: false, ephemeral: false, insecure: false, minVersion: 0x0300 });
    expect(cipherSuite(0x0005)?.insecure).toBe(true); // RC4
    expect(cipherSuite(0x000a)?.insecure).toBe(true); // 3DES
    expect(cipherSuite(0x0034)?.insecure).toBe(true); // anon
    expect(cipherSuite(0x0014)?.insecure).toBe(true); // EXPORT
    expect(cipherSuite(0x003b)?.insecure).toBe(true); // NULL
    expect(cipherSuite(0x0001)?.insecure).toBe(true); // NULL + MD5
    expect(cipherSuite(0x00ff)).toMatchObject({ scsv: true, insecure: false });
    expect(cipherSuite(0xc0aa)).toMatchObject({ kx: 'DHE_PSK', auth: 'PSK', aead: true });
    expect(cipherSuite(0xc0b4)).toMatchObject({ tls13: true, enc: 'NULL', insecure: true });
    expect(cipherSuite(0xcca9)).toMatchObject({ kx: 'ECDHE', auth: 'ECDSA', enc: 'CHACHA20_POLY1305', aead: true });
    for (const c of CIPHER_SUITES) {
      if (c.tls13) expect(c.minVersion).toBe(0x0304);
      if (c.aead && !c.tls13) expect(c.minVersion).toBe(0x0303);
    }
  });

  it('names unknown and GREASE codes', () => {
    expect(cipherSuite(0x0a0a)).toBeUndefined();
    expect(cipherSuiteName(0x0a0a)).toBe('GREASE(0x0a0a)');
    expect(cipherSuiteName(0x1234)).toBe('unknown_cipher(0x1234)');
    expect(cipherByName('no-such-cipher')).toBeUndefined();
  });
});

describe('h2Blocklisted (RFC 9113 Appendix A)', () => {
  it('has the 276 suites of the list, all in the registry', () => {
    expect(H2_BLOCKLIST_NAMES.length).toBe(276);
    expect(new Set(H2_BLOCKLIST_NAMES).size).toBe(276);
    for (const n of H2_BLOCKLIST_NAMES) expect(cipherByName(n), n).toBeDefined();
  });

  it.each([
    [0x0000, true], // TLS_NULL_WITH_NULL_NULL
    [0x002f, true], // TLS_RSA_WITH_AES_128_CBC_SHA
    [0x009c, true], // TLS_RSA_WITH_AES_128_GCM_SHA256 (no ephemeral key exchange)
    [0x009d, true],
    [0x00a6, true], // TLS_DH_anon_WITH_AES_128_GCM_SHA256
    [0x00a8, true], // TLS_PSK_WITH_AES_128_GCM_SHA256
    [0x00ff, true], // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    [0xc013, true], // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (CBC)
    [0xc027, true], // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
    [0xc02d, true], // TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256 (static ECDH)
    [0xc050, true], // TLS_RSA_WITH_ARIA_128_GCM_SHA256
    [0xc09c, true], // TLS_RSA_WITH_AES_128_CCM
    [0xc0a9, true], // TLS_PSK_WITH_AES_256_CCM_8 (last entry)
    [0xc02f, false], // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    [0xc02b, false],
    [0xc030, false],
    [0x009e, false], // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
    [0x00aa, false], // TLS_DHE_PSK_WITH_AES_128_GCM_SHA256
    [0xc0ac, false], // TLS_ECDHE_ECDSA_WITH_AES_128_CCM
    [0xc0aa, false], // TLS_PSK_DHE_WITH_AES_128_CCM_8
    [0xcca8, false], // ChaCha20 (registered after RFC 7540)
    [0xd001, false],
    [0x1301, false],
    [0x1302, false],
    [0x1303, false],
    [0x5600, false], // TLS_FALLBACK_SCSV
    [0x0a0a, false],
  ])('code %i → %s', (code, blocked) => {
    expect(h2Blocklisted(code)).toBe(blocked);
  });
});

describe('other registries', () => {
  it('names versions', () => {
    expect(versionName(0x0300)).toBe('SSL 3.0');
    expect(versionName(0x0301)).toBe('TLS 1.0');
    expect(versionName(0x0302)).toBe('TLS 1.1');
    expect(versionName(0x0303)).toBe('TLS 1.2');
    expect(versionName(0x0304)).toBe('TLS 1.3');
    expect(versionName(0x7f17)).toBe('TLS 1.3 draft 23');
    expect(versionName(0xfafa)).toBe('GREASE(0xfafa)');
    expect(versionName(0x0305)).toBe('unknown_version(0x0305)');
  });

  it('recognises GREASE exactly', () => {
    let n = 0;
    for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) n++;
    expect(n).toBe(16);
    expect(isGrease(0x0a1a)).toBe(false);
  });

  it('names groups, including legacy curves, ffdhe and hybrids', () => {
    expect(groupName(0x0017)).toBe('secp256r1');
    expect(groupName(0x001d)).toBe('x25519');
    expect(groupName(0x001e)).toBe('x448');
    expect(groupName(0x0001)).toBe('sect163k1');
    expect(groupName(0x0100)).toBe('ffdhe2048');
    expect(groupName(0x11ec)).toBe('X25519MLKEM768');
    expect(groupName(0x11eb)).toBe('SecP256r1MLKEM768');
    expect(groupName(0x6399)).toBe('X25519Kyber768Draft00');
    expect(groupName(0x1a1a)).toBe('GREASE(0x1a1a)');
    expect(groupName(0x4242)).toBe('unknown_group(0x4242)');
    expect(NAMED_GROUPS.X25519MLKEM768).toBe(4588);
  });

  it('names signature schemes, including TLS 1.2 pairs', () => {
    expect(sigSchemeName(0x0403)).toBe('ecdsa_secp256r1_sha256');
    expect(sigSchemeName(0x0804)).toBe('rsa_pss_rsae_sha256');
    expect(sigSchemeName(0x0807)).toBe('ed25519');
    expect(sigSchemeName(0x0201)).toBe('rsa_pkcs1_sha1');
    expect(sigSchemeName(0x0202)).toBe('sha1_dsa');
    expect(sigSchemeName(0x0303)).toBe('sha224_ecdsa');
    expect(sigSchemeName(0xeeee)).toBe('unknown_sigscheme(0xeeee)');
  });

  it('names extensions, handshake and content types, compression', () => {
    expect(extensionName(0)).toBe('server_name');
    expect(extensionName(16)).toBe('application_layer_protocol_negotiation');
    expect(extensionName(43)).toBe('supported_versions');
    expect(extensionName(51)).toBe('key_share');
    expect(extensionName(0xff01)).toBe('renegotiation_info');
    expect(extensionName(0xfe0d)).toBe('encrypted_client_hello');
    expect(extensionName(0x2a2a)).toBe('GREASE(0x2a2a)');
    expect(extensionName(9999)).toBe('unknown_extension(9999)');
    expect(handshakeTypeName(14)).toBe('server_hello_done');
    expect(handshakeTypeName(8)).toBe('encrypted_extensions');
    expect(contentTypeName(21)).toBe('alert');
    expect(contentTypeName(99)).toBe('unknown_content_type(99)');
    expect(compressionName(1)).toBe('DEFLATE');
  });
});

describe('the one TLS version table', () => {
  it('reads every spelling we meet, and Node\'s TLSv1 is TLS 1.0 (not "no TLS")', async () => {
    const { versionFromName, nodeVersionName, VERSION_NAMES } = await import('./registry.js');
    expect(versionFromName('TLSv1')?.code).toBe(0x0301);
    expect(versionFromName('TLSv1')?.number).toBe(1);
    expect(versionFromName('TLSv1.3')?.code).toBe(0x0304);
    expect(versionFromName('TLS 1.2')?.code).toBe(0x0303);
    expect(versionFromName('1.1')?.code).toBe(0x0302);
    expect(versionFromName('SSLv3')?.code).toBe(0x0300);
    expect(versionFromName('TLSv9')).toBeUndefined();
    expect(nodeVersionName(0x0301)).toBe('TLSv1');
    expect(VERSION_NAMES[0x0304]).toBe('TLS 1.3');
  });
});
