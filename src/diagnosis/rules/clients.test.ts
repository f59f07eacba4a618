/**
 * clientRow on cleartext: what a gRPC client (h2c by prior knowledge, needs HTTP/2) and a browser
 * (HTTP/1.1 to http:// URLs) get, read from the core probes; a prior-knowledge probe that could not
 * even connect is "not decided", never "the server answered: closed".
 */
import { describe, expect, it } from 'vitest';
import { clientRow, clientsRule } from './clients.js';
import type { AddressEvidence, ClientFamilyProbe, ClientPolicy, Probe, Target } from '../../model/index.js';
import { classify } from '../../wire/sniff.js';

const A = '127.0.0.1';
const http: Target = { url: 'http://localhost:8080/', scheme: 'http', host: 'localhost', port: 8080, path: '/', tls: false, sni: null } as unknown as Target;
const common = (id: string) => ({ id: `${A}/${id}`, address: A, port: 8080, startMs: 0, durationMs: 5, bytesSent: 100, bytesReceived: 47, connect: { ok: true as const, ms: 1 } });
const GRPC: ClientPolicy = { kind: 'grpc', cleartext: 'h2c-prior-knowledge', needsH2: true, refusesBlocklistedCipher: false };
const BROWSER: ClientPolicy = { kind: 'browser', cleartext: 'http1', needsH2: false, refusesBlocklistedCipher: true };
const sim = (id: string, name: string, policy: ClientPolicy): ClientFamilyProbe =>
  ({ kind: 'client-sim', ...common(`client-${id}`), client: { id, name, version: '1', policy, chosen: false, alpnOffered: null, ja4: null } }) as unknown as ClientFamilyProbe;
const h1: Probe = { kind: 'h1', name: 'h1-cleartext', ...common('h1-cleartext'), h1: { outcome: 'response', version: '1.1', status: 200, reason: 'OK' } } as Probe;
const answer400 = classify(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'), 'eof');
const pk400: Probe = { kind: 'h2', name: 'h2c-prior-knowledge', ...common('h2c-prior-knowledge'), h2: { via: 'prior-knowledge', outcome: 'http1-response', first: answer400, frames: [] } } as Probe;
const pkNoConnect: Probe = {
  kind: 'h2',
  name: 'h2c-prior-knowledge',
  ...common('h2c-prior-knowledge'),
  connect: { ok: false, error: 'timeout', message: 'connect timed out after 3000 ms', ms: 3000 },
  h2: { via: 'prior-knowledge', outcome: 'closed', frames: [] },
} as Probe;
const ev = (probes: Probe[]): AddressEvidence => ({ address: A, target: http, probes });

describe('clientRow on a cleartext HTTP/1.1-only server', () => {
  it('gRPC fails with what the server answered its preface; a browser speaks HTTP/1.1', () => {
    const g = sim('grpc-js', '@grpc/grpc-js', GRPC);
    const c = sim('chromium', 'Chromium', BROWSER);
    const e = ev([h1, pk400, g, c]);
    expect(clientRow(e, g)).toMatchObject({ outcome: 'fails', stage: 'h2c', reason: 'sends the HTTP/2 preface (prior knowledge) and needs HTTP/2; the server answered: HTTP/1.1 400 Bad Request' });
    expect(clientRow(e, c)).toMatchObject({ outcome: 'http/1.1', reason: 'speaks HTTP/1.1 to http:// URLs (never h2c): HTTP/1.1 200' });
  });
  it('a prior-knowledge probe that could not connect decides nothing (not "the server answered: closed")', () => {
    const g = sim('grpc-js', '@grpc/grpc-js', GRPC);
    expect(clientRow(ev([h1, pkNoConnect, g]), g)).toMatchObject({
      outcome: 'unknown',
      reason: 'its prior-knowledge attempt could not connect (timeout: connect timed out after 3000 ms): not decided',
    });
  });
});

describe('clientRow on TLS: our deadline is no answer from the server', () => {
  const https: Target = { ...http, url: 'https://localhost:8443/', scheme: 'https', port: 8443, tls: true, sni: 'localhost' } as unknown as Target;
  const BROWSER_H2: ClientPolicy = { ...BROWSER };
  const tlsSim = (client: Record<string, unknown>): ClientFamilyProbe =>
    ({ kind: 'client-sim', ...common('client-chromium'), client: { id: 'chromium', name: 'Chromium', version: '1', policy: BROWSER_H2, chosen: false, alpnOffered: ['h2', 'http/1.1'], ja4: null, ...client } }) as unknown as ClientFamilyProbe;
  const tev = (p: ClientFamilyProbe): AddressEvidence => ({ address: A, target: https, probes: [p] });
  const h2hello = { outcome: 'server-hello', version: 'TLSv1.2', versionCode: 0x0303, cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', cipherCode: 0xc02b, alpn: 'h2' };
  const alert = { outcome: 'alert', alert: { name: 'handshake_failure', code: 40 } };
  const codes = (p: ClientFamilyProbe) => (clientsRule as (ev: AddressEvidence) => Array<{ code: string }>)(tev(p)).map((f) => f.code);

  it('an HTTP/2 opening that ended on our deadline twice (timedOut) is not decided and raises nothing', () => {
    for (const h2 of [
      { outcome: 'timeout', detail: 'SETTINGS came, no response in time', timedOut: true },
      { outcome: 'no-settings', detail: 'no SETTINGS in time', timedOut: true },
      { outcome: 'closed', detail: 'TCP timeout', timedOut: true },
    ]) {
      const p = tlsSim({ hello: h2hello, h2 });
      expect(clientRow(tev(p), p)).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/within our deadline, tried twice .*: not decided$/) });
      expect(codes(p)).toEqual([]);
    }
  });
  it("what the server did to the opening still decides: it closed before SETTINGS, the client fails", () => {
    const p = tlsSim({ hello: h2hello, h2: { outcome: 'no-settings', detail: 'the server closed the connection' } });
    expect(clientRow(tev(p), p)).toMatchObject({ outcome: 'fails', stage: 'h2-opening' });
    expect(codes(p)).toEqual(['client-handshake-fails']);
  });
  it('its own hello unanswered twice (helloTimedOut) is not decided and raises nothing', () => {
    const p = tlsSim({ hello: { outcome: 'timeout', firstAttempt: { outcome: 'timeout' } }, helloTimedOut: true });
    expect(clientRow(tev(p), p)).toMatchObject({ outcome: 'unknown', reason: 'its own hello got no answer within our deadline, sent twice (timeout): not decided' });
    expect(codes(p)).toEqual([]);
  });
  it('refused for real, but the bisection step that would name the parameter got no answer: fails, no parameter named', () => {
    const widest = { label: 'widest', accepted: true, answer: 'TLSv1.2 X' };
    const undecided = tlsSim({ hello: alert, bisect: [widest, { label: 'narrow-version', accepted: false, answer: 'timeout', timedOut: true }, { label: 'narrow-cipher', accepted: false, answer: 'alert handshake_failure (40)' }] });
    const row = clientRow(tev(undecided), undecided);
    expect(row).toMatchObject({ outcome: 'fails', stage: 'handshake', reason: 'refused (alert handshake_failure); the bisection got no answer in time, so the parameter is not known' });
    expect(row.parameter).toBeUndefined();
    const widestMissed = tlsSim({ hello: alert, bisect: [{ label: 'widest', accepted: false, answer: 'timeout', timedOut: true }] });
    expect(clientRow(tev(widestMissed), widestMissed).parameter).toBeUndefined();
    // A real refusal first in the order still names its parameter; a later step's timeout does not matter.
    const named = tlsSim({ hello: alert, bisect: [widest, { label: 'narrow-cipher', accepted: false, answer: 'alert handshake_failure (40)' }, { label: 'narrow-alpn', accepted: false, answer: 'timeout', timedOut: true }] });
    expect(clientRow(tev(named), named)).toMatchObject({ outcome: 'fails', parameter: 'cipher' });
  });
});
