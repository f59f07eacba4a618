/**
 * Words for an HTTP/1.1 answer that cannot be read: a head that never ends or is larger than clients
 * accept, a status line without CRLF, a field line over the size limit.
 */
import type { Code } from '../../model/codes.js';
import type { Knowledge, Vars } from './types.js';
import { clientsPrint } from './printed.js';

const curl11 = (v: Vars) => `curl -sS --http1.1 -o /dev/null -w '%{http_code}\\n'${v.curlOpts} ${v.url}`;

// "clients print" comes from the corpus (printed.ts, generated); no recording covers this code yet.
// Seen by hand against src/lab/hostile-h1.ts: curl 7.88 "(56) Too large response headers: 309162 >
// 307200" and "(27) Out of memory"; Python http.client "LineTooLong: got more than 65536 bytes".
/**
 * The words of the HTTP/1.1 codes (a response head no client can read).
 * @example HTTP1_KNOWLEDGE['http1-malformed-response']?.title({ ...vars, detail: 'no CRLF after the status line' })
 */
export const HTTP1_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'http1-malformed-response': {
    title: (v) => `The HTTP/1.1 response cannot be read${v.detail ? `: ${v.detail.length > 120 ? `${v.detail.slice(0, 119)}…` : v.detail}` : ''}`,
    explanation: (v) =>
      `The server starts an HTTP/1.1 response but its head is not one a client can read (${v.detail ?? 'see the evidence'}). RFC 9112 §2–§5: a status line and field lines, each ending in CRLF, then an empty line; clients cap the head (curl at 300 kB, Python at 64 kB a line and 100 fields, browsers and proxies lower) and abort past it. HTTP/1.1 fails here, and with it the fallback clients use when HTTP/2 is not offered.`,
    clientsSee: clientsPrint('http1-malformed-response'),
    fixes: () => [
      { side: 'server', applies: 'any', text: 'Find what writes the head (an application that copies unbounded data into a header, a Set-Cookie or Upgrade field that grows, a proxy that never terminates its status line) and bound it: every field line short, the head closed by an empty line.' },
      { side: 'network', applies: 'any', text: 'If a middlebox answers in the server\'s place, the bytes are its own: compare with a request that bypasses it.' },
    ],
    reproduce: (v) => [curl11(v)],
  },
};
