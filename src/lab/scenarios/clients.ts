/**
 * Lab scenarios where clients differ (client simulation, `--clients all`): each server is diagnosed
 * with every shipped client profile, and `CLIENT_EXPECT` says how each client ends up there. The
 * expectations come from what these clients do (RFC 9113 §9.2.2 for the block list, each client's
 * captured ALPN and versions), written before the simulation ran.
 */
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { ClientOutcome } from '../../model/index.js';
import { shippedProfiles } from '../../clients/load.js';
import { HOST, ok, serve, type LabEnv, type LabScenario } from '../helpers.js';

async function cert(env: LabEnv, preset: 'valid' | 'rsa') {
  const c = await env.pki.preset(preset);
  return { cert: c.serverCertPem, key: c.keyPem };
}

const withClients = () => ({ clients: shippedProfiles() });

function h2(env: LabEnv, more: http2.SecureServerOptions, preset: 'valid' | 'rsa' = 'valid') {
  return cert(env, preset).then((c) => {
    const s = http2.createSecureServer({ ...c, allowHTTP1: true, ...more }, ok);
    s.on('tlsClientError', () => {});
    return serve(s, 'https', { options: withClients() });
  });
}
void HOST;

export const CLIENT_SCENARIOS: LabScenario[] = [
  {
    id: 'clients-tls13-only',
    title: 'TLS 1.3 only, h2: every shipped client offers TLS 1.3; the TLS 1.2-only client (curl --tls-max 1.2) fails on the version',
    family: 'tls',
    expect: ['tls12-not-supported', 'client-handshake-fails'],
    start: (env) => h2(env, { minVersion: 'TLSv1.3' }),
  },
  {
    id: 'clients-blocklisted-cipher',
    // What the real clients do (test/clients-real on nginx and Apache): Chromium refuses HTTP/2 after the handshake
    // (ERR_HTTP2_INADEQUATE_TRANSPORT_SECURITY, no HTTP/1.1 retry); curl, Go, Java, node:http2, grpc-js and grpc-go take it;
    // grpcio (gRPC C-core) offers no block-listed suite for TLS 1.2, so its handshake fails.
    title: 'TLS 1.2 with only TLS_RSA_WITH_AES_128_GCM_SHA256 (RFC 9113 block list) and h2: Chromium refuses HTTP/2 there, grpcio fails the handshake (it offers no such suite), curl, grpc-js and grpc-go take it',
    family: 'tls',
    expect: ['h2-inadequate-security', 'tls13-not-supported', 'client-handshake-fails'],
    start: (env) => h2(env, { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }, 'rsa'),
  },
  {
    id: 'clients-ecdsa-only',
    title: 'ECDSA certificate, TLS 1.2 with ECDHE-ECDSA suites only: every shipped client has one',
    family: 'tls',
    expect: ['tls13-not-supported'],
    start: (env) => h2(env, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384' }),
  },
  {
    id: 'clients-legacy-only',
    title: 'TLS 1.0 and 1.1 only: modern stacks fail on the version, OpenSSL 3 clients on the SHA-1 signature; GnuTLS and NSS still connect',
    family: 'tls',
    expect: ['tls-version-too-old', 'client-handshake-fails'],
    start: (env) => h2(env, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
  },
  {
    id: 'clients-alpn-http1-only',
    title: 'HTTPS with ALPN http/1.1 only: h2 clients fall back to HTTP/1.1; gRPC and node:http2 (h2 alone) get alert no_application_protocol',
    family: 'protocol',
    // node:https answers an h2-only offer (grpc-js, node:http2) with alert no_application_protocol: their handshake fails.
    expect: ['alpn-no-h2', 'client-handshake-fails', 'client-falls-back-to-http1'],
    start: async (env) => serve(https.createServer({ ...(await cert(env, 'valid')), ALPNProtocols: ['http/1.1'] }, ok), 'https', { options: withClients() }),
  },
  {
    id: 'clients-cleartext-http1',
    title: 'Cleartext HTTP/1.1 only: browsers and libraries speak HTTP/1.1 (fine), gRPC fails, curl --http2 and Java fall back',
    family: 'protocol',
    expect: ['h2c-not-supported', 'preface-http1-response', 'client-falls-back-to-http1'],
    start: async () => serve(http.createServer(ok), 'http', { options: withClients() }),
  },
];

const H2 = 'h2';
const H1 = 'http/1.1';
const FB = 'http/1.1 fallback';
const F = 'fails';

/** How each shipped client ends up on each scenario (client id → outcome). */
export const CLIENT_EXPECT: Record<string, Record<string, ClientOutcome>> = {
  'clients-tls13-only': { chromium: H2, curl: H2, 'curl-tls12': F, 'gnutls-cli': H2, go: H2, 'grpc-go': H2, 'grpc-js': H2, 'grpc-python': H2, java17: H2, 'node-fetch': H1, 'node-http2': H2, 'node-https': H1, 'nss-tstclnt': H1, openssl: H2, 'python-urllib': H1, wget: H1 },
  'clients-blocklisted-cipher': { chromium: F, curl: H2, 'curl-tls12': H2, 'gnutls-cli': H2, go: H2, 'grpc-go': H2, 'grpc-js': H2, 'grpc-python': F, java17: H2, 'node-fetch': H1, 'node-http2': H2, 'node-https': H1, 'nss-tstclnt': H1, openssl: H2, 'python-urllib': H1, wget: H1 },
  'clients-ecdsa-only': { chromium: H2, curl: H2, 'curl-tls12': H2, 'gnutls-cli': H2, go: H2, 'grpc-go': H2, 'grpc-js': H2, 'grpc-python': H2, java17: H2, 'node-fetch': H1, 'node-http2': H2, 'node-https': H1, 'nss-tstclnt': H1, openssl: H2, 'python-urllib': H1, wget: H1 },
  'clients-legacy-only': { chromium: F, curl: F, 'curl-tls12': F, 'gnutls-cli': H2, go: F, 'grpc-go': F, 'grpc-js': F, 'grpc-python': F, java17: F, 'node-fetch': F, 'node-http2': F, 'node-https': F, 'nss-tstclnt': H1, openssl: F, 'python-urllib': F, wget: H1 },
  'clients-alpn-http1-only': { chromium: FB, curl: FB, 'curl-tls12': FB, 'gnutls-cli': FB, go: FB, 'grpc-go': F, 'grpc-js': F, 'grpc-python': F, java17: FB, 'node-fetch': H1, 'node-http2': F, 'node-https': H1, 'nss-tstclnt': H1, openssl: FB, 'python-urllib': H1, wget: H1 },
  'clients-cleartext-http1': { chromium: H1, curl: FB, 'curl-tls12': FB, 'gnutls-cli': H1, go: H1, 'grpc-go': F, 'grpc-js': F, 'grpc-python': F, java17: FB, 'node-fetch': H1, 'node-http2': F, 'node-https': H1, 'nss-tstclnt': H1, openssl: H1, 'python-urllib': H1, wget: H1 },
};
