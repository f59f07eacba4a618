import { describe, expect, it } from 'vitest';
import { findProfile, selectProfiles, shippedProfiles } from './load.js';
import { ProfileError, checkProfile } from './profile.js';

describe('shipped client profiles (profiles/*.json, captured by scripts/capture-clients.mjs)', () => {
  const all = shippedProfiles();
  it('holds at least 10 profiles, each with a version, a capture date and a JA4', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const p of all) {
      expect(p.client.version, p.id).not.toBe('unknown');
      expect(p.captured.date, p.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.ja4, p.id).toMatch(/^t1[0-3][di]\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/);
    }
  });
  it('covers the TLS stacks the issue names: OpenSSL, GnuTLS, NSS, BoringSSL, Go, Java, Python, Node, grpc-js, grpcio, grpc-go', () => {
    for (const id of ['curl', 'gnutls-cli', 'wget', 'nss-tstclnt', 'chromium', 'go', 'java17', 'python-urllib', 'node-https', 'node-http2', 'node-fetch', 'grpc-js', 'grpc-python', 'grpc-go']) {
      expect(all.map((p) => p.id)).toContain(id);
    }
  });
  it('finds profiles by id, alias and list', () => {
    expect(findProfile('chrome').id).toBe('chromium');
    expect(findProfile('grpc').policy.needsH2).toBe(true);
    expect(selectProfiles('curl,chrome,curl').map((p) => p.id)).toEqual(['curl', 'chromium']);
    expect(() => findProfile('no-such-client')).toThrow(ProfileError);
  });
  it('rejects a file that is not a profile, naming the problem', () => {
    expect(() => checkProfile({ schemaVersion: 2 })).toThrow(/schemaVersion/);
    expect(() => checkProfile({ ...all[0], tls: { ...all[0]!.tls, cipherSuites: [] } })).toThrow(/cipherSuites/);
  });
});
