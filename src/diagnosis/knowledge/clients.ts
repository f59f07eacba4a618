/**
 * What we know about the client-simulation codes: the clients and the parameter come in `detail`
 * (e.g. "go (cipher), java17 (version)"), the per-client lines in the evidence.
 */
import type { Code } from '../../model/index.js';
import type { Knowledge } from './types.js';
import { clientsPrint } from './printed.js';
import { nginxListen } from './server.js';

/**
 * The words of the client-simulation codes (client-handshake-fails, client-falls-back-to-http1).
 * @example CLIENTS_KNOWLEDGE['client-handshake-fails']?.reproduce(vars) // ['h2doctor https://example.com/ --clients all']
 */
export const CLIENTS_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'client-handshake-fails': {
    title: (v) => `Some clients cannot connect: ${v.detail ?? 'see the evidence'}`,
    explanation: () =>
      "Each client's own ClientHello (captured from the real client, replayed with fresh key shares) was sent to the server. For the clients named, the handshake is refused, or the HTTP/2 they insist on is: the bisection from that client's parameters names the one the server refuses (cipher suites, groups, TLS versions, signature algorithms, ALPN, SNI). Other clients may work, which is why \"curl works but my app fails\".",
    clientsSee: clientsPrint('client-handshake-fails'),
    fixes: (v) => [
      { side: 'server', applies: 'any', text: `Offer what the failing clients offer: the parameter named per client (a TLS 1.2 ECDHE-GCM suite, x25519/secp256r1, TLS 1.2 and 1.3). \`h2doctor ${v.url} --survey\` lists what the server accepts.` },
      { side: 'server', applies: 'nginx', text: 'A set every current client shares.', snippet: 'ssl_protocols TLSv1.2 TLSv1.3;\nssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;' },
      { side: 'server', applies: 'apache', text: 'A set every current client shares.', snippet: 'SSLProtocol -all +TLSv1.2 +TLSv1.3\nSSLCipherSuite ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384' },
      { side: 'client', applies: 'any', text: 'Or update the client: its TLS library decides what it offers (the profile names its version).' },
    ],
    reproduce: (v) => [`h2doctor ${v.url} --clients all${v.resolve}`],
  },
  'client-falls-back-to-http1': {
    title: (v) => `Clients that offer HTTP/2 end on HTTP/1.1: ${v.detail ?? 'see the evidence'}`,
    explanation: () =>
      "These clients offer h2 (ALPN on TLS, prior knowledge or Upgrade: h2c on cleartext) and do not get it: the server chose http/1.1, sent no ALPN, or refused h2c. Browsers and most libraries then quietly speak HTTP/1.1 (slower: one request at a time per connection); clients that need HTTP/2 (gRPC) fail instead.",
    clientsSee: clientsPrint('client-falls-back-to-http1'),
    fixes: (v) => [
      { side: 'server', applies: 'nginx', text: 'Serve HTTP/2 on the TLS listener (and on cleartext for gRPC by prior knowledge).', snippet: nginxListen(v) },
      { side: 'server', applies: 'apache', text: 'Offer h2 in ALPN (mod_http2).', snippet: 'Protocols h2 http/1.1' },
      { side: 'client', applies: 'grpc', text: 'gRPC has no HTTP/1.1 fallback: point it at an HTTP/2 listener (TLS with ALPN h2, or h2c by prior knowledge).' },
    ],
    reproduce: (v) => [`curl -sv --http2 -o /dev/null${v.resolve} ${v.url}`, `h2doctor ${v.url} --clients all${v.resolve}`],
  },
};
