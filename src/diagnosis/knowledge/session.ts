/**
 * Words for the HTTP/2 session family: what a server's frames did wrong after the preface
 * (protocol errors, floods, no response) and a WebSocket that breaks after its 101.
 */
import type { Code } from '../../model/codes.js';
import type { Knowledge, Vars } from './types.js';
import { clientsPrint } from './printed.js';

const nghttp = (v: Vars) => `nghttp -nv ${v.url}`;
const curlH2 = (v: Vars) => `curl -sv ${v.url.startsWith('http:') ? '--http2-prior-knowledge' : '--http2'} -o /dev/null${v.resolve} ${v.url}`;

// "clients print": curl 8 (Debian, nghttp2) against the hostile lab's servers (src/lab/scenarios/hostile.ts).
/**
 * The words of the HTTP/2 session codes (frames that break RFC 9113, a flood, no response).
 * @example SESSION_KNOWLEDGE['h2-protocol-error']?.title({ ...vars, detail: 'DATA on stream 0' })
 */
export const SESSION_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'h2-protocol-error': {
    title: (v) => `The server's HTTP/2 frames break RFC 9113${v.detail ? `: ${short(v.detail)}` : ''}`,
    explanation: (v) =>
      `HTTP/2 was agreed and the server sent frames, but one of them breaks a rule of RFC 9113 or RFC 7541 (${v.detail ?? 'see the evidence'}). A client must treat this as a connection or stream error and gives up on the request: no response reaches the application, whatever the server meant to send.`,
    clientsSee: clientsPrint('h2-protocol-error'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'A bug in the server\'s (or its proxy\'s) HTTP/2 layer: the evidence names the frame and the rule. Upgrade the HTTP/2 implementation, or turn HTTP/2 off on the listener until it is fixed.' },
      { side: 'client', applies: 'any', text: 'Nothing to fix on the client; as a stop-gap, force HTTP/1.1 (curl --http1.1, ALPN http/1.1 only).' },
    ],
    // curl first: nghttp 1.52 waits silently on some of these (a :status of "abc", DATA before HEADERS, an HPACK table bomb).
    reproduce: (v) => [curlH2(v), nghttp(v)],
  },
  'h2-flood': {
    title: (v) => `The server floods the HTTP/2 connection${v.detail ? `: ${short(v.detail)}` : ''}`,
    explanation: (v) =>
      `Instead of answering the request the server sent a flood (${v.detail ?? 'see the evidence'}). Control frames and empty frames cost the peer work without progress; RFC 9113 §10.5 lets a client cap them and close the connection, which hardened clients do (the Rapid Reset CVE-2023-44487 and CONTINUATION flood CVE-2024-27316 class). The request gets no response.`,
    clientsSee: clientsPrint('h2-flood'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Find what emits the frames (a keep-alive PING loop, a SETTINGS re-send loop, a proxy relaying resets) in the server or the proxy in front of it, and upgrade past the advisories of 2023–2024 for HTTP/2 floods.' },
      { side: 'network', applies: 'any', text: 'If a middlebox or attacker injects the frames, the connection is not under the server\'s control: check the path (proxy, load balancer).' },
    ],
    reproduce: (v) => [nghttp(v), curlH2(v)],
  },
  'h2-no-response': {
    title: (v) =>
      http11Required(v)
        ? 'HTTP/2 refuses this request: the server wants HTTP/1.1 for it (stream 1 reset with HTTP_1_1_REQUIRED)'
        : `HTTP/2 connects, but the request gets no response${v.detail ? ` (${short(v.detail)})` : ''}`,
    explanation: (v) =>
      http11Required(v)
        ? 'HTTP/2 was negotiated and the server sent its SETTINGS, then answered the request on stream 1 with RST_STREAM HTTP_1_1_REQUIRED (0xd): it will serve this request only over HTTP/1.1 (RFC 9113 §8.7 lets the client retry it there). curl retries it over HTTP/1.1; Go\'s net/http and node:http2 fail with a stream error and do not retry, and a client that needs HTTP/2 (gRPC) cannot. The usual cause is a TLS setting that applies to this path only and must be negotiated after the request: Apache\'s mod_http2 answers so when a <Location> or <Directory> has its own SSLVerifyClient (a client certificate for that path, asked by TLS 1.2 renegotiation or TLS 1.3 post-handshake authentication, both forbidden in HTTP/2 by RFC 9113 §9.2.1 and §9.2.3) or its own SSLCipherSuite. Over HTTP/1.1 the certificate is asked too, so a client without one fails there as well (the evidence shows what HTTP/1.1 got).'
        : `HTTP/2 was negotiated and the server sent its SETTINGS, so clients pick HTTP/2; but the request on stream 1 got no final response (${v.detail ?? 'nothing before the deadline'}). Clients hang until their own timeout or fail with a stream error: HTTP/2 is broken on this server even though it is advertised.`,
    clientsSee: clientsPrint('h2-no-response'),
    // Printed by the real clients against Apache 2.4 with <Location /secure> SSLVerifyClient require (test/real-apache-location-cert.test.ts runs them).
    clientsSeeFor: (v) =>
      http11Required(v)
        ? [
            '* HTTP/2 stream 1 was not closed cleanly: HTTP_1_1_REQUIRED (err 13)',
            '* Downgrades to HTTP/1.1',
            `Get "${v.url}": stream error: stream ID 1; HTTP_1_1_REQUIRED; received from peer`,
            'Error [ERR_HTTP2_STREAM_ERROR]: Stream closed with error code NGHTTP2_HTTP_1_1_REQUIRED',
          ]
        : undefined,
    fixes: (v) =>
      http11Required(v)
        ? [
            {
              side: 'server',
              applies: 'apache',
              text: 'Ask for the client certificate in the handshake, for the whole virtual host, instead of inside a <Location>/<Directory> (every path then needs one, but HTTP/2 works); or serve the protected path from a virtual host with Protocols http/1.1. Keep per-directory SSLCipherSuite out of HTTP/2 hosts too.',
              snippet: '<VirtualHost *:443>\n  Protocols h2 http/1.1\n  SSLVerifyClient require\n  SSLCACertificateFile /etc/ssl/client-ca.pem\n</VirtualHost>',
            },
            { side: 'server', applies: 'any', text: 'The server needs something for this path that HTTP/2 cannot negotiate mid-connection (a client certificate, other TLS settings): move it to the handshake of the host, or serve that path over HTTP/1.1 only.' },
            { side: 'client', applies: 'any', text: 'A client that must reach the path as it is: use HTTP/1.1 for it and present the client certificate.', snippet: 'curl --http1.1 --cert client.pem --key client-key.pem https://host/secure/' },
          ]
        : [
            { side: 'server', applies: 'any', text: 'The HTTP/2 layer accepts the connection but does not hand the request to the application (or its answer never comes back): check the server log for the request, the upstream it proxies to, and its HTTP/2 stream limits.' },
            { side: 'client', applies: 'any', text: 'As a stop-gap, force HTTP/1.1 to this server.' },
          ],
    reproduce: (v) =>
      http11Required(v)
        ? [`curl -sv --max-time 10 --http2 -o /dev/null${v.resolve} ${v.url}   # "HTTP_1_1_REQUIRED", then "Downgrades to HTTP/1.1"`, nghttp(v)]
        : [nghttp(v), `curl -sv --max-time 10 ${v.url.startsWith('http:') ? '--http2-prior-knowledge' : '--http2'} -o /dev/null${v.resolve} ${v.url}`],
  },
  'websocket-protocol-error': {
    title: (v) => `No valid WebSocket after its 101${v.detail ? `: ${short(v.detail)}` : ''}`,
    explanation: (v) =>
      `The WebSocket handshake succeeded (101 with a correct Sec-WebSocket-Accept), but what came after it is not valid RFC 6455 framing (${v.detail ?? 'see the evidence'}). Clients close the connection with 1002 (protocol error) or 1009 (message too big); the application never gets a message.`,
    clientsSee: clientsPrint('websocket-protocol-error'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'After the 101 the server (or a proxy that does not understand the upgrade) must relay WebSocket frames unchanged; check that nothing in the path rewrites or buffers the connection, and that the server answers a ping with a pong.' },
    ],
    reproduce: (v) => [`curl -sv --include --no-buffer -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' --max-time 5${v.resolve} ${v.url.replace(/^ws/, 'http')}`],
  },
};

/** The request was reset with HTTP_1_1_REQUIRED: the server wants HTTP/1.1 for it (RFC 9113 §8.7). */
function http11Required(v: Vars): boolean {
  return v.detail?.includes('HTTP_1_1_REQUIRED') ?? false;
}

function short(s: string): string {
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}
