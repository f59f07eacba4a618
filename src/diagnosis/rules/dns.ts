/**
 * DNS: a name without addresses, and addresses of one name that behave differently (CDN edges, a
 * stale AAAA…). Report-level rules: they look at every address at once.
 */
import type { AddressReport } from '../../model/index.js';
import { reportRule } from '../raw.js';

/**
 * The name resolved to no address.
 * @example dnsNoAddress({ target, resolution: { source: 'dns', addresses: [], error: 'ENOTFOUND' }, evidence: [] }, [])[0]?.code // 'dns-no-address'
 */
export const dnsNoAddress = reportRule('dns-no-address', ['dns-no-address'], (input) => {
  const { target, resolution } = input;
  if (resolution.addresses.length > 0) return [];
  return [{ code: 'dns-no-address', detail: resolution.error, addresses: [], evidence: [{ probe: 'dns', text: `lookup of ${target.host}: ${resolution.error ?? 'no addresses'}` }] }];
});

const outcome = (a: AddressReport) => a.negotiated.protocol ?? 'nothing works';

/**
 * Two or more addresses whose negotiated protocol or finding codes differ.
 * @example dnsAddressesDisagree(input, perAddress) // [] when every address behaves the same
 */
export const dnsAddressesDisagree = reportRule('dns-addresses-disagree', ['dns-addresses-disagree'], (_input, addresses) => {
  if (addresses.length < 2) return [];
  const sig = (a: AddressReport) => `${a.negotiated.protocol}|${[...a.findingCodes].sort().join(',')}`;
  if (new Set(addresses.map(sig)).size < 2) return [];
  const detail = addresses.map((a) => `${a.address} → ${outcome(a)}${a.findingCodes.length ? ` (${a.findingCodes.join(', ')})` : ''}`).join('; ');
  return [
    {
      code: 'dns-addresses-disagree',
      detail,
      addresses: addresses.map((a) => a.address),
      evidence: addresses.map((a) => ({ probe: 'dns', text: `${a.address}: ${outcome(a)}${a.findingCodes.length ? `; ${a.findingCodes.join(', ')}` : '; no problem found'}` })),
    },
  ];
});
