/**
 * The HPACK static table (RFC 7541 §2.3.1, Appendix A) and lookups into it.
 *
 * @example
 * staticEntry(2); // [':method', 'GET']
 * findStatic(':status', '302'); // { index: 8, exact: false }
 */

/**
 * RFC 7541 Appendix A: entries 1–61, stored from position 0 (index 1 is `STATIC_TABLE[0]`).
 *
 * @example
 * STATIC_TABLE[7]; // [':status', '200'], HPACK index 8
 */
export const STATIC_TABLE: ReadonlyArray<readonly [name: string, value: string]> = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

/** RFC 7541 §2.3.3: the static table takes indices 1–61; the dynamic table starts at 62. */
export const STATIC_TABLE_LENGTH = 61;

/**
 * The static entry at an HPACK index (1–61), or undefined.
 *
 * @example
 * staticEntry(4); // [':path', '/']
 */
export function staticEntry(index: number): readonly [string, string] | undefined {
  return index >= 1 && index <= STATIC_TABLE_LENGTH ? STATIC_TABLE[index - 1] : undefined;
}

const BY_NAME = new Map<string, number>();
const BY_PAIR = new Map<string, number>();
STATIC_TABLE.forEach(([name, value], i) => {
  if (!BY_NAME.has(name)) BY_NAME.set(name, i + 1);
  BY_PAIR.set(`${name}\0${value}`, i + 1);
});

/**
 * The lowest static index matching name and value (`exact`), else the lowest matching the name only.
 *
 * @example
 * findStatic(':method', 'GET'); // { index: 2, exact: true }
 * findStatic('x-custom', 'a');  // undefined
 */
export function findStatic(name: string, value: string): { index: number; exact: boolean } | undefined {
  const pair = BY_PAIR.get(`${name}\0${value}`);
  if (pair !== undefined) return { index: pair, exact: true };
  const byName = BY_NAME.get(name);
  return byName === undefined ? undefined : { index: byName, exact: false };
}
