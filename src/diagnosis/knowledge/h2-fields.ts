/**
 * Words for h2-connection-specific-header (RFC 9113 §8.2.2). The "clients print" lines were recorded
 * against nginx 1.22.1 proxying a backend's `Upgrade: h2,h2c` into its HTTP/2 answers (curl 7.88.1,
 * nghttp 1.52.0, Node 20 http2) — see test/real-wrong-answers.test.ts.
 */
import type { Code } from '../../model/codes.js';
import type { Knowledge, Vars } from './types.js';
import { clientsPrint } from './printed.js';

const tlsUrl = (v: Vars) => /^(https|wss):/.test(v.url);
const h2Flag = (v: Vars) => (tlsUrl(v) ? '--http2' : '--http2-prior-knowledge');
/** curl and nghttp speak http(s) URLs: a ws/wss target's HTTP/2 answers are asked for over http(s). */
const httpUrl = (v: Vars) => v.url.replace(/^ws/, 'http');

/**
 * The words of the HTTP/2 field codes (a connection-specific field in an HTTP/2 response).
 * @example H2_FIELDS_KNOWLEDGE['h2-connection-specific-header']?.fixes({ ...vars, detail: 'upgrade' })[0].snippet // 'proxy_hide_header Upgrade;'
 */
export const H2_FIELDS_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'h2-connection-specific-header': {
    title: (v) => `The HTTP/2 response carries a connection-specific field (${v.detail ?? 'Connection/Upgrade'}): clients reset the stream`,
    explanation: (v) =>
      `HTTP/2 has no hop-by-hop fields: RFC 9113 §8.2.2 forbids Connection, Proxy-Connection, Keep-Alive, Transfer-Encoding and Upgrade (and TE other than "trailers") in HTTP/2 messages, and a response carrying one is malformed. This one carries ${v.detail ?? 'such a field'}. Strict clients (curl/nghttp2, Node, Safari, Go) reset the stream with PROTOCOL_ERROR and the request fails, while lenient ones (browsers over HTTP/1.1, wget) work, so it looks intermittent. The usual source is a reverse proxy that copies a backend's HTTP/1.1 header into its HTTP/2 answer: nginx before 1.25 passes a backend's \`Upgrade: h2,h2c\` (Apache mod_http2 advertises h2c this way) straight through.`,
    clientsSee: clientsPrint('h2-connection-specific-header'),
    fixes: (v) => {
      const field = (v.detail ?? 'upgrade').split(',')[0]!.trim();
      const Field = field.replace(/(^|-)([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());
      return [
        { side: 'server', applies: 'nginx', text: `Do not pass the backend's ${Field} field into HTTP/2 answers (in the location that proxies).`, snippet: `proxy_hide_header ${Field};`, config: { block: 'location', set: [`proxy_hide_header ${Field};`] } },
        { side: 'server', applies: 'apache', text: `As a reverse proxy, drop the field from proxied answers; on an Apache backend, stop advertising h2c to the proxy.`, snippet: field === 'upgrade' ? `Header unset Upgrade\n# on the backend (mod_http2): Protocols http/1.1   or   H2Upgrade off` : `Header unset ${Field}` },
        { side: 'server', applies: 'haproxy', text: 'Delete the field from responses.', snippet: `http-response del-header ${Field}` },
        { side: 'server', applies: 'caddy', text: 'Remove the field in reverse_proxy.', snippet: `reverse_proxy backend:8080 {\n  header_down -${Field}\n}` },
        { side: 'server', applies: 'node', text: 'Do not copy hop-by-hop fields from an upstream HTTP/1.1 response into an http2 response (node:http2 throws ERR_HTTP2_INVALID_CONNECTION_HEADERS if you set them yourself).' },
      ];
    },
    reproduce: (v) => [`curl -sv ${h2Flag(v)} --max-time 10 -o /dev/null${v.resolve} ${httpUrl(v)}`, `nghttp -v ${httpUrl(v)} 2>&1 | grep -iE 'invalid|rst_stream|error'`],
  },
};
