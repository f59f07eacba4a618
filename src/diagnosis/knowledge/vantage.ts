/**
 * Words for the codes that compare vantage points (distributed fleet scans).
 */
import type { Code } from '../../model/codes.js';
import type { Knowledge } from './types.js';
import { clientsPrint } from './printed.js';

/**
 * The words of vantage-points-disagree (a scan from several places).
 * @example VANTAGE_KNOWLEDGE['vantage-points-disagree']?.title(vars) // 'example.com behaves differently depending on where it is reached from'
 */
export const VANTAGE_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'vantage-points-disagree': {
    title: (v) => `${v.host} behaves differently depending on where it is reached from`,
    explanation: (v) =>
      `The same target, scanned from several vantage points, did not answer alike: ${v.detail ?? ''}. Each vantage point reaches its own edge, resolver answer or route (CDN points of presence, GeoDNS, anycast, regional load balancers), so users in one place see HTTP/2 fail while others do not.`,
    clientsSee: clientsPrint('vantage-points-disagree'),
    fixes: (v) => [
      { side: 'server', applies: 'cdn', text: `Compare the configuration of the edges or load balancers that serve ${v.host} in each region (ALPN / HTTP/2 setting, TLS policy, certificate); roll the working one out to all.` },
      { side: 'server', applies: 'dns', text: 'Check what each vantage point resolves the name to (GeoDNS, stale records): an old edge or a forgotten address is the usual cause.' },
      v.facts?.addresses?.length
        ? { side: 'client', applies: 'any', text: `Pin the addresses the failing vantage points reached (${v.facts.addresses.join(', ')}) while investigating, from anywhere.`, snippet: v.facts.addresses.map((a) => `curl -v --resolve ${v.host}:${v.port}:${a.includes(":") ? `[${a}]` : a} ${v.url}`).join('\n') }
        : { side: 'client', applies: 'any', text: `At a failing vantage point, getent ahosts ${v.host} lists the addresses it resolves; pin each with curl --resolve ${v.host}:${v.port} and that address, from anywhere, to see which one fails.` },
    ],
    reproduce: (v) => [`h2doctor ${v.url}   # from each vantage point`, `getent ahosts ${v.host}   # from each vantage point`],
  },
};
