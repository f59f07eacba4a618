/**
 * The TLS rules on recorded evidence, no sockets: what each bisection outcome proves, and that
 * tls-handshake-alert appears only when nothing more specific was proven.
 */
import { describe, expect, test } from 'vitest';
import { TLS_RULES } from '../src/diagnosis/rules/tls/index.js';
import type { AddressEvidence } from '../src/diagnosis/evidence.js';
import type { Probe, Target, TlsResult } from '../src/model/index.js';
import type { RawHelloLabel, RawTlsResult } from '../src/model/tls-probes.js';

/** The TLS family's rules run in order (one rule, tlsRule, before it was split one cause per rule). */
const tlsRule = (ev: AddressEvidence) => TLS_RULES.flatMap((r) => r(ev));

const target: Target = { url: 'https://example.test/', scheme: 'https', host: 'example.test', port: 443, path: '/', tls: true, sni: 'example.test' };
const common = (id: string) => ({ id, address: '192.0.2.1', port: 443, startMs: 0, durationMs: 5, bytesSent: 300, bytesReceived: 7, connect: { ok: true as const, ms: 1 } });
const tcp: Probe = { kind: 'tcp', ...common('tcp') };
const def = (tls: Partial<TlsResult>): Probe => ({ kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: { offeredAlpn: ['h2', 'http/1.1'], sni: 'example.test', outcome: 'alert', alert: { level: 'fatal', code: 40, name: 'handshake_failure' }, ...tls } });
const offer = { versions: ['TLSv1.3', 'TLSv1.2'], cipherCount: 30, groups: ['x25519'], sigalgCount: 9, alpn: null, sni: 'example.test' };
const raw = (label: RawHelloLabel, r: Partial<RawTlsResult>): Probe => ({ kind: 'tls-raw', label, purpose: label, ...common(label), raw: { offer, outcome: 'alert', alert: { level: 'fatal', code: 40, name: 'handshake_failure' }, ...r } });
const hello = (v: string, code: number, cipher = 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256'): Partial<RawTlsResult> => ({ outcome: 'server-hello', version: v, versionCode: code, cipher, cipherCode: 0xc072, group: 'x25519' });
const codes = (probes: Probe[]) => tlsRule({ address: '192.0.2.1', target, probes: [tcp, ...probes] } as AddressEvidence).map((f) => f.code);

describe('tls rules: a refused handshake', () => {
  test('only the alert: tls-handshake-alert', () => {
    expect(codes([def({})])).toEqual(['tls-handshake-alert']);
  });
  test('the widest hello gets TLS 1.0: tls-version-too-old, and no legacy warning on top', () => {
    expect(codes([def({ alert: { level: 'fatal', code: 70, name: 'protocol_version' } }), raw('mirror', {}), raw('widest', hello('TLSv1', 0x0301))])).toEqual(['tls-version-too-old']);
  });
  test("Node's suites refused, the widest accepted: tls-no-shared-cipher", () => {
    expect(codes([def({}), raw('mirror', {}), raw('widest', hello('TLSv1.2', 0x0303)), raw('narrow-cipher', {})])).toEqual(['tls-no-shared-cipher']);
  });
  test("Node's groups refused: tls-no-shared-group", () => {
    expect(codes([def({}), raw('mirror', {}), raw('widest', { ...hello('TLSv1.2', 0x0303, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'), group: 'brainpoolP256r1' }), raw('narrow-group', {})])).toEqual(['tls-no-shared-group']);
  });
  test('signature algorithms: still tls-handshake-alert (no code of its own), naming the cause', () => {
    const out = tlsRule({ address: 'a', target, probes: [tcp, def({}), raw('mirror', {}), raw('widest', hello('TLSv1.2', 0x0303)), raw('narrow-cipher', hello('TLSv1.2', 0x0303)), raw('narrow-sigalg', {})] } as AddressEvidence);
    expect(out.map((f) => f.code)).toEqual(['tls-handshake-alert']);
    expect(out[0]!.detail).toMatch(/signature algorithms/);
  });
  test('refused with the name, accepted without SNI: tls-sni-unknown-name', () => {
    expect(codes([def({ alert: { level: 'fatal', code: 112, name: 'unrecognized_name' } }), raw('mirror', {}), raw('widest', {}), raw('widest-no-sni', hello('TLSv1.3', 0x0304, 'TLS_AES_128_GCM_SHA256'))])).toEqual(['tls-sni-unknown-name']);
  });
  test('handshake_failure (40) for the name whatever is offered, accepted without SNI: the name\'s own settings accept no suite (Caddy per-site ciphers), not an unknown name', () => {
    const out = tlsRule({ address: 'a', target, probes: [tcp, def({}), raw('mirror', {}), raw('widest', {}), raw('widest-no-sni', hello('TLSv1.3', 0x0304, 'TLS_AES_128_GCM_SHA256'))] } as AddressEvidence);
    expect(out.map((f) => f.code)).toEqual(['tls-no-shared-cipher']);
    expect(out[0]!.detail).toMatch(/no cipher suite at all for example\.test; without SNI/);
  });
  test("Node's hello accepted raw with a CertificateRequest: tls-client-cert-required", () => {
    expect(codes([def({}), raw('mirror', { ...hello('TLSv1.2', 0x0303), certificateRequest: true })])).toEqual(['tls-client-cert-required']);
  });
});

describe('tls rules: a working handshake', () => {
  const ok = (more: Partial<TlsResult> = {}) => def({ outcome: 'handshake', version: 'TLSv1.3', cipher: { name: 'x', standardName: 'TLS_AES_256_GCM_SHA384', version: 'TLSv1.3' }, alpn: 'h2', verify: { ok: true }, hostname: { ok: true }, ...more });
  test('nothing refused: no finding', () => {
    expect(codes([ok(), raw('tls12-only', hello('TLSv1.2', 0x0303)), raw('legacy', { outcome: 'alert', alert: { level: 'fatal', code: 70, name: 'protocol_version' } }), raw('no-sni', hello('TLSv1.3', 0x0304))])).toEqual([]);
  });
  test('a TLS 1.2 hello without SNI (recorded tls12-no-sni / survey-TLSv1.2-no-sni) answers neither "TLS 1.2 for the name" nor "SNI required"', () => {
    // Refused: a TLS 1.3-only server refuses it whatever the name; accepted: Caddy's per-site TLS 1.3 policy accepts it without SNI only.
    expect(codes([ok(), raw('tls12-no-sni', {}), raw('legacy', { outcome: 'alert', alert: { level: 'fatal', code: 70, name: 'protocol_version' } })])).toEqual([]);
    expect(codes([ok(), raw('survey-TLSv1.2-no-sni', {})])).toEqual([]);
  });
  test('TLS 1.2-only hello refused: tls12-not-supported; TLS 1.1 accepted: tls-legacy-version-enabled; no SNI refused: tls-sni-required', () => {
    expect(new Set(codes([ok(), raw('tls12-only', {}), raw('legacy', hello('TLSv1.1', 0x0302)), raw('no-sni', {})]))).toEqual(new Set(['tls12-not-supported', 'tls-legacy-version-enabled', 'tls-sni-required']));
  });
  test('TLS 1.2 chosen over an offered 1.3: tls13-not-supported, without a connection', () => {
    expect(codes([ok({ version: 'TLSv1.2' })])).toEqual(['tls13-not-supported']);
  });
});
