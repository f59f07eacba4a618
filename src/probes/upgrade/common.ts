/**
 * What the upgrade family's probes share: the request as evidence and its fields as a bag. (The
 * meter is `../meter.ts`, opening the connection `../open.ts`, the user's `-H` `../headers.ts`.)
 */
import type { RequestSent } from '../../model/upgrade-probes.js';

/**
 * The request as evidence: method, path, version, fields (Authorization and Cookie hidden).
 * @example requestSent('GET', '/', '1.1', [['Authorization', 'Bearer x']]).headers // [['Authorization', '(hidden)']]
 */
export function requestSent(method: string, path: string, version: '1.0' | '1.1', headers: Array<[string, string]>): RequestSent {
  return { method, path, version, headers: headers.map(([k, v]) => [k, k.toLowerCase() === 'authorization' || k.toLowerCase() === 'cookie' ? '(hidden)' : v]) };
}

/**
 * Field lines as a bag for the wire/ validators: names lower-cased, repeated fields as arrays.
 * @example headerBag([['Upgrade', 'a'], ['upgrade', 'b']]) // { upgrade: ['a', 'b'] }
 */
export function headerBag(headers: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  const bag: Record<string, string | string[]> = {};
  for (const [k, v] of headers) {
    const n = k.toLowerCase();
    const cur = bag[n];
    if (cur === undefined) bag[n] = v;
    else bag[n] = Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return bag;
}
