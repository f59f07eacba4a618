/**
 * Words for the codes that compare vantage points (distributed fleet scans).
 */
import type { Code } from '../../model/codes.js';
import type { Knowledge } from './types.js';
import { clientsPrint } from './printed.js';

export const VANTAGE_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'vantage-points-disagree': {
    title: (v) => `${v.host} behaves differently depending on where it is reached from`,
    explanation: (v) =>
      `The same target, scanned from several vantage points, did not answer alike: ${v.detail ?? ''}. Each vantage point reaches its own edge, resolver answer or route (CDN points of presence, GeoDNS, anycast, regional load balancers), so users in one place see HTTP/2 fail while others do not.`,
    clientsSee: clientsPrint('vantage-points-disagree'),
    fixes: (v) => [
      { side: 'server', applies: 'cdn', text: `Compare the configuration of the edges or load balancers that serve ${v.host} in each region (ALPN / HTTP/2 setting, TLS policy, certificate); roll the working one out to all.` },
      { side: 'server', applies: 'dns', text: 'Check what each vantage point resolves the name to (GeoDNS, stale records): an old edge or a forgotten address is the usual cause.' },
      { side: 'client', applies: 'any', text: `Pin the address a failing vantage point resolves while investigating: curl --resolve ${v.host}:${v.port}:<the address it resolves> ${v.url} (getent ahosts ${v.host} there gives it).` },
    ],
    reproduce: (v) => [`h2doctor ${v.url}   # from each vantage point`, `getent ahosts ${v.host}   # from each vantage point`],
  },
};
